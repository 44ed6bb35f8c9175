"""A customer writing again and again is told to each person on the complaint once: one unread
entry in the app, and on e-mail the first at once and the rest in one mail per window."""

from datetime import timedelta

from kesu.complaints import services
from kesu.complaints.choices import Status as ComplaintStatus
from kesu.core import clock
from kesu.notifications.choices import ChannelKind, Kind, Status
from kesu.notifications.complaint_notices import REPLY_DIGEST_WINDOW
from kesu.notifications.models import Notification
from kesu.notifications.services import DIGEST_LONGEST, digest_wait, mark_read


def _replies(**filters):
    return Notification.objects.filter(kind=Kind.CUSTOMER_REPLY, **filters)


def _write(customer, complaint, text):
    services.complaint_comment(actor=customer, complaint=complaint, text=text)


def test_a_burst_is_one_unread_entry_per_person(customer_contact, make_complaint, drive, cs_agent):
    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    with clock.frozen(clock.now()):
        for i in range(5):
            _write(customer_contact, complaint, f"第{i}条")
    inapp = _replies(channel=ChannelKind.INAPP, recipient=cs_agent)
    assert inapp.count() == 1
    assert inapp.get().context == {"message": "第4条", "count": 5}
    # Every person on the complaint has one entry, none has five.
    per_person = _replies(channel=ChannelKind.INAPP).values_list("recipient", flat=True)
    assert len(per_person) == len(set(per_person)) >= 2


def test_once_read_the_next_message_is_news_again(
    customer_contact, make_complaint, drive, cs_agent
):
    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    _write(customer_contact, complaint, "一")
    mark_read(user=cs_agent)
    _write(customer_contact, complaint, "二")
    inapp = _replies(channel=ChannelKind.INAPP, recipient=cs_agent).order_by("id")
    assert [n.context["message"] for n in inapp] == ["一", "二"]


def test_mail_first_at_once_then_one_per_window(customer_contact, make_complaint, drive, cs_agent):
    cs_agent.email = "agent@example.com"
    cs_agent.save(update_fields=["email"])
    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    start = clock.now()
    mails = _replies(channel=ChannelKind.EMAIL, recipient=cs_agent).order_by("id")
    with clock.frozen(start):
        _write(customer_contact, complaint, "一")
        _write(customer_contact, complaint, "二")  # the first is not sent yet: folded into it
    first = mails.get()
    assert first.next_attempt_at == start and first.context["count"] == 2
    # It goes out; replies within the window wait for its end, in one mail.
    mails.update(status=Status.SENT, sent_at=start + timedelta(seconds=5))
    for minute in (1, 2, 3):
        with clock.frozen(start + timedelta(minutes=minute)):
            _write(customer_contact, complaint, f"第{minute}分钟")
    assert mails.count() == 2
    digest = mails.last()
    assert digest.status == Status.PENDING
    assert digest.next_attempt_at == start + timedelta(seconds=5) + REPLY_DIGEST_WINDOW
    assert digest.context == {"message": "第3分钟", "count": 3}
    # After a quiet window, a message is mailed at once again.
    mails.update(status=Status.SENT, sent_at=start + timedelta(minutes=20))
    later = start + timedelta(hours=1)
    with clock.frozen(later):
        _write(customer_contact, complaint, "一小时后")
    assert mails.count() == 3 and mails.last().next_attempt_at == later


def test_a_row_being_sent_is_not_changed_under_the_sender(
    customer_contact, make_complaint, drive, cs_agent
):
    cs_agent.email = "agent@example.com"
    cs_agent.save(update_fields=["email"])
    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    mails = _replies(channel=ChannelKind.EMAIL, recipient=cs_agent).order_by("id")
    now = clock.now()
    with clock.frozen(now):
        _write(customer_contact, complaint, "一")
        mails.update(status=Status.SENDING)  # a worker claimed it
        _write(customer_contact, complaint, "二")
    assert [m.context["count"] for m in mails] == [1, 1]
    assert mails.last().next_attempt_at == now + REPLY_DIGEST_WINDOW


def test_the_digest_reads_how_many(customer_contact, make_complaint, drive, cs_agent):
    from kesu.notifications.rendering import render

    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    with clock.frozen(clock.now()):
        for i in range(3):
            _write(customer_contact, complaint, f"第{i}条")
    row = _replies(channel=ChannelKind.INAPP, recipient=cs_agent).get()
    rendered = render(row, language="en")
    assert "3 messages" in rendered.subject and "第2条" in rendered.body


def test_a_contact_writing_all_day_is_mailed_a_handful_of_times(
    customer_contact, make_complaint, drive, cs_agent
):
    cs_agent.email = "agent@example.com"
    cs_agent.save(update_fields=["email"])
    complaint = drive(make_complaint(), ComplaintStatus.DISPATCHED)
    mails = _replies(channel=ChannelKind.EMAIL, recipient=cs_agent)
    start = clock.now()
    # Every 30 minutes for a day (48 messages, within the limits); the sender sends each mail
    # when it is due.
    for i in range(48):
        now = start + timedelta(minutes=30 * i)
        with clock.frozen(now):
            _write(customer_contact, complaint, f"第{i}条")
        for mail in mails.filter(status=Status.PENDING, next_attempt_at__lte=now):
            mails.filter(pk=mail.pk).update(status=Status.SENT, sent_at=mail.next_attempt_at)
    told = sum(m.context["count"] for m in mails)
    assert told == 48  # every message is in some mail
    assert mails.count() <= 12  # 0:00, 0:30, 1:00, 2:00, 4:00, 8:00, then every 4 hours
    assert digest_wait(REPLY_DIGEST_WINDOW, 1) == REPLY_DIGEST_WINDOW
    assert digest_wait(REPLY_DIGEST_WINDOW, 50) == DIGEST_LONGEST
