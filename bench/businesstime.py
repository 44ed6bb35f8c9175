"""Bench: business-time arithmetic on the standard calendar (SPEC §6).

    .venv/bin/python bench/businesstime.py --n 200000

Mon–Fri 08:30–12:00 and 13:30–17:30 with China's 2026 holidays and make-up days, given as
literal schedule data (no database). Starts are random over 2026, durations random between one
minute and 40 hours. Prints `add` and `between` per second, and what compiling costs; asserts
nothing.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")

import django  # noqa: E402

django.setup()  # only for the translated messages of CalendarYearMissing

from kesu.core.businesstime import Schedule  # noqa: E402

DAY = [(510, 720), (810, 1050)]
HOLIDAYS_2026 = [
    "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-05", "04-06",
    "05-01", "05-02", "05-04", "05-05", "06-19", "09-25", "10-01", "10-02", "10-03", "10-05",
    "10-06", "10-07",
]  # fmt: skip
MAKE_UP_DAYS_2026 = ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]


def standard_2026() -> Schedule:
    days = {date.fromisoformat(f"2026-{md}"): [] for md in HOLIDAYS_2026}
    days.update({date.fromisoformat(f"2026-{md}"): DAY for md in MAKE_UP_DAYS_2026})
    # 2027 is known (without holidays) so that a start late in December has somewhere to go.
    return Schedule(
        time_zone="Asia/Shanghai",
        weekly={weekday: DAY for weekday in range(5)},
        days=days,
        years=[2026, 2027],
        name="standard",
    )


def rate(label: str, n: int, fn) -> None:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"  {label:<34} {n / seconds:>12,.0f} /s   ({seconds * 1e6 / n:.2f} µs each)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    n = args.n
    rng = random.Random(1)
    zone = ZoneInfo("Asia/Shanghai")
    new_year = datetime(2026, 1, 1, tzinfo=zone)
    starts = [new_year + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(n)]
    durations = [timedelta(minutes=rng.randint(1, 40 * 60)) for _ in range(n)]
    ends = [new_year + timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(n)]

    print(f"business time, standard calendar with China 2026 holidays, {n} operations each")
    started = time.perf_counter()
    schedule = standard_2026()
    schedule.add(new_year, timedelta(hours=1))
    print(f"  {'build and compile 2026':<34} {(time.perf_counter() - started) * 1000:9.2f} ms")
    rate("add", n, lambda: [schedule.add(s, d) for s, d in zip(starts, durations, strict=True)])
    rate("between", n, lambda: [schedule.between(s, e) for s, e in zip(starts, ends, strict=True)])
    results = [schedule.add(s, d) for s, d in zip(starts, durations, strict=True)]
    rate(
        "due (no pauses)",
        n,
        lambda: [schedule.due(s, d) for s, d in zip(starts, durations, strict=True)],
    )
    pause = [(new_year + timedelta(days=40), new_year + timedelta(days=41))]
    rate(
        "due (one pause)",
        n,
        lambda: [schedule.due(s, d, pause) for s, d in zip(starts, durations, strict=True)],
    )
    exact = all(
        schedule.between(s, r) == d for s, r, d in zip(starts, results, durations, strict=True)
    )
    print(f"  between(t, add(t, d)) == d for every sample: {exact}")


if __name__ == "__main__":
    main()
