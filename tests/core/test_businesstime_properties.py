"""Properties of business-time arithmetic that must hold for every start, duration and pause,
on the standard Shanghai calendar and on a Berlin calendar whose windows straddle the DST
changes. Generated instants stay inside the schedules' known years."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.core.businesstime import Schedule
from tests.core.test_businesstime import standard_schedule

STANDARD = standard_schedule(years=(2025, 2026, 2027))
# Early mornings on Sundays (01:00–04:00) cross both 2026 clock changes; Saturday ends at
# midnight and Sunday starts at it, so merged windows are exercised too.
BERLIN = Schedule(
    time_zone="Europe/Berlin",
    weekly={0: [(540, 1020)], 2: [(480, 600), (601, 1020)], 5: [(1200, 1440)], 6: [(0, 240)]},
    years=(2025, 2026, 2027),
)
SCHEDULES = st.sampled_from([STANDARD, BERLIN, Schedule.always("Europe/Berlin")])

# Starts over 2026 (with the neighbouring years known, results of up to ~300 business hours
# either way stay inside the known years).
instants = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2026, 12, 31, 23, 59, 59),
    timezones=st.sampled_from([ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"), UTC]),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=300))
pause_lists = st.lists(
    st.tuples(instants, st.one_of(st.none(), durations)).map(
        # Real-time arithmetic: aware + timedelta in a DST zone is wall-clock arithmetic.
        lambda p: (p[0], None if p[1] is None else p[0].astimezone(UTC) + p[1])
    ),
    max_size=4,
)

PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(SCHEDULES, instants, durations)
def test_between_inverts_add(schedule, start, duration):
    assert schedule.between(start, schedule.add(start, duration)) == duration


@PROPERTY
@given(SCHEDULES, instants, durations)
def test_going_back_inverts_too(schedule, start, duration):
    assert schedule.between(schedule.add(start, -duration), start) == duration


@PROPERTY
@given(SCHEDULES, instants, instants)
def test_between_is_antisymmetric(schedule, a, b):
    assert schedule.between(b, a) == -schedule.between(a, b)


@PROPERTY
@given(SCHEDULES, instants, durations, durations)
def test_add_is_monotonic_in_duration(schedule, start, d1, d2):
    d1, d2 = sorted([d1, d2])
    assert schedule.add(start, d1) <= schedule.add(start, d2)


@PROPERTY
@given(SCHEDULES, instants, instants, durations)
def test_add_is_monotonic_in_start(schedule, t1, t2, duration):
    t1, t2 = sorted([t1, t2])
    assert schedule.add(t1, duration) <= schedule.add(t2, duration)


@PROPERTY
@given(SCHEDULES, instants, instants, pause_lists)
def test_pauses_never_add_time(schedule, a, b, pauses):
    a, b = sorted([a, b])
    assert timedelta(0) <= schedule.elapsed(a, b, pauses) <= schedule.between(a, b)


@PROPERTY
@given(instants, durations)
def test_a_pause_outside_working_time_changes_nothing(start, duration):
    end = STANDARD.add(start, duration)
    # Sunday 8 March 2026, all day: no working time in it.
    sunday = (
        datetime(2026, 3, 8, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2026, 3, 9, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    assert STANDARD.elapsed(start, end, [sunday]) == STANDARD.between(start, end)
    assert STANDARD.due(start, duration, [sunday]) == end


@PROPERTY
@given(SCHEDULES, instants, durations)
def test_due_without_pauses_is_add(schedule, start, duration):
    assert schedule.due(start, duration) == schedule.add(start, duration)


@PROPERTY
@given(SCHEDULES, instants, durations, pause_lists)
def test_pauses_only_delay_the_due(schedule, start, duration, pauses):
    due = schedule.due(start, duration, pauses)
    if due is not None:
        assert due >= schedule.due(start, duration)


@PROPERTY
@given(SCHEDULES, instants, durations, pause_lists)
def test_elapsed_reaches_the_limit_exactly_at_the_due(schedule, start, duration, pauses):
    due = schedule.due(start, duration, pauses)
    if due is None:
        assert any(end is None for _, end in pauses)
    else:
        assert schedule.elapsed(start, due, pauses) == duration
        # ...and not a microsecond earlier, unless nothing counts in between.
        if duration:
            before = due - timedelta(microseconds=1)
            assert schedule.elapsed(start, before, pauses) < duration


@PROPERTY
@given(SCHEDULES, instants)
def test_is_working_agrees_with_between(schedule, instant):
    tick = timedelta(microseconds=1)
    after = instant.astimezone(UTC) + tick
    assert schedule.is_working(instant) == (schedule.between(instant, after) == tick)
