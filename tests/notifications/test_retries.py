"""A failed send is retried with growing pauses until it succeeds, and given up after a day of
trying; every attempt is on record."""

from datetime import timedelta

import pytest

from kesu.core import clock
from kesu.notifications.delivery import BACKOFF_MINUTES, MAX_ATTEMPTS, backoff, deliver, deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice


@pytest.fixture
def robot_alert(make_robot, tell):
    make_robot("wecom")

    def write(key="alert:1"):
        tell(Notice(kind="admin_alert", event_key=key, context={"message": "队列积压"}))
        return Notification.objects.get(event_key=key)

    return write


def test_backoff_grows_then_stays():
    minutes = [backoff(n) / timedelta(minutes=1) for n in range(1, 9)]
    assert minutes == [1, 5, 15, 60, 240, 240, 240, 240]
    assert list(BACKOFF_MINUTES) == minutes[:5]


def test_robot_that_fails_twice_is_retried_with_backoff_and_sent_once(robot_server, robot_alert):
    robot_server.fail(2)
    row = robot_alert()
    t0 = clock.now()

    assert deliver_due(now=t0) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at == t0 + timedelta(minutes=1)
    assert row.last_error.startswith("HTTP 500")

    # Not due yet: nothing happens, the attempt count stays.
    assert deliver_due(now=t0 + timedelta(seconds=59)) == 0
    assert deliver(row.pk, now=t0 + timedelta(seconds=59)) is False
    row.refresh_from_db()
    assert row.attempts == 1 and len(robot_server.requests) == 1

    t1 = t0 + timedelta(minutes=1)
    assert deliver_due(now=t1) == 0
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, t1 + timedelta(minutes=5))

    t2 = t1 + timedelta(minutes=5)
    assert deliver_due(now=t2) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error, row.claimed_until) == ("sent", 3, "", None)
    assert row.sent_at >= t2

    attempts = list(row.delivery_attempts.values_list("started_at", "ok"))
    assert attempts == [(t0, False), (t1, False), (t2, True)]
    assert len(robot_server.requests) == 3

    # Sent is sent: later sweeps leave it alone.
    assert deliver_due(now=t2 + timedelta(days=1)) == 0
    assert len(robot_server.requests) == 3


def test_gives_up_after_the_last_attempt(robot_server, robot_alert, caplog):
    robot_server.fail(100)
    row = robot_alert()
    now = clock.now()
    for _attempt in range(MAX_ATTEMPTS):
        assert deliver_due(now=now) == 0
        row.refresh_from_db()
        now = row.next_attempt_at if row.status == "pending" else now
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.delivery_attempts.filter(ok=False).count() == MAX_ATTEMPTS
    assert "gave up after 8 attempts" in caplog.text
    # Failed is final: no more tries, whatever the time.
    assert deliver_due(now=now + timedelta(days=30)) == 0
    assert len(robot_server.requests) == MAX_ATTEMPTS


def test_a_broken_template_is_a_failed_attempt_not_a_crash(engineer, tell, caplog):
    tell(Notice(kind="admin_alert", event_key="alert:2", recipients=[engineer]))
    row = Notification.objects.get(event_key="alert:2", channel="email")
    Notification.objects.filter(pk=row.pk).update(kind="gossip")
    assert deliver_due() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Unknown notification kind 'gossip'" in row.last_error


def test_a_switched_off_robot_is_given_up_at_once(robot_server, robot_alert):
    row = robot_alert()
    row.robot.active = False
    row.robot.save(update_fields=["active"])
    assert deliver_due() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "robot switched off")
    assert robot_server.requests == []


def test_a_recipient_whose_address_was_removed_is_given_up_at_once(engineer, tell):
    tell(Notice(kind="admin_alert", event_key="alert:3", recipients=[engineer]))
    engineer.email = ""
    engineer.save(update_fields=["email"])
    assert deliver_due() == 0
    row = Notification.objects.get(event_key="alert:3", channel="email")
    assert (row.status, row.last_error) == ("failed", "no e-mail address")
