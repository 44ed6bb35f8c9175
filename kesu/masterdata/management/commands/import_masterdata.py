from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.masterdata.columns import SHEETS
from kesu.masterdata.importing import import_rows


class Command(BaseCommand):
    help = gettext_lazy(
        "Import master data from an .xlsx or .csv file. Every row is checked first; if any row "
        "is bad, nothing is imported and each bad row is reported."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(SHEETS), type=lambda v: v.replace("_", "-"))
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Check the file without writing anything."),
        )

    def handle(self, *args, **options):
        try:
            report = import_rows(options["kind"], options["file"], dry_run=options["dry_run"])
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["file"], "error": exc.strerror or exc}
            ) from exc
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
