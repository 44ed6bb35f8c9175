import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from waitress import serve

# A worker finishing a task gets this long after `serve` is asked to stop.
WORKER_STOP_SECONDS = 30


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext("Serve Kesu over HTTP with waitress, with the background worker alongside.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on."))
        parser.add_argument(
            "--port", type=int, default=os.environ.get("PORT", "8000"),
            help=_("Port to listen on (default: $PORT, else 8000)."),
        )
        parser.add_argument(
            "--no-worker", action="store_true",
            help=_("Do not start a worker, e.g. because `kesu worker` runs elsewhere."),
        )

    def handle(self, *args, host, port, no_worker, **options):
        from kesu.wsgi import application

        worker = None
        if not no_worker:
            # Its own session, so that Ctrl-C reaches only `serve`, which then stops the
            # worker gracefully instead of both being interrupted at once.
            worker = subprocess.Popen(
                [sys.executable, "-m", "django", "worker"], start_new_session=True
            )
        # waitress shuts down cleanly on SystemExit, which lets the finally clause run.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            serve(application, host=host, port=port)
        finally:
            if worker is not None:
                _stop(worker)


def _stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
