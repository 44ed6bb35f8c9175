"""The time limits' event types (SPEC §6): reminders, overdue notices and escalations raised by
the sweeper, and due times moved by a recalculation. Kesu itself raises them: no actor."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ConfigDict, Field

from kesu.complaints.events import Details, EventType, Payload, register
from kesu.core.display import display_value, enumeration
from kesu.timelimits.models import EscalationTarget, Reason
from kesu.timelimits.steps import StepType


class Alerted(Payload):
    step: str
    due_at: str | None = None
    alert_at: str | None = None
    # Display names at the time: the step's owner, or the escalation level's person.
    to: str | None = None
    percent: int | None = None
    level: int | None = None
    target: str | None = None
    # Lower levels that fell due in the same sweep and were raised as this one escalation.
    passed: list[int] = []


class DueChanged(Payload):
    model_config = ConfigDict(**Payload.model_config, populate_by_name=True)

    step: str
    # ISO times, stored as "from" and "to".
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    reason: str | None = None
    # Who changed the policy, by name at the time, when a person did.
    by: str | None = None


def _step_label(code) -> str:
    return str(dict(StepType.choices).get(code, code))


def _alert_details(payload: Alerted) -> Details:
    details = [(_("Step"), _step_label(payload.step))]
    if payload.percent:
        details.append((_("Time used"), f"{payload.percent} %"))
    if payload.due_at:
        details.append((_("Due"), display_value(payload.due_at)))
    if payload.level:
        target = dict(EscalationTarget.choices).get(payload.target, payload.target)
        details.append((_("Escalation level"), f"{payload.level} · {target}"))
    if payload.passed:
        details.append((_("Levels passed"), enumeration(payload.passed)))
    if payload.to:
        details.append((_("Notified"), payload.to))
    return details


def _due_changed_details(payload: DueChanged) -> Details:
    details = [
        (_("Step"), _step_label(payload.step)),
        (_("Due"), f"{display_value(payload.from_)} → {display_value(payload.to)}"),
    ]
    if payload.reason in Reason.values:
        reason = str(Reason(payload.reason).label)
        if payload.by:
            reason = f"{reason} ({payload.by})"
        details.append((_("Reason"), reason))
    return details


REMINDER = register(EventType(
    "reminder", gettext_lazy("Deadline reminder"), payload=Alerted, details=_alert_details,
    automatic=True,
))
OVERDUE = register(EventType(
    "overdue", gettext_lazy("Step overdue"), payload=Alerted, details=_alert_details,
    automatic=True,
))
ESCALATED = register(EventType(
    "escalated", gettext_lazy("Escalated"), payload=Alerted, details=_alert_details,
    automatic=True,
))
DUE_CHANGED = register(EventType(
    "due_changed", gettext_lazy("Due time recalculated"), payload=DueChanged,
    details=_due_changed_details, automatic=True,
))
ALERTS = {"reminder": REMINDER, "overdue": OVERDUE, "escalated": ESCALATED}


def alerted(complaint_id: int, *, kind: str, at, payload: Alerted):
    """The unsaved row of one alert: the sweeper inserts a batch of them at once."""
    return ALERTS[kind].build(complaint_id, at=at, payload=payload)


def due_changed(complaint, *, at, step: str, before, after, reason: str, by: str | None):
    """The unsaved row: a recalculation inserts a batch of them at once (and then tells the
    lifecycle participants of each, as `record` does)."""
    payload = DueChanged(
        step=step,
        from_=before.isoformat() if before else None,
        to=after.isoformat() if after else None,
        reason=reason,
        **({"by": by} if by else {}),
    )
    return DUE_CHANGED.build(complaint, at=at, payload=payload)


class EscalationHandled(Payload):
    step: str
    # The escalation levels the person had on their list, and the due time they were about.
    levels: list[int] = []
    due_at: str | None = None


class StepReassigned(Payload):
    step: str
    # Display names at the time.
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    to_id: int | None = None

    model_config = ConfigDict(**Payload.model_config, populate_by_name=True)


class DueSet(Payload):
    model_config = ConfigDict(**Payload.model_config, populate_by_name=True)

    step: str
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


def _handled_details(payload: EscalationHandled) -> Details:
    details = [(_("Step"), _step_label(payload.step))]
    if payload.levels:
        details.append((_("Escalation level"), enumeration(payload.levels)))
    if payload.due_at:
        details.append((_("Due"), display_value(payload.due_at)))
    return details


def _reassigned_details(payload: StepReassigned) -> Details:
    return [
        (_("Step"), _step_label(payload.step)),
        (_("Answers for it"), f"{payload.from_ or '—'} → {payload.to or '—'}"),
    ]


def _due_set_details(payload: DueSet) -> Details:
    return [
        (_("Step"), _step_label(payload.step)),
        (_("Due"), f"{display_value(payload.from_)} → {display_value(payload.to)}"),
    ]


ESCALATION_ACKNOWLEDGED = register(EventType(
    "escalation_ack", gettext_lazy("Escalation acknowledged"),
    payload=EscalationHandled, details=_handled_details,
))
STEP_REASSIGNED = register(EventType(
    "step_reassigned", gettext_lazy("Step reassigned"), payload=StepReassigned,
    details=_reassigned_details,
))
DUE_SET = register(EventType(
    "due_set", gettext_lazy("New due date set"), payload=DueSet, details=_due_set_details,
))


def escalation_acknowledged(complaint, *, actor, at, step: str, levels, due_at, comment: str):
    payload = EscalationHandled(
        step=step, levels=list(levels), due_at=due_at.isoformat() if due_at else None
    )
    return ESCALATION_ACKNOWLEDGED.record(
        complaint, actor=actor, at=at, payload=payload, note=comment
    )


def step_reassigned(complaint, *, actor, at, step: str, before, after, comment: str):
    payload = StepReassigned(
        step=step, from_=str(before) if before else None, to=str(after), to_id=after.pk
    )
    return STEP_REASSIGNED.record(complaint, actor=actor, at=at, payload=payload, note=comment)


def due_set(complaint, *, actor, at, step: str, before, after, comment: str):
    payload = DueSet(
        step=step, from_=before.isoformat() if before else None, to=after.isoformat()
    )
    return DUE_SET.record(complaint, actor=actor, at=at, payload=payload, note=comment)
