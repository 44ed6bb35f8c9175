"""Bench: importing lots from .xlsx in the worker (issue 13: 100,000 rows under 60 s).

    .venv/bin/python bench/lot_import.py --rows 100000

Uses a fresh SQLite database (and media directory) under --dir, default
/work/benchdata/h-lots/, unless DATABASE_URL names another database. Builds an .xlsx of N lot
rows with Chinese headers (500 products, 2,000 customers) and runs the import job in process, as
the worker does: first into the empty table (all created), then the same file again (all
unchanged), then with every tenth quantity changed (updated). Prints seconds and rows/s of each.
"""

import argparse
import os
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=100_000)
parser.add_argument("--dir", default="/work/benchdata/h-lots")
parser.add_argument("--runs", default="created,unchanged,updated")
args = parser.parse_args()

bench_dir = Path(args.dir)
if "DATABASE_URL" not in os.environ:
    shutil.rmtree(bench_dir, ignore_errors=True)
    bench_dir.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / 'bench.sqlite3'}"
os.environ.setdefault("KESU_VAR_DIR", str(bench_dir / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from kesu.core import clock  # noqa: E402
from kesu.masterdata.imports import import_run  # noqa: E402
from kesu.masterdata.models import Customer, ImportJob, Lot, Product, ProductLine  # noqa: E402
from kesu.org.models import User  # noqa: E402

CUSTOMERS, PRODUCTS = 2_000, 500


def fill() -> User:
    line = ProductLine.objects.create(code="BENCH", name="基准产品线")
    Customer.objects.bulk_create(
        Customer(code=f"C{i:05d}", name=f"客户{i}") for i in range(CUSTOMERS)
    )
    Product.objects.bulk_create(
        Product(code=f"P{i:05d}", name=f"产品{i}", product_line=line) for i in range(PRODUCTS)
    )
    return User.objects.create_superuser("bench", password="x", display_name="基准")


def build(rows: int, changed_every: int = 0) -> bytes:
    rng = random.Random(13)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["批次号", "产品编码", "客户编码", "数量", "发货日期", "交付日期"])
    start = date(2025, 1, 1)
    for i in range(rows):
        ship = start + timedelta(days=rng.randrange(600))
        quantity = rng.randrange(1, 10_000)
        if changed_every and i % changed_every == 0:
            quantity += 1
        sheet.append(
            [
                f"L{i:08d}",
                f"P{rng.randrange(PRODUCTS):05d}",
                f"C{rng.randrange(CUSTOMERS):05d}",
                quantity,
                ship,
                ship + timedelta(days=rng.randrange(1, 10)),
            ]
        )
    path = bench_dir / "lots.xlsx"
    workbook.save(path)
    return path.read_bytes()


def run(user, data: bytes, label: str) -> None:
    name = default_storage.save("imports/bench.xlsx", ContentFile(data))
    job = ImportJob.objects.create(
        kind="lots",
        file=name,
        file_name="lots.xlsx",
        file_size=len(data),
        language="zh-hans",
        requested_by=user,
        requested_at=clock.now(),
    )
    start, cpu = time.perf_counter(), time.process_time()
    import_run(job_id=job.pk)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    job.refresh_from_db()
    print(
        f"{label:<10} {seconds:7.1f} s  {args.rows / seconds:>9,.0f} rows/s  "
        f"(CPU of this process {cpu:.1f} s; load average {os.getloadavg()[0]:.1f})  "
        f"status={job.status} created={job.created} updated={job.updated} "
        f"unchanged={job.unchanged} problems={job.problem_count}"
    )
    if job.problem_count:
        print("   ", job.summary, job.problems[:3])


def main():
    call_command("migrate", verbosity=0)
    user = fill()
    started = time.perf_counter()
    first = build(args.rows)
    print(
        f"built {args.rows:,} rows: {len(first) / 1e6:.1f} MB in "
        f"{time.perf_counter() - started:.1f} s"
    )
    runs = args.runs.split(",")
    if "created" in runs:
        run(user, first, "created")
    if "unchanged" in runs:
        run(user, first, "unchanged")
    if "updated" in runs:
        run(user, build(args.rows, changed_every=10), "updated")
    print(f"lots in the database: {Lot.objects.count():,}")


if __name__ == "__main__":
    main()
