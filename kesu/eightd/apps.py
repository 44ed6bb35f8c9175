from django.apps import AppConfig


class EightdConfig(AppConfig):
    name = "kesu.eightd"
    label = "eightd"
