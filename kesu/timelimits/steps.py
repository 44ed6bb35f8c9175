"""The timed steps of the complaint loop (SPEC §6): which status starts each step, while which
statuses it stays open, and when its clock stops because the complaint waits on the customer.

Structure is code (this table); durations, calendars, reminders and the escalation ladder are
data (`TimePolicy`, `EscalationLevel`) that an administrator edits.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Kind, Status


class StepType(models.TextChoices):
    CLASSIFY = "classify", _("Record and classify")
    REPLY = "reply", _("Reply to the feedback")
    ORGANISE = "organise", _("Organise handling")
    ACCEPT = "accept", _("Department accepts the dispatch")
    PLAN = "plan", _("Root cause and plan (D4–D5)")
    IMPLEMENTATION = "implementation", _("Implementation (D6–D7)")
    VERIFICATION = "verification", _("Effect verification")
    FOLLOW_UP = "follow_up", _("Follow-up by the department")
    EFFECT_FEEDBACK = "effect_feedback", _("Effect feedback from the customer")
    # The disciplines of the 8D, due as the customer's 8D profile says (kesu.eightd).
    EIGHTD_D1 = "eightd_d1", _("8D D1 Team")
    EIGHTD_D2 = "eightd_d2", _("8D D2 Problem description")
    EIGHTD_D3 = "eightd_d3", _("8D D3 Containment")
    EIGHTD_D4 = "eightd_d4", _("8D D4 Root causes")
    EIGHTD_D5 = "eightd_d5", _("8D D5 Permanent actions")
    EIGHTD_D6 = "eightd_d6", _("8D D6 Implementation")
    EIGHTD_D7 = "eightd_d7", _("8D D7 Prevention")
    EIGHTD_D8 = "eightd_d8", _("8D D8 Closure")


class Owner(models.TextChoices):
    """Who answers for a step: the person reminded first and the bottom of the ladder."""

    RECEIVER = "receiver", _("Whoever recorded it")
    TRACKER = "tracker", _("Tracker, else whoever recorded it")
    DEPT_MANAGER = "dept_manager", _("Manager of the responsible department")
    HANDLER = "handler", _("Handler, else the department manager")


@dataclass(frozen=True)
class StepDef:
    type: StepType
    kinds: frozenset[Kind]
    starts_in: frozenset[Status]
    # Leaving these statuses ends the step; it may span several (the plan spans the customer's
    # confirmation rounds).
    runs_in: frozenset[Status]
    owner: Owner
    # The clock stops in these statuses: the customer has the ball (SPEC §6).
    paused_in: frozenset[Status] = frozenset()


S = Status
COMPLAINT = frozenset({Kind.COMPLAINT})
FEEDBACK = frozenset({Kind.FEEDBACK})

STEPS: tuple[StepDef, ...] = (
    StepDef(StepType.CLASSIFY, COMPLAINT, frozenset({S.RECEIVED}), frozenset({S.RECEIVED}),
            Owner.RECEIVER),
    StepDef(StepType.REPLY, FEEDBACK, frozenset({S.RECEIVED}), frozenset({S.RECEIVED}),
            Owner.RECEIVER),
    StepDef(StepType.ORGANISE, COMPLAINT, frozenset({S.ASSESSED}), frozenset({S.ASSESSED}),
            Owner.TRACKER),
    StepDef(StepType.ACCEPT, COMPLAINT, frozenset({S.DISPATCHED}), frozenset({S.DISPATCHED}),
            Owner.DEPT_MANAGER),
    StepDef(StepType.PLAN, COMPLAINT, frozenset({S.ANALYSIS}),
            frozenset({S.ANALYSIS, S.CONFIRMATION}), Owner.HANDLER,
            paused_in=frozenset({S.CONFIRMATION})),
    StepDef(StepType.IMPLEMENTATION, COMPLAINT, frozenset({S.IMPLEMENTATION}),
            frozenset({S.IMPLEMENTATION}), Owner.HANDLER),
    StepDef(StepType.VERIFICATION, COMPLAINT, frozenset({S.VERIFICATION}),
            frozenset({S.VERIFICATION}), Owner.TRACKER),
    StepDef(StepType.FOLLOW_UP, FEEDBACK, frozenset({S.REPLIED}), frozenset({S.REPLIED}),
            Owner.HANDLER),
    StepDef(StepType.EFFECT_FEEDBACK, FEEDBACK, frozenset({S.FOLLOW_UP}),
            frozenset({S.FOLLOW_UP}), Owner.RECEIVER),
)

# 8D disciplines are started by kesu.eightd when the 8D begins, with the limit of the customer's
# profile counted from receipt, and end when the discipline is signed off. While the customer
# decides on the plan their clocks stop, as the plan's does.
EIGHTD_STEPS = tuple(
    StepDef(StepType(f"eightd_d{n}"), COMPLAINT, frozenset(),
            frozenset({S.ANALYSIS, S.CONFIRMATION, S.IMPLEMENTATION, S.VERIFICATION}),
            Owner.HANDLER, paused_in=frozenset({S.CONFIRMATION}))
    for n in range(1, 9)
)
STEP_DEFS = {step.type: step for step in STEPS + EIGHTD_STEPS}


def eightd_step_type(code: str) -> StepType:
    """The step of an 8D discipline ("d3" → eightd_d3)."""
    return StepType(f"eightd_{code}")


def steps_starting(status: str, kind: str) -> list[StepDef]:
    return [s for s in STEPS if status in s.starts_in and kind in s.kinds]
