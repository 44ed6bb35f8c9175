from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.complaints.uploads import clean_orphans
from kesu.core import clock


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext(
        "Delete stored files that no attachment refers to and that are older than an hour "
        "(left by uploads whose saving failed). The worker does this every hour."
    )

    def handle(self, *args, **options):
        deleted = clean_orphans(now=clock.now())
        self.stdout.write(_("Files deleted: %(count)d.") % {"count": len(deleted)})
