"""Never twice: the same event reaches the same recipient once per channel, however often it
is notified (a sweeper running again, two sweepers at once, a retried request)."""

from kesu.notifications.models import Notification
from kesu.notifications.services import Notice


def test_same_event_twice_writes_one_row_per_recipient_and_channel(
    make_complaint, engineer, qe, make_robot, tell
):
    make_robot("dingtalk")
    complaint = make_complaint()
    notice = Notice(
        kind="overdue",
        event_key="step:123:overdue",
        recipients=[engineer, qe],
        complaint=complaint,
        addresses=[("wang@example.com", "")],
    )
    assert tell(notice) == 2 * 2 + 1 + 1  # two people × (in-app, e-mail), the address, the robot
    assert tell(notice) == 0
    assert tell(notice, notice) == 0
    rows = Notification.objects.filter(event_key="step:123:overdue")
    assert rows.count() == 6
    assert sorted(rows.values_list("channel", flat=True)) == sorted(
        ["inapp", "inapp", "email", "email", "email", "dingtalk"]
    )


def test_duplicates_within_one_batch_are_written_once(engineer, tell):
    notice = Notice(kind="admin_alert", event_key="calendar:1:year:2027", recipients=[engineer])
    twice = Notice(kind="admin_alert", event_key=notice.event_key, recipients=[engineer, engineer])
    assert tell(notice, notice, twice) == 2


def test_a_new_event_for_the_same_recipient_is_written(engineer, tell):
    tell(Notice(kind="reminder", event_key="step:1:reminder:50", recipients=[engineer]))
    assert tell(Notice(kind="reminder", event_key="step:1:reminder:80", recipients=[engineer])) == 2


def test_address_case_does_not_make_a_second_recipient(db, tell):
    tell(
        Notice(
            kind="customer_update",
            event_key="event:9:customer",
            addresses=[("Wang@Example.com", "")],
        )
    )
    assert (
        tell(
            Notice(
                kind="customer_update",
                event_key="event:9:customer",
                addresses=[("wang@example.com", "")],
            )
        )
        == 0
    )
