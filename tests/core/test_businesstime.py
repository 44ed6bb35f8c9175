"""Business-time arithmetic (SPEC §6) on the standard factory calendar: Monday to Friday
08:30–12:00 and 13:30–17:30, China's 2026 public holidays and make-up working days (调休)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kesu.core.businesstime import CalendarYearMissing, Schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
STANDARD_DAY = [(510, 720), (810, 1050)]  # 08:30–12:00, 13:30–17:30
H = timedelta(hours=1)
M = timedelta(minutes=1)

# China 2026 as published by the State Council (and as `holidays` 0.109 lists it), written out
# so that these tests do not depend on the package.
HOLIDAYS_2026 = [
    "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-05", "04-06",
    "05-01", "05-02", "05-04", "05-05", "06-19", "09-25", "10-01", "10-02", "10-03", "10-05",
    "10-06", "10-07",
]  # fmt: skip
MAKE_UP_DAYS_2026 = ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]


def china_2026_days() -> dict[date, list[tuple[int, int]]]:
    days = {date.fromisoformat(f"2026-{md}"): [] for md in HOLIDAYS_2026}
    days.update({date.fromisoformat(f"2026-{md}"): STANDARD_DAY for md in MAKE_UP_DAYS_2026})
    return days


def standard_schedule(years=(2025, 2026, 2027)) -> Schedule:
    return Schedule(
        time_zone="Asia/Shanghai",
        weekly={weekday: STANDARD_DAY for weekday in range(5)},
        days=china_2026_days(),
        years=years,
        name="standard",
    )


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def standard():
    return standard_schedule()


def test_spring_festival_eve_runs_into_the_saturday_make_up_day(standard):
    # Friday 17:00: half an hour left, the rest on Saturday 14 February, a 调休 working day.
    assert standard.add(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 10)


def test_after_the_make_up_day_the_clock_sleeps_through_the_festival(standard):
    # 15 Sunday, 16–20 holidays, 21–22 weekend, 23 holiday: work resumes Tuesday 24 February.
    assert standard.add(sh(2026, 2, 14, 17), 2 * H) == sh(2026, 2, 24, 10)


def test_friday_evening_complaint_is_due_on_monday_morning(standard):
    assert standard.add(sh(2026, 3, 6, 17, 20), 2 * H) == sh(2026, 3, 9, 10, 20)


def test_the_brief_figures_hold_for_a_day_starting_at_eight():
    # The 09:30 and 09:50 are what a calendar starting at 08:00 (not 08:30) gives.
    eight = Schedule(
        time_zone="Asia/Shanghai",
        weekly={weekday: [(480, 720), (810, 1050)] for weekday in range(5)},
        days={day: [(480, 720), (810, 1050)] if hours else [] for day, hours in
              china_2026_days().items()},
        years=[2026],
    )  # fmt: skip
    assert eight.add(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 9, 30)
    assert eight.add(sh(2026, 3, 6, 17, 20), 2 * H) == sh(2026, 3, 9, 9, 50)


def test_lunch_break_does_not_count(standard):
    assert standard.add(sh(2026, 3, 9, 11), 2 * H) == sh(2026, 3, 9, 14, 30)


def test_a_start_on_sunday_counts_from_monday_morning(standard):
    assert standard.add(sh(2026, 3, 8, 10), 2 * H) == sh(2026, 3, 9, 10, 30)


def test_a_result_exactly_at_a_window_end_stays_there(standard):
    assert standard.add(sh(2026, 3, 9, 10, 30), 90 * M) == sh(2026, 3, 9, 12)
    assert standard.add(sh(2026, 3, 9, 13, 30), 4 * H) == sh(2026, 3, 9, 17, 30)


def test_going_back_stops_at_a_window_start(standard):
    assert standard.add(sh(2026, 3, 9, 14), -30 * M) == sh(2026, 3, 9, 13, 30)
    assert standard.add(sh(2026, 3, 9, 9), -1 * H) == sh(2026, 3, 6, 17)


def test_zero_duration_is_the_start_itself_in_utc(standard):
    start = sh(2026, 3, 8, 3)
    result = standard.add(start, timedelta(0))
    assert result == start
    assert result.tzinfo is UTC


def test_results_are_utc(standard):
    assert standard.add(sh(2026, 3, 9, 11), H).tzinfo is UTC


def test_between_counts_working_time_only_and_is_signed(standard):
    assert standard.between(sh(2026, 3, 6, 17), sh(2026, 3, 9, 9)) == H
    assert standard.between(sh(2026, 3, 9, 9), sh(2026, 3, 6, 17)) == -H
    assert standard.between(sh(2026, 2, 14, 17), sh(2026, 2, 24, 8)) == 30 * M


def test_is_working(standard):
    assert standard.is_working(sh(2026, 3, 9, 8, 30))
    assert standard.is_working(sh(2026, 3, 9, 11, 59))
    assert not standard.is_working(sh(2026, 3, 9, 12))
    assert not standard.is_working(sh(2026, 3, 7, 10))  # Saturday
    assert standard.is_working(sh(2026, 2, 28, 10))  # Saturday, make-up working day
    assert not standard.is_working(sh(2026, 2, 17, 10))  # Spring Festival


def test_an_instant_in_an_unknown_year_fails_closed():
    schedule = standard_schedule(years=range(2024, 2028))
    with pytest.raises(CalendarYearMissing) as missing:
        schedule.add(sh(2031, 3, 3, 9), H)
    assert missing.value.year == 2031
    assert missing.value.calendar == "standard"
    assert "2031" in str(missing.value)
    with pytest.raises(CalendarYearMissing):
        schedule.between(sh(2026, 3, 3, 9), sh(2031, 3, 3, 9))
    with pytest.raises(CalendarYearMissing):
        schedule.is_working(sh(2023, 12, 31, 10))


def test_a_result_in_an_unknown_year_fails_closed():
    schedule = standard_schedule(years=[2026])
    with pytest.raises(CalendarYearMissing) as missing:
        schedule.add(sh(2026, 12, 31, 17), 2 * H)
    assert missing.value.year == 2027
    with pytest.raises(CalendarYearMissing):
        schedule.add(sh(2026, 1, 5, 9), -10 * H)  # back past 4 January (调休) into 2025


def test_a_gap_in_the_known_years_is_not_crossed():
    schedule = standard_schedule(years=[2025, 2027])
    assert schedule.add(sh(2027, 3, 1, 9), H) == sh(2027, 3, 1, 10)
    with pytest.raises(CalendarYearMissing) as missing:
        schedule.between(sh(2025, 3, 3, 9), sh(2027, 3, 1, 9))
    assert missing.value.year == 2026


def test_a_pause_over_the_weekend_adds_nothing(standard):
    start = sh(2026, 3, 6, 17, 20)
    pause = (sh(2026, 3, 6, 17, 30), sh(2026, 3, 9, 8, 30))
    assert standard.due(start, 2 * H, [pause]) == sh(2026, 3, 9, 10, 20)
    assert standard.elapsed(start, sh(2026, 3, 9, 9), [pause]) == 40 * M


def test_a_pause_in_working_hours_pushes_the_due_by_its_business_length(standard):
    start = sh(2026, 3, 6, 17, 20)
    pause = (sh(2026, 3, 9, 9), sh(2026, 3, 9, 10))
    assert standard.due(start, 2 * H, [pause]) == sh(2026, 3, 9, 11, 20)
    # A pause over lunch only costs its working part.
    lunch = (sh(2026, 3, 9, 9, 30), sh(2026, 3, 9, 14))
    assert standard.due(start, 2 * H, [lunch]) == sh(2026, 3, 9, 14, 50)


def test_an_open_pause_stops_the_clock(standard):
    start = sh(2026, 3, 9, 9)
    assert standard.due(start, 2 * H, [(sh(2026, 3, 9, 10), None)]) is None
    # ...unless the limit is reached before it begins.
    assert standard.due(start, 2 * H, [(sh(2026, 3, 9, 11), None)]) == sh(2026, 3, 9, 11)
    assert standard.due(start, 2 * H, [(sh(2026, 3, 10, 9), None)]) == sh(2026, 3, 9, 11)


def test_overlapping_and_outlying_pauses(standard):
    start = sh(2026, 3, 9, 9)
    pauses = [
        (sh(2026, 3, 1, 9), sh(2026, 3, 2, 9)),  # before the start: ignored
        (sh(2026, 3, 9, 8), sh(2026, 3, 9, 9, 30)),  # straddles the start
        (sh(2026, 3, 9, 9, 15), sh(2026, 3, 9, 10)),  # overlaps the previous one
    ]
    assert standard.elapsed(start, sh(2026, 3, 9, 11), pauses) == H
    assert standard.due(start, H, pauses) == sh(2026, 3, 9, 11)
    assert standard.elapsed(start, sh(2026, 3, 9, 11), [(sh(2026, 3, 9, 10), None)]) == H


def test_elapsed_is_signed_like_between(standard):
    pause = [(sh(2026, 3, 9, 10), sh(2026, 3, 9, 10, 30))]
    forward = standard.elapsed(sh(2026, 3, 9, 9), sh(2026, 3, 9, 11), pause)
    assert forward == 90 * M
    assert standard.elapsed(sh(2026, 3, 9, 11), sh(2026, 3, 9, 9), pause) == -forward


def test_a_pause_in_an_unknown_year_after_the_due_changes_nothing():
    schedule = standard_schedule(years=[2026])
    start = sh(2026, 3, 9, 9)
    assert schedule.due(start, H, [(sh(2031, 1, 1, 0), None)]) == sh(2026, 3, 9, 10)


def test_an_open_pause_before_an_unknowable_due_still_stops_the_clock():
    schedule = standard_schedule(years=[2026])
    start = sh(2026, 12, 31, 9)
    assert schedule.due(start, 40 * H, [(sh(2026, 12, 31, 10), None)]) is None
    with pytest.raises(CalendarYearMissing):
        schedule.due(start, 40 * H)


def test_due_refuses_a_negative_limit_and_bad_pauses(standard):
    with pytest.raises(ValueError):
        standard.due(sh(2026, 3, 9, 9), -H)
    with pytest.raises(ValueError):
        standard.due(sh(2026, 3, 9, 9), H, [(sh(2026, 3, 9, 10), sh(2026, 3, 9, 9))])


def test_naive_datetimes_are_refused(standard):
    with pytest.raises(ValueError, match="aware"):
        standard.add(datetime(2026, 3, 9, 9), H)
    with pytest.raises(ValueError, match="aware"):
        standard.between(sh(2026, 3, 9, 9), datetime(2026, 3, 9, 10))
    with pytest.raises(ValueError, match="aware"):
        standard.due(sh(2026, 3, 9, 9), H, [(datetime(2026, 3, 9, 10), None)])


def test_always_is_plain_arithmetic():
    always = Schedule.always()
    start = sh(2026, 2, 16, 23, 59)  # Spring Festival eve: still business time
    assert always.add(start, 40 * H) == start + 40 * H
    assert always.between(start, start + 3 * H) == 3 * H
    assert always.is_working(start)
    assert always.due(start, 5 * H, [(start + H, start + 2 * H)]) == start + 6 * H
    assert always.add(sh(2031, 1, 1), H) == sh(2031, 1, 1, 1)


def test_always_counts_real_hours_across_a_dst_change():
    always = Schedule.always("Europe/Berlin")
    night = datetime(2026, 3, 29, 0, tzinfo=BERLIN)
    assert always.between(night, datetime(2026, 3, 29, 4, tzinfo=BERLIN)) == 3 * H


def test_windows_are_wall_clock_in_a_dst_zone():
    # Sundays 01:00–04:00 in Berlin: 2 real hours when clocks spring forward, 4 when they
    # fall back, 3 otherwise.
    berlin = Schedule(time_zone="Europe/Berlin", weekly={6: [(60, 240)], 0: [(540, 1020)]})

    def sunday(d):
        return berlin.between(
            datetime(2026, 3, d, 0, tzinfo=BERLIN), datetime(2026, 3, d, 5, tzinfo=BERLIN)
        )

    assert sunday(22) == 3 * H
    assert sunday(29) == 2 * H
    october = datetime(2026, 10, 25, 0, tzinfo=BERLIN)
    assert berlin.between(october, october + 6 * H) == 4 * H
    # Monday 09:00 local is 07:00 UTC in summer and 08:00 UTC in winter.
    assert berlin.add(datetime(2026, 3, 29, 5, tzinfo=BERLIN), H) == datetime(
        2026, 3, 30, 8, tzinfo=UTC
    )
    assert berlin.add(datetime(2026, 10, 25, 5, tzinfo=BERLIN), H) == datetime(
        2026, 10, 26, 9, tzinfo=UTC
    )


def test_a_window_may_end_at_midnight_and_run_into_the_next_day():
    night = Schedule(time_zone="Asia/Shanghai", weekly={0: [(1320, 1440)], 1: [(0, 360)]})
    monday = sh(2026, 3, 9, 23)
    assert night.add(monday, H) == sh(2026, 3, 10)
    assert night.add(monday, 2 * H) == sh(2026, 3, 10, 1)
    assert night.is_working(sh(2026, 3, 10))
    assert not night.is_working(sh(2026, 3, 10, 6))


def test_a_year_boundary_is_crossed_when_both_years_are_known(standard):
    # 1–2 January are holidays, 3 January a Saturday, Sunday 4 January a make-up working day.
    assert standard.add(sh(2025, 12, 31, 17), H) == sh(2026, 1, 4, 9)
    assert standard.between(sh(2025, 12, 31, 17), sh(2026, 1, 4, 9)) == H


@pytest.mark.parametrize(
    "weekly",
    [{}, {0: []}, {0: [(600, 600)]}, {0: [(600, 500)]}, {0: [(0, 1441)]}, {7: [(0, 60)]},
     {0: [(480, 720), (700, 800)]}],
)  # fmt: skip
def test_bad_windows_are_refused(weekly):
    with pytest.raises(ValueError):
        Schedule(time_zone="Asia/Shanghai", weekly=weekly)


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        Schedule(time_zone="Asia/Nowhere", weekly={0: [(0, 60)]})


def test_threads_compiling_the_same_schedule_agree():
    # Years are compiled lazily and the compiled arrays swapped while other threads read them.
    starts = [sh(2025 + i % 2, 1 + i % 12, 1 + i % 28, 9) for i in range(300)]
    expected = [standard_schedule().add(start, 30 * H) for start in starts]
    shared = standard_schedule()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda start: shared.add(start, 30 * H), starts))
    assert results == expected
