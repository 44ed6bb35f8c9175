from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.masterdata.columns import SHEETS
from kesu.masterdata.exporting import export_xlsx


class Command(BaseCommand):
    help = gettext_lazy(
        "Export master data to an .xlsx file in the columns that import-masterdata reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SHEETS), type=lambda v: v.replace("_", "-"))
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        path.write_bytes(export_xlsx(options["kind"]))
        self.stdout.write(_("Wrote %(file)s.") % {"file": path})
