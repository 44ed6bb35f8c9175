from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EightdConfig(AppConfig):
    name = "kesu.eightd"
    label = "eightd"
    verbose_name = _("8D reports")

    def ready(self):
        from kesu.eightd import events  # noqa: F401 - registers the event types
