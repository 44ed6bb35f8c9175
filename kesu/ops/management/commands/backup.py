from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.core.errors import KesuError
from kesu.ops.backup import backup_create
from kesu.ops.summary import contents_lines, megabytes


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext(
        "Write one archive holding the database, every stored file and the secret key; safe "
        "while the server runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path,
            help=_("Where to write the archive (default: var/backups/kesu-backup-<time>.tar.gz)."),
        )

    def handle(self, *args, output, **options):
        try:
            made = backup_create(output=output)
        except KesuError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Backup written: %(path)s (%(size)s MB)")
                % {"path": made.path, "size": megabytes(made.size)}
            )
        )
        for line in contents_lines(made.contents):
            self.stdout.write(line)
        self.stdout.write(
            gettext("The archive holds the secret key: keep it as safe as the database.")
        )
