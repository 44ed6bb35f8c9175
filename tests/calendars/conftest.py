import pytest

from kesu.calendars.models import Calendar, WorkingWindow
from kesu.calendars.schedules import clear_cache
from kesu.calendars.services import calendar_seed_holidays
from tests.calendar_data import WRITTEN_YEARS


@pytest.fixture(autouse=True)
def _fresh_schedule_cache():
    # Test databases reuse primary keys (and revisions) across tests; a schedule cached by an
    # earlier test must not answer for a later one.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def standard(db):
    """The default calendar the data migration creates: Mon–Fri 08:30–12:00, 13:30–17:30.
    The suite's set-up may already have seeded its holidays."""
    return Calendar.objects.get(code="standard")


@pytest.fixture
def seeded(standard):
    """The standard calendar with China's holidays 2024–2027 and no other year (seeding is
    idempotent; the suite's set-up also seeds the years around the present, which these tests
    of missing years must not see)."""
    calendar_seed_holidays(calendar=standard, years=WRITTEN_YEARS)
    standard.days.filter(date__year__in=_other_years(standard)).delete()
    standard.years.exclude(year__in=WRITTEN_YEARS).delete()
    standard.refresh_from_db()
    return standard


def _other_years(calendar) -> list[int]:
    return list(calendar.years.exclude(year__in=WRITTEN_YEARS).values_list("year", flat=True))


@pytest.fixture
def unseeded(standard):
    """A calendar with the standard hours and no holidays seeded yet."""
    calendar = Calendar.objects.create(name="二厂日历", code="plant-2")
    WorkingWindow.objects.bulk_create(
        WorkingWindow(calendar=calendar, weekday=w.weekday, start=w.start, end=w.end)
        for w in standard.windows.all()
    )
    return calendar
