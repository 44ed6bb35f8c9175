"""Bench: one time-limit sweep over many open steps, a share of them due (SPEC §6), then the
recomputation of their due times after a time-limit edit.

    KESU_VAR_DIR=$(mktemp -d) .venv/bin/python bench/sweep.py --steps 20000 --due 0.5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python bench/sweep.py

Loads the demo, adds N open step clocks spread over its complaints: of the due share, half
reached their deadline ten minutes ago (an overdue notice each) and half are past the whole
escalation ladder (one escalation each, naming the levels passed, and a row in "my work" of
everyone the ladder reaches); the rest are due tomorrow. Times `sla_sweep` (the claims, the
timeline events, the escalations and the outbox rows), a second sweep with nothing due, and
then `steps_recompute` after the steps' time limit grew by half an hour, as the worker runs
it after an administrator's edit. Prints figures; asserts nothing. `--profile` prints where the
sweep's time goes.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
os.environ.setdefault("HUEY_IMMEDIATE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402

from kesu.calendars.schedules import calendar_by_code, schedule_for  # noqa: E402
from kesu.complaints.models import Complaint, ComplaintEvent  # noqa: E402
from kesu.core import clock  # noqa: E402
from kesu.demo.loader import DemoLoader  # noqa: E402
from kesu.notifications.models import Notification  # noqa: E402
from kesu.org.models import User  # noqa: E402
from kesu.timelimits.models import Escalation, EscalationLevel, Reason, Step, TimePolicy  # noqa: E402
from kesu.timelimits.services import open_steps, steps_recompute  # noqa: E402
from kesu.timelimits.sweeper import sla_sweep  # noqa: E402

BENCH_STEP = "classify"


def _counts() -> tuple[int, int, int]:
    return (
        ComplaintEvent.objects.count(), Escalation.objects.count(), Notification.objects.count()
    )


class QueryCount:
    """Counts every statement (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __len__(self):
        return self.n

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def measured(run, profile: bool, lines: int):
    """Run once: its result, wall and CPU seconds and the queries it made; with `profile`,
    print cProfile's top `lines` by cumulative time."""
    profiler = cProfile.Profile() if profile else None
    with QueryCount() as queries:
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = run()
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
    return result, elapsed, cpu, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--due", type=float, default=0.5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-recompute", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="agent").exists():
        DemoLoader(password="bench-only").load()
    # A rerun replaces the steps of the last one (and the escalations they raised).
    last_run = Step.objects.filter(type=BENCH_STEP)
    Escalation.objects.filter(step__in=last_run).delete()
    last_run.delete()

    now = clock.now()
    calendar = calendar_by_code("standard")
    schedule = schedule_for(calendar)
    limit = timedelta(minutes=120)
    policy = TimePolicy.objects.filter(
        step=BENCH_STEP, active=True, severity="", customer_grade="", category=""
    ).first()
    # Past the last escalation level by an hour of business time.
    last_level = max(EscalationLevel.objects.filter(active=True).values_list(
        "delay_minutes", flat=True), default=0)
    due_now = schedule.add(now - timedelta(minutes=10), timedelta(0))
    due_long_ago = schedule.add(due_now, -timedelta(minutes=last_level + 60))
    started_later = now
    due_later = schedule.add(started_later, limit)
    complaints = list(
        Complaint.objects.values_list("pk", "received_by_id", "received_by__department_id")
    )
    due_count = int(args.steps * args.due)
    rows = []
    for number in range(args.steps):
        pk, person, department = complaints[number % len(complaints)]
        is_due = number < due_count
        due = (due_now if number % 2 else due_long_ago) if is_due else due_later
        rows.append(
            Step(
                complaint_id=pk, type=BENCH_STEP, calendar=calendar, minutes=120,
                policy=policy, reminder_percents=[50, 80],
                started_at=schedule.add(due, -limit) if is_due else started_later,
                due_at=due,
                # Reminders already raised: the next alert is the overdue notice.
                stage=2 if is_due else 0,
                next_check_at=due if is_due else schedule.add(started_later, limit / 2),
                assignee_id=person, department_id=department,
            )
        )
    start = time.perf_counter()
    Step.objects.bulk_create(rows, batch_size=5000)
    print(f"{connection.vendor}: {args.steps:,} open steps on {len(complaints):,} complaints "
          f"written in {time.perf_counter() - start:.1f} s; {due_count:,} of them overdue, "
          f"half of those past the whole ladder")

    # Everyone has read their notifications and the mails went out: each run starts alike.
    Notification.objects.filter(read_at__isnull=True).update(read_at=now)
    Notification.objects.filter(status="pending").update(status="sent", sent_at=now)
    before = _counts()
    result, elapsed, cpu, queries = measured(lambda: sla_sweep(now=now), args.profile, 45)
    events, escalations, outbox = (a - b for a, b in zip(_counts(), before, strict=True))
    print(f"  sweep: {elapsed:.2f} s ({cpu:.2f} s CPU here), {len(queries):,} queries, {result}; "
          f"written: {events:,} events, {escalations:,} escalation rows, {outbox:,} outbox rows")
    start = time.perf_counter()
    again = sla_sweep(now=now)
    print(f"  sweep again (nothing due): {(time.perf_counter() - start) * 1000:.1f} ms, {again}")

    if args.no_recompute or policy is None:
        return
    # An administrator gives the step half an hour more: every open step of it moves.
    TimePolicy.objects.filter(step=BENCH_STEP, active=True).update(minutes=F("minutes") + 30)
    before = _counts()
    (checked, changed), elapsed, cpu, queries = measured(
        lambda: steps_recompute(
            steps=open_steps(step_type=BENCH_STEP), now=clock.now(), reason=Reason.POLICY
        ),
        args.profile,
        30,
    )
    events = _counts()[0] - before[0]
    TimePolicy.objects.filter(step=BENCH_STEP, active=True).update(minutes=F("minutes") - 30)
    print(f"  recompute after a time-limit edit: {elapsed:.2f} s ({cpu:.2f} s CPU here), "
          f"{len(queries):,} queries, "
          f"{checked:,} steps checked, {changed:,} changed, {events:,} events")


if __name__ == "__main__":
    main()
