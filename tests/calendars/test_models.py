"""Calendar rows validate what an administrator types (SPEC §6)."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from kesu.calendars.models import Calendar, WorkingWindow

pytestmark = pytest.mark.django_db


def window(calendar, weekday, start, end):
    return WorkingWindow(calendar=calendar, weekday=weekday, start=start, end=end)


def test_the_migration_creates_the_standard_and_24x7_calendars(standard):
    assert standard.is_default
    assert standard.observes_public_holidays
    assert sorted((w.weekday, w.start, w.end) for w in standard.windows.all()) == [
        (weekday, start, end)
        for weekday in range(5)
        for start, end in [(time(8, 30), time(12)), (time(13, 30), time(17, 30))]
    ]
    always = Calendar.objects.get(code="24x7")
    assert always.is_24x7
    assert not always.observes_public_holidays
    assert not always.is_default


def test_a_window_ending_before_it_starts_is_refused(standard):
    with pytest.raises(ValidationError) as error:
        window(standard, 5, time(12), time(8)).full_clean()
    assert "end" in error.value.message_dict


def test_a_window_ending_at_midnight_is_written_as_0000(standard):
    night = window(standard, 5, time(22), time(0))
    night.full_clean()
    assert night.minutes == (1320, 1440)


def test_an_overlapping_window_on_the_same_weekday_is_refused(standard):
    with pytest.raises(ValidationError, match="Overlaps|重叠"):
        window(standard, 0, time(11), time(14)).full_clean()
    # Touching is not overlapping, and another weekday is another day.
    window(standard, 0, time(12), time(13, 30)).full_clean()
    window(standard, 5, time(11), time(14)).full_clean()


def test_editing_a_window_does_not_overlap_itself(standard):
    morning = standard.windows.get(weekday=0, start=time(8, 30))
    morning.start = time(8)
    morning.full_clean()


def test_working_hours_are_whole_minutes(standard):
    with pytest.raises(ValidationError):
        window(standard, 5, time(8, 0, 30), time(9)).full_clean()


def test_an_unknown_time_zone_is_refused():
    calendar = Calendar(name="夜班", code="night", time_zone="Asia/Beijing")
    with pytest.raises(ValidationError) as error:
        calendar.full_clean()
    assert "time_zone" in error.value.message_dict


def test_only_one_calendar_is_the_default(standard):
    other = Calendar(name="夜班", code="night", is_default=True)
    with pytest.raises(ValidationError):
        other.full_clean()
    other.is_default = False
    other.full_clean()
