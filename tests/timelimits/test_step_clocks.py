"""Each step of a complaint has a clock: start, due in business time, pauses, done, on time."""

from datetime import timedelta

from kesu.complaints import services
from kesu.complaints.choices import Status
from kesu.timelimits.models import Step
from kesu.timelimits.services import steps_recompute
from tests import eightd_data
from tests.fixtures import PASSWORD, step
from tests.timelimits.conftest import MONDAY_9, local


def open_step(complaint, type):
    return Step.objects.get(complaint=complaint, type=type, done_at__isnull=True)


def test_recording_starts_the_classify_clock_in_business_time(at, make_complaint):
    # Friday 17:20, 2 h to record and classify: 10 min on Friday, 1 h 50 min on Monday.
    with at(local(2026, 3, 6, 17, 20)):
        complaint = make_complaint(severity="general")
    clock = open_step(complaint, "classify")
    assert clock.minutes == 120
    assert clock.due_at == local(2026, 3, 9, 10, 20)
    complaint.refresh_from_db()
    assert complaint.due_at == clock.due_at


def test_a_major_complaint_runs_on_the_24x7_clock(at, make_complaint):
    with at(local(2026, 3, 6, 17, 20)):
        complaint = make_complaint(severity="major")
    clock = open_step(complaint, "classify")
    assert clock.calendar.code == "24x7"
    assert clock.due_at == local(2026, 3, 6, 19, 20)


def test_the_committed_reply_time_is_in_business_hours(at, make_complaint):
    # 8 business hours from Friday 17:20: 10 min Friday, 7 h 30 min Monday, 20 min Tuesday.
    with at(local(2026, 3, 6, 17, 20)):
        complaint = make_complaint(severity="general")
    assert complaint.reply_due_at == local(2026, 3, 10, 8, 50)


def test_a_step_done_in_time_is_on_time_and_the_next_one_starts(at, make_complaint, drive):
    with at(MONDAY_9):
        complaint = make_complaint(severity="general")
    with at(MONDAY_9 + timedelta(hours=1)):
        drive(complaint, Status.ASSESSED)
    classify = Step.objects.get(complaint=complaint, type="classify")
    assert classify.done_at == MONDAY_9 + timedelta(hours=1) and classify.on_time is True
    organise = open_step(complaint, "organise")
    assert organise.started_at == MONDAY_9 + timedelta(hours=1)


def test_a_step_done_after_its_due_time_is_late(at, make_complaint, drive):
    with at(MONDAY_9):
        complaint = make_complaint(severity="general")
    with at(local(2026, 3, 9, 15, 0)):  # 4.5 business hours later, limit 2 h
        drive(complaint, Status.ASSESSED)
    assert Step.objects.get(complaint=complaint, type="classify").on_time is False


def test_the_customer_confirmation_pauses_the_plan_clock(
    at, make_complaint, drive, cs_agent, engineer, qe
):
    with at(MONDAY_9):
        complaint = drive(make_complaint(), Status.ANALYSIS)
    plan = open_step(complaint, "plan")
    due_before = plan.due_at
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    with at(local(2026, 3, 10, 9, 0)):
        complaint = step(complaint, engineer, "submit_plan")
    plan.refresh_from_db()
    assert plan.paused and plan.due_at is None and plan.done_at is None
    # The customer takes two business hours (09:00–11:00) to reject the plan.
    with at(local(2026, 3, 10, 11, 0)):
        complaint = step(complaint, cs_agent, "customer_reject", note="原因分析不充分")
    plan.refresh_from_db()
    assert not plan.paused
    # 40 h from Monday 09:00 is the next Monday 11:30; two more business hours cross lunch.
    assert due_before == local(2026, 3, 16, 11, 30)
    assert plan.due_at == local(2026, 3, 16, 15, 0)


def test_approving_d3_ends_its_step(at, make_complaint, drive, engineer, qe):
    with at(MONDAY_9):
        complaint = drive(make_complaint(), Status.ANALYSIS)
    d3 = Step.objects.get(complaint=complaint, type="eightd_d3")
    # The default profile: D3 within 24 h of receipt, on the 24×7 clock.
    assert d3.due_at == MONDAY_9 + timedelta(hours=24) and d3.assignee == engineer
    with at(MONDAY_9 + timedelta(hours=3)):
        eightd_data.fill(complaint, engineer, ("d3",))
        d3.refresh_from_db()
        assert d3.done_at is None  # written is not signed off
        eightd_data.approve(complaint, qe, ("d3",), PASSWORD)
    d3.refresh_from_db()
    assert d3.done_at == MONDAY_9 + timedelta(hours=3) and d3.on_time


