"""The complaint workflow as one table (SPEC §5).

Each row says which action leads from which states to which state, for which kind of record and
which actors may take it. The table drives the buttons in the UI, the `allowed_actions` of the API,
the service that performs transitions, and the parametrised test over every (state, action, actor).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import OPEN_STATUSES, Kind, Status
from kesu.org.models import Role


class Actor(StrEnum):
    """What a user is with respect to one complaint: a global role or a relation to it."""

    AGENT = "agent"  # customer-service agent
    SALES = "sales"  # salesperson / order follower
    QE = "qe"  # any quality engineer
    PROCESS_OWNER = "process_owner"
    TRACKER = "tracker"  # the QE tracking this complaint
    DEPT_MANAGER = "dept_manager"  # manager of the responsible department
    HANDLER = "handler"  # the named handler, an engineer of the responsible department, or team
    CUSTOMER = "customer"  # a contact of the complaining customer


ROLE_ACTORS = {
    Role.CS_AGENT: Actor.AGENT,
    Role.SALES: Actor.SALES,
    Role.QE: Actor.QE,
    Role.PROCESS_OWNER: Actor.PROCESS_OWNER,
}


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: frozenset[Status]
    target: Status
    kinds: frozenset[Kind]
    actors: frozenset[Actor]
    note_label: Promise = _("Comment")
    note_required: bool = False
    # Extra inputs the action takes besides the note (see services.TRANSITION_INPUTS).
    inputs: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    # "primary" moves the complaint forward; "danger" sends it back or ends it.
    style: str = "primary"
    # A pause for the customer (SPEC §6): the clock stops while the customer decides.
    waits_on_customer: bool = False
    # The note of this step is meant for the customer and reaches them (SPEC §3 milestones).
    customer_visible: bool = False


COMPLAINT = frozenset({Kind.COMPLAINT})
FEEDBACK = frozenset({Kind.FEEDBACK})
BOTH = frozenset(Kind)
A = Actor

TRANSITIONS: tuple[Transition, ...] = (
    # --- Complaint path -------------------------------------------------------------------
    Transition(
        "assess_valid",
        _("Assess as valid"),
        frozenset({Status.RECEIVED}),
        Status.ASSESSED,
        COMPLAINT,
        frozenset({A.AGENT, A.QE, A.PROCESS_OWNER}),
        note_label=_("Assessment"),
        inputs=("responsible_department", "handler", "tracker", "team"),
        required=("responsible_department",),
    ),
    Transition(
        # FDA 21 CFR 820.198(b): a decision not to investigate records reason and decider.
        "assess_invalid",
        _("Close as not valid"),
        frozenset({Status.RECEIVED}),
        Status.INVALID,
        COMPLAINT,
        frozenset({A.AGENT, A.QE, A.PROCESS_OWNER}),
        note_label=_("Investigation result and reasoning (sent to the customer)"),
        note_required=True,
        style="danger",
        customer_visible=True,
    ),
    Transition(
        "dispatch",
        _("Dispatch to department"),
        frozenset({Status.ASSESSED}),
        Status.DISPATCHED,
        COMPLAINT,
        frozenset({A.AGENT, A.TRACKER, A.PROCESS_OWNER}),
        note_label=_("Instructions to the department"),
        # Blank: the time limit of the acceptance step decides (kesu.timelimits).
        inputs=("dispatch_due_at",),
    ),
    Transition(
        "accept_dispatch",
        _("Accept"),
        frozenset({Status.DISPATCHED}),
        Status.ANALYSIS,
        COMPLAINT,
        frozenset({A.DEPT_MANAGER}),
        inputs=("handler",),
    ),
    Transition(
        "return_dispatch",
        _("Send back"),
        frozenset({Status.DISPATCHED}),
        Status.ASSESSED,
        COMPLAINT,
        frozenset({A.DEPT_MANAGER}),
        note_label=_("Reason for sending it back"),
        note_required=True,
        style="danger",
    ),
    Transition(
        "submit_plan",
        _("Submit plan to the customer"),
        frozenset({Status.ANALYSIS}),
        Status.CONFIRMATION,
        COMPLAINT,
        frozenset({A.HANDLER, A.DEPT_MANAGER, A.TRACKER}),
        note_label=_("Summary of the plan for the customer"),
        waits_on_customer=True,
        customer_visible=True,
    ),
    Transition(
        "customer_accept",
        _("Customer accepts the plan"),
        frozenset({Status.CONFIRMATION}),
        Status.IMPLEMENTATION,
        COMPLAINT,
        frozenset({A.AGENT, A.CUSTOMER}),
        note_label=_("Customer's comment"),
        customer_visible=True,
    ),
    Transition(
        "customer_reject",
        _("Customer rejects the plan"),
        frozenset({Status.CONFIRMATION}),
        Status.ANALYSIS,
        COMPLAINT,
        frozenset({A.AGENT, A.CUSTOMER}),
        note_label=_("Customer's reason for rejecting"),
        note_required=True,
        style="danger",
        customer_visible=True,
    ),
    Transition(
        "submit_implementation",
        _("Implementation done"),
        frozenset({Status.IMPLEMENTATION}),
        Status.VERIFICATION,
        COMPLAINT,
        frozenset({A.HANDLER, A.DEPT_MANAGER, A.TRACKER}),
        note_label=_("Implementation summary"),
    ),
    Transition(
        "report_recurrence",
        _("Defect recurred"),
        frozenset({Status.VERIFICATION}),
        Status.ANALYSIS,
        COMPLAINT,
        frozenset({A.TRACKER, A.QE, A.AGENT}),
        note_label=_("Where the defect recurred (lot, quantity)"),
        note_required=True,
        style="danger",
    ),
    Transition(
        "close",
        _("Close"),
        frozenset({Status.VERIFICATION}),
        Status.CLOSED,
        COMPLAINT,
        frozenset({A.AGENT, A.TRACKER}),
        note_label=_("Effect verification result (lots checked)"),
        note_required=True,
        inputs=("customer_feedback",),
        customer_visible=True,
    ),
    # --- Feedback path --------------------------------------------------------------------
    Transition(
        "reply",
        _("Reply to the customer"),
        frozenset({Status.RECEIVED}),
        Status.REPLIED,
        FEEDBACK,
        frozenset({A.AGENT, A.SALES}),
        note_label=_("Reply to the customer"),
        note_required=True,
        inputs=("responsible_department",),
        customer_visible=True,
    ),
    Transition(
        "record_follow_up",
        _("Record follow-up"),
        frozenset({Status.REPLIED}),
        Status.FOLLOW_UP,
        FEEDBACK,
        frozenset({A.HANDLER, A.DEPT_MANAGER, A.AGENT}),
        note_label=_("Follow-up by the responsible department"),
        note_required=True,
    ),
    Transition(
        "close",
        _("Close"),
        frozenset({Status.FOLLOW_UP}),
        Status.CLOSED,
        FEEDBACK,
        frozenset({A.AGENT}),
        note_label=_("Closing note to the customer"),
        inputs=("customer_feedback",),
        customer_visible=True,
    ),
    # --- Either path ----------------------------------------------------------------------
    Transition(
        "cancel",
        _("Cancel"),
        OPEN_STATUSES,
        Status.CANCELLED,
        BOTH,
        frozenset({A.AGENT, A.PROCESS_OWNER}),
        note_label=_("Explanation"),
        note_required=True,
        inputs=("cancel_reason",),
        required=("cancel_reason",),
        style="danger",
        customer_visible=True,
    ),
    Transition(
        "reopen",
        _("Reopen"),
        frozenset({Status.CLOSED, Status.INVALID, Status.CANCELLED}),
        Status.RECEIVED,
        BOTH,
        frozenset({A.AGENT, A.PROCESS_OWNER}),
        note_label=_("Reason for reopening"),
        note_required=True,
        style="danger",
    ),
)

ACTIONS = frozenset(t.action for t in TRANSITIONS)
# Possible at any time, so never work that waits on somebody.
SIDE_ACTIONS = frozenset({"cancel", "reopen"})


def find_transition(action: str, status: str, kind: str) -> Transition | None:
    """The row for this action from this state for this kind, or None if there is none."""
    for transition in TRANSITIONS:
        if (
            transition.action == action
            and status in transition.sources
            and kind in transition.kinds
        ):
            return transition
    return None


def transitions_from(status: str, kind: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources and kind in t.kinds]
