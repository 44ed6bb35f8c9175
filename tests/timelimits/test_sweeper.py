"""The sweeper raises each reminder, overdue notice and escalation level once, on the timeline,
in the bell and by e-mail (SPEC §6, §12)."""

from datetime import timedelta

import pytest

from kesu.calendars.schedules import schedule_for
from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.selectors import unread_count
from kesu.timelimits import sweeper
from kesu.timelimits.models import Step
from kesu.timelimits.sweeper import sla_sweep
from tests.concurrency.threads import run_together
from tests.timelimits.conftest import MONDAY_9, local

ALERTS = ("reminder", "overdue", "escalated")


@pytest.fixture
def plan_clock(at, make_complaint, drive, center_head, handling_process, eightd_hours):
    """A serious quality complaint in analysis since Monday 09:00 whose customer sets no 8D
    deadlines, so the plan (40 business hours) is the only clock running."""
    eightd_hours()
    with at(MONDAY_9):
        complaint = drive(make_complaint(), Status.ANALYSIS)
    return Step.objects.get(complaint=complaint, type="plan")


def alert_events(complaint):
    return list(
        ComplaintEvent.objects.filter(complaint=complaint, type__in=ALERTS).order_by("at", "id")
    )


def test_a_late_plan_is_reminded_then_escalated_up_the_ladder(
    plan_clock, engineer, dept_manager, process_owner, center_head, smtp_server, at
):
    complaint = plan_clock.complaint
    due = plan_clock.due_at
    assert due == local(2026, 3, 16, 11, 30)
    # (when, event type, escalation level, who is told) — business time, lunch and weekend out.
    ladder = [
        (local(2026, 3, 11, 15, 30), "reminder", None, {engineer}),  # 50 % of 40 h
        (local(2026, 3, 13, 11, 0), "reminder", None, {engineer}),  # 80 %
        (due, "overdue", None, {engineer}),
        (local(2026, 3, 16, 15, 0), "escalated", 1, {dept_manager, engineer}),  # +2 h
        (local(2026, 3, 17, 12, 0), "escalated", 2, {process_owner, engineer}),  # +8 h
        (local(2026, 3, 18, 14, 0), "escalated", 3, {center_head, engineer}),  # +16 h
    ]
    for number, (when, type, level, told) in enumerate(ladder):
        with at(when - timedelta(minutes=1)):
            sla_sweep()
        assert len(alert_events(complaint)) == number, f"too early at {when}"
        with at(when):  # the worker's minute: sweep, then deliver the outbox
            sla_sweep()
            deliver_due()
        events = alert_events(complaint)
        assert len(events) == number + 1
        assert events[-1].type == type and events[-1].actor is None
        assert events[-1].payload.get("level") == level
        rows = Notification.objects.filter(complaint=complaint, kind=type, channel="inapp")
        assert {n.recipient for n in rows if n.context.get("level_number") == level} == told
    def bell(user):
        return Notification.objects.filter(
            recipient=user, channel="inapp", kind__in=ALERTS, read_at__isnull=True
        ).count()

    assert bell(dept_manager) == 1 and bell(center_head) == 1 and bell(process_owner) == 1
    assert bell(engineer) == len(ladder)
    assert unread_count(center_head) == 1
    mailed = {address for message in smtp_server.messages for address in message["To"].split(",")}
    assert {process_owner.email, center_head.email, dept_manager.email} <= {
        a.strip() for a in mailed
    }


def test_sweeping_again_raises_nothing_new(plan_clock):
    late = local(2026, 3, 18, 14, 0)
    first = sla_sweep(now=late)
    second = sla_sweep(now=late)
    assert (first.overdue, first.escalations) == (0, 1)
    assert (second.reminders, second.overdue, second.escalations) == (0, 0, 0)
    assert len(alert_events(plan_clock.complaint)) == 1


def test_after_an_outage_what_fell_due_together_is_raised_as_one(plan_clock):
    result = sla_sweep(now=local(2026, 3, 16, 15, 0))
    assert (result.reminders, result.overdue, result.escalations) == (0, 0, 1)
    [event] = alert_events(plan_clock.complaint)
    assert (event.type, event.payload["level"]) == ("escalated", 1)
    assert "passed" not in event.payload


