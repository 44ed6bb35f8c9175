"""The configuration a fresh install has after `migrate` and `kesu seed-holidays`: the two
calendars, China's holidays 2024–2027, the default time limits and escalation ladder, and the
default 8D profile.

Tests in transactions see it because it is installed once per test database; transactional
tests flush the database when they end (migrations' rows included), so they install it again.
"""

from importlib import import_module

from django.apps import apps

SEEDED_YEARS = range(2024, 2028)


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
    if CalendarYear.objects.filter(calendar=standard).count() < len(SEEDED_YEARS):
        calendar_seed_holidays(calendar=standard, years=list(SEEDED_YEARS))
