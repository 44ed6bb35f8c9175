"""A worker killed mid-send leaves its row 'sending'. The row goes out again once the lease has
expired, never before (the worker might still be alive and about to record success)."""

from datetime import timedelta

from kesu.core import clock
from kesu.notifications.delivery import LEASE, MAX_ATTEMPTS, deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice


def _killed_mid_send(row, at):
    """What a worker leaves behind when it dies after claiming a row."""
    Notification.objects.filter(pk=row.pk).update(
        status="sending", claimed_until=at + LEASE, attempts=row.attempts + 1
    )


def test_row_of_a_dead_worker_is_sent_after_its_lease_expires(robot_server, make_robot, tell):
    make_robot("feishu")
    tell(Notice(kind="admin_alert", event_key="alert:1", context={"message": "worker"}))
    row = Notification.objects.get(event_key="alert:1")
    t0 = clock.now()
    _killed_mid_send(row, t0)

    assert deliver_due(now=t0 + LEASE - timedelta(seconds=1)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1)
    assert robot_server.requests == []

    later = t0 + LEASE + timedelta(seconds=1)
    assert deliver_due(now=later) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 2, None)
    assert len(robot_server.requests) == 1
    # The lost try is on record next to the one that worked.
    assert list(row.delivery_attempts.values_list("ok", flat=True)) == [False, True]
    assert "lease expired" in row.delivery_attempts.first().detail


def test_a_dead_workers_last_allowed_attempt_is_given_up(robot_server, make_robot, tell):
    make_robot("wecom")
    tell(Notice(kind="admin_alert", event_key="alert:2", context={"message": "worker"}))
    row = Notification.objects.get(event_key="alert:2")
    row.attempts = MAX_ATTEMPTS - 1
    t0 = clock.now()
    _killed_mid_send(row, t0)
    assert deliver_due(now=t0 + LEASE + timedelta(minutes=1)) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert robot_server.requests == []