def test_a_step_three_levels_late_is_one_event_and_one_notice_per_person(
    plan_clock, engineer, dept_manager, process_owner, center_head, smtp_server, at
):
    """The ladder's top level, naming the levels passed; everyone on the way told once."""
    with at(local(2026, 3, 18, 14, 0)):
        sla_sweep()
        deliver_due()
    [event] = alert_events(plan_clock.complaint)
    assert (event.type, event.payload["level"], event.payload["passed"]) == ("escalated", 3, [1, 2])
    bell = Notification.objects.filter(
        complaint=plan_clock.complaint, channel="inapp", kind__in=ALERTS
    )
    assert sorted(n.recipient.username for n in bell) == sorted(
        u.username for u in (engineer, dept_manager, process_owner, center_head)
    )
    [mail] = [m for m in smtp_server.messages if center_head.email in m["To"]]
    passed = "该环节仍未完成时，第 1、2 级升级也已到期；本通知一并告知，不再另发。"
    assert passed in mail.get_content()
    assert len([m for m in smtp_server.messages
                if engineer.email in m["To"] and "升级" in m["Subject"]]) == 1


def test_a_paused_clock_raises_nothing(plan_clock, cs_agent, at):
    from kesu.complaints import services

    with at(local(2026, 3, 10, 9, 0)):
        services.complaint_request_info(
            actor=cs_agent, complaint=plan_clock.complaint,
            version=_version(plan_clock),
            note="请补充不良样品",
        )
    result = sla_sweep(now=local(2026, 4, 30, 9, 0))
    assert (result.reminders, result.overdue, result.escalations) == (0, 0, 0)


def _version(step):
    step.complaint.refresh_from_db()
    return step.complaint.version


def test_a_sweeper_killed_mid_batch_loses_and_repeats_nothing(plan_clock, monkeypatch):
    late = local(2026, 3, 16, 11, 30)

    def crash(notices):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(sweeper, "notify", crash)
    with pytest.raises(RuntimeError):
        sla_sweep(now=late)
    assert alert_events(plan_clock.complaint) == []
    plan_clock.refresh_from_db()
    assert plan_clock.stage == 0  # the claim rolled back with the batch
    monkeypatch.undo()
    assert sla_sweep(now=late).overdue == 1
    assert sla_sweep(now=late).overdue == 0


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_raise_each_alert_once(
    at, make_complaint, drive, engineer, center_head, handling_process, eightd_hours
):
    eightd_hours(d3=24)
    with at(MONDAY_9):
        complaints = [drive(make_complaint(contact_email=""), Status.ANALYSIS) for _ in range(4)]
    late = local(2026, 3, 18, 14, 0)  # D3 and plan: overdue and three levels each
    results = run_together(2, lambda i: sla_sweep(now=late, batch=3))
    assert not [r for r in results if isinstance(r, BaseException)], results
    for complaint in complaints:
        types = [
            (e.type, e.payload["step"], e.payload.get("level")) for e in alert_events(complaint)
        ]
        # Each step: one escalation to the level due now.
        assert sorted(types) == [("escalated", "eightd_d3", 3), ("escalated", "plan", 3)]
    assert sum(r.overdue for r in results) == 0
    assert sum(r.escalations for r in results) == 8


def test_the_next_check_follows_the_ladder(plan_clock):
    schedule = schedule_for(plan_clock.calendar)
    assert plan_clock.next_check_at == schedule.add(plan_clock.started_at, timedelta(hours=20))
    sla_sweep(now=plan_clock.due_at)
    plan_clock.refresh_from_db()
    assert plan_clock.stage == 3
    assert plan_clock.next_check_at == local(2026, 3, 16, 15, 0)


def test_the_escalation_mail_names_the_step_in_the_recipients_language(
    plan_clock, dept_manager, smtp_server, at
):
    dept_manager.language = "en"
    dept_manager.save(update_fields=["language"])
    with at(local(2026, 3, 16, 15, 0)):
        sla_sweep()
        deliver_due()
    [mail] = [m for m in smtp_server.messages if dept_manager.email in m["To"]
              and "escalated" in m.get_content()]
    assert "Root cause and plan (D4–D5)" in mail.get_content()
    assert "Department manager" in mail.get_content()
