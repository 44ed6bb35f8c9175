"""Reads about business calendars that the administrator must be told about."""

from datetime import datetime
from zoneinfo import ZoneInfo

from kesu.calendars.models import Calendar, CalendarYear


def missing_years(calendar: Calendar, around: datetime) -> list[int]:
    """Years among the current and the next one (at `around`, in the calendar's zone) whose
    holidays are not seeded. Due times reaching into such a year cannot be computed, so these
    must be seeded before the year turns. One query; none for a calendar without holidays."""
    if calendar.is_24x7 or not calendar.observes_public_holidays:
        return []
    year = around.astimezone(ZoneInfo(calendar.time_zone)).year
    needed = {year, year + 1}
    seeded = set(
        CalendarYear.objects.filter(calendar=calendar, year__in=needed).values_list(
            "year", flat=True
        )
    )
    return sorted(needed - seeded)


def calendars_missing_years(around: datetime) -> dict[Calendar, list[int]]:
    """Every calendar that observes public holidays and lacks a year it needs. Two queries."""
    calendars = list(Calendar.objects.filter(is_24x7=False, observes_public_holidays=True))
    seeded: dict[int, set[int]] = {}
    for calendar_id, year in CalendarYear.objects.filter(calendar__in=calendars).values_list(
        "calendar_id", "year"
    ):
        seeded.setdefault(calendar_id, set()).add(year)
    result = {}
    for calendar in calendars:
        year = around.astimezone(ZoneInfo(calendar.time_zone)).year
        missing = sorted({year, year + 1} - seeded.get(calendar.pk, set()))
        if missing:
            result[calendar] = missing
    return result
