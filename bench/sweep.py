"""Bench: one time-limit sweep over many open steps, a share of them due (SPEC §6).

    KESU_VAR_DIR=$(mktemp -d) .venv/bin/python bench/sweep.py --steps 100000 --due 0.01
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python bench/sweep.py

Loads the demo, adds N open step clocks spread over its complaints (the due share reached its
deadline ten minutes ago, the rest are due tomorrow), then times `sla_sweep` raising the overdue
notices: the CAS claims, the timeline events and the outbox rows. Prints figures; asserts nothing.
"""

import argparse
import os
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kesu.calendars.schedules import calendar_by_code, schedule_for  # noqa: E402
from kesu.complaints.models import Complaint  # noqa: E402
from kesu.core import clock  # noqa: E402
from kesu.demo.loader import DemoLoader  # noqa: E402
from kesu.org.models import User  # noqa: E402
from kesu.timelimits.models import Step  # noqa: E402
from kesu.timelimits.sweeper import sla_sweep  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--due", type=float, default=0.01)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="agent").exists():
        DemoLoader(password="bench-only").load()
    Step.objects.filter(type="classify", policy__isnull=True, minutes=120).delete()

    now = clock.now()
    calendar = calendar_by_code("standard")
    schedule = schedule_for(calendar)
    limit = timedelta(minutes=120)
    due_now = schedule.add(now - timedelta(minutes=10), timedelta(0))
    started_due = schedule.add(due_now, -limit)
    started_later = now
    due_later = schedule.add(started_later, limit)
    complaints = list(Complaint.objects.values_list("pk", "received_by_id"))
    due_count = int(args.steps * args.due)
    rows = []
    for number in range(args.steps):
        pk, person = complaints[number % len(complaints)]
        is_due = number < due_count
        rows.append(
            Step(
                complaint_id=pk, type="classify", calendar=calendar, minutes=120,
                reminder_percents=[50, 80],
                started_at=started_due if is_due else started_later,
                due_at=due_now if is_due else due_later,
                # Reminders already raised: the next alert is the overdue notice.
                stage=2 if is_due else 0,
                next_check_at=due_now if is_due else schedule.add(started_later, limit / 2),
                assignee_id=person,
            )
        )
    start = time.perf_counter()
    Step.objects.bulk_create(rows, batch_size=5000)
    print(f"{connection.vendor}: {args.steps:,} open steps written in "
          f"{time.perf_counter() - start:.1f} s; {due_count:,} of them overdue")

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = sla_sweep(now=now)
        elapsed = time.perf_counter() - start
    print(f"  sweep: {elapsed * 1000:.0f} ms, {len(queries)} queries, {result}")
    start = time.perf_counter()
    again = sla_sweep(now=now)
    print(f"  sweep again (nothing due): {(time.perf_counter() - start) * 1000:.1f} ms, {again}")


if __name__ == "__main__":
    main()
