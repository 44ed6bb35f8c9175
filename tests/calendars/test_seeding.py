"""Seeding China's public holidays (SPEC §6): from the `holidays` package, idempotent, and
never over an administrator's own entries."""

import types
from datetime import date

import pytest
from auditlog.models import LogEntry

from kesu.calendars.models import CalendarDay, CalendarYear, DayKind, DaySource
from kesu.calendars.services import calendar_changed, calendar_seed_holidays
from kesu.timelimits import tasks

pytestmark = pytest.mark.django_db


def kinds(calendar, year):
    return dict(calendar.days.filter(date__year=year).values_list("date", "kind"))


def test_2026_has_the_spring_festival_and_its_make_up_saturdays(seeded):
    days = kinds(seeded, 2026)
    assert days[date(2026, 2, 14)] == DayKind.WORKDAY
    assert days[date(2026, 2, 28)] == DayKind.WORKDAY
    assert days[date(2026, 2, 17)] == DayKind.HOLIDAY
    assert sum(kind == DayKind.HOLIDAY for kind in days.values()) == 22
    assert sum(kind == DayKind.WORKDAY for kind in days.values()) == 6
    assert seeded.days.get(date=date(2026, 2, 17)).name == "春节"
    assert set(seeded.days.values_list("source", flat=True)) == {DaySource.SEEDED}


def test_stray_make_up_days_of_old_years_are_not_seeded(seeded):
    assert not seeded.days.filter(date__year__lt=2024).exists()


def test_2027_is_provisional_until_its_make_up_days_are_published(seeded):
    years = dict(seeded.years.values_list("year", "provisional"))
    assert years == {2024: False, 2025: False, 2026: False, 2027: True}
    assert seeded.years.get(year=2027).source.startswith("holidays ")
    assert not kinds(seeded, 2027) or DayKind.WORKDAY not in kinds(seeded, 2027).values()


def test_seeding_again_changes_nothing(seeded):
    revision = seeded.revision
    entries = LogEntry.objects.count()
    rows = list(CalendarDay.objects.values_list("pk", "date", "kind", "name", "source"))
    result = calendar_seed_holidays(calendar=seeded, years=range(2024, 2028))
    assert not result.changed
    assert not any(year.changed for year in result.years)
    seeded.refresh_from_db()
    assert seeded.revision == revision
    assert list(CalendarDay.objects.values_list("pk", "date", "kind", "name", "source")) == rows
    assert LogEntry.objects.count() == entries


def test_seeding_bumps_the_revision(unseeded):
    before = unseeded.revision
    result = calendar_seed_holidays(calendar=unseeded, years=[2026])
    assert result.changed
    unseeded.refresh_from_db()
    assert unseeded.revision == before + 1
    assert list(unseeded.years.values_list("year", flat=True)) == [2026]


def test_days_entered_by_hand_survive_a_reseed(seeded):
    # The factory works on the Dragon Boat Festival and closes for a stocktake.
    dragon_boat = seeded.days.get(date=date(2026, 6, 19))
    dragon_boat.kind, dragon_boat.source, dragon_boat.name = (
        DayKind.WORKDAY,
        DaySource.MANUAL,
        "端午加班",
    )
    dragon_boat.save()
    CalendarDay.objects.create(
        calendar=seeded, date=date(2026, 7, 1), kind=DayKind.HOLIDAY, name="盘点"
    )
    result = calendar_seed_holidays(calendar=seeded, years=[2026])
    assert not result.changed
    assert result.years[0].kept_manual == 1
    assert kinds(seeded, 2026)[date(2026, 6, 19)] == DayKind.WORKDAY
    assert kinds(seeded, 2026)[date(2026, 7, 1)] == DayKind.HOLIDAY


def test_a_seeded_day_the_package_no_longer_lists_is_removed_and_a_changed_one_updated(seeded):
    CalendarDay.objects.create(
        calendar=seeded, date=date(2026, 7, 2), kind=DayKind.HOLIDAY, source=DaySource.SEEDED
    )
    CalendarDay.objects.filter(calendar=seeded, date=date(2026, 2, 17)).update(name="旧名")
    result = calendar_seed_holidays(calendar=seeded, years=[2026])
    assert (result.years[0].removed, result.years[0].updated) == (1, 1)
    assert not seeded.days.filter(date=date(2026, 7, 2)).exists()
    assert seeded.days.get(date=date(2026, 2, 17)).name == "春节"


def test_a_provisional_year_is_updated_once_its_make_up_days_appear(seeded, monkeypatch):
    from kesu.calendars import services

    real = services.china_days

    def published(year):
        days = real(year)
        if year == 2027:
            days[date(2027, 2, 20)] = (DayKind.WORKDAY, "调休上班")
        return days

    monkeypatch.setattr(services, "china_days", published)
    result = calendar_seed_holidays(calendar=seeded, years=[2027])
    assert result.changed
    assert not CalendarYear.objects.get(calendar=seeded, year=2027).provisional


def test_a_calendar_without_holidays_cannot_be_seeded(db):
    from kesu.calendars.schedules import calendar_by_code

    with pytest.raises(ValueError):
        calendar_seed_holidays(calendar=calendar_by_code("24x7"), years=[2026])


def test_seeded_days_are_in_the_change_log(seeded):
    day = seeded.days.get(date=date(2026, 2, 14))
    assert LogEntry.objects.get_for_object(day).filter(action=LogEntry.Action.CREATE).exists()


def test_a_change_recomputes_due_times_after_commit(
    standard, monkeypatch, django_capture_on_commit_callbacks
):
    # The time-limit engine listens to the calendar's signal; a stand-in queue records the call.
    calls = []
    monkeypatch.setattr(
        tasks, "recompute_due_times", types.SimpleNamespace(enqueue=lambda **kw: calls.append(kw))
    )
    before = standard.revision
    with django_capture_on_commit_callbacks(execute=True):
        calendar_changed(calendar=standard)
        assert calls == []  # not before commit
    assert standard.revision == before + 1
    assert calls == [{"calendar_id": standard.pk, "reason": "calendar"}]
