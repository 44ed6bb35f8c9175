"""`kesu reindex-search`: rebuild the complaints' full-text search documents (issue 13), in
batches of one transaction each, for a database that had complaints before search existed or
after a change to what is indexed."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext

from kesu.complaints.search import search_reindex


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext("Rebuild the full-text search documents of the complaints, in batches.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--missing", action="store_true")

    def handle(self, *, batch, missing, verbosity, **options):
        started = time.monotonic()

        def progress(done):
            if verbosity > 1:
                self.stdout.write(f"{done} …")

        done = search_reindex(batch=max(batch, 1), missing_only=missing, progress=progress)
        self.stdout.write(
            gettext("Complaints indexed: %(count)d in %(seconds).1f s.")
            % {"count": done, "seconds": time.monotonic() - started}
        )
