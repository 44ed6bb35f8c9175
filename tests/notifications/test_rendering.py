"""Every kind renders in both languages, with the context keys the time limits pass."""

import pytest

from kesu.notifications.choices import Kind
from kesu.notifications.models import Notification
from kesu.notifications.rendering import UnknownKind, render

CONTEXT = {
    "step": "Containment",
    "due_at": "2026-05-04T02:00:00+00:00",
    "level": "Department manager",
    "overdue_by": "3 hours",
    "percent": 80,
    "note": "请尽快处理",
    "status": "analysis",
    "action": "accept_dispatch",
    "message": "磁盘将满",
}


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_renders(kind, language, make_complaint, settings):
    settings.KESU_BASE_URL = "https://kesu.example.cn/"
    complaint = make_complaint(contact_email="")
    notification = Notification(
        kind=kind, channel="email", language=language, complaint=complaint, context=CONTEXT
    )
    rendered = render(notification)
    assert complaint.number in rendered.subject and "\n" not in rendered.subject
    assert complaint.number in rendered.body or complaint.title in rendered.body
    # No template syntax or untranslated placeholders left over.
    assert rendered.text and "{" not in rendered.text + rendered.body
    assert "%(" not in rendered.text + rendered.body
    assert rendered.link == f"https://kesu.example.cn/complaints/{complaint.number}/"


def test_due_time_is_shown_in_china_time_and_step_names_are_kept(make_complaint):
    complaint = make_complaint(contact_email="")
    notification = Notification(
        kind="reminder", channel="email", language="en", complaint=complaint, context=CONTEXT
    )
    rendered = render(notification)
    assert f"[{complaint.number}] Reminder: Containment is due at 2026-05-04 10:00" == (
        rendered.subject
    )
    assert "Time used: 80% of the time limit" in rendered.body
    assert "Escalation level: Department manager" in rendered.body


def test_levels_given_as_numbers_render(make_complaint):
    notification = Notification(
        kind="escalated",
        channel="inapp",
        language="en",
        complaint=make_complaint(contact_email=""),
        context={"level": 2},
    )
    assert "Escalation level: 2" in render(notification).text


def test_an_alert_without_a_complaint_links_to_the_inbox(db):
    notification = Notification(
        kind="admin_alert",
        channel="email",
        language="en",
        context={"message": "Calendar 2027 is missing"},
    )
    rendered = render(notification)
    assert rendered.subject == "Kesu alert"
    assert rendered.text == "Kesu alert: Calendar 2027 is missing"
    assert rendered.link == "http://127.0.0.1:8000/notifications/"


def test_unknown_kind_is_a_clear_error(db):
    with pytest.raises(UnknownKind, match="Unknown notification kind 'gossip'"):
        render(Notification(kind="gossip", channel="email", language="en"))
