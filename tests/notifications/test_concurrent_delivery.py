"""Several deliverers at once (the after-commit task and the sweep, or two sweeping workers)
send each notification once: each row is claimed with a compare-and-set before it is sent."""

import pytest

from kesu.core import clock
from kesu.notifications.delivery import deliver, deliver_due
from kesu.notifications.models import DeliveryAttempt, Notification
from kesu.notifications.services import Notice
from tests.concurrency.threads import run_together


@pytest.fixture(autouse=True)
def _no_after_commit_delivery(monkeypatch):
    # The rows commit for real here; the tests themselves play the deliverers.
    monkeypatch.setattr("kesu.notifications.services._enqueue_delivery", lambda ids: None)


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_of_the_same_row_send_it_once(robot_server, make_robot, tell):
    make_robot("wecom")
    for attempt in range(5):  # a race lost once could hide; run it a few times
        key = f"alert:{attempt}"
        tell(Notice(kind="admin_alert", event_key=key, context={"message": "并发"}))
        row = Notification.objects.get(event_key=key)
        now = clock.now()
        results = run_together(2, lambda _i, pk=row.pk, at=now: deliver(pk, now=at))
        assert sorted(results) == [False, True]
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("sent", 1)
    assert len(robot_server.requests) == 5
    assert DeliveryAttempt.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_sweepers_running_together_send_every_row_once(
    robot_server, make_robot, tell, smtp_server, engineer, qe
):
    make_robot("dingtalk")
    for index in range(10):
        tell(Notice(kind="reminder", event_key=f"step:{index}:reminder", recipients=[engineer, qe]))
    due = Notification.objects.filter(status="pending").count()
    assert due == 10 * 3  # two e-mails and the robot post per notice
    now = clock.now()
    results = run_together(4, lambda _i: deliver_due(now=now))
    assert sum(results) == due
    assert len(robot_server.requests) == 10
    assert len(smtp_server.messages) == 20
    assert not Notification.objects.exclude(status="sent").exists()
    assert DeliveryAttempt.objects.count() == due
