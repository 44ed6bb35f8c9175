import logging
import os
import signal
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from huey.consumer import Consumer

from kesu.core import health
from kesu.core.huey_app import DEFAULT_QUEUE, HEAVY_QUEUE, QUEUES, get_huey

logger = logging.getLogger(__name__)
# At most; four beats fit in /healthz's threshold whatever it is set to.
BEAT_SECONDS = 15
PARENT_CHECK_SECONDS = 2
# A worker that has not beaten for this long is gone; its row would only clutter the table.
FORGET_AFTER = timedelta(days=1)


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext("Run the background worker that executes queued tasks.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue", choices=QUEUES, default=DEFAULT_QUEUE,
            help=_("Which queue to work: default (mail, time limits) or heavy (8D exports)."),
        )
        parser.add_argument(
            "--threads", type=int, default=None,
            help=_("How many tasks may run at the same time (default 2, heavy queue 1)."),
        )

    def handle(self, *args, queue, threads, **options):
        # Heavy work one at a time: each render can take a core and much memory.
        threads = threads or (1 if queue == HEAVY_QUEUE else 2)
        huey = get_huey(queue)
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
        beating = threading.Event()
        threading.Thread(
            target=_heartbeat, args=(queue, beating), name="heartbeat", daemon=True
        ).start()
        parent = os.environ.get("KESU_PARENT_PID")
        if parent:
            threading.Thread(
                target=_follow_parent, args=(int(parent),), name="parent", daemon=True
            ).start()
        # SIGTERM (systemd, containers, `kesu serve`) lets the tasks in hand finish; Ctrl-C in
        # a terminal stops at once.
        try:
            Consumer(huey, workers=threads, worker_type="thread", graceful_signal="TERM").run()
        finally:
            beating.set()
            try:
                health.forget(health.worker_name(queue))
            except DatabaseError:
                logger.exception("worker stopping: the database did not answer")


def _heartbeat(queue: str, stopped: threading.Event) -> None:
    """Tell /healthz this worker process is alive, every BEAT_SECONDS, from its own thread (busy
    task threads do not delay it; the sweep's and the outbox's own figures show a backlog)."""
    name = health.worker_name(queue)
    while True:
        try:
            close_old_connections()
            health.beat(name)
            health.forget_workers_older_than(FORGET_AFTER)
        except DatabaseError:
            logger.exception("worker heartbeat: the database did not answer")
        if stopped.wait(min(BEAT_SECONDS, settings.KESU_HEALTH_WORKER_SECONDS / 4)):
            return


def _follow_parent(parent: int) -> None:
    """Stop with the `kesu serve` that started us: a worker left behind by a killed server
    would keep running an old version of the code beside the next server's own worker."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    logger.warning("the process that started this worker (%s) is gone: stopping", parent)
    os.kill(os.getpid(), signal.SIGTERM)
