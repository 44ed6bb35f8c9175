"""Small presentation helpers shared by Kesu's templates.

Everything here returns escaped HTML or plain values: user text reaches the page only through
autoescaping or `format_html`, never `mark_safe` on user input.
"""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.access import can_record
from kesu.complaints.choices import STATUS_COLOURS, EventType, Remedy, Status
from kesu.complaints.inputs import TransitionInput
from kesu.complaints.models import Complaint
from kesu.complaints.workflow import TRANSITIONS
from kesu.eightd.models import DISCIPLINES
from kesu.signoff.models import Meaning
from kesu.timelimits.models import EscalationTarget
from kesu.timelimits.steps import StepType

register = template.Library()

ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}
STEP_LABELS = dict(StepType.choices)
ESCALATION_TARGETS = dict(EscalationTarget.choices)
MEANINGS = dict(Meaning.choices)


CLOCK_EVENTS = {EventType.REMINDER, EventType.OVERDUE, EventType.ESCALATED, EventType.DUE_CHANGED}


def _clock_details(payload: dict) -> list[tuple[str, str]]:
    details = [(_("Step"), str(STEP_LABELS.get(payload.get("step"), payload.get("step"))))]
    if payload.get("percent"):
        details.append((_("Time used"), f"{payload['percent']} %"))
    if "from" in payload:
        details.append((_("Due"), f"{_display(payload['from'])} → {_display(payload.get('to'))}"))
    elif payload.get("due_at"):
        details.append((_("Due"), _display(payload["due_at"])))
    if payload.get("level"):
        target = ESCALATION_TARGETS.get(payload.get("target"), payload.get("target"))
        details.append((_("Escalation level"), f"{payload['level']} · {target}"))
    if payload.get("to"):
        details.append((_("Notified"), payload["to"]))
    return details


EIGHTD_EVENTS = {EventType.EIGHTD_UPDATED, EventType.EIGHTD_SIGNED, EventType.EIGHTD_SENT}
EIGHTD_FIELDS = {
    "content": gettext_lazy("Content"),
    "owner": gettext_lazy("Owner"),
    "internal_note": gettext_lazy("Internal note"),
}


def _eightd_details(kind: str, payload: dict) -> list[tuple[str, str]]:
    """What an 8D event says: which discipline, what changed, who signed with what meaning."""
    if kind == EventType.EIGHTD_SENT:
        return [(_("Version"), str(payload.get("version", "—")))]
    codes = payload.get("disciplines") or ([payload["discipline"]] if "discipline" in payload
                                           else [])
    details = [(_("Disciplines"), "; ".join(str(DISCIPLINES.get(c, c)) for c in codes))]
    if kind == EventType.EIGHTD_UPDATED:
        fields = [str(EIGHTD_FIELDS.get(f, f)) for f in payload.get("fields") or ()]
        if fields:
            details.append((_("Changed"), ", ".join(fields)))
        if payload.get("signatures_invalidated"):
            voided = str(payload["signatures_invalidated"])
            details.append((_("Signatures no longer valid"), voided))
    else:
        meaning = payload.get("meaning")
        details.append((_("Signed by"), str(payload.get("printed_name", "—"))))
        details.append((_("Meaning"), str(MEANINGS.get(meaning, meaning))))
        if payload.get("content_hash"):
            # Enough of the SHA-256 to match it against an export; the whole is in the record.
            details.append((_("Content hash"), f"{payload['content_hash'][:12]}…"))
    return details


@register.simple_tag
def status_badge(status):
    """A coloured badge for a status value (colours in complaints.choices.STATUS_COLOURS)."""
    if not status:
        return ""
    try:
        status = Status(status)
    except ValueError:
        return format_html('<span class="badge badge-grey">{}</span>', status)
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>',
        STATUS_COLOURS[status],
        status.value,
        status.label,
    )


@register.filter
def may_record(user) -> bool:
    return can_record(user)


@register.filter
def verbose(obj_or_model, field_name: str) -> str:
    """The model's own (translated) label for a field, so a label is written once."""
    return capfirst(obj_or_model._meta.get_field(field_name).verbose_name)


@register.filter
def remedy_labels(values) -> list[str]:
    labels = dict(Remedy.choices)
    return [str(labels.get(value, value)) for value in values or ()]


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _field_label(name: str) -> str:
    try:
        return str(capfirst(Complaint._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        field = TransitionInput.base_fields.get(name)
        return str(field.label) if field is not None and field.label else name


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value) or "—"
    if isinstance(value, str) and "T" in value:
        # Payloads keep times as ISO 8601; people read them in local time.
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(value)


@register.simple_tag
def event_details(event) -> list[tuple[str, str]]:
    """What an event's payload says, as (label, value) pairs for the timeline."""
    payload = event.payload or {}
    if event.type == EventType.UPDATED:
        return [
            (_field_label(name), f"{_display(change.get('from'))} → {_display(change.get('to'))}")
            for name, change in (payload.get("changes") or {}).items()
        ]
    if event.type in EIGHTD_EVENTS:
        return _eightd_details(event.type, payload)
    if event.type == EventType.CREATED:
        rule = payload.get("routing_rule")
        return [(_("Routing rule"), rule)] if rule else []
    if event.type in CLOCK_EVENTS:
        return _clock_details(payload)
    return [
        (_field_label(name), _display(value))
        for name, value in payload.items()
        if value not in (None, "", []) and not isinstance(value, dict)
    ]
