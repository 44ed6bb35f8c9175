"""Bench: the intake pickers' searches on a large master-data set (SPEC §3 fast intake).

    KESU_VAR_DIR=$(mktemp -d) .venv/bin/python bench/pickers.py --lots 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench .venv/bin/python bench/pickers.py

Fills a fresh database with customers, products, contacts and N lots (bulk inserts), then times
each picker endpoint through the test client, as the browser asks it: the first list on focus,
a typed search, and the lots of one customer and product. Prints figures; asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kesu.masterdata.models import Contact, Customer, Lot, Product, ProductLine  # noqa: E402
from kesu.org.models import Role, User  # noqa: E402

CUSTOMERS, PRODUCTS = 2_000, 500


def fill(lots: int) -> None:
    line = ProductLine.objects.create(code="BENCH", name="基准产品线")
    Customer.objects.bulk_create(
        Customer(code=f"C{n:05d}", name=f"基准客户{n:05d}有限公司") for n in range(CUSTOMERS)
    )
    Product.objects.bulk_create(
        Product(code=f"P{n:04d}", name=f"基准产品{n:04d}", product_line=line)
        for n in range(PRODUCTS)
    )
    customers = list(Customer.objects.values_list("pk", flat=True))
    products = list(Product.objects.values_list("pk", flat=True))
    Contact.objects.bulk_create(
        Contact(customer_id=c, name=f"联系人{c}", phone="0512-0000") for c in customers
    )
    rng, start = random.Random(7), date(2024, 1, 1)
    batch = []
    for n in range(lots):
        batch.append(Lot(
            number=f"L{n:08d}", customer_id=rng.choice(customers),
            product_id=rng.choice(products), quantity=1000,
            ship_date=start + timedelta(days=rng.randrange(1000)),
        ))
        if len(batch) == 5_000:
            Lot.objects.bulk_create(batch)
            batch = []
    Lot.objects.bulk_create(batch)


def timed(client, label, url, params, repeat=30):
    samples = []
    client.get(url, params)  # warm
    with CaptureQueriesContext(connection) as queries:
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200
    print(
        f"  {label:<44} median {statistics.median(samples):7.2f} ms   "
        f"p95 {sorted(samples)[int(repeat * 0.95) - 1]:7.2f} ms   "
        f"{len(queries) // repeat} queries, {len(response.json()['results'])} rows"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lots", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not Lot.objects.exists():
        started = time.perf_counter()
        fill(args.lots)
        print(f"filled {Lot.objects.count():,} lots in {time.perf_counter() - started:.1f} s")
    agent, _ = User.objects.get_or_create(username="bench_agent", defaults={"role": Role.CS_AGENT})
    client = Client()
    client.force_login(agent)
    customer = Customer.objects.order_by("pk")[CUSTOMERS // 2]
    product = Lot.objects.filter(customer=customer).values_list("product_id", flat=True)[0]
    print(f"{connection.vendor}, {Lot.objects.count():,} lots, {CUSTOMERS:,} customers")
    timed(client, "customers, list on focus", "/masterdata/pick/customers/", {})
    timed(client, "customers, typed '基准客户01'", "/masterdata/pick/customers/",
          {"q": "基准客户01"})
    timed(client, "contacts of a customer", "/masterdata/pick/contacts/",
          {"customer": customer.pk})
    timed(client, "lots of a customer", "/masterdata/pick/lots/", {"customer": customer.pk})
    timed(client, "lots of a customer and product", "/masterdata/pick/lots/",
          {"customer": customer.pk, "products": product})
    timed(client, "lots, typed part of a number, no customer", "/masterdata/pick/lots/",
          {"q": "0042"})
    timed(client, "people, list on focus", "/org/pick/people/", {})


if __name__ == "__main__":
    main()
