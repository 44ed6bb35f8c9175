from django.apps import AppConfig


class MasterdataConfig(AppConfig):
    name = "kesu.masterdata"
    label = "masterdata"
