from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kesu.org"
    label = "org"
