"""Background work of complaints: removing stored files that no attachment refers to."""

import logging

from django_tasks import task

from kesu.complaints.uploads import clean_orphans
from kesu.core import clock

logger = logging.getLogger(__name__)


@task()
def clean_orphan_uploads() -> None:
    """Hourly: files stored for a transaction that then rolled back (kesu.complaints.uploads)."""
    deleted = clean_orphans(now=clock.now())
    logger.info("orphan uploads: %d deleted", len(deleted))
