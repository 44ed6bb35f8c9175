"""One digest per person, not one per sweep (issue 11 §1): what each sweep tells a person goes
into their digest not seen yet. In the app, the unread digest takes the new items and comes back
to the top of the bell; by mail, a person gets at most one digest a day, the first at once, the
rest gathered in the one that waits. Lateness in the app is as of now, in a mail as of sending."""

from datetime import timedelta

from django.utils import timezone

from kesu.notifications.choices import ChannelKind, Kind, Status
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.rendering import render
from kesu.notifications.selectors import unread_count
from kesu.notifications.services import Notice, mark_read
from kesu.timelimits.sweeper import sla_sweep
from tests.timelimits.conftest import local

# Three plans due Monday 11:30: overdue at 11:40, the manager's level two business hours later.
OVERDUE = local(2026, 3, 16, 11, 40)
LEVEL_1 = local(2026, 3, 16, 15, 10)


def _sweep(at, moment):
    with at(moment):
        sla_sweep()
        deliver_due()


def _digests(user, channel=ChannelKind.INAPP):
    return Notification.objects.filter(recipient=user, channel=channel, kind=Kind.DIGEST)


def _mails_to(smtp_server, user):
    return [m for m in smtp_server.messages if user.email in m["To"]]


def test_a_later_sweep_goes_into_the_unread_digest_and_brings_it_back_to_the_top(
    late_plans, engineer, at
):
    _sweep(at, OVERDUE)
    _sweep(at, LEVEL_1)
    [entry] = _digests(engineer)
    # Each plan once, as it stands now: escalated; the overdue line it replaces is gone.
    assert [item["kind"] for item in entry.context["items"]] == ["escalated"] * 3
    assert {item["number"] for item in entry.context["items"]} == {c.number for c in late_plans}
    assert len(entry.context["told"]) == 3
    assert entry.read_at is None and entry.created_at == LEVEL_1
    assert entry.complaint is None  # three complaints: it opens the inbox
    assert unread_count(engineer) == 1


def test_the_bell_shows_the_digest_in_one_line(late_plans, engineer, as_user, at):
    _sweep(at, OVERDUE)
    _sweep(at, LEVEL_1)
    with at(LEVEL_1):
        menu = as_user(engineer).get("/notifications/bell/menu/", HTTP_HX_REQUEST="true").text
    [line] = menu.split('<li class="unread"')[1:]
    line = line.split("</li>")[0]
    assert "3 条提醒，涉及 3 个客诉" in line
    assert late_plans[0].number not in line  # the items are listed in the inbox


def test_once_read_the_next_sweep_starts_a_new_digest(late_plans, engineer, at):
    _sweep(at, OVERDUE)
    with at(OVERDUE + timedelta(minutes=5)):
        mark_read(user=engineer)
    read = _digests(engineer).get()
    seen = read.context
    _sweep(at, LEVEL_1)
    read.refresh_from_db()
    assert read.context == seen  # what was read is not changed under the reader
    new = _digests(engineer).exclude(pk=read.pk).get()
    assert [item["kind"] for item in new.context["items"]] == ["escalated"] * 3


def test_a_mail_a_day_the_first_at_once_the_rest_gathered(late_plans, engineer, smtp_server, at):
    """Sweeping every half hour for three days: the overdue plans, then each level of the
    ladder. The engineer, who owns the steps, is told of twelve alerts on three plans."""
    moment = OVERDUE
    while moment < local(2026, 3, 19, 12, 0):
        _sweep(at, moment)
        moment += timedelta(minutes=30)
    # Never read: one entry, each plan in it once, at its latest alert (the third level).
    [entry] = _digests(engineer)
    assert [item["level_number"] for item in entry.context["items"]] == [3, 3, 3]
    mails = _digests(engineer, ChannelKind.EMAIL).order_by("id")
    sent = [row for row in mails if row.status == Status.SENT]
    days = [timezone.localtime(row.sent_at).date() for row in sent]
    assert len(days) == len(set(days)) >= 2  # at most one a day
    assert sent[0].sent_at - OVERDUE < timedelta(minutes=1)  # the first one at once
    for earlier, later in zip(sent, sent[1:], strict=False):
        assert later.sent_at - earlier.sent_at >= timedelta(days=1)
    assert len(_mails_to(smtp_server, engineer)) == len(sent)
    # No alert is mailed twice; each mail names each plan once, as it stood when it went.
    keys = [item["event_key"] for row in mails for item in row.context["items"]]
    assert len(keys) == len(set(keys))
    for row in mails:
        assert len({item["about"] for item in row.context["items"]}) == 3 == len(
            row.context["items"]
        )
    assert not Notification.objects.filter(
        recipient=engineer, channel=ChannelKind.EMAIL, kind__in=["overdue", "escalated"]
    ).exists()


def test_the_same_batch_told_twice_is_in_the_digest_once(tell, engineer, make_complaint):
    complaint = make_complaint()
    batch = [
        Notice(kind="overdue", event_key=f"e:{n}", recipients=[engineer], complaint=complaint,
               digest_key="batch:1")
        for n in range(2)
    ]
    tell(*batch)
    later = [
        Notice(kind="overdue", event_key=f"e:{n}", recipients=[engineer], complaint=complaint,
               digest_key="batch:2")
        for n in range(1, 4)
    ]
    tell(*later)
    tell(*later)
    [entry] = _digests(engineer)
    assert [item["event_key"] for item in entry.context["items"]] == ["e:0", "e:1", "e:2", "e:3"]
    assert entry.complaint == complaint  # still about one complaint


def test_lateness_in_the_app_is_as_of_now_in_a_mail_as_of_sending(
    late_plans, engineer, as_user, smtp_server, at
):
    _sweep(at, OVERDUE)
    assert "已超时 10 分钟" in _mails_to(smtp_server, engineer)[0].get_content()
    with at(LEVEL_1):
        html = as_user(engineer).get("/notifications/").content.decode()
    # Read at 15:10, the plans are 3 h 40 min late, whatever they were when it was written.
    assert "已超时 3 小时 40 分钟" in html and "已超时 10 分钟" not in html
    # A mail waiting for its day is rendered when it goes, with the lateness at that time.
    with at(LEVEL_1 + timedelta(minutes=1)):
        sla_sweep(now=LEVEL_1)
    waiting = _digests(engineer, ChannelKind.EMAIL).get(status=Status.PENDING)
    assert timedelta(days=1) <= waiting.next_attempt_at - OVERDUE < timedelta(days=1, minutes=1)
    with at(waiting.next_attempt_at):
        body = render(waiting).body
    assert "已超时 1 天" in body and "2026-03-17 11:40" in body
