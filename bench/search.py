"""Bench: Chinese full-text search and the recurrence radar on a generated ledger (issue 13).

    DATABASE_URL=sqlite:////work/benchdata/h-search-100k.sqlite3 \\
        KESU_VAR_DIR=/work/benchdata/h-search-var .venv/bin/python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench_1m .venv/bin/python bench/search.py

Reads a database filled by bench/generate.py (nothing is written). Times, as the pages and the
API run them:
- the list's text search: `complaint_list` with the text filter, its count and its first page of
  25, for one- and two-character defect words, two words, a phrase, a rare combination, a
  complaint number and a word that matches nothing;
- the radar: `radar()` for drafts built like the generator's descriptions (a reworded defect of a
  part, with a customer, product and defect code taken from a random complaint), as the agent
  `agent` sees them.
Prints n, p50, p95 and queries for each; asserts nothing.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kesu.complaints.models import Complaint  # noqa: E402
from kesu.complaints.selectors import ComplaintFilter, complaint_list  # noqa: E402
from kesu.core import search  # noqa: E402
from kesu.org.models import User  # noqa: E402
from kesu.radar.selectors import Draft, radar  # noqa: E402

PAGE = 25
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DEFECTS, PARTS, describe  # noqa: E402


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def report(label: str, samples: list[float], queries: int, extra: str = "") -> None:
    print(f"  {label:<40} n {len(samples):>4}  p50 {statistics.median(samples):7.1f} ms  "
          f"p95 {percentile(samples, 0.95):7.1f} ms  {queries} queries  {extra}", flush=True)


def list_search(user, text: str) -> tuple[int, int]:
    complaints = complaint_list(user, ComplaintFilter(text=text))
    count = complaints.count()
    return count, len(list(complaints[:PAGE]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="runs of each list search")
    parser.add_argument("--drafts", type=int, default=100, help="radar drafts")
    parser.add_argument("--user", default="agent")
    args = parser.parse_args()
    rng = random.Random(13)
    user = User.objects.get(username=args.user)
    total = Complaint.objects.count()
    print(f"{connection.vendor}: {total:,} complaints, as {user.username}")
    search.terms("预热")  # jieba's dictionary loads once per process, not per request

    number = Complaint.objects.order_by("-pk").values_list("number", flat=True)[500]
    texts = [
        ("one character '锈'", "锈"),
        ("two characters '划伤'", "划伤"),
        ("two characters '退货'", "退货"),
        ("two words '外壳 划伤'", "外壳 划伤"),
        ("a phrase '表面划痕'", "表面划痕"),
        ("rare '散热片 涂层脱落 油污'", "散热片 涂层脱落 油污"),
        ("a complaint number", number),
        ("part of a number", number[-6:]),
        ("no match '发票'", "发票"),
    ]
    print("list text search (count + first page of 25):")
    everything = []
    for label, text in texts:
        list_search(user, text)  # warm
        samples = []
        with CaptureQueriesContext(connection) as queries:
            for _ in range(args.repeat):
                started = time.perf_counter()
                count, _rows = list_search(user, text)
                samples.append((time.perf_counter() - started) * 1000)
        everything += samples
        report(label, samples, len(queries) // args.repeat, f"{count:,} found")
    report("all list searches", everything, 0)

    print("radar (reworded drafts with customer, product and defect of a random complaint):")
    last = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first()
    samples, shown, firsts = [], [], 0
    queries = 0
    for n in range(args.drafts):
        pk = rng.randint(1, last)
        source = (
            Complaint.objects.filter(pk__gte=pk).order_by("pk")
            .values("customer_id", "defect_code_id", "defect_code__name").first()
        )
        product = Complaint.products.through.objects.filter(complaint_id__gte=pk).values_list(
            "product_id", flat=True
        ).first()
        defect = source["defect_code__name"]
        defect = defect if defect in DEFECTS else rng.choice(DEFECTS)
        text, _phrases = describe(rng, rng.choice(PARTS), defect)
        draft = Draft(
            customer_id=source["customer_id"], product_ids=[product] if product else [],
            defect_code_id=source["defect_code_id"], text=text,
        )
        if n == 0:
            radar(user, draft)  # warm
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            found = radar(user, draft)
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
        shown.append(len(found))
        firsts += bool(found)
    report("radar for a draft", samples, queries,
           f"{statistics.mean(shown):.1f} shown on average, {firsts} of {len(samples)} with any")
    if args.drafts:
        example = radar(user, draft)
        print(f"  last draft: {draft.text}")
        for candidate in example[:3]:
            print(f"    {candidate.score:>3}  {candidate.complaint.number}  "
                  f"{candidate.complaint.title}  {' · '.join(candidate.reasons)}")


if __name__ == "__main__":
    main()
