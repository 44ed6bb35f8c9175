from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "kesu.calendars"
    verbose_name = _("Business calendars")

    def ready(self):
        from kesu.calendars.auditlog import register_models

        register_models()
