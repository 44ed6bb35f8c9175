"""Bench: recording throughput and list / "my work" / search latency on a large ledger.

    KESU_VAR_DIR=$(mktemp -d) .venv/bin/python bench/complaints.py --complaints 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python bench/complaints.py

Builds the demo organisation in a fresh database, records N complaints through the real service
(numbering, routing, event rows), advances a share of them, then times the read paths a user
hits most. Prints figures; asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
os.environ.setdefault("HUEY_IMMEDIATE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kesu.complaints import services  # noqa: E402
from kesu.complaints.selectors import ComplaintFilter, complaint_list, my_work  # noqa: E402
from kesu.demo.loader import DemoLoader  # noqa: E402
from kesu.masterdata.models import Customer, Product  # noqa: E402
from kesu.org.models import User  # noqa: E402


def timed(label, fn, repeat=20):
    samples = []
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
    print(
        f"  {label:<42} median {statistics.median(samples):7.2f} ms   "
        f"p95 {sorted(samples)[int(len(samples) * 0.95) - 1]:7.2f} ms   "
        f"{len(queries) // repeat} queries"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=10_000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="agent").exists():
        DemoLoader(password="bench-pass-1").load()
    agent = User.objects.get(username="agent")
    engineer = User.objects.get(username="engineer")
    customers = list(Customer.objects.all())
    products = list(Product.objects.all())
    rng = random.Random(1)

    print(f"database: {connection.vendor}, recording {args.complaints} complaints")
    tracemalloc.start()
    start = time.perf_counter()
    for i in range(args.complaints):
        customer = rng.choice(customers)
        services.complaint_create(
            actor=agent,
            data={
                "kind": rng.choice(["complaint", "complaint", "feedback"]),
                "category": rng.choice(["quality", "delivery", "service", "design", "other"]),
                "severity": rng.choice(["general", "serious", "major"]),
                "channel": "hotline",
                "customer": customer.pk,
                "contact_name": "王工",
                "products": [rng.choice(products).pk],
                "title": f"批次外观不良 {i}",
                "description": "客户来料检验发现划伤、脏污，要求8D报告。" * 5,
                "remedies": ["8d_report"],
            },
        )
        reset_queries()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"  recorded {args.complaints} in {elapsed:.1f} s: "
        f"{args.complaints / elapsed:.0f} complaints/s, peak Python memory {peak / 2**20:.1f} MiB"
    )

    def page(user, filters=None):
        return list(complaint_list(user, filters)[:25])

    print("read paths (first page of 25):")
    timed("list, customer-service agent, no filter", lambda: page(agent))
    timed(
        "list, status + category + severity",
        lambda: page(agent, ComplaintFilter(status=["received"], category="quality",
                                           severity="serious")),
    )
    timed("list, text search 划伤 1234", lambda: page(agent, ComplaintFilter(text="1234")))
    timed("list count (pager)", lambda: complaint_list(agent).count())
    timed("my work, agent", lambda: list(my_work(agent)[:25]))
    timed("my work, engineer (department scoping)", lambda: list(my_work(engineer)[:25]))
    timed("list, engineer (department scoping)", lambda: page(engineer))


if __name__ == "__main__":
    main()
