from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "kesu.verification"
    label = "verification"
    verbose_name = _("Effect verification")

    def ready(self):
        from kesu.verification import events  # noqa: F401 - registers the event types
