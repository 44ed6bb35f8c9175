from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.core.errors import KesuError
from kesu.ops.backup import InstanceNotEmpty, backup_restore
from kesu.ops.summary import contents_lines, local_time


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext(
        "Restore a backup made by `kesu backup`: the database, the stored files and the secret "
        "key. Stop the server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help=_("The archive to restore."))
        parser.add_argument(
            "--force", action="store_true",
            help=_("Replace the complaints, users and files this instance already holds."),
        )

    def handle(self, *args, path, force, **options):
        try:
            restored = backup_restore(path=path, force=force)
        except InstanceNotEmpty as exc:
            raise CommandError(
                gettext("%(reason)s Restoring would replace all of it; add --force to do so.")
                % {"reason": exc.message}
            ) from exc
        except KesuError as exc:
            raise CommandError(str(exc.message)) from exc
        contents = restored.contents
        self.stdout.write(
            self.style.SUCCESS(
                gettext("Restored %(path)s, made at %(created)s by Kesu %(version)s.")
                % {
                    "path": path,
                    "created": local_time(contents.created_at),
                    "version": contents.kesu_version,
                }
            )
        )
        for line in contents_lines(contents):
            self.stdout.write(line)
        if restored.tables_differing:
            self.stderr.write(
                self.style.ERROR(
                    gettext(
                        "WARNING: after the restore these tables do not hold the rows the "
                        "backup lists: %(tables)s."
                    )
                    % {"tables": ", ".join(restored.tables_differing)}
                )
            )
        if restored.migrations_applied:
            self.stdout.write(
                gettext("The backup was made by an older Kesu; migrations applied: %(count)d.")
                % {"count": restored.migrations_applied}
            )
        self.stdout.write(
            gettext("Secret key written to %(path)s.") % {"path": restored.key_file}
        )
        if restored.environment_key_differs:
            self.stderr.write(
                self.style.ERROR(
                    gettext(
                        "WARNING: SECRET_KEY is set in the environment and differs from the "
                        "archived key. Links in mails sent before the backup (the customers' "
                        "portal links) will not open, and everybody is logged out, until "
                        "SECRET_KEY is set to the archived value: SECRET_KEY=\"$(cat "
                        "%(path)s)\", or unset SECRET_KEY so that Kesu reads that file."
                    )
                    % {"path": restored.key_file}
                )
            )
        self.stdout.write(
            gettext("Restart the server and the worker so that they use the restored data and key.")
        )
