"""An e-mail notification keeps one Message-ID across all its tries, so that a copy sent again
(after a temporary refusal, or after a worker died) is recognised as the same mail."""

import re
from datetime import timedelta

from kesu.core import clock
from kesu.notifications.channels.email import message_id
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice

# RFC 5322 msg-id: "<" id-left "@" id-right ">", here a dot-atom on both sides.
MSG_ID = re.compile(r"^<kesu\.(\d+)\.[0-9a-f]{20}@[A-Za-z0-9.-]+>$")


def test_every_try_of_a_notification_carries_the_same_message_id(smtp_server, engineer, tell):
    tell(Notice(kind="admin_alert", event_key="alert:1", recipients=[engineer]))
    row = Notification.objects.get(event_key="alert:1", channel="email")
    assert row.email_message_id == ""  # fixed at the first try, not before
    smtp_server.refuse(1)
    t0 = clock.now()

    assert deliver_due(now=t0) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("SMTPDataError")
    first_id = row.email_message_id
    assert MSG_ID.match(first_id) and MSG_ID.match(first_id).group(1) == str(row.pk)

    assert deliver_due(now=t0 + timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.email_message_id) == ("sent", 2, first_id)
    refused, accepted = smtp_server.received
    assert refused["Message-ID"] == accepted["Message-ID"] == first_id
    assert [m["Message-ID"] for m in smtp_server.messages] == [first_id]


def test_message_ids_differ_between_notifications_and_follow_the_site(
    smtp_server, engineer, qe, tell, settings
):
    settings.KESU_BASE_URL = "https://kesu.example.cn/"
    tell(Notice(kind="admin_alert", event_key="alert:2", recipients=[engineer, qe]))
    assert deliver_due() == 2
    rows = Notification.objects.filter(event_key="alert:2", channel="email")
    ids = {row.email_message_id for row in rows}
    assert len(ids) == 2 and all(i.endswith("@kesu.example.cn>") for i in ids)
    assert {m["Message-ID"] for m in smtp_server.messages} == ids
    # Derived from the row alone: any worker computes the same one.
    assert all(message_id(row) == row.email_message_id for row in rows)


def test_a_reset_database_does_not_reuse_a_message_id(engineer, tell):
    """Ids start at 1 again after a reinstall; the creation time keeps the Message-IDs apart,
    or a mailbox that saw the old one would drop the new mail as a duplicate."""
    tell(Notice(kind="admin_alert", event_key="alert:3", recipients=[engineer]))
    row = Notification.objects.get(event_key="alert:3", channel="email")
    again = Notification(
        pk=row.pk, dedupe_key=row.dedupe_key, created_at=row.created_at + timedelta(days=90)
    )
    assert message_id(again) != message_id(row)


def test_robot_posts_have_no_message_id(robot_server, make_robot, tell):
    make_robot("wecom")
    tell(Notice(kind="admin_alert", event_key="alert:4", context={"message": "队列积压"}))
    assert deliver_due() == 1
    assert Notification.objects.get(event_key="alert:4").email_message_id == ""
