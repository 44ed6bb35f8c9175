"""The outbox row is written in the transaction of the change: it commits with it, rolls back
with it, and is handed to delivery only after commit."""

import pytest
from django.db import transaction

from kesu.notifications import services
from kesu.notifications.choices import ChannelKind, Status
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice, notify


class Boom(Exception):
    pass


def test_rolled_back_change_leaves_no_notification(make_complaint, engineer):
    complaint = make_complaint()
    with pytest.raises(Boom), transaction.atomic():
        complaint.title = "改过的标题"
        complaint.save(update_fields=["title"])
        notify(
            [
                Notice(
                    kind="status_changed",
                    event_key="e:1",
                    recipients=[engineer],
                    complaint=complaint,
                )
            ]
        )
        assert Notification.objects.filter(event_key="e:1").count() == 2
        raise Boom
    assert not Notification.objects.filter(event_key="e:1").exists()
    complaint.refresh_from_db()
    assert complaint.title != "改过的标题"


def test_committed_notice_is_delivered_after_commit_only(
    engineer, tell, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("kesu.notifications.services._enqueue_delivery", sent.append)
    with django_capture_on_commit_callbacks() as callbacks:
        tell(Notice(kind="admin_alert", event_key="e:2", recipients=[engineer]))
        assert sent == []  # nothing leaves before commit
    for callback in callbacks:
        callback()
    email = Notification.objects.get(event_key="e:2", channel=ChannelKind.EMAIL)
    assert sent == [[email.pk]]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_enqueues_nothing(engineer, monkeypatch):
    sent = []
    monkeypatch.setattr("kesu.notifications.services._enqueue_delivery", sent.append)
    with pytest.raises(Boom), transaction.atomic():
        notify([Notice(kind="admin_alert", event_key="e:3", recipients=[engineer])])
        raise Boom
    assert sent == []
    assert not Notification.objects.exists()

    with transaction.atomic():
        notify([Notice(kind="admin_alert", event_key="e:3", recipients=[engineer])])
    assert sent == [list(Notification.objects.filter(channel="email").values_list("pk", flat=True))]


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_is_refused(engineer):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        notify([Notice(kind="admin_alert", event_key="e:4", recipients=[engineer])])


def test_in_app_rows_are_delivered_by_being_stored(engineer, tell):
    tell(Notice(kind="admin_alert", event_key="e:5", recipients=[engineer]))
    inapp = Notification.objects.get(event_key="e:5", channel=ChannelKind.INAPP)
    email = Notification.objects.get(event_key="e:5", channel=ChannelKind.EMAIL)
    assert (inapp.status, inapp.read_at, inapp.next_attempt_at) == (Status.SENT, None, None)
    assert inapp.sent_at == inapp.created_at
    assert (email.status, email.next_attempt_at) == (Status.PENDING, email.created_at)
    assert email.attempts == 0


def test_language_is_the_recipients_at_creation(engineer, qe, tell):
    engineer.language = "en"
    engineer.save(update_fields=["language"])
    tell(
        Notice(
            kind="customer_update",
            event_key="e:6",
            recipients=[engineer, qe],
            addresses=[("wang@example.com", "en"), ("li@example.com", "")],
        )
    )
    languages = dict(
        Notification.objects.filter(event_key="e:6", channel="email").values_list(
            "dedupe_key", "language"
        )
    )
    assert languages == {
        f"e:6|email|user:{engineer.pk}": "en",
        f"e:6|email|user:{qe.pk}": "zh-hans",
        "e:6|email|address:wang@example.com": "en",
        "e:6|email|address:li@example.com": "zh-hans",
    }
    assert Notification.objects.get(address="wang@example.com").recipient is None


def test_inactive_users_are_skipped(engineer, qe, tell):
    engineer.is_active = False
    engineer.save(update_fields=["is_active"])
    assert tell(Notice(kind="admin_alert", event_key="e:7", recipients=[engineer, qe])) == 2
    rows = Notification.objects.filter(event_key="e:7")
    assert set(rows.values_list("recipient", flat=True)) == {qe.pk}


def test_unknown_kind_is_a_clear_error(engineer, tell):
    with pytest.raises(ValueError, match="Unknown notification kind 'gossip'"):
        tell(Notice(kind="gossip", event_key="e:8", recipients=[engineer]))


def test_event_keys_are_checked(engineer, tell):
    for key in ["", "x" * 201]:
        with pytest.raises(ValueError, match="event key"):
            tell(Notice(kind="admin_alert", event_key=key, recipients=[engineer]))


def test_a_large_batch_takes_a_constant_number_of_queries(
    org_chart, make_robot, tell, django_assert_max_num_queries
):
    from tests import factories as f

    make_robot("wecom")
    people = [f.UserFactory(username=f"u{i}", department=org_chart["eng"]) for i in range(40)]
    notices = [
        Notice(kind="reminder", event_key=f"step:{i}:reminder", recipients=people[i % 40 :][:5])
        for i in range(200)
    ]
    with django_assert_max_num_queries(100) as queries:
        written = tell(*notices)
    # Preferences, robots, existing rows, new ids (and the savepoint): not one per notice or
    # per person. The insert is one bulk_create, split in batches by the database's limits.
    others = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(others) <= 7
    # 200 notices: 5 people (or fewer at the end) on two channels, and the robot.
    assert written == Notification.objects.filter(event_key__startswith="step:").count()
    robot_rows = Notification.objects.filter(event_key__startswith="step:", robot__isnull=False)
    assert robot_rows.count() == 200


def test_follow_and_unfollow_are_idempotent(make_complaint, engineer):
    complaint = make_complaint()
    services.follow(user=engineer, complaint=complaint)
    services.follow(user=engineer, complaint=complaint)
    assert complaint.follows.count() == 1
    services.unfollow(user=engineer, complaint=complaint)
    services.unfollow(user=engineer, complaint=complaint)
    assert complaint.follows.count() == 0


@pytest.mark.django_db(transaction=True)
def test_committed_notice_is_sent_by_the_task_after_commit(engineer, smtp_server):
    with transaction.atomic():
        notify(
            [
                Notice(
                    kind="admin_alert",
                    event_key="e:9",
                    recipients=[engineer],
                    context={"message": "磁盘将满"},
                )
            ]
        )
        assert smtp_server.messages == []
    # Tasks run inline in tests: the commit has handed the row to delivery.
    [message] = smtp_server.messages
    assert message["To"] == engineer.email
    assert Notification.objects.get(event_key="e:9", channel="email").status == Status.SENT


def test_the_periodic_task_sends_what_the_after_commit_task_missed(engineer, tell, smtp_server):
    from kesu.notifications.tasks import deliver_due_notifications

    # `tell` commits nothing here (the test's transaction), so no after-commit task ran.
    tell(Notice(kind="admin_alert", event_key="e:10", recipients=[engineer]))
    assert smtp_server.messages == []
    deliver_due_notifications.enqueue()
    assert [m["To"] for m in smtp_server.messages] == [engineer.email]
