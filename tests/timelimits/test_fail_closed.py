"""A year the calendar does not know gives no guessed deadline: a clear mark and an alert."""

from django.utils import translation

from kesu.calendars.models import CalendarYear
from kesu.notifications.models import Notification
from kesu.notifications.rendering import render, render_text
from kesu.timelimits.models import Step
from kesu.timelimits.sweeper import sla_sweep
from tests import factories as f
from tests.timelimits.conftest import local


def test_an_unknown_year_leaves_the_due_time_empty_and_alerts_the_administrator(
    at, make_complaint, as_user, cs_agent
):
    admin = f.UserFactory(username="root", role="admin", is_superuser=True, is_staff=True)
    CalendarYear.objects.filter(year=2027).delete()
    with at(local(2027, 1, 4, 9, 0)):
        complaint = make_complaint(severity="general")
        clock = Step.objects.get(complaint=complaint)
        assert clock.due_at is None and clock.due_error == "calendar_year_missing:2027"
        assert complaint.reply_due_at is None
        first = sla_sweep()
        again = sla_sweep()
    assert first.alerts and again.alerts  # said every run in the log ...
    alerts = Notification.objects.filter(kind="admin_alert", recipient=admin, channel="inapp")
    assert alerts.count() == 1  # ... but the administrator is told once
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-due-state="unknown"' in html and "2027" in html


def test_the_seed_command_fills_the_gap_and_the_due_time_appears(
    at, make_complaint, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    CalendarYear.objects.filter(year=2027).delete()
    with at(local(2027, 1, 4, 9, 0)):
        complaint = make_complaint(severity="general")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_holidays", "--years", "2027", "--calendar", "standard")
    assert Step.objects.get(complaint=complaint).due_at == local(2027, 1, 4, 11, 0)


def test_the_alert_keeps_words_to_translate_and_each_administrator_reads_their_language(
    at, make_complaint
):
    chinese = f.UserFactory(username="root", role="admin", language="zh-hans")
    english = f.UserFactory(username="admin-en", role="admin", language="en")
    CalendarYear.objects.filter(year=2027).delete()
    # The sweeper runs in English; what it stores must not be.
    with at(local(2027, 1, 4, 9, 0)), translation.override("en"):
        result = sla_sweep()
    assert any("has no holidays for 2027" in alert for alert in result.alerts)
    rows = Notification.objects.filter(kind="admin_alert", channel="inapp")
    row = rows.get(recipient=chinese)
    assert set(row.context) == {"message_id", "params"}
    assert row.context["params"]["year"] == 2027
    assert "尚无 2027 年的节假日数据" in render(row).text
    assert "has no holidays for 2027" in render(rows.get(recipient=english)).text
    # The inbox shows it in the language of the page around it.
    with translation.override("zh-hans"):
        assert "尚无 2027 年的节假日数据" in render_text(rows.get(recipient=english))
