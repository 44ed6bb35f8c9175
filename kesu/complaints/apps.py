from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kesu.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.core.signals import setting_changed

        from kesu.complaints import events, lifecycle  # noqa: F401 - registers the event types

        # The participants (and the gates they judge) are known before the first request.
        lifecycle.participants()
        setting_changed.connect(_lifecycle_changed, dispatch_uid="kesu.complaints.lifecycle")


def _lifecycle_changed(*, setting, **kwargs):
    if setting == "KESU_LIFECYCLE":
        from kesu.complaints import lifecycle

        lifecycle.reload()
