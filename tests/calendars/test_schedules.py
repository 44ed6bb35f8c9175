"""Schedules compiled from calendar rows: cached by revision, cheap to load (SPEC §6)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kesu.calendars.models import Calendar, CalendarDay, DayKind, WorkingWindow
from kesu.calendars.schedules import calendar_by_code, default_calendar, schedule_for
from kesu.calendars.selectors import calendars_missing_years, missing_years
from kesu.calendars.services import calendar_changed
from kesu.core.businesstime import CalendarYearMissing

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)


def sh(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_the_seeded_standard_calendar_sleeps_through_the_spring_festival(seeded):
    schedule = schedule_for(seeded)
    assert schedule.add(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 10)
    assert schedule.add(sh(2026, 2, 14, 17), 2 * H) == sh(2026, 2, 24, 10)
    assert schedule.add(sh(2026, 3, 6, 17, 20), 2 * H) == sh(2026, 3, 9, 10, 20)


def test_a_make_up_day_works_monday_hours(seeded):
    WorkingWindow.objects.filter(calendar=seeded, weekday=0, start=time(13, 30)).update(
        end=time(16)
    )
    calendar_changed(calendar=seeded)
    schedule = schedule_for(seeded)
    # Saturday 28 February 2026 (调休) follows Monday: the afternoon ends at 16:00.
    assert schedule.between(sh(2026, 2, 28, 0), sh(2026, 3, 1, 0)) == timedelta(hours=6)


def test_an_unseeded_year_fails_closed(seeded):
    with pytest.raises(CalendarYearMissing) as missing:
        schedule_for(seeded).add(sh(2031, 3, 3, 9), H)
    assert missing.value.year == 2031
    assert missing.value.calendar == "标准工作日历"


def test_an_unseeded_calendar_knows_no_year(unseeded):
    with pytest.raises(CalendarYearMissing):
        schedule_for(unseeded).add(sh(2026, 3, 3, 9), H)


def test_the_24x7_calendar_is_plain_arithmetic(django_assert_num_queries):
    always = calendar_by_code("24x7")
    with django_assert_num_queries(0):
        schedule = schedule_for(always)
    assert schedule.add(sh(2026, 2, 17, 3), 40 * H) == sh(2026, 2, 18, 19)


def test_a_calendar_without_public_holidays_knows_every_year(standard):
    standard.observes_public_holidays = False
    standard.save()
    CalendarDay.objects.create(calendar=standard, date=date(2031, 3, 3), kind=DayKind.HOLIDAY)
    calendar_changed(calendar=standard)
    # Monday 3 March 2031 is a company holiday; Tuesday is a working day.
    assert schedule_for(standard).add(sh(2031, 3, 3, 9), H) == sh(2031, 3, 4, 9, 30)


def test_loading_costs_three_queries_and_a_hit_none(seeded, django_assert_num_queries):
    with django_assert_num_queries(3):
        first = schedule_for(seeded)
    with django_assert_num_queries(0):
        assert schedule_for(seeded) is first


def test_a_revision_bump_rebuilds_the_schedule(seeded):
    first = schedule_for(seeded)
    CalendarDay.objects.create(calendar=seeded, date=date(2026, 3, 9), kind=DayKind.HOLIDAY)
    assert schedule_for(seeded) is first  # same revision: the edit is not seen yet
    calendar_changed(calendar=seeded)
    second = schedule_for(seeded)
    assert second is not first
    assert second.add(sh(2026, 3, 9, 9), H) == sh(2026, 3, 10, 9, 30)


def test_a_stale_instance_gets_a_schedule_too(seeded):
    stale = Calendar.objects.get(pk=seeded.pk)
    calendar_changed(calendar=seeded)
    assert schedule_for(stale) is not schedule_for(seeded)


def test_default_calendar_and_lookup_by_code(standard):
    assert default_calendar() == standard
    assert calendar_by_code("standard") == standard
    with pytest.raises(Calendar.DoesNotExist):
        calendar_by_code("nope")


def test_missing_years_are_the_current_and_next_ones_not_seeded(seeded):
    assert missing_years(seeded, sh(2026, 11, 23, 10)) == []
    assert missing_years(seeded, sh(2027, 6, 1, 10)) == [2028]
    # New Year's Eve in Shanghai is already 2028 there, though still 2027 in UTC.
    assert missing_years(seeded, sh(2028, 1, 1, 1)) == [2028, 2029]
    assert missing_years(calendar_by_code("24x7"), sh(2031, 1, 1)) == []


def test_calendars_missing_years_lists_each_calendar_that_needs_seeding(
    seeded, django_assert_num_queries
):
    night = Calendar.objects.create(name="夜班", code="night")
    with django_assert_num_queries(2):
        missing = calendars_missing_years(sh(2027, 6, 1))
    assert missing[seeded] == [2028]
    assert missing[night] == [2027, 2028]
