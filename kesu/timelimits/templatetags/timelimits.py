"""Due times on "my work", the list and the detail page: when, how much business time is left,
and a colour for on track / due soon / overdue / paused."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from kesu.calendars.schedules import schedule_for
from kesu.core.display import duration_text
from kesu.timelimits.access import can_see_on_time_rate
from kesu.timelimits.selectors import State, most_urgent
from kesu.timelimits.steps import StepType

register = template.Library()

STATE_LABELS = {
    State.ON_TRACK: lambda: _("on track"),
    State.DUE_SOON: lambda: _("due soon"),
    State.OVERDUE: lambda: _("overdue"),
    State.PAUSED: lambda: _("paused: waiting on the customer"),
    State.UNKNOWN: lambda: _("due time unknown"),
    "done": lambda: _("done"),
}


def _day_minutes(calendar) -> int | None:
    try:
        return schedule_for(calendar).day_minutes if calendar else None
    except ValueError:
        return None


@register.filter
def business_duration(value: timedelta | None, calendar=None) -> str:
    """Business time ("3 小时 20 分", "2 个工作日 3 小时"): time left and limits are counted on
    the step's calendar, so a day is that calendar's business day."""
    return duration_text(value, day_minutes=_day_minutes(calendar))


@register.filter
def clock_time(clock) -> str:
    """What a running clock says, with its state word once: "已超时 2 天 3 小时" (calendar
    time since the due time) or "剩余 3 小时 20 分" (business time on the step's calendar)."""
    if clock is None or clock.remaining is None:
        return ""
    if clock.state == State.OVERDUE:
        return _("overdue by %(time)s") % {"time": duration_text(clock.overdue_by)}
    return _("%(time)s left") % {
        "time": business_duration(clock.remaining, clock.step.calendar)
    }


@register.filter
def state_label(state: str) -> str:
    label = STATE_LABELS.get(state)
    return label() if label else state


@register.filter
def step_label(step_type: str) -> str:
    """The step's name from its enumeration: the due cell is drawn on every row of a list,
    and `get_type_display` translates all the step types to find one."""
    try:
        return StepType(step_type).label
    except ValueError:
        return step_type


@register.inclusion_tag("timelimits/_due.html")
def due_cell(complaint, now):
    return {"clock": most_urgent(complaint, now)}


@register.filter
def step_limit(step) -> str:
    """A step's time limit, in business time on its calendar ("5 个工作日", "7 天" on 24x7)."""
    return business_duration(timedelta(minutes=step.minutes), step.calendar)


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
