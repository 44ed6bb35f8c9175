"""A worker killed with SIGKILL at the worst moment (the SMTP server has the whole message but
has not answered yet) loses no mail, and the copy sent once its lease has expired carries the
same Message-ID as the first, so the receiving side can drop it.

The worker is a real separate process on the test database; the test then jumps the clock past
the lease and delivers in-process, as the next sweep of a surviving worker would.
"""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection

from kesu.core import clock
from kesu.notifications import services
from kesu.notifications.delivery import LEASE, deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice

WORKER = """
import sys
from datetime import datetime

import django

django.setup()

from kesu.core import clock
from kesu.notifications.delivery import deliver_due

with clock.frozen(datetime.fromisoformat(sys.argv[1])):
    deliver_due()
"""
# Seconds: the worker's start (Django setup) on a slow machine, and its death.
START_TIMEOUT = 90
KILL_TIMEOUT = 10


def _database_url() -> str:
    """The test database, as the worker process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"  # a file: see DATABASES["default"]["TEST"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


def _start_worker(smtp_server, settings, at) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kesu.settings",
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SMTP_HOST": smtp_server.host,
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "SMTP_TLS": "false",
        "KESU_BASE_URL": settings.KESU_BASE_URL,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, at.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_delivery_loses_nothing_and_repeats_the_message_id(
    smtp_server, engineer, tell, settings, monkeypatch
):
    # The rows wait for the worker: no after-commit delivery in this process.
    monkeypatch.setattr(services, "_enqueue_delivery", lambda ids: None)
    for n in range(3):
        tell(Notice(kind="admin_alert", event_key=f"alert:{n}", recipients=[engineer]))

    def rows():
        return list(Notification.objects.filter(channel="email").order_by("pk"))

    assert len(rows()) == 3
    smtp_server.stall(nth=2)
    t0 = clock.now()

    worker = _start_worker(smtp_server, settings, t0)
    try:
        if not smtp_server.stalled.wait(START_TIMEOUT):
            worker.kill()
            output = worker.communicate(timeout=KILL_TIMEOUT)[0].decode(errors="replace")
            pytest.fail(f"the worker never reached the second mail:\n{output}")
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(KILL_TIMEOUT) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(KILL_TIMEOUT)
        worker.stdout.close()

    # Killed after the server had the second mail, before it could know: first sent, second
    # still claimed by the dead worker, third untouched.
    assert [(r.status, r.attempts) for r in rows()] == [("sent", 1), ("sending", 1), ("pending", 0)]
    assert len(smtp_server.received) == 2

    # The next sweep sends the untouched third mail, but not the second before the lease has
    # run out: the worker might only have been slow.
    assert deliver_due(now=t0 + LEASE - timedelta(seconds=1)) == 1
    assert [r.status for r in rows()] == ["sent", "sending", "sent"]
    assert deliver_due(now=t0 + LEASE + timedelta(seconds=1)) == 1

    assert [r.status for r in rows()] == ["sent"] * 3  # none lost
    received = [m["Message-ID"] for m in smtp_server.received]
    stored = [r.email_message_id for r in rows()]
    assert len(received) == 4  # the second mail twice
    assert len(set(received)) == len(stored) == 3
    assert set(received) == set(stored)
    # The copy is the second mail again, under its first Message-ID.
    assert received.count(stored[1]) == 2
    assert received[1] == stored[1]
