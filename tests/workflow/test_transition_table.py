"""The service enforces the workflow table, all of it (STYLE habit 5).

Generated from `kesu.complaints.workflow.WORKFLOW` by `tests.workflow_table`: every state the
table can reach, for each kind, times every action name, times every persona. Where the table
lets the persona take the action the service must succeed; everywhere else it must refuse with
InvalidTransition (no such step from here) or NotAllowed (not this persona's step) and change
nothing.

Each case drives one complaint to its state and tries every persona inside a savepoint that is
rolled back, so the state is built once per (kind, state, action).
"""

from datetime import timedelta

import pytest

from kesu.complaints import services
from kesu.complaints.choices import Kind, Status
from kesu.complaints.events import TRANSITION
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.complaints.workflow import WORKFLOW, Actor
from kesu.core import clock
from tests import eightd_data, verification_data
from tests.fixtures import PASSWORD
from tests.workflow_table import Subject, check_every_actor, table_cases

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


CASES = table_cases(WORKFLOW, kinds=[kind.value for kind in Kind])


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
    named = {name for t in WORKFLOW for name in t.inputs}
    assert named <= set(valid_inputs)


def test_every_state_is_reached_by_some_case():
    assert {case.values[1] for case in CASES} == set(Status.values)


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
        # close's gate: every required discipline complete and approved, the clean lots
        # delivered, the outcome confirmed.
        eightd_data.fill(complaint, engineer, ("d6",))
        verification_data.ready_to_close(
            complaint, engineer=engineer, qe=people["qe"], confirmer=people["process_owner"],
            password=PASSWORD,
        )
    def snapshot():
        current = Complaint.objects.get(pk=complaint.pk)
        return current.status, current.version, complaint.events.count()

    def take(user):
        fresh = Complaint.objects.select_related("responsible_department").get(pk=complaint.pk)
        result = services.complaint_transition(
            actor=user, complaint=fresh, action=action, version=fresh.version,
            data=dict(valid_inputs),
        )
        return result.status, result.version

    def actors_of(persona):
        fresh = Complaint.objects.select_related("responsible_department").get(pk=complaint.pk)
        return what_they_are(persona, fresh, people)

    def recorded(user):
        event = ComplaintEvent.objects.filter(complaint=complaint).latest("id")
        if (event.type, event.action, event.actor_id, event.from_status) != (
            TRANSITION, action, user.pk, status,
        ):
            return f"event {event.type} {event.action} not recorded"
        return None

    subject = Subject(snapshot=snapshot, take=take, actors_of=actors_of, recorded=recorded)
    personas = {persona: people[persona] for persona in PERSONAS}
    assert check_every_actor(WORKFLOW, kind, status, action, personas, subject) == []
