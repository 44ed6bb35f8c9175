"""Commands of third-party apps that would delete audit records, refused (SPEC §13: the audit
trail is append-only). Kesu's versions take the same names; `kesu.core` is listed before those
apps in INSTALLED_APPS so that Django finds these first."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class RefusedCommand(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = _("Not available in Kesu: the audit trail is append-only (SPEC §13).")
    command_name = ""

    def message(self) -> str:
        return _(
            "%(command)s is not available in Kesu: the audit trail is append-only and no "
            "record of it may be deleted (SPEC §13)."
        ) % {"command": self.command_name}

    def run_from_argv(self, argv):
        # Refused whatever the original command's options were, so no usage error hides why.
        if "-h" in argv[2:] or "--help" in argv[2:]:
            return super().run_from_argv(argv)
        self.stderr.write(f"CommandError: {self.message()}")
        sys.exit(1)

    def handle(self, *args, **options):
        raise CommandError(self.message())
