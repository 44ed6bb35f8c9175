from django.apps import AppConfig


class EightdConfig(AppConfig):
    name = "kesu.eightd"
    label = "eightd"

    def ready(self):
        from kesu.eightd import events  # noqa: F401 - registers the event types
