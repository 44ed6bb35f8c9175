"""Changing a time limit or a calendar moves the due times of open steps, audited."""

from auditlog.models import LogEntry

from kesu.calendars.models import Calendar, CalendarDay
from kesu.calendars.services import calendar_changed
from kesu.timelimits.models import DueRecalculation, Step, TimePolicy
from tests import factories as f
from tests.timelimits.conftest import MONDAY_9, local


def test_an_administrator_changing_a_limit_recomputes_open_steps(
    at, make_complaint, client, django_capture_on_commit_callbacks
):
    with at(MONDAY_9):
        complaint = make_complaint(severity="general")
    admin = f.UserFactory(username="root", is_staff=True, is_superuser=True, role="admin")
    client.force_login(admin)
    policy = TimePolicy.objects.get(step="classify", severity="", customer_grade="", category="")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/timelimits/timepolicy/{policy.pk}/change/",
            {
                "step": "classify", "severity": "", "customer_grade": "", "category": "",
                "minutes": 240, "calendar": policy.calendar_id,
                "reminder_percents": "[50, 80]", "active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    clock = Step.objects.get(complaint=complaint)
    assert clock.minutes == 240 and clock.due_at == local(2026, 3, 9, 14, 30)
    event = complaint.events.get(type="due_changed")
    assert event.payload["to"] == clock.due_at.isoformat()
    assert DueRecalculation.objects.get().steps_changed == 1
    assert LogEntry.objects.get_for_object(policy).filter(changes__icontains="240").exists()


def test_a_new_holiday_in_the_calendar_moves_the_due_time(
    at, make_complaint, django_capture_on_commit_callbacks
):
    with at(local(2026, 3, 6, 17, 20)):
        complaint = make_complaint(severity="general")  # due Monday 10:20
    standard = Calendar.objects.get(code="standard")
    CalendarDay.objects.create(calendar=standard, date=local(2026, 3, 9, 0, 0).date(),
                               kind="holiday", name="停电检修")
    with django_capture_on_commit_callbacks(execute=True):
        calendar_changed(calendar=standard)
    assert Step.objects.get(complaint=complaint).due_at == local(2026, 3, 10, 10, 20)
