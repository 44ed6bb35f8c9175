from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kesu.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.models.signals import post_migrate

        from kesu.complaints import events, lifecycle  # noqa: F401 - registers the event types

        # The participants (and the gates they judge) are known before the first request.
        lifecycle.participants()
        setting_changed.connect(_lifecycle_changed, dispatch_uid="kesu.complaints.lifecycle")
        post_migrate.connect(_index_missing, sender=self, dispatch_uid="kesu.complaints.search")


def _lifecycle_changed(*, setting, **kwargs):
    if setting == "KESU_LIFECYCLE":
        from kesu.complaints import lifecycle

        lifecycle.reload()


# Up to this many complaints without a search document are indexed right after `migrate` (an
# existing database upgraded to full-text search); more are left to `kesu reindex-search`, which
# runs in batches and can be watched.
INDEX_AFTER_MIGRATE = 20_000


def _index_missing(*, using="default", verbosity=1, stdout=None, **kwargs):
    from kesu.complaints.models import Complaint
    from kesu.complaints.search import search_reindex

    missing = Complaint.objects.using(using).filter(search_document__isnull=True)
    if not missing.exists():
        return
    count = missing.count()
    if count > INDEX_AFTER_MIGRATE:
        if verbosity and stdout:
            stdout.write(f"{count} complaints lack a search document: kesu reindex-search\n")
        return
    search_reindex(missing_only=True)
