"""Bench: recording a complaint through POST /api/v1/complaints.

    KESU_VAR_DIR=$(mktemp -d) .venv/bin/python bench/create.py setup
    KESU_VAR_DIR=... .venv/bin/python bench/create.py queries        # list the SQL of one create
    KESU_VAR_DIR=... .venv/bin/python bench/create.py profile        # cProfile of 200 creates
    KESU_VAR_DIR=... .venv/bin/python bench/create.py time           # ms per create, in process
    .venv/bin/python bench/create.py load --url http://127.0.0.1:8000 --token KEY -c 16 -s 10

`setup` migrates, loads the demo organisation (routing rules, calendars, lots) and prints a token
of the demo agent. `queries` and `profile` go through the Django test client in process (the
whole request: token check, service, read back). `load` posts from threads for a bounded time
against a running server on loopback and prints rps and p50/p95. Prints figures; asserts nothing.
"""

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")


def body(customer, product, i):
    return {
        "kind": "complaint",
        "category": "quality",
        "severity": "serious",
        "channel": "hotline",
        "customer": customer,
        "contact_name": "王工",
        "contact_email": "wang@example.com",
        "products": [product],
        "quantity_affected": 120,
        "title": f"刹车片表面划伤 {i}",
        "description": "客户来料检验发现批次表面有划伤，约120件。",
        "remedies": ["8d_report", "replacement"],
    }


def django_setup():
    import django

    django.setup()


def ids():
    from kesu.masterdata.models import Customer, Product

    return Customer.objects.order_by("pk").first().pk, Product.objects.order_by("pk").first().pk


def token():
    from kesu.api.tokens import token_issue
    from kesu.org.models import User

    return token_issue(user=User.objects.get(username="agent"), name="bench")[1]


def setup(args):
    django_setup()
    from django.core.management import call_command

    from kesu.demo.loader import DemoLoader
    from kesu.org.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="agent").exists():
        DemoLoader(password="bench-pass-1").load()
    customer, product = ids()
    print(json.dumps({"token": token(), "customer": customer, "product": product}))


def client():
    from django.test import Client

    key = token()
    customer, product = ids()
    c = Client()

    def post(i):
        response = c.post(
            "/api/v1/complaints",
            data=json.dumps(body(customer, product, i)),
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
        assert response.status_code == 201, response.content
        return response

    return post


def queries(args):
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = client()
    post(0)  # warm caches (participants, choices, templates)
    with CaptureQueriesContext(connection) as captured:
        post(1)
    print(f"{connection.vendor}: {len(captured)} queries")
    for n, query in enumerate(captured.captured_queries, 1):
        sql = query["sql"]
        print(f"{n:3} {query['time']:>6} {sql[: args.width]}")


def profile(args):
    django_setup()
    import cProfile
    import pstats

    post = client()
    post(0)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for i in range(args.n):
        post(i + 1)
    profiler.disable()
    elapsed = time.perf_counter() - start
    print(f"{args.n} creates in process: {elapsed / args.n * 1000:.1f} ms each (under cProfile)")
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    stats.print_stats(args.top)


def timing(args):
    django_setup()
    post = client()
    post(0)
    samples = []
    cpu = time.process_time()
    for i in range(args.n):
        start = time.perf_counter()
        post(i + 1)
        samples.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu) * 1000 / args.n
    samples.sort()
    # CPU time of this process is the figure that holds on a loaded machine; wall time is not.
    print(
        f"{args.n} creates in process: median {statistics.median(samples):.1f} ms, "
        f"p95 {samples[int(len(samples) * 0.95) - 1]:.1f} ms, Python CPU {cpu:.1f} ms each"
    )


def load(args):
    customer, product = args.customer, args.product
    deadline = time.monotonic() + args.seconds
    latencies, errors = [], []
    lock = threading.Lock()
    counter = iter(range(10**9))

    def worker():
        while time.monotonic() < deadline:
            data = json.dumps(body(customer, product, next(counter))).encode()
            request = urllib.request.Request(
                args.url + "/api/v1/complaints",
                data=data,
                method="POST",
                headers={"Authorization": f"Bearer {args.token}",
                         "Content-Type": "application/json"},
            )
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    ok = response.status == 201
            except Exception as error:  # noqa: BLE001 - a bench counts failures, it does not stop
                ok, error_text = False, repr(error)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                (latencies if ok else errors).append(elapsed if ok else error_text)

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - start
    latencies.sort() if latencies else latencies.append(0)
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(
        f"c={args.concurrency}: {len(latencies)} created in {wall:.1f} s = "
        f"{len(latencies) / wall:.1f} rps, p50 {statistics.median(latencies):.0f} ms, "
        f"p95 {p95:.0f} ms, {len(errors)} errors {errors[:2]}"
    )


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    q = sub.add_parser("queries")
    q.add_argument("--width", type=int, default=160)
    p = sub.add_parser("profile")
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--top", type=int, default=60)
    t = sub.add_parser("time")
    t.add_argument("-n", type=int, default=100)
    lo = sub.add_parser("load")
    lo.add_argument("--url", default="http://127.0.0.1:8000")
    lo.add_argument("--token", required=True)
    lo.add_argument("--customer", type=int, required=True)
    lo.add_argument("--product", type=int, required=True)
    lo.add_argument("-c", "--concurrency", type=int, default=1)
    lo.add_argument("-s", "--seconds", type=float, default=10)
    args = parser.parse_args()
    commands = {"setup": setup, "queries": queries, "profile": profile, "time": timing}
    {**commands, "load": load}[args.command](args)


if __name__ == "__main__":
    main()
