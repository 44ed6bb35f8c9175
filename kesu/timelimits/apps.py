from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeLimitsConfig(AppConfig):
    name = "kesu.timelimits"
    verbose_name = _("Time limits and escalation")

    def ready(self):
        from auditlog.registry import auditlog

        from kesu.calendars.signals import calendar_edited
        from kesu.timelimits import events  # noqa: F401 - registers the event types
        from kesu.timelimits.models import EscalationLevel, TimePolicy
        from kesu.timelimits.tasks import recompute_after_calendar_edit

        calendar_edited.connect(recompute_after_calendar_edit, dispatch_uid="timelimits")

        from kesu.core import health
        from kesu.timelimits.health import sweep_lag

        health.register(sweep_lag)

        # Who changed a time limit, when, from what to what (SPEC §13).
        auditlog.register(TimePolicy)
        auditlog.register(EscalationLevel)
