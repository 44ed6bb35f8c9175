"""The complaint workflow as one table (SPEC §5), an instance of `kesu.core.workflow`.

Each row says which action leads from which states to which state, for which kind of record and
which actors may take it, and holds its rules: guards that refuse the step and effects that
write its fields (`kesu.complaints.rules`). Gates on the rows ("the plan is ready") are judged
by the apps that know (the 8D registers its checks as a lifecycle participant). The table drives
the buttons in the UI, the `allowed_actions` of the API, the service that performs transitions,
the generated diagram in docs/workflow.md and the parametrised test over every
(state, action, actor).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kesu.complaints import rules
from kesu.complaints.choices import OPEN_STATUSES, Kind, Status
from kesu.core.workflow import Gate, Workflow
from kesu.core.workflow import Transition as BaseTransition
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


class Action(StrEnum):
    ASSESS_VALID = "assess_valid"
    ASSESS_INVALID = "assess_invalid"
    DISPATCH = "dispatch"
    ACCEPT_DISPATCH = "accept_dispatch"
    RETURN_DISPATCH = "return_dispatch"
    SUBMIT_PLAN = "submit_plan"
    CUSTOMER_ACCEPT = "customer_accept"
    CUSTOMER_REJECT = "customer_reject"
    SUBMIT_IMPLEMENTATION = "submit_implementation"
    REPORT_RECURRENCE = "report_recurrence"
    CLOSE = "close"
    REPLY = "reply"
    RECORD_FOLLOW_UP = "record_follow_up"
    CANCEL = "cancel"
    REOPEN = "reopen"


class Decision(StrEnum):
    """The customer's answer to the plan (SPEC §5 step 5)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


# The gates of the loop: the 8D (SPEC §5 rules, §7) says when each is passed.
PLAN_READY = Gate("plan_ready", _("The plan may go to the customer"))
IMPLEMENTATION_READY = Gate("implementation_ready", _("Implementation may be reported done"))
CLOSURE_READY = Gate("closure_ready", _("The complaint may be closed"))
# The complaint's own rule, as a gate so that the page asks it before offering the step.
QE_TRACKER = Gate("qe_tracker", _("A quality complaint has a QE as tracker"))
QE_TRACKER.register(rules.has_qe_tracker)


@dataclass(frozen=True)
class Transition(BaseTransition):
    # A pause for the customer (SPEC §6): the customer has the plan to decide on.
    waits_on_customer: bool = False
    # The customer's decision this step records, if it records one.
    decision: Decision | None = None
    # The note of this step is meant for the customer and reaches them (SPEC §3 milestones).
    customer_visible: bool = False
    # Who is newly put in charge by this step and is told so ("handler", "tracker",
    # "dept_manager"); everyone else watching hears of the change of state.
    assigns: tuple[str, ...] = ()


COMPLAINT = frozenset({Kind.COMPLAINT})
FEEDBACK = frozenset({Kind.FEEDBACK})
BOTH = frozenset(Kind)
A = Actor

