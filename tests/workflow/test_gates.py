"""Business rules that guard steps of the workflow (SPEC §5 rules; the 8D gates are in
tests/eightd/test_gates.py)."""

from datetime import timedelta

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.complaints.selectors import ComplaintFilter, complaint_list
from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests.fixtures import step


def assert_unchanged(complaint, version, status):
    complaint.refresh_from_db()
    assert (complaint.version, complaint.status) == (version, status)


# --- A quality complaint needs a QE tracker ---------------------------------------------------


def test_quality_complaint_cannot_be_assessed_valid_without_a_tracker(
    make_complaint, cs_agent, org_chart
):
    complaint = make_complaint(category="quality")
    with pytest.raises(ValidationFailed) as refused:
        step(complaint, cs_agent, "assess_valid", responsible_department=org_chart["eng"].pk)
    assert "tracker" in refused.value.field_errors
    assert_unchanged(complaint, 1, Status.RECEIVED)


def test_an_engineer_cannot_be_the_tracker_of_a_quality_complaint(
    make_complaint, cs_agent, engineer, org_chart
):
    complaint = make_complaint(category="quality")
    with pytest.raises(ValidationFailed) as refused:
        step(
            complaint,
            cs_agent,
            "assess_valid",
            responsible_department=org_chart["eng"].pk,
            tracker=engineer.pk,
        )
    assert "tracker" in refused.value.field_errors
    assert_unchanged(complaint, 1, Status.RECEIVED)


def test_quality_complaint_with_a_qe_tracker_is_assessed(make_complaint, cs_agent, qe, org_chart):
    complaint = make_complaint(category="quality")
    complaint = step(
        complaint,
        cs_agent,
        "assess_valid",
        responsible_department=org_chart["eng"].pk,
        tracker=qe.pk,
    )
    assert complaint.status == Status.ASSESSED
    assert complaint.tracker == qe


def test_a_delivery_complaint_needs_no_tracker(make_complaint, cs_agent, org_chart):
    complaint = make_complaint(category="delivery")
    complaint = step(
        complaint, cs_agent, "assess_valid", responsible_department=org_chart["eng"].pk
    )
    assert complaint.status == Status.ASSESSED
    assert complaint.tracker is None


# --- Not valid: reason, decider, and it still counts ------------------------------------------


def test_invalid_records_reason_and_decider_and_still_counts(make_complaint, cs_agent, qe):
    complaint = make_complaint()
    complaint = step(complaint, qe, "assess_invalid", note="客户使用不当，非我司责任")
    assert complaint.status == Status.INVALID
    assert complaint.is_valid is False
    assert complaint.closed_at is not None
    decision = ComplaintEvent.objects.get(complaint=complaint, action="assess_invalid")
    assert decision.actor == qe
    assert decision.note == "客户使用不当，非我司责任"
    assert decision.visibility == "customer"  # the reasoning goes to the customer
    assert complaint in complaint_list(cs_agent)
    assert list(complaint_list(cs_agent, ComplaintFilter(status=["invalid"]))) == [complaint]


def test_invalid_needs_a_reason(make_complaint, cs_agent):
    complaint = make_complaint()
    with pytest.raises(ValidationFailed) as refused:
        step(complaint, cs_agent, "assess_invalid")
    assert "note" in refused.value.field_errors
    assert_unchanged(complaint, 1, Status.RECEIVED)


# --- Counters ---------------------------------------------------------------------------------


def test_customer_reject_counts_plan_rounds(make_complaint, drive, customer_contact, engineer):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    assert complaint.plan_rounds == 0
    complaint = step(complaint, customer_contact, "customer_reject", note="措施不足")
    assert (complaint.status, complaint.plan_rounds) == (Status.ANALYSIS, 1)
    # A rejected plan goes back only changed.
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    content = {**d4.content, "escape": {**d4.content["escape"], "statement": "补充的流出原因"}}
    discipline_update(actor=engineer, complaint=complaint, code="d4", version=d4.version,
                      content=content)
    complaint = step(complaint, engineer, "submit_plan", note="补充措施")
    complaint = step(complaint, customer_contact, "customer_reject", note="仍不足")
    assert complaint.plan_rounds == 2


def test_reopen_counts(make_complaint, drive, cs_agent, process_owner):
    complaint = drive(make_complaint(), Status.CLOSED)
    assert complaint.reopen_count == 0
    complaint = step(complaint, cs_agent, "reopen", note="客户再次投诉")
    assert (complaint.status, complaint.reopen_count) == (Status.RECEIVED, 1)
    assert complaint.closed_at is None
    complaint = step(complaint, process_owner, "cancel", cancel_reason="duplicate", note="重复")
    complaint = step(complaint, process_owner, "reopen", note="并非重复")
    assert complaint.reopen_count == 2


def test_recurrence_counts_and_returns_to_analysis(make_complaint, drive, qe):
    complaint = drive(make_complaint(), Status.VERIFICATION)
    complaint = step(complaint, qe, "report_recurrence", note="L2026-0042 再次发现划伤 8件")
    assert (complaint.status, complaint.recurrence_count) == (Status.ANALYSIS, 1)


def test_dispatch_due_time_must_be_in_the_future(make_complaint, drive, cs_agent):
    complaint = drive(make_complaint(), Status.ASSESSED)
    with pytest.raises(ValidationFailed) as refused:
        step(complaint, cs_agent, "dispatch", dispatch_due_at=clock.now() - timedelta(hours=1))
    assert "dispatch_due_at" in refused.value.field_errors
    assert_unchanged(complaint, complaint.version, Status.ASSESSED)