def test_asking_the_customer_for_information_stops_every_clock_until_they_answer(
    at, make_complaint, cs_agent, customer_contact
):
    with at(MONDAY_9):
        complaint = make_complaint(severity="general")
    due_before = open_step(complaint, "classify").due_at
    with at(MONDAY_9 + timedelta(minutes=30)):
        complaint = services.complaint_request_info(
            actor=cs_agent, complaint=complaint, version=complaint.version,
            note="请提供不良品照片及批次号",
        )
    clock = open_step(complaint, "classify")
    assert clock.paused and clock.due_at is None
    complaint.refresh_from_db()
    assert complaint.due_at is None and complaint.info_requested_at is not None
    # The customer's own message is the answer: three business hours later the clock runs on.
    with at(local(2026, 3, 9, 14, 30)):
        services.complaint_comment(actor=customer_contact, complaint=complaint, text="照片见附件")
    clock.refresh_from_db()
    assert not clock.paused
    # Paused 09:30–14:30 is 3 h 30 min of business time: due 11:00 becomes 16:00.
    assert due_before == local(2026, 3, 9, 11, 0)
    assert clock.due_at == local(2026, 3, 9, 16, 0)
    complaint.refresh_from_db()
    assert complaint.info_requested_at is None
    assert [e.type for e in complaint.events.order_by("at", "id")][-2:] == [
        "comment", "info_received",
    ]


def _dispatch(complaint, cs_agent, due):
    return step(complaint, cs_agent, "dispatch", dispatch_due_at=due)


def test_a_due_time_given_at_dispatch_is_kept_to_the_second(
    at, make_complaint, drive, cs_agent, dept_manager, engineer
):
    with at(MONDAY_9):
        complaint = drive(make_complaint(), Status.ASSESSED)
    given = local(2026, 3, 11, 10, 0, 30)
    # Set at a moment with seconds and microseconds: none of them may leak into the due time.
    with at(local(2026, 3, 9, 9, 12, 34, 567_000)):
        complaint = _dispatch(complaint, cs_agent, given)
    accept = open_step(complaint, "accept")
    assert accept.due_at == given and accept.next_check_at is not None
    complaint.refresh_from_db()
    assert complaint.dispatch_due_at == given and complaint.due_at == given
    # A recalculation (policy or calendar change) leaves a time a person gave alone.
    checked_changed = steps_recompute(
        steps=Step.objects.filter(pk=accept.pk), now=local(2026, 3, 10, 9, 0), reason="test"
    )
    assert checked_changed == (1, 0)
    # Accepted at the given second: on time.
    with at(given):
        step(complaint, dept_manager, "accept_dispatch", handler=engineer.pk)
    accept.refresh_from_db()
    assert accept.due_at == given and accept.on_time is True


def test_a_given_due_time_outside_working_hours_stands_until_a_pause_moves_it(
    at, make_complaint, drive, cs_agent, customer_contact
):
    with at(local(2026, 3, 13, 8, 30)):
        complaint = drive(make_complaint(severity="general"), Status.ASSESSED)
    saturday = local(2026, 3, 14, 10, 0)
    with at(local(2026, 3, 13, 9, 0)):
        complaint = _dispatch(complaint, cs_agent, saturday)
    assert open_step(complaint, "accept").due_at == saturday
    # Waiting on the customer 10:00–11:00 takes one business hour of the 7 h left on Friday
    # (09:00–17:30 less lunch): the clock now runs out at 09:30 on Monday.
    with at(local(2026, 3, 13, 10, 0)):
        complaint = services.complaint_request_info(
            actor=cs_agent, complaint=complaint, version=complaint.version, note="请提供批次号"
        )
    with at(local(2026, 3, 13, 11, 0)):
        services.complaint_comment(actor=customer_contact, complaint=complaint, text="批次见附件")
    assert open_step(complaint, "accept").due_at == local(2026, 3, 16, 9, 30)


def test_cancelling_stops_the_clocks_without_counting_them(at, make_complaint, cs_agent):
    with at(MONDAY_9):
        complaint = make_complaint()
    with at(local(2026, 3, 10, 9, 0)):
        step(complaint, cs_agent, "cancel", cancel_reason="withdrawn", note="客户撤回")
    clock = Step.objects.get(complaint=complaint, type="classify")
    assert clock.done_at is not None and clock.on_time is None


def test_reopening_starts_a_new_classify_clock(at, make_complaint, cs_agent):
    with at(MONDAY_9):
        complaint = make_complaint()
        complaint = step(complaint, cs_agent, "cancel", cancel_reason="withdrawn", note="撤回")
    with at(MONDAY_9 + timedelta(hours=1)):
        step(complaint, cs_agent, "reopen", note="客户重新提出")
    assert Step.objects.filter(complaint=complaint, type="classify").count() == 2
    assert open_step(complaint, "classify").started_at == MONDAY_9 + timedelta(hours=1)


def test_raising_the_severity_recomputes_the_due_time_on_the_timeline(
    at, make_complaint, cs_agent
):
    with at(local(2026, 3, 6, 17, 20)):
        complaint = make_complaint(severity="general")
        services.complaint_update(
            actor=cs_agent, complaint=complaint, version=complaint.version,
            data={"severity": "major"},
        )
    clock = open_step(complaint, "classify")
    assert clock.calendar.code == "24x7" and clock.due_at == local(2026, 3, 6, 19, 20)
    changed = complaint.events.get(type="due_changed")
    assert changed.actor is None and changed.payload["step"] == "classify"


def test_the_feedback_path_has_its_own_steps(at, make_complaint, drive):
    with at(MONDAY_9):
        feedback = make_complaint(kind="feedback", category="commercial")
        assert open_step(feedback, "reply").minutes == 240
        drive(feedback, Status.REPLIED)
    assert open_step(feedback, "follow_up").minutes == 480
