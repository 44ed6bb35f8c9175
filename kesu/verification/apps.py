from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "kesu.verification"
    label = "verification"
    verbose_name = _("Effect verification")

    def ready(self):
        from kesu.masterdata.signals import ng_results_recorded
        from kesu.verification import events  # noqa: F401 - registers the event types
        from kesu.verification.tasks import on_ng_results

        ng_results_recorded.connect(on_ng_results, dispatch_uid="verification")
