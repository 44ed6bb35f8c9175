"""Presentation of complaints in templates: status badges, labels, and the timeline's events
as their registered types say they read (`kesu.complaints.events`).

Everything here returns escaped HTML or plain values: user text reaches the page only through
autoescaping or `format_html`, never `mark_safe` on user input.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from kesu.complaints import selectors
from kesu.complaints.access import can_record
from kesu.complaints.choices import STATUS_COLOURS, Kind, Remedy, Severity, Status
from kesu.complaints.events import event_type
from kesu.complaints.workflow import WORKFLOW
from kesu.core.display import enumeration

register = template.Library()

ACTION_LABELS = {t.action: t.label for t in WORKFLOW}


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


def _label(choices, value):
    """The label of a stored choice, read from its enumeration: a list row asks for several,
    and `get_FOO_display` translates every choice of the field to build its lookup."""
    try:
        return choices(value).label
    except ValueError:
        return value


@register.filter
def severity_label(value):
    return _label(Severity, value)


@register.filter
def kind_label(value):
    return _label(Kind, value)


@register.filter
def may_record(user) -> bool:
    return can_record(user)


@register.filter
def remedy_labels(values) -> list[str]:
    labels = dict(Remedy.choices)
    return [str(labels.get(value, value)) for value in values or ()]


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@register.filter
def event_label(event) -> str:
    """The event's title on the staff timeline."""
    return str(event_type(event.type).label)


@register.simple_tag
def event_details(event) -> list[tuple[str, str]]:
    """What an event's payload says, as (label, value) pairs for the timeline."""
    return event_type(event.type).details(event)


# Characters of a message shown on the timeline before "show all": long messages (up to 10,000
# characters each) would otherwise make a page of 50 events megabytes long. 300 characters are
# about eight lines on a phone.
NOTE_PREVIEW = 300


@register.simple_tag
def note_preview(event) -> dict:
    """The start of a long note, and whether there is more to load on request."""
    note = event.note or ""
    if len(note) <= NOTE_PREVIEW:
        return {"text": note, "cut": False}
    return {"text": note[:NOTE_PREVIEW].rstrip() + "…", "cut": True}


@register.filter
def timeline_entries(events):
    """A page of events with runs of automatic ones folded (`selectors.timeline_entries`)."""
    return selectors.timeline_entries(events)


@register.filter
def enumerate_or(names) -> str:
    """Names listed as alternatives: “王工、李工或客服专员”, “Wang, Li or customer service”."""
    names = [str(name) for name in names or ()]
    if len(names) < 2:
        return "".join(names)
    return gettext("%(names)s or %(last)s") % {
        "names": enumeration(names[:-1]),
        "last": names[-1],
    }
