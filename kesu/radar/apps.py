from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "kesu.radar"
    label = "radar"
    verbose_name = _("Recurrence radar")

    def ready(self):
        from kesu.radar import events  # noqa: F401 - registers the event types
