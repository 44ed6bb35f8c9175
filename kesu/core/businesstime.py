"""Business-time arithmetic (SPEC §6): time limits count working time, not wall-clock time.

A `Schedule` is plain data (weekly working windows, per-date overrides, the years whose holidays
are known) compiled once into sorted working intervals in UTC microseconds with a running sum of
business microseconds. `add` and `between` are then two bisections, and exact: integers
throughout, so `between(t, add(t, d)) == d` holds to the microsecond.

Windows are local wall-clock times in the schedule's zone, so a Europe/Berlin window on the day
clocks change is an hour shorter or longer in real time; every result is a real instant in UTC.

An instant in a year whose holidays are not known raises `CalendarYearMissing`: a due time
computed on a guessed calendar would be silently wrong for the whole Spring Festival.
"""

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext

__all__ = ["CalendarYearMissing", "Schedule"]

US = timedelta(microseconds=1)
MINUTE_US = 60_000_000
DAY_MINUTES = 1440
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = EPOCH.date().toordinal()
# Years an instant may fall in (datetime's own range, less a margin for the zone offset).
MIN_YEAR, MAX_YEAR = 2, 9998
# When a request needs years far from those already compiled, compile only what it needs
# instead of every year in between (24x7-like schedules with `years=None` reach anywhere).
MAX_GAP_YEARS = 10

Window = tuple[int, int]


class CalendarYearMissing(Exception):  # noqa: N818 - the name the SPEC and callers use
    """The schedule does not know the holidays of `year`; the administrator must seed them."""

    def __init__(self, year: int, calendar: str = ""):
        self.year = year
        self.calendar = calendar
        super().__init__(year, calendar)

    def __str__(self):
        return gettext("Business calendar %(calendar)s has no holidays for %(year)s.") % {
            "calendar": self.calendar or "-",
            "year": self.year,
        }


@dataclass(frozen=True, slots=True)
class _Compiled:
    """Working intervals of the years lo..hi, sorted and disjoint (adjacent ones merged).

    `before[i]` is the business time from `origin` (start of year lo) to `starts[i]`,
    `after[i]` the same to `ends[i]`. Immutable: a thread holding one never sees it change.
    """

    lo: int
    hi: int
    origin: int  # local midnight, 1 January of lo, in UTC µs
    limit: int  # local midnight, 1 January of hi + 1, in UTC µs (exclusive)
    starts: list[int]
    ends: list[int]
    before: list[int]
    after: list[int]

    def cum(self, x: int) -> int:
        """Business µs from origin to x (x inside [origin, limit])."""
        i = bisect_right(self.starts, x) - 1
        if i < 0:
            return 0
        return self.before[i] + min(x, self.ends[i]) - self.starts[i]

    def earliest(self, target: int) -> int | None:
        """Earliest instant at which cum reaches target (0 < target); None past the end."""
        i = bisect_left(self.after, target)
        if i == len(self.after):
            return None
        return self.starts[i] + target - self.before[i]

    def latest(self, target: int) -> int:
        """Latest instant at which cum equals target (0 <= target < total): a window's start
        rather than the previous window's end."""
        i = bisect_right(self.before, target) - 1
        return self.starts[i] + target - self.before[i]


def _to_us(instant: datetime) -> int:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("business time needs aware datetimes, got a naive one")
    return (instant - EPOCH) // US


def _from_us(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=us)


def _windows(raw: Sequence[Sequence[int]], where: str) -> tuple[Window, ...]:
    windows = sorted((int(start), int(end)) for start, end in raw)
    previous_end = 0
    for start, end in windows:
        if not 0 <= start < end <= DAY_MINUTES:
            raise ValueError(
                f"{where}: window ({start}, {end}) must satisfy 0 <= start < end <= 1440"
            )
        if start < previous_end:
            raise ValueError(f"{where}: windows overlap")
        previous_end = end
    return tuple(windows)


