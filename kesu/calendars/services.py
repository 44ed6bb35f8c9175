"""Writes to business calendars: seeding the public holidays, and telling the rest of Kesu
that a calendar changed (SPEC §6)."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

import holidays
from django.db import transaction
from django.db.models import F

from kesu.calendars import signals
from kesu.calendars.models import Calendar, CalendarDay, CalendarYear, DayKind, DaySource
from kesu.core import clock

log = logging.getLogger(__name__)

SEED_SOURCE = f"holidays {holidays.__version__}"


@dataclass(frozen=True)
class YearSeed:
    year: int
    holidays: int
    workdays: int
    # No make-up working day is listed: the State Council notice is probably not out yet.
    provisional: bool
    created: int = 0
    updated: int = 0
    removed: int = 0
    # Days an administrator entered by hand on a date the package also lists; left alone.
    kept_manual: int = 0
    # The year's row was created or its source or provisional flag changed.
    year_written: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.year_written)


@dataclass(frozen=True)
class SeedResult:
    calendar: Calendar
    years: list[YearSeed] = field(default_factory=list)
    # A day or a year row was written; the revision was bumped and due times will be recomputed.
    changed: bool = False


def china_days(year: int) -> dict[date, tuple[str, str]]:
    """date -> (kind, name) of China's public holidays and make-up working days in `year`."""
    public = holidays.China(years=year, language="zh_CN")
    days = {day: (DayKind.HOLIDAY, name) for day, name in public.items() if day.year == year}
    # `weekend_workdays` also holds make-up days of other (old) years; keep this year's.
    for day in public.weekend_workdays:
        if day.year == year:
            days[day] = (DayKind.WORKDAY, "调休上班")
    return days


@transaction.atomic
def calendar_seed_holidays(
    *, calendar: Calendar, years: list[int], now: datetime | None = None
) -> SeedResult:
    """Write China's public holidays and make-up days of `years` into the calendar.

    Idempotent: a second run writes nothing. Seeded days follow the package (a day it no longer
    lists is removed); days entered by hand are never touched.
    """
    if calendar.is_24x7 or not calendar.observes_public_holidays:
        raise ValueError(f"calendar {calendar.code} does not observe public holidays")
    now = now or clock.now()
    summaries = []
    for year in sorted(set(years)):
        summaries.append(_seed_year(calendar, year, now))
    changed = any(s.changed for s in summaries)
    if changed:
        calendar_changed(calendar=calendar)
    return SeedResult(calendar=calendar, years=summaries, changed=changed)


def _seed_year(calendar: Calendar, year: int, now: datetime) -> YearSeed:
    wanted = china_days(year)
    existing = {
        day.date: day
        for day in CalendarDay.objects.filter(calendar=calendar, date__year=year).order_by()
    }
    created = updated = kept_manual = 0
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(
                calendar=calendar, date=day, kind=kind, name=name, source=DaySource.SEEDED
            )
            created += 1
        elif row.source == DaySource.MANUAL:
            kept_manual += 1
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
            updated += 1
    # Deleted one by one (not queryset.delete()) so that the change log records each.
    stale = [
        row for day, row in existing.items() if row.source == DaySource.SEEDED and day not in wanted
    ]
    for row in stale:
        row.delete()
    workdays = sum(1 for kind, _name in wanted.values() if kind == DayKind.WORKDAY)
    provisional = workdays == 0
    year_row = CalendarYear.objects.filter(calendar=calendar, year=year).first()
    year_written = True
    if year_row is None:
        CalendarYear.objects.create(
            calendar=calendar,
            year=year,
            source=SEED_SOURCE,
            provisional=provisional,
            seeded_at=now,
        )
    elif (year_row.source, year_row.provisional) != (SEED_SOURCE, provisional):
        year_row.source, year_row.provisional, year_row.seeded_at = SEED_SOURCE, provisional, now
        year_row.save(update_fields=["source", "provisional", "seeded_at"])
    else:
        year_written = False
    return YearSeed(
        year=year,
        holidays=len(wanted) - workdays,
        workdays=workdays,
        provisional=provisional,
        created=created,
        updated=updated,
        removed=len(stale),
        kept_manual=kept_manual,
        year_written=year_written,
    )


def calendar_changed(*, calendar: Calendar) -> None:
    """Record that the calendar's data changed: bump its revision (the schedule cache key) and,
    once committed, recompute the due times that were counted on it."""
    Calendar.objects.filter(pk=calendar.pk).update(
        revision=F("revision") + 1, updated_at=clock.now()
    )
    calendar.refresh_from_db(fields=["revision", "updated_at"])
    calendar_id = calendar.pk
    # The time limits listen (kesu.timelimits.apps): they build on calendars, not the reverse.
    transaction.on_commit(
        lambda: signals.calendar_edited.send(sender=Calendar, calendar_id=calendar_id)
    )
