from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from huey.consumer import Consumer

from kesu.core.huey_app import get_huey


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext("Run the background worker that executes queued tasks.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads", type=int, default=2,
            help=_("How many tasks may run at the same time (default 2)."),
        )

    def handle(self, *args, threads, **options):
        huey = get_huey()
        if huey.immediate:
            raise CommandError(
                _("HUEY_IMMEDIATE is on: tasks run inside enqueue(), a worker has nothing to do.")
            )
        # A task is to a worker thread what a request is to the web server: like Django's
        # request signals, drop a connection that broke or outlived DB_CONN_MAX_AGE.
        huey.pre_execute("close_old_connections")(lambda task: close_old_connections())
        huey.post_execute("close_old_connections")(
            lambda task, value, exc: close_old_connections()
        )
        # SIGTERM (systemd, containers, `kesu serve`) lets the tasks in hand finish; Ctrl-C in
        # a terminal stops at once.
        Consumer(huey, workers=threads, worker_type="thread", graceful_signal="TERM").run()
