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
    CONTAINMENT = "containment", _("Containment (D3)")
    PLAN = "plan", _("Root cause and plan (D4–D5)")
    IMPLEMENTATION = "implementation", _("Implementation (D6–D7)")
    VERIFICATION = "verification", _("Effect verification")
    FOLLOW_UP = "follow_up", _("Follow-up by the department")
    EFFECT_FEEDBACK = "effect_feedback", _("Effect feedback from the customer")


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
    # Containment is ours to do whatever the customer says; it ends when D3 is written
    # (see `steps_containment_done`) or, at the latest, when implementation is reported.
    StepDef(StepType.CONTAINMENT, COMPLAINT, frozenset({S.ANALYSIS}),
            frozenset({S.ANALYSIS, S.CONFIRMATION, S.IMPLEMENTATION}), Owner.HANDLER),
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
STEP_DEFS = {step.type: step for step in STEPS}


def steps_starting(status: str, kind: str) -> list[StepDef]:
    return [s for s in STEPS if status in s.starts_in and kind in s.kinds]
