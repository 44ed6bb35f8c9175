"""`kesu seed-holidays`: a summary per year, provisional years called out, idempotent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kesu.calendars.models import Calendar
from kesu.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def seed(capsys, *args):
    call_command("seed_holidays", *args)
    return capsys.readouterr().out


def test_prints_a_summary_per_year(standard, unseeded, capsys):
    out = seed(capsys, "--years", "2024-2027")
    assert "标准工作日历 (standard):" in out
    assert "二厂日历 (plant-2):" in out
    assert "2026: 22 holidays, 6 make-up days" in out
    assert "2024: 21 holidays, 8 make-up days" in out
    assert (
        "2027: provisional — no make-up days published yet, check the State Council notice" in out
    )
    assert list(unseeded.years.values_list("year", flat=True)) == [2024, 2025, 2026, 2027]
    # The 24x7 calendar observes no holidays and is left alone.
    assert not Calendar.objects.get(code="24x7").years.exists()


def test_running_twice_changes_nothing_the_second_time(unseeded, capsys):
    assert "Already up to date" not in seed(capsys, "--years", "2026", "--calendar", "plant-2")
    unseeded.refresh_from_db()
    revision = unseeded.revision
    out = seed(capsys, "--years", "2026", "--calendar", "plant-2")
    assert "Already up to date" in out
    unseeded.refresh_from_db()
    assert unseeded.revision == revision


def test_default_years_run_from_2024_through_next_year(unseeded, capsys):
    with clock.frozen(datetime(2028, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai"))):
        seed(capsys)
    assert list(unseeded.years.values_list("year", flat=True)) == list(range(2024, 2030))


def test_default_years_reach_2027_at_least(unseeded, capsys):
    with clock.frozen(datetime(2025, 3, 1, tzinfo=ZoneInfo("Asia/Shanghai"))):
        seed(capsys)
    assert list(unseeded.years.values_list("year", flat=True)) == [2024, 2025, 2026, 2027]


def test_one_calendar_by_code(standard, unseeded, capsys):
    revision = standard.revision
    seed(capsys, "--years", "2026", "--calendar", "plant-2")
    assert unseeded.years.exists()
    standard.refresh_from_db()
    assert standard.revision == revision


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--calendar", "nope"], "No calendar has the code nope"),
        (["--calendar", "24x7"], "does not observe public holidays"),
    ],
)
def test_bad_calendars_are_clear_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_holidays", "--years", "2026", *args)


def test_a_bad_year_range_is_refused(db):
    with pytest.raises(CommandError):
        call_command("seed_holidays", "--years", "2027-2024")
