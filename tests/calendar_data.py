"""The configuration a fresh install has after `migrate` and `kesu seed-holidays`: the two
calendars, China's holidays around the clock's year, the default time limits and escalation
ladder, and the default 8D profile.

Tests in transactions see it because it is installed once per test database; transactional
tests flush the database when they end (migrations' rows included), so they install it again.
"""

from importlib import import_module

from django.apps import apps
from django.utils import timezone

from kesu.core import clock

# Tests that freeze the clock at a written date use these years.
WRITTEN_YEARS = range(2024, 2028)


def seeded_years() -> list[int]:
    """The written years and those around the clock's (two back for "last month" and older
    history, one ahead for due times that cross New Year), so that the tests that run at the
    present moment pass whatever the day."""
    year = timezone.localtime(clock.now()).year
    return sorted({*WRITTEN_YEARS, *range(year - 2, year + 2)})


def install_time_limit_defaults() -> None:
    from kesu.calendars.models import Calendar, CalendarYear
    from kesu.calendars.services import calendar_seed_holidays

    if not Calendar.objects.filter(code="standard").exists():
        import_module("kesu.calendars.migrations.0002_standard_and_24x7").create_calendars(
            apps, None
        )
        import_module("kesu.timelimits.migrations.0002_default_limits").create_defaults(
            apps, None
        )
        import_module("kesu.timelimits.migrations.0003_eightd_steps").containment_is_d3(
            apps, None
        )
    from kesu.eightd.models import EightDProfile

    if not EightDProfile.objects.filter(customer__isnull=True).exists():
        import_module("kesu.eightd.migrations.0002_structured").default_profile(apps, None)
    standard = Calendar.objects.get(code="standard")
    years = seeded_years()
    if CalendarYear.objects.filter(calendar=standard, year__in=years).count() < len(years):
        calendar_seed_holidays(calendar=standard, years=years)
