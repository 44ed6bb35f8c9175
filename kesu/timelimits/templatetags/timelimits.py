"""Due times on "my work", the list and the detail page: when, how much business time is left,
and a colour for on track / due soon / overdue / paused."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from kesu.timelimits.access import can_see_on_time_rate
from kesu.timelimits.selectors import State, most_urgent

register = template.Library()

STATE_LABELS = {
    State.ON_TRACK: lambda: _("on track"),
    State.DUE_SOON: lambda: _("due soon"),
    State.OVERDUE: lambda: _("overdue"),
    State.PAUSED: lambda: _("paused: waiting on the customer"),
    State.UNKNOWN: lambda: _("due time unknown"),
    "done": lambda: _("done"),
}


@register.filter
def business_duration(value: timedelta | None) -> str:
    """Business time as hours and minutes ("27 h 05 min"): a business day has no fixed length,
    so days would mislead."""
    if value is None:
        return "—"
    minutes = int(abs(value) // timedelta(minutes=1))
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": minutes}
    if hours >= 100:
        # Minutes are noise once a step is days late.
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


@register.filter
def state_label(state: str) -> str:
    label = STATE_LABELS.get(state)
    return label() if label else state


@register.inclusion_tag("timelimits/_due.html")
def due_cell(complaint, now):
    return {"clock": most_urgent(complaint, now)}


@register.filter
def minutes_duration(minutes: int) -> str:
    return business_duration(timedelta(minutes=minutes))


@register.filter
def due_error_text(error: str) -> str:
    """Why a due time is missing, for the people who can fix it."""
    if error.startswith("calendar_year_missing:"):
        return _(
            "The calendar has no holidays for %(year)s yet; the administrator has been alerted."
        ) % {"year": error.partition(":")[2]}
    if error == "no_policy":
        return _("No time limit is configured for this step.")
    return error


@register.filter
def may_see_on_time_rate(user) -> bool:
    return can_see_on_time_rate(user)
