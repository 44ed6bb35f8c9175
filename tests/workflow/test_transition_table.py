"""The service enforces the workflow table, all of it (STYLE habit 5).

Generated from `kesu.complaints.workflow.TRANSITIONS`: every state the table can reach, for each
kind, times every action name, times every persona. Where the table lets the persona take the
action the service must succeed; everywhere else it must refuse with InvalidTransition (no such
step from here) or NotAllowed (not this persona's step) and change nothing.

Each case drives one complaint to its state and tries every persona inside a savepoint that is
rolled back, so the state is built once per (kind, state, action).
"""

from datetime import timedelta

import pytest
from django.db import transaction

from kesu.complaints import services
from kesu.complaints.choices import EventType, Kind, Status
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.complaints.workflow import ACTIONS, TRANSITIONS, Actor
from kesu.core import clock
from kesu.core.errors import InvalidTransition, NotAllowed
from tests import eightd_data
from tests.fixtures import PASSWORD

A = Actor
PERSONAS = (
    "cs_agent",
    "sales",
    "qe",
    "dept_manager",
    "engineer",
    "process_owner",
    "outsider",
    "customer_contact",
    "other_customer_contact",
)


def reachable_states() -> list[tuple[str, str]]:
    """(kind, status) pairs the table can reach from `received`, in Status order."""
    pairs = []
    for kind in Kind:
        seen, frontier = {Status.RECEIVED}, [Status.RECEIVED]
        while frontier:
            status = frontier.pop()
            for t in TRANSITIONS:
                if status in t.sources and kind in t.kinds and t.target not in seen:
                    seen.add(t.target)
                    frontier.append(t.target)
        pairs += [(kind.value, status.value) for status in Status if status in seen]
    return pairs


def row(action, status, kind):
    matches = [
        t for t in TRANSITIONS if t.action == action and status in t.sources and kind in t.kinds
    ]
    assert len(matches) <= 1, f"the table is ambiguous for {action} from {status} ({kind})"
    return matches[0] if matches else None


CASES = [
    pytest.param(kind, status, action, id=f"{kind}-{status}-{action}")
    for kind, status in reachable_states()
    for action in sorted(ACTIONS)
]


def what_they_are(persona: str, complaint: Complaint, people: dict) -> set[Actor]:
    """What each persona is to a complaint driven along the happy path by `drive`: the
    engineering department is made responsible, `engineer` works in it, `dept_manager`
    manages it, `qe` is named tracker, and the customer is `customer_contact`'s company."""
    engineering = complaint.responsible_department_id == people["engineer"].department_id
    return {
        "cs_agent": {A.AGENT},
        "sales": {A.SALES},
        "qe": {A.QE} | ({A.TRACKER} if complaint.tracker_id == people["qe"].pk else set()),
        "dept_manager": {A.DEPT_MANAGER} if engineering else set(),
        "engineer": {A.HANDLER} if engineering else set(),
        "process_owner": {A.PROCESS_OWNER},
        "outsider": set(),
        "customer_contact": {A.CUSTOMER},
        "other_customer_contact": set(),
    }[persona]


@pytest.fixture
def people(request):
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def valid_inputs(org_chart, qe, engineer):
    """A valid value for every input any action takes (each action uses its own subset)."""
    return {
        "note": "处理说明",
        "responsible_department": org_chart["eng"].pk,
        "handler": engineer.pk,
        "tracker": qe.pk,
        "team": [engineer.pk],
        "dispatch_due_at": clock.now() + timedelta(days=2),
        "customer_feedback": "客户满意",
        "cancel_reason": "duplicate",
    }


def test_valid_inputs_cover_every_input_of_the_table(valid_inputs):
    named = {name for t in TRANSITIONS for name in t.inputs}
    assert named <= set(valid_inputs)


def test_every_state_is_reached_by_some_case():
    assert {status for _kind, status in reachable_states()} == set(Status.values)


@pytest.mark.parametrize(("kind", "status", "action"), CASES)
def test_transition_table(
    kind, status, action, people, valid_inputs, make_complaint, drive, engineer
):
    overrides = {"kind": kind}
    if kind == Kind.FEEDBACK:
        overrides["category"] = "commercial"
    complaint = drive(make_complaint(**overrides), status)
    if status == Status.ANALYSIS:
        # submit_plan's gate: the 8D plan (D1–D5 for this serious complaint) is written and
        # D5 approved by the tracker.
        eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
        eightd_data.approve(complaint, people["qe"], ("d5",), PASSWORD)
    elif status == Status.IMPLEMENTATION and kind == Kind.COMPLAINT:
        eightd_data.fill(complaint, engineer, ("d6",))  # submit_implementation's gate
    elif status == Status.VERIFICATION:
        # close's gate: D6–D8 complete and approved.
        eightd_data.fill(complaint, engineer, ("d6", "d7", "d8"))
        eightd_data.approve(complaint, people["qe"], ("d6", "d7", "d8"), PASSWORD)
    transition = row(action, status, kind)
    mismatches = []
    for persona in PERSONAS:
        user = people[persona]
        complaint = Complaint.objects.select_related("responsible_department").get(pk=complaint.pk)
        allowed = transition is not None and bool(
            transition.actors & what_they_are(persona, complaint, people)
        )
        version, events = complaint.version, complaint.events.count()
        savepoint = transaction.savepoint()
        try:
            try:
                result = services.complaint_transition(
                    actor=user,
                    complaint=complaint,
                    action=action,
                    version=version,
                    data=dict(valid_inputs),
                )
            except (InvalidTransition, NotAllowed) as error:
                expected = InvalidTransition if transition is None else NotAllowed
                if allowed or type(error) is not expected:
                    mismatches.append(f"{persona}: refused with {error.code}: {error.message}")
                    continue
                after = Complaint.objects.get(pk=complaint.pk)
                if (after.status, after.version) != (status, version):
                    mismatches.append(f"{persona}: refused but the complaint changed")
                if ComplaintEvent.objects.filter(complaint=complaint).count() != events:
                    mismatches.append(f"{persona}: refused but an event was written")
                continue
            if not allowed:
                mismatches.append(f"{persona}: took it, but the table does not allow it")
                continue
            if (result.status, result.version) != (transition.target, version + 1):
                mismatches.append(f"{persona}: ended in {result.status} v{result.version}")
            event = ComplaintEvent.objects.filter(complaint=complaint).latest("id")
            if (event.type, event.action, event.actor_id, event.from_status) != (
                EventType.TRANSITION,
                action,
                user.pk,
                status,
            ):
                mismatches.append(f"{persona}: event {event.type} {event.action} not recorded")
        finally:
            transaction.savepoint_rollback(savepoint)
    assert mismatches == []
