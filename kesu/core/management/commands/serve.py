import os
import signal
import sys
import time
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from waitress import serve

from kesu.core import clock, health
from kesu.core.huey_app import QUEUES
from kesu.core.supervisor import Supervisor

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

        workers = []
        if not no_worker:
            # The workers watch this process and stop when it is gone (kesu worker). One per
            # queue, so that mail and reminders never wait behind an 8D export.
            env = {**os.environ, "KESU_PARENT_PID": str(os.getpid())}
            for queue in QUEUES:
                worker = Supervisor(
                    [sys.executable, "-m", "django", "worker", "--queue", queue], env=env,
                    silence=partial(_silence, queue),
                    # Twice what /healthz allows: it is red for a while before the restart.
                    hung_after=2 * settings.KESU_HEALTH_WORKER_SECONDS,
                    check_every=max(1, settings.KESU_HEALTH_WORKER_SECONDS / 6),
                )
                worker.start()
                workers.append(worker)
        # waitress shuts down cleanly on SystemExit, which lets the finally clause run.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            serve(application, host=host, port=port)
        finally:
            # All asked at once, so that they finish their tasks in hand side by side.
            for worker in workers:
                worker.request_stop()
            deadline = time.monotonic() + WORKER_STOP_SECONDS
            for worker in workers:
                worker.wait_stopped(timeout=max(0.0, deadline - time.monotonic()))


def _silence(queue: str, pid: int) -> float | None:
    """Seconds since the worker of that queue with that pid (on this machine) beat."""
    close_old_connections()
    return health.age_of(health.worker_name(queue, pid=pid), clock.now())
