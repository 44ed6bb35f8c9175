"""The 8D gates of the workflow (SPEC §5 rules, §7)."""

import pytest

from kesu.complaints.choices import Status
from kesu.core.errors import InvalidTransition, ValidationFailed
from kesu.eightd.models import EightDProfile
from kesu.eightd.services import discipline_sign
from tests import eightd_data, verification_data
from tests.fixtures import PASSWORD, step

PLAN = ("d1", "d2", "d3", "d4", "d5")
ALL = (*PLAN, "d6", "d7", "d8")


def assert_still(complaint, status):
    version = complaint.version
    complaint.refresh_from_db()
    assert (complaint.status, complaint.version) == (status, version)


@pytest.mark.parametrize(
    ("severity", "written", "allowed"),
    [
        ("serious", PLAN, True),
        ("serious", ("d2", "d4", "d5"), False),
        ("serious", ("d1", "d2", "d3", "d5"), False),
        ("major", PLAN, True),
        ("major", ("d2", "d4", "d5"), False),
        ("general", ("d2", "d4", "d5"), True),
        ("general", ("d2", "d5"), False),
        ("general", ("d1", "d3", "d5"), False),
    ],
)
def test_submit_plan_needs_the_8d_of_its_severity(
    make_complaint, drive, engineer, qe, severity, written, allowed
):
    complaint = drive(make_complaint(severity=severity), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, written)
    if "d5" in written:
        eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    if allowed:
        assert step(complaint, engineer, "submit_plan").status == Status.CONFIRMATION
    else:
        with pytest.raises(InvalidTransition):
            step(complaint, engineer, "submit_plan")
        assert_still(complaint, Status.ANALYSIS)


def test_the_plan_cannot_go_to_the_customer_before_d5_is_signed(
    make_complaint, drive, engineer, qe
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, PLAN)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_plan")
    assert "D5" in str(refused.value.message) and "signature" in str(refused.value.message)
    # A review is recorded but signs nothing off.
    discipline_sign(actor=qe, complaint=complaint, code="d5", password=PASSWORD,
                    meaning="reviewed")
    with pytest.raises(InvalidTransition):
        step(complaint, engineer, "submit_plan")
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    assert step(complaint, engineer, "submit_plan").status == Status.CONFIRMATION


def test_an_edit_after_signing_d5_stops_the_plan_until_signed_again(
    make_complaint, drive, engineer, qe
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, PLAN)
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    changed = {**eightd_data.COMPLETE["d5"]}
    changed["actions"] = [*changed["actions"][:1], {**changed["actions"][1], "owner": "别人"}]
    from kesu.eightd.models import Discipline
    from kesu.eightd.services import discipline_update

    d5 = Discipline.objects.get(report__complaint=complaint, code="d5")
    discipline_update(actor=engineer, complaint=complaint, code="d5", version=d5.version,
                      content=changed)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_plan")
    assert "sign it again" in str(refused.value.message)
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    assert step(complaint, engineer, "submit_plan").status == Status.CONFIRMATION


def test_d4_cannot_be_submitted_without_both_causes(make_complaint, drive, engineer, qe):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    only_occurrence = {"occurrence": eightd_data.COMPLETE["d4"]["occurrence"]}
    from kesu.eightd.services import discipline_update

    discipline_update(actor=engineer, complaint=complaint, code="d4", version=1,
                      content=only_occurrence)
    with pytest.raises(ValidationFailed) as refused:
        discipline_sign(actor=qe, complaint=complaint, code="d4", password=PASSWORD,
                        meaning="approved")
    assert "analyse the escape cause" in str(refused.value.message)
    assert "Occurrence cause" not in str(refused.value.message)


def test_a_repeat_general_complaint_needs_the_full_8d(make_complaint, drive, engineer, qe):
    complaint = drive(make_complaint(severity="general", is_repeat=True), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d2", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_plan")
    assert "D3" in str(refused.value.message)


def test_a_customer_profile_can_require_the_full_8d_for_general_complaints(
    make_complaint, drive, engineer, qe, customer
):
    default = EightDProfile.objects.get(customer__isnull=True)
    EightDProfile.objects.create(customer=customer, calendar=default.calendar,
                                 general_short_form=False)
    complaint = drive(make_complaint(severity="general"), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d2", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_plan")
    assert "D3" in str(refused.value.message)


def test_implementation_is_reported_only_with_d6_complete(
    make_complaint, drive, engineer
):
    complaint = drive(make_complaint(), Status.IMPLEMENTATION)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, engineer, "submit_implementation")
    assert "D6" in str(refused.value.message)
    eightd_data.fill(complaint, engineer, ("d6",))
    assert step(complaint, engineer, "submit_implementation").status == Status.VERIFICATION


@pytest.mark.parametrize("unsigned", ["d1", "d2", "d3", "d4", "d6", "d7", "d8"])
def test_close_needs_every_required_discipline_complete_and_signed(
    make_complaint, drive, engineer, qe, cs_agent, process_owner, unsigned
):
    complaint = drive(make_complaint(severity="serious"), Status.VERIFICATION)
    eightd_data.fill(complaint, engineer, ("d7", "d8"))
    eightd_data.approve(
        complaint, qe, tuple(c for c in ALL if c not in (unsigned, "d5")), PASSWORD
    )
    verification_data.deliver(complaint)
    verification_data.confirm(complaint, qe, process_owner, PASSWORD)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, cs_agent, "close", note="3批合格")
    assert unsigned.upper() in str(refused.value.message)
    assert "approval signature" in str(refused.value.message)
    assert_still(complaint, Status.VERIFICATION)
    eightd_data.approve(complaint, qe, (unsigned,), PASSWORD)
    assert step(complaint, cs_agent, "close", note="3批合格").status == Status.CLOSED


def test_d1_to_d4_unsigned_block_closing_and_are_named(
    make_complaint, drive, engineer, qe, cs_agent, process_owner
):
    """Issue 13: D1–D4 could stay unsigned while the complaint closed."""
    complaint = drive(make_complaint(severity="serious"), Status.VERIFICATION)
    eightd_data.fill(complaint, engineer, ("d7", "d8"))
    eightd_data.approve(complaint, qe, ("d6", "d7", "d8"), PASSWORD)
    verification_data.deliver(complaint)
    verification_data.confirm(complaint, qe, process_owner, PASSWORD)
    with pytest.raises(InvalidTransition) as refused:
        step(complaint, cs_agent, "close", note="3批合格")
    message = str(refused.value.message)
    assert all(code in message for code in ("D1", "D2", "D3", "D4"))
    assert "D5" not in message
    assert [p.url.rsplit("#", 1)[1] for p in refused.value.problems] == ["d1", "d2", "d3", "d4"]
    assert_still(complaint, Status.VERIFICATION)


def test_a_general_complaint_closes_on_the_short_form(
    make_complaint, drive, cs_agent, qe, process_owner
):
    complaint = drive(make_complaint(severity="general"), Status.VERIFICATION)
    verification_data.approve_required(complaint, qe, PASSWORD)
    verification_data.deliver(complaint)
    verification_data.confirm(complaint, qe, process_owner, PASSWORD)
    assert step(complaint, cs_agent, "close", note="2批合格").status == Status.CLOSED