TRANSITIONS: tuple[Transition, ...] = (
    # --- Complaint path -------------------------------------------------------------------
    Transition(
        Action.ASSESS_VALID,
        _("Assess as valid"),
        frozenset({Status.RECEIVED}),
        Status.ASSESSED,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.QE, A.PROCESS_OWNER}),
        note_label=_("Assessment"),
        inputs=("responsible_department", "handler", "tracker", "team"),
        required=("responsible_department",),
        guards=(rules.tracker_is_qe, rules.handler_in_department),
        effects=(rules.set_owners,),
        assigns=("handler", "tracker"),
    ),
    Transition(
        # FDA 21 CFR 820.198(b): a decision not to investigate records reason and decider.
        Action.ASSESS_INVALID,
        _("Close as not valid"),
        frozenset({Status.RECEIVED}),
        Status.INVALID,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.QE, A.PROCESS_OWNER}),
        note_label=_("Investigation result and reasoning (sent to the customer)"),
        note_required=True,
        style="danger",
        customer_visible=True,
        effects=(rules.mark_invalid,),
    ),
    Transition(
        Action.DISPATCH,
        _("Dispatch to department"),
        frozenset({Status.ASSESSED}),
        Status.DISPATCHED,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.TRACKER, A.PROCESS_OWNER}),
        note_label=_("Instructions to the department"),
        # Blank: the time limit of the acceptance step decides (kesu.timelimits).
        inputs=("dispatch_due_at",),
        guards=(QE_TRACKER, rules.due_in_future),
        assigns=("dept_manager",),
    ),
    Transition(
        Action.ACCEPT_DISPATCH,
        _("Accept"),
        frozenset({Status.DISPATCHED}),
        Status.ANALYSIS,
        kinds=COMPLAINT,
        actors=frozenset({A.DEPT_MANAGER}),
        inputs=("handler",),
        guards=(rules.handler_in_department,),
        effects=(rules.set_handler,),
        assigns=("handler",),
    ),
    Transition(
        Action.RETURN_DISPATCH,
        _("Send back"),
        frozenset({Status.DISPATCHED}),
        Status.ASSESSED,
        kinds=COMPLAINT,
        actors=frozenset({A.DEPT_MANAGER}),
        note_label=_("Reason for sending it back"),
        note_required=True,
        style="danger",
    ),
    Transition(
        Action.SUBMIT_PLAN,
        _("Submit plan to the customer"),
        frozenset({Status.ANALYSIS}),
        Status.CONFIRMATION,
        kinds=COMPLAINT,
        actors=frozenset({A.HANDLER, A.DEPT_MANAGER, A.TRACKER}),
        note_label=_("Summary of the plan for the customer"),
        waits_on_customer=True,
        customer_visible=True,
        guards=(PLAN_READY,),
    ),
    Transition(
        Action.CUSTOMER_ACCEPT,
        _("Customer accepts the plan"),
        frozenset({Status.CONFIRMATION}),
        Status.IMPLEMENTATION,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.CUSTOMER}),
        note_label=_("Customer's comment"),
        customer_visible=True,
        decision=Decision.ACCEPTED,
    ),
    Transition(
        Action.CUSTOMER_REJECT,
        _("Customer rejects the plan"),
        frozenset({Status.CONFIRMATION}),
        Status.ANALYSIS,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.CUSTOMER}),
        note_label=_("Customer's reason for rejecting"),
        note_required=True,
        style="danger",
        customer_visible=True,
        effects=(rules.count("plan_rounds"),),
        decision=Decision.REJECTED,
    ),
    Transition(
        Action.SUBMIT_IMPLEMENTATION,
        _("Implementation done"),
        frozenset({Status.IMPLEMENTATION}),
        Status.VERIFICATION,
        kinds=COMPLAINT,
        actors=frozenset({A.HANDLER, A.DEPT_MANAGER, A.TRACKER}),
        note_label=_("Implementation summary"),
        guards=(IMPLEMENTATION_READY,),
    ),
    Transition(
        Action.REPORT_RECURRENCE,
        _("Defect recurred"),
        frozenset({Status.VERIFICATION}),
        Status.ANALYSIS,
        kinds=COMPLAINT,
        actors=frozenset({A.TRACKER, A.QE, A.AGENT}),
        note_label=_("Where the defect recurred (lot, quantity)"),
        note_required=True,
        style="danger",
        effects=(rules.count("recurrence_count"),),
    ),
    Transition(
        Action.CLOSE,
        _("Close"),
        frozenset({Status.VERIFICATION}),
        Status.CLOSED,
        kinds=COMPLAINT,
        actors=frozenset({A.AGENT, A.TRACKER}),
        note_label=_("Effect verification result (lots checked)"),
        note_required=True,
        inputs=("customer_feedback",),
        customer_visible=True,
        guards=(CLOSURE_READY,),
        effects=(rules.mark_closed,),
    ),
    # --- Feedback path --------------------------------------------------------------------
    Transition(
        Action.REPLY,
        _("Reply to the customer"),
        frozenset({Status.RECEIVED}),
        Status.REPLIED,
        kinds=FEEDBACK,
        actors=frozenset({A.AGENT, A.SALES}),
        note_label=_("Reply to the customer"),
        note_required=True,
        inputs=("responsible_department",),
        customer_visible=True,
        effects=(rules.set_department,),
    ),
    Transition(
        Action.RECORD_FOLLOW_UP,
        _("Record follow-up"),
        frozenset({Status.REPLIED}),
        Status.FOLLOW_UP,
        kinds=FEEDBACK,
        actors=frozenset({A.HANDLER, A.DEPT_MANAGER, A.AGENT}),
        note_label=_("Follow-up by the responsible department"),
        note_required=True,
    ),
    Transition(
        Action.CLOSE,
        _("Close"),
        frozenset({Status.FOLLOW_UP}),
        Status.CLOSED,
        kinds=FEEDBACK,
        actors=frozenset({A.AGENT}),
        note_label=_("Closing note to the customer"),
        inputs=("customer_feedback",),
        customer_visible=True,
        effects=(rules.mark_closed,),
    ),
    # --- Either path ----------------------------------------------------------------------
    Transition(
        Action.CANCEL,
        _("Cancel"),
        OPEN_STATUSES,
        Status.CANCELLED,
        kinds=BOTH,
        actors=frozenset({A.AGENT, A.PROCESS_OWNER}),
        note_label=pgettext_lazy("cancel note", "Explanation"),
        note_required=True,
        inputs=("cancel_reason",),
        required=("cancel_reason",),
        style="danger",
        customer_visible=True,
        effects=(rules.mark_cancelled,),
    ),
    Transition(
        Action.REOPEN,
        _("Reopen"),
        frozenset({Status.CLOSED, Status.INVALID, Status.CANCELLED}),
        Status.RECEIVED,
        kinds=BOTH,
        actors=frozenset({A.AGENT, A.PROCESS_OWNER}),
        note_label=_("Reason for reopening"),
        note_required=True,
        style="danger",
        effects=(rules.mark_reopened,),
    ),
)

WORKFLOW = Workflow(
    name="complaint",
    transitions=TRANSITIONS,
    states=tuple(Status),
    initial=Status.RECEIVED,
)
ACTIONS = WORKFLOW.actions
# Possible at any time, so never work that waits on somebody.
SIDE_ACTIONS = frozenset({Action.CANCEL, Action.REOPEN})
