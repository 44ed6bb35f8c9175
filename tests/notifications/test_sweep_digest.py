"""Notices to one person from one sweep arrive as one digest (issue 11 §1): an engineer with
several late steps on several complaints gets one entry in the bell and one mail listing them,
each line with the complaint, the step and how late it is. What later sweeps add to it:
test_one_digest_per_person."""


from kesu.notifications.channels.email import Email
from kesu.notifications.choices import ChannelKind, Kind
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.rendering import render
from kesu.notifications.selectors import unread_count
from kesu.notifications.services import Notice
from kesu.timelimits.sweeper import sla_sweep
from tests.timelimits.conftest import MONDAY_9, local

# The plan (40 business hours from Monday 09:00) is due on the next Monday at 11:30; at 11:40
# it is overdue, the first escalation (2 h later) not yet due.
OVERDUE = local(2026, 3, 16, 11, 40)


def _digests(user, channel=ChannelKind.INAPP):
    return Notification.objects.filter(recipient=user, channel=channel, kind=Kind.DIGEST)


def test_several_late_steps_are_one_entry_and_one_mail_listing_every_one(
    late_plans, engineer, smtp_server, at
):
    with at(OVERDUE):
        result = sla_sweep()
        deliver_due()
    assert result.overdue == 3
    # The bell: one entry, not three; no separate overdue notices beside it.
    assert unread_count(engineer) == 1
    [entry] = _digests(engineer)
    assert not Notification.objects.filter(recipient=engineer, kind=Kind.OVERDUE).exists()
    assert [item["number"] for item in entry.context["items"]] == [c.number for c in late_plans]
    # One mail, every complaint in it with its step, how late and its link.
    mails = [m for m in smtp_server.messages if engineer.email in m["To"]]
    assert len(mails) == 1
    body = mails[0].get_content()
    for complaint in late_plans:
        assert complaint.number in body and complaint.title in body
        assert f"/complaints/{complaint.number}/" in body
    assert "已超时 10 分钟" in body
    assert "3 条提醒，涉及 3 个客诉" in mails[0]["Subject"]
    assert "," not in mails[0]["Subject"].split("：", 1)[-1]  # Chinese reads with 、 and ：


def test_two_people_get_one_digest_each_in_their_own_language(
    late_plans, engineer, dept_manager, smtp_server, at
):
    dept_manager.language = "en"
    dept_manager.save(update_fields=["language"])
    # Escalated to the manager two business hours after the due time (lunch not counted).
    with at(local(2026, 3, 16, 15, 10)):
        sla_sweep()
        deliver_due()
    assert _digests(engineer).count() == 1 and _digests(dept_manager).count() == 1
    english = [m for m in smtp_server.messages if dept_manager.email in m["To"]]
    chinese = [m for m in smtp_server.messages if engineer.email in m["To"]]
    assert len(english) == len(chinese) == 1
    assert "3 notices on 3 complaints" in english[0]["Subject"]
    assert "overdue by 3 hours 40 minutes" in english[0].get_content()
    assert "已超时 3 小时 40 分钟" in chinese[0].get_content()
    # One Message-ID per mail, fixed on the row.
    row = _digests(dept_manager, ChannelKind.EMAIL).get()
    assert row.email_message_id and row.email_message_id == english[0]["Message-ID"]


def test_a_lone_notice_keeps_its_own_words(late_plans, engineer, at):
    late_plans[1].steps.update(done_at=MONDAY_9)
    late_plans[2].steps.update(done_at=MONDAY_9)
    with at(OVERDUE):
        sla_sweep()
    assert not _digests(engineer).exists()
    assert Notification.objects.filter(
        recipient=engineer, channel=ChannelKind.INAPP, kind=Kind.OVERDUE
    ).count() == 1


def test_an_event_told_on_its_own_is_not_told_again_in_a_digest(tell, engineer, make_complaint):
    complaint = make_complaint()
    one = Notice(kind="reminder", event_key="e:1", recipients=[engineer], complaint=complaint,
                 digest_key="batch:1")
    assert tell(one) == 2  # in the app and by mail, on its own
    two = Notice(kind="reminder", event_key="e:2", recipients=[engineer], complaint=complaint,
                 digest_key="batch:2")
    three = Notice(kind="reminder", event_key="e:3", recipients=[engineer], complaint=complaint,
                   digest_key="batch:2")
    assert tell(one, two, three) == 2  # a digest of two and three, one a channel
    digest = _digests(engineer).get()
    assert [item["event_key"] for item in digest.context["items"]] == ["e:2", "e:3"]
    assert digest.complaint == complaint  # all about one complaint: it links there
    assert tell(two, three) == 0  # the same batch again writes nothing


def test_the_digest_renders_for_every_channel(tell, engineer, make_complaint, make_robot):
    robot = make_robot("wecom")
    first, second = make_complaint(title="甲"), make_complaint(title="乙")
    tell(*[
        Notice(kind="overdue", event_key=f"e:{c.pk}", recipients=[engineer], complaint=c,
               context={"step": "Root cause and plan (D4–D5)", "due_at": "2026-03-16T03:30:00Z"},
               digest_key="batch:x")
        for c in (first, second)
    ])
    post = Notification.objects.get(robot=robot, kind=Kind.DIGEST)
    assert post.kind == Kind.DIGEST
    text = render(post).text
    assert first.number in text and second.number in text
    mail = _digests(engineer, ChannelKind.EMAIL).get()
    assert isinstance(render(mail).body, str) and Email  # renders without a query per item


def test_the_inbox_lists_the_digest_items_and_opens_each(
    late_plans, engineer, as_user, at
):
    with at(OVERDUE):
        sla_sweep()
    client = as_user(engineer)
    html = client.get("/notifications/").content.decode()
    assert 'data-digest="3"' in html
    for complaint in late_plans:
        assert complaint.number in html
    entry = _digests(engineer).get()
    response = client.post(
        f"/notifications/{entry.pk}/open/", {"number": late_plans[1].number}
    )
    assert response.url.endswith(f"/complaints/{late_plans[1].number}/")
    entry.refresh_from_db()
    assert entry.read_at is not None
    # A number that is not in the digest goes nowhere else.
    response = client.post(f"/notifications/{entry.pk}/open/", {"number": "KS-9999-9999"})
    assert response.url.endswith("/notifications/")
