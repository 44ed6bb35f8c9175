"""Selectors: a calendar's compiled `Schedule`, and the calendars callers look up by role.

Compiling a schedule costs three queries and a few milliseconds per year; a due time is computed
for every complaint step, so schedules are cached per process by (calendar pk, revision). Every
edit bumps the revision (services.calendar_changed), so a stale schedule is never served to a
caller holding a fresh Calendar row.
"""

import threading
from collections import OrderedDict

from kesu.calendars.models import Calendar, CalendarDay, CalendarYear, DayKind, WorkingWindow
from kesu.core.businesstime import Schedule

# Calendars are few; the bound only keeps superseded revisions from piling up.
CACHE_SIZE = 64

_cache: OrderedDict[tuple, Schedule] = OrderedDict()
_lock = threading.Lock()


def schedule_for(calendar: Calendar) -> Schedule:
    """The calendar's schedule: no query when cached, at most three when not."""
    # updated_at too: a revision bumped in a transaction that rolled back is reused by the next
    # edit, and must not find the schedule built from the uncommitted data.
    key = (calendar.pk, calendar.revision, calendar.updated_at)
    with _lock:
        schedule = _cache.get(key)
        if schedule is not None:
            _cache.move_to_end(key)
            return schedule
    # Built outside the lock: two threads may both build on a miss, which is harmless.
    schedule = _build(calendar)
    with _lock:
        _cache[key] = schedule
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return schedule


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def default_calendar() -> Calendar:
    """The calendar marked default (the data migration makes `standard` the default).

    Raises Calendar.DoesNotExist when an administrator has unmarked every calendar.
    """
    return Calendar.objects.get(is_default=True)


def calendar_by_code(code: str) -> Calendar:
    """Raises Calendar.DoesNotExist for an unknown code."""
    return Calendar.objects.get(code=code)


def _build(calendar: Calendar) -> Schedule:
    if calendar.is_24x7:
        return Schedule.always(calendar.time_zone)
    weekly: dict[int, list[tuple[int, int]]] = {}
    for window in WorkingWindow.objects.filter(calendar_id=calendar.pk).only(
        "weekday", "start", "end"
    ):
        weekly.setdefault(window.weekday, []).append(window.minutes)
    # Factories work a make-up day (调休) on the hours of a Monday, whatever its weekday.
    monday = weekly.get(0, [])
    days = {
        day: (monday if kind == DayKind.WORKDAY else [])
        for day, kind in CalendarDay.objects.filter(calendar_id=calendar.pk).values_list(
            "date", "kind"
        )
    }
    years = None
    if calendar.observes_public_holidays:
        years = list(
            CalendarYear.objects.filter(calendar_id=calendar.pk).values_list("year", flat=True)
        )
    return Schedule(
        time_zone=calendar.time_zone,
        weekly=weekly,
        days=days,
        years=years,
        name=calendar.name,
    )