class Schedule:
    """Working time of one calendar. Thread-safe; compiles lazily, year by year, on demand."""

    def __init__(
        self,
        *,
        time_zone: str,
        weekly: Mapping[int, Sequence[tuple[int, int]]],
        days: Mapping[date, Sequence[tuple[int, int]]] | None = None,
        years: Iterable[int] | None = None,
        name: str = "",
    ):
        try:
            self.zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {time_zone!r}") from exc
        self.time_zone = time_zone
        self.name = name
        if any(weekday not in range(7) for weekday in weekly):
            raise ValueError("weekly: weekdays are 0 (Monday) to 6 (Sunday)")
        self.weekly = {
            weekday: _windows(weekly.get(weekday, ()), f"weekday {weekday}") for weekday in range(7)
        }
        # Without a single weekly window `add` could never finish; say so now, not by hanging.
        if not any(self.weekly.values()):
            raise ValueError("a schedule needs at least one weekly working window")
        self.days = {day: _windows(windows, str(day)) for day, windows in (days or {}).items()}
        self.years = None if years is None else frozenset(int(year) for year in years)
        self._always = False
        self._per_year: dict[int, list[Window]] = {}
        self._compiled: _Compiled | None = None
        self._lock = threading.Lock()

    @classmethod
    def always(cls, time_zone: str = "Asia/Shanghai") -> "Schedule":
        """24x7: every instant is business time, so the arithmetic is plain arithmetic."""
        schedule = cls(time_zone=time_zone, weekly={day: [(0, DAY_MINUTES)] for day in range(7)})
        schedule._always = True
        return schedule

    def __repr__(self):
        return f"<Schedule {self.name or '-'} {self.time_zone}>"

    @property
    def day_minutes(self) -> int:
        """The length of a business day: the working minutes of the commonest working weekday
        (8 h for a factory working 08:30–17:30 with a lunch break, 24 h for 24x7), so that
        "2 business days" means what the calendar means by it."""
        totals = [sum(end - start for start, end in windows) for windows in self.weekly.values()]
        totals = [total for total in totals if total]
        return max(totals, key=lambda total: (totals.count(total), total))

    # Public arithmetic ------------------------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Earliest instant at which `duration` of business time has elapsed since `start`.

        A result exactly at a window's end stays there (12:00, not 13:30). A negative duration
        goes back: the latest instant from which `-duration` reaches `start`.
        """
        x = _to_us(start)
        d = duration // US
        if self._always:
            return _from_us(x + d)
        if d == 0:
            self._check_year(x)
            return start.astimezone(UTC)
        return _from_us(self._add_us(x, d))

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from start to end; negative when end comes first."""
        return timedelta(microseconds=self._between_us(_to_us(start), _to_us(end)))

    def elapsed(
        self,
        start: datetime,
        end: datetime,
        pauses: Iterable[tuple[datetime, datetime | None]] = (),
    ) -> timedelta:
        """Business time in [start, end] outside every pause (signed like `between`).

        Pauses may overlap, be open-ended (end None) or lie partly or wholly outside.
        """
        a, b = _to_us(start), _to_us(end)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        total = self._between_us(a, b)
        for ps, pe in self._merged_pauses(pauses):
            lo, hi = max(ps, a), min(pe, b)
            if lo < hi:
                total -= self._between_us(lo, hi)
        return timedelta(microseconds=sign * total)

    def due(
        self,
        start: datetime,
        duration: timedelta,
        pauses: Iterable[tuple[datetime, datetime | None]] = (),
    ) -> datetime | None:
        """The instant at which `elapsed(start, x, pauses)` reaches `duration`.

        None when an open pause (end None) begins before that point: the clock is stopped with
        time left. A pause that begins after that point changes nothing.
        """
        cursor = _to_us(start)
        remaining = duration // US
        if remaining < 0:
            raise ValueError("a time limit cannot be negative")
        self._check_year(cursor)
        for ps, pe in self._merged_pauses(pauses):
            if pe <= cursor:
                continue
            if remaining == 0:
                break
            if ps > cursor:
                try:
                    candidate = self._add_us(cursor, remaining)
                except CalendarYearMissing as missing:
                    # The due point lies past the known years; the pause may still come first
                    # (and stop the clock), which is only knowable if it is in a known year.
                    try:
                        used = self._between_us(cursor, ps)
                    except CalendarYearMissing:
                        raise missing from None
                else:
                    if candidate <= ps:
                        return _from_us(candidate)
                    used = self._between_us(cursor, ps)
                remaining -= used
            if pe == _OPEN:
                return None
            cursor = max(cursor, pe)
        if remaining == 0:
            return _from_us(cursor)
        return _from_us(self._add_us(cursor, remaining))

    def is_working(self, instant: datetime) -> bool:
        x = _to_us(instant)
        if self._always:
            return True
        compiled = self._cover(x, x)
        i = bisect_right(compiled.starts, x) - 1
        return i >= 0 and x < compiled.ends[i]

    # Internals --------------------------------------------------------------------------------

    def _add_us(self, x: int, d: int) -> int:
        if self._always:
            return x + d
        compiled = self._cover(x, x)
        while True:
            target = compiled.cum(x) + d
            if d > 0:
                result = compiled.earliest(target)
                if result is not None and result < compiled.limit:
                    return result
                # Past the compiled years (or exactly at their end): one more year is needed.
                compiled = self._cover(x, compiled.limit)
            elif target >= 0:
                return compiled.latest(target)
            else:
                compiled = self._cover(compiled.origin - 1, x)

    def _between_us(self, a: int, b: int) -> int:
        if self._always:
            return b - a
        if a == b:
            self._check_year(a)
            return 0
        compiled = self._cover(min(a, b), max(a, b))
        return compiled.cum(b) - compiled.cum(a)

    def _merged_pauses(self, pauses) -> list[tuple[int, int]]:
        spans = []
        for ps, pe in pauses:
            s = _to_us(ps)
            e = _OPEN if pe is None else _to_us(pe)
            if e < s:
                raise ValueError("a pause cannot end before it starts")
            spans.append((s, e))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged

    def _year_of(self, x: int) -> int:
        try:
            return _from_us(x).astimezone(self.zone).year
        except OverflowError as exc:
            raise ValueError("instant out of range") from exc

    def _check_year(self, x: int) -> None:
        year = self._year_of(x)
        if self.years is not None and year not in self.years:
            raise CalendarYearMissing(year, self.name)

    def _cover(self, a: int, b: int) -> _Compiled:
        """Intervals covering instants a..b (a <= b); CalendarYearMissing if a year is unknown."""
        compiled = self._compiled
        if compiled is not None and compiled.origin <= a and b < compiled.limit:
            return compiled
        lo, hi = self._year_of(a), self._year_of(b)
        with self._lock:
            compiled = self._compiled
            if compiled is not None and compiled.lo <= lo and hi <= compiled.hi:
                return compiled
            if compiled is not None:
                grown_lo, grown_hi = min(lo, compiled.lo), max(hi, compiled.hi)
                if (grown_hi - grown_lo) - (hi - lo) <= MAX_GAP_YEARS and self._known(
                    grown_lo, grown_hi
                ):
                    lo, hi = grown_lo, grown_hi
            for year in range(lo, hi + 1):
                if self.years is not None and year not in self.years:
                    raise CalendarYearMissing(year, self.name)
            compiled = self._compile(lo, hi)
            self._compiled = compiled
            return compiled

    def _known(self, lo: int, hi: int) -> bool:
        return self.years is None or all(year in self.years for year in range(lo, hi + 1))

    def _compile(self, lo: int, hi: int) -> _Compiled:
        if not MIN_YEAR <= lo <= hi <= MAX_YEAR:
            raise ValueError("instant out of range")
        starts: list[int] = []
        ends: list[int] = []
        for year in range(lo, hi + 1):
            intervals = self._per_year.get(year)
            if intervals is None:
                intervals = self._per_year[year] = self._year_intervals(year)
            for s, e in intervals:
                if ends and s <= ends[-1]:
                    ends[-1] = max(ends[-1], e)
                else:
                    starts.append(s)
                    ends.append(e)
        before, after = [], []
        running = 0
        for s, e in zip(starts, ends, strict=True):
            before.append(running)
            running += e - s
            after.append(running)
        return _Compiled(
            lo=lo,
            hi=hi,
            origin=self._local_us(date(lo, 1, 1), 0),
            limit=self._local_us(date(hi + 1, 1, 1), 0),
            starts=starts,
            ends=ends,
            before=before,
            after=after,
        )

    def _year_intervals(self, year: int) -> list[Window]:
        intervals = []
        day = date(year, 1, 1)
        one = timedelta(days=1)
        while day.year == year:
            windows = self.days.get(day, self.weekly[day.weekday()])
            for start, end in windows:
                s, e = self._local_us(day, start), self._local_us(day, end)
                # A window inside a spring-forward gap can map to nothing; drop it.
                if s < e:
                    intervals.append((s, e))
            day += one
        intervals.sort()
        return intervals

    def _local_us(self, day: date, minute: int) -> int:
        """Wall-clock `minute` of `day` in the zone, as UTC µs (fold=0 on ambiguous times)."""
        if minute == DAY_MINUTES:
            day, minute = day + timedelta(days=1), 0
        wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.zone)
        local = ((day.toordinal() - EPOCH_ORDINAL) * DAY_MINUTES + minute) * MINUTE_US
        return local - wall.utcoffset() // US


# An open pause runs forever (larger than any instant datetime can hold).
_OPEN = 1 << 62
