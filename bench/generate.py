"""Bench: fill a fresh database with a ledger of N complaints (issue 12 §5).

    KESU_VAR_DIR=/tmp/b100k KESU_DEMO_PASSWORD=demo12345pw \
        .venv/bin/python bench/generate.py --complaints 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesu_bench_1m KESU_DEMO_PASSWORD=demo12345pw \
        .venv/bin/python bench/generate.py --complaints 1000000

Whatever DATABASE_URL (or KESU_VAR_DIR for SQLite) names must be empty: it is migrated, the demo
company is loaded through `kesu.demo` (organisation, calendars, logins, routing rules, and its
38 complaints recorded and moved through the real services), bulk master data is added (customers
with contacts, products, ~3 lots per complaint), then N complaints are written in bulk.

Why cloning: a row "exactly as the services write it" is best taken from the services. Each
generated complaint copies one of the demo's complaints (picked by status share for its age) with
everything hanging off it — events with their payloads, step clocks, escalations, 8D report,
disciplines, customer versions and signatures — with new ids, a number from the real scheme
(KS-YYYY-NNNNNN, the counter left at the last one issued), another customer, product and lots,
and every time shifted by the same offset so the relations between them hold (due after start,
events in order). Open complaints stay recent; older ones are mostly closed.

Known simplifications: shifted business-time due times may fall outside working hours; an open
step whose next check would land in the past is given the demo's next check instead (the bench
measures pages, not a sweep of a thousand-fold backlog: bench/sweep.py does that); event payloads
keep the display names of the demo customer they were copied from; notifications and audit-log
rows are not generated.

Titles and descriptions are Chinese, built from a defect vocabulary with its usual rewordings
("划痕" for "划伤", see kesu.core.search.SYNONYMS), a part, where it was seen and what the
customer asks; each complaint gets its defect code and its full-text search document, written in
bulk (jieba runs once per distinct phrase) and indexed once at the end.

Rows go in with executemany (SQLite) or COPY (PostgreSQL, foreign-key triggers off for the
session: the generator is the only writer), committed every --chunk complaints. Prints rows per
second; ends with ANALYZE (PostgreSQL: VACUUM (ANALYZE)).
"""

import argparse
import bisect
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
os.environ.setdefault("HUEY_IMMEDIATE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from kesu.complaints.models import (  # noqa: E402
    Complaint,
    ComplaintEvent,
    NumberSequence,
    SearchDocument,
)
from kesu.core import clock, search  # noqa: E402
from kesu.demo.loader import DemoLoader  # noqa: E402
from kesu.eightd.models import CustomerVersion, Discipline, EightDReport  # noqa: E402
from kesu.eightd.selectors import search_texts  # noqa: E402
from kesu.masterdata.models import (  # noqa: E402
    Contact,
    Customer,
    DefectCode,
    Lot,
    Product,
    ProductLine,
)
from kesu.org.models import User  # noqa: E402
from kesu.signoff.models import Signature  # noqa: E402
from kesu.timelimits.models import Escalation, Step  # noqa: E402

SEED = 12
YEARS = 3
CUSTOMERS, PRODUCTS, LOTS_PER_COMPLAINT = 3_000, 400, 3
TERMINAL = {"closed", "cancelled", "invalid"}
# Share of terminal statuses among finished complaints.
TERMINAL_WEIGHTS = {"closed": 0.86, "invalid": 0.08, "cancelled": 0.06}
DEFECTS = ("划伤 脏污 尺寸超差 毛刺 漏装 错装 包装破损 锈蚀 色差 "
           "功能失效 标签错误 数量短少 裂纹 变形 异物 焊接不良 气泡 涂层脱落").split()
PLACES = ["来料检验", "产线装配", "终端客户", "仓库抽检", "出货检验", "售后返修"]
# Realistic descriptions (issue 13): a part, a defect said in one of its usual wordings
# (kesu.core.search.SYNONYMS: "划痕" for "划伤"…), where and when it was seen, a consequence.
PARTS = ("外壳 端盖 电机 轴承 支架 面板 螺栓 线束 齿轮 密封圈 壳体 底座 卡扣 插头 刹车片 "
         "散热片 转子 定子 阀体 盖板").split()
WORDINGS = {d: [d, *search.SYNONYMS.get(d, "").split()] for d in DEFECTS}
OPENINGS = ["客户{place}时发现", "{place}过程中发现", "客户反馈{place}发现", "{place}抽检发现",
            "据客户质量部通报，{place}时发现"]
SYMPTOMS = ["{part}表面{defect}", "{part}出现{defect}", "部分{part}有{defect}现象",
            "{part}存在明显{defect}", "{part}{defect}，影响装配"]
SECOND = ["", "", "同时伴有异响", "运行时有噪音", "表面有油污", "包装外箱有破损", "部分产品生锈",
          "尺寸抽检偏大", "涂层有气泡"]
ASKS = ["要求分析原因并提交8D报告。", "要求退货并补发合格品。", "要求24小时内给出围堵措施。",
        "要求换货，并对在库品全检。", "客户要求索赔并提交改善报告。"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def share_open(age_days: float) -> float:
    """Chance that a complaint received that long ago is still open."""
    if age_days < 14:
        return 0.85
    if age_days < 45:
        return 0.5
    if age_days < 120:
        return 0.15
    return 0.01


class Writer:
    """Inserts rows of raw column values: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self):
        self.vendor = connection.vendor
        self.rows = 0

    def dt(self, value):
        if value is None or self.vendor != "sqlite":
            return value
        # As Django's SQLite backend stores it: naive UTC, str().
        return str(value.replace(tzinfo=None))

    def date(self, value):
        return value.isoformat() if self.vendor == "sqlite" else value

    def write(self, table: str, columns: list[str], rows: list) -> None:
        if not rows:
            return
        self.rows += len(rows)
        raw = connection.connection
        names = ", ".join(f'"{c}"' for c in columns)
        if self.vendor == "postgresql":
            with raw.cursor() as cursor:
                with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


class Table:
    """One model's rows as they are stored, ready to be copied with new ids and shifted times."""

    def __init__(self, model, writer: Writer, remap: dict[str, str]):
        self.model, self.writer = model, writer
        fields = model._meta.concrete_fields
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.index = {name: i for i, name in enumerate(self.attnames)}
        self.datetimes = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
        self.jsons = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        # attname -> which id map rewrites it (the model's own pk is "self").
        self.remap = [(self.index[a], key) for a, key in remap.items()]
        self.pending: list = []
        self.next_id = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def template(self, queryset) -> list[list]:
        rows = []
        for values in queryset.values_list(*self.attnames):
            row = list(values)
            for i in self.jsons:
                row[i] = json.dumps(row[i])
            rows.append(row)
        return rows

    def clone(self, row: list, delta: timedelta, ids: dict, key: str) -> list:
        new = row.copy()
        new_id = self.next_id
        self.next_id += 1
        ids[key][row[0]] = new_id
        new[0] = new_id
        for i, which in self.remap:
            if new[i] is not None:
                new[i] = ids[which][new[i]]
        dt = self.writer.dt
        for i in self.datetimes:
            if new[i] is not None:
                new[i] = dt(new[i] + delta)
        return new

    def flush(self) -> None:
        self.writer.write(self.table, self.columns, self.pending)
        self.pending = []


def links_table(through, writer: Writer):
    fields = through._meta.concrete_fields
    return through._meta.db_table, [f.column for f in fields], writer


def fill_master_data(rng: random.Random, writer: Writer):
    lines = list(ProductLine.objects.values_list("pk", flat=True))
    Customer.objects.bulk_create(
        (Customer(code=f"B{n:05d}", name=f"基准客户{n:05d}有限公司",
                  grade=rng.choice(["key", "normal", "normal", "normal"]))
         for n in range(CUSTOMERS)),
        batch_size=5000,
    )
    customers = list(Customer.objects.values_list("pk", flat=True))
    Contact.objects.bulk_create(
        (Contact(customer_id=c, name=f"{rng.choice(SURNAMES)}工", phone=f"0512-{c:08d}",
                 email=f"qa{c}@customer.example") for c in customers),
        batch_size=5000,
    )
    Product.objects.bulk_create(
        (Product(code=f"BP{n:04d}", name=f"基准产品{n:04d}", product_line_id=rng.choice(lines))
         for n in range(PRODUCTS)),
        batch_size=5000,
    )
    # One defect code per defect word, so the radar's "same defect" means the same problem.
    DefectCode.objects.bulk_create(
        DefectCode(code=f"BD{n:02d}", name=word) for n, word in enumerate(DEFECTS)
    )
    defects = dict(DefectCode.objects.filter(code__startswith="BD").values_list("name", "pk"))
    return customers, list(Product.objects.values_list("pk", flat=True)), defects


def describe(rng: random.Random, part: str, defect: str) -> tuple[str, list[str]]:
    """A Chinese description of `defect` of `part` in one of its wordings, and its phrases."""
    place = rng.choice(PLACES)
    wording = rng.choice(WORDINGS[defect])
    phrases = [
        rng.choice(OPENINGS).format(place=place),
        rng.choice(SYMPTOMS).format(part=part, defect=wording),
        f"不良数量{rng.randint(1, 500)}件",
        rng.choice(SECOND),
        rng.choice(ASKS),
    ]
    phrases = [p for p in phrases if p]
    return "，".join(phrases[:-1]) + "，" + phrases[-1], phrases


class Documents:
    """Search documents in bulk (kesu.core.search): jieba runs once per distinct phrase, name
    or template text, not once per complaint, so a million documents take minutes, not hours.
    A document is the union of its parts' terms, as `search.document` would make it of the
    whole text, less the character pairs that span two parts."""

    def __init__(self):
        self.cache: dict[str, tuple[str, ...]] = {}

    def terms(self, text: str) -> tuple[str, ...]:
        if text.isascii():  # numbers and codes, new for each complaint: not worth caching
            return tuple(search.terms(text))
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = tuple(search.terms(text))
        return found

    def document(self, parts) -> str:
        found: dict[str, None] = {}
        for part in parts:
            if part:
                found.update(dict.fromkeys(self.terms(part)))
        return " ".join(found)


class Templates:
    """The demo's complaints and everything of theirs, read once."""

    def __init__(self, tables: dict[str, Table]):
        by = defaultdict
        self.complaints = tables["complaint"].template(Complaint.objects.order_by("pk"))
        self.children = {name: by(list) for name in
                         ("event", "step", "escalation", "report", "discipline", "version",
                          "signature", "team")}
        for name, queryset, owner in (
            ("event", ComplaintEvent.objects.order_by("pk"), "complaint_id"),
            ("step", Step.objects.order_by("pk"), "complaint_id"),
            ("escalation", Escalation.objects.order_by("pk"), "complaint_id"),
            ("report", EightDReport.objects.order_by("pk"), "complaint_id"),
        ):
            table = tables[name]
            for row in table.template(queryset):
                self.children[name][row[table.index[owner]]].append(row)
        report_of = dict(EightDReport.objects.values_list("pk", "complaint_id"))
        for name, queryset in (("discipline", Discipline.objects.order_by("pk")),
                               ("version", CustomerVersion.objects.order_by("pk"))):
            table = tables[name]
            for row in table.template(queryset):
                self.children[name][report_of[row[table.index["report_id"]]]].append(row)
        complaint_of_discipline = {
            f"eightd.discipline:{pk}": report_of[report]
            for pk, report in Discipline.objects.values_list("pk", "report_id")
        }
        table = tables["signature"]
        for row in table.template(Signature.objects.order_by("pk")):
            owner = complaint_of_discipline.get(row[table.index["subject"]])
            if owner is not None:
                self.children["signature"][owner].append(row)
        for complaint_id, user_id in Complaint.team.through.objects.values_list(
            "complaint_id", "user_id"
        ):
            self.children["team"][complaint_id].append(user_id)
        status = tables["complaint"].index["status"]
        self.open = [row for row in self.complaints if row[status] not in TERMINAL]
        self.terminal = {s: [row for row in self.complaints if row[status] == s]
                         for s in TERMINAL_WEIGHTS}


def generate(args) -> None:
    rng = random.Random(SEED)
    writer = Writer()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Complaint.objects.exists():
        raise SystemExit("The database already holds complaints: generate into an empty one.")
    password = os.environ.get("KESU_DEMO_PASSWORD", "demo12345pw")
    DemoLoader(password=password).load()
    print(f"{connection.vendor}: demo loaded in {time.perf_counter() - started:.0f} s")
    customers, products, defect_codes = fill_master_data(rng, writer)
    names = dict(Customer.objects.values_list("pk", "name"))
    product_names = {pk: f"{code} {name}" for pk, code, name in
                     Product.objects.values_list("pk", "code", "name")}
    documents = Documents()
    doc_table = SearchDocument._meta.db_table
    doc_rows = []
    # Loaded without the index, which is built once at the end (faster than row by row).
    search.drop_index(connection, doc_table)

    complaint_remap = {}
    tables = {
        "complaint": Table(Complaint, writer, complaint_remap),
        "event": Table(ComplaintEvent, writer, {"complaint_id": "complaint"}),
        "step": Table(Step, writer, {"complaint_id": "complaint"}),
        "escalation": Table(Escalation, writer, {"complaint_id": "complaint", "step_id": "step"}),
        "report": Table(EightDReport, writer, {"complaint_id": "complaint"}),
        "discipline": Table(Discipline, writer, {"report_id": "report"}),
        "version": Table(CustomerVersion, writer, {"report_id": "report"}),
        "signature": Table(Signature, writer, {}),
        "lot": Table(Lot, writer, {}),
    }
    templates = Templates(tables)
    # What the templates' 8Ds add to a document: their D4 root causes and D7 lessons.
    template_texts = search_texts([row[0] for row in templates.complaints])
    c = tables["complaint"].index
    step_ix = tables["step"].index
    sig_subject = tables["signature"].index["subject"]
    links = {
        name: links_table(getattr(Complaint, name).through, writer)
        for name in ("products", "lots", "team")
    }
    link_ids = {
        name: (getattr(Complaint, name).through.objects.aggregate(m=models.Max("pk"))["m"] or 0)
        + 1 for name in links
    }
    link_rows = {name: [] for name in links}

    now = clock.now()
    span = YEARS * 365 * 86400
    # Received times, oldest first, so numbers run with time inside each year.
    offsets = sorted(rng.random() for _ in range(args.complaints))
    sequences = dict(NumberSequence.objects.values_list("year", "last"))
    # A few large customers and a long tail, as in any ledger.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(customers))]
    cumulative = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    terminal_names = list(TERMINAL_WEIGHTS)
    terminal_weights = list(TERMINAL_WEIGHTS.values())
    lot_table = tables["lot"]
    lot_columns = ["id", "number", "product_id", "customer_id", "quantity", "ship_date",
                   "delivery_date"]
    lot_rows = []

    if writer.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Foreign keys are checked by triggers; the rows copied here reference rows that
            # exist (this script is the only writer), so skip the per-row checks.
            cursor.execute("SET session_replication_role = replica")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")

    print(f"  writing {args.complaints:,} complaints in chunks of {args.chunk:,}")
    write_start = time.perf_counter()
    rows_before = writer.rows
    for first in range(0, args.complaints, args.chunk):
        for offset in offsets[first: first + args.chunk]:
            received = now - timedelta(seconds=span * (1 - offset))
            age_days = (now - received).total_seconds() / 86400
            if rng.random() < share_open(age_days):
                template = rng.choice(templates.open)
            else:
                status = rng.choices(terminal_names, terminal_weights)[0]
                template = rng.choice(templates.terminal[status])
            delta = received - template[c["received_at"]]
            ids = defaultdict(dict)
            row = tables["complaint"].clone(template, delta, ids, "complaint")
            complaint_id = row[0]
            year = received.year
            sequences[year] = sequences.get(year, 0) + 1
            row[c["number"]] = f"KS-{year}-{sequences[year]:06d}"
            customer = customers[bisect.bisect_left(cumulative, rng.random() * total)]
            product = rng.choice(products)
            row[c["customer_id"]] = customer
            row[c["contact_name"]] = f"{rng.choice(SURNAMES)}工"
            defect = rng.choice(DEFECTS)
            row[c["defect_code_id"]] = defect_codes[defect]
            part = rng.choice(PARTS)
            title_part = f"{part}{rng.choice(WORDINGS[defect])}"
            row[c["title"]] = f"{rng.choice(PLACES)}发现{title_part}（{row[c['number']][-6:]}）"
            description, phrases = describe(rng, part, defect)
            row[c["description"]] = description
            tables["complaint"].pending.append(row)
            doc_rows.append((complaint_id, documents.document((
                row[c["number"]], row[c["contact_name"]], names[customer],
                product_names[product], f"{rng.choice(PLACES)}发现", title_part,
                *phrases, template_texts.get(template[0], ""),
                *(f"B{complaint_id:08d}-{k}" for k in range(LOTS_PER_COMPLAINT)),
            ))))
            tpl_id = template[0]
            for name in ("report", "discipline", "step", "escalation", "event", "version"):
                table = tables[name]
                for child in templates.children[name][tpl_id]:
                    new = table.clone(child, delta, ids, name)
                    if name == "step":
                        _fix_step(new, child, step_ix, now, delta, writer)
                    table.pending.append(new)
            for child in templates.children["signature"][tpl_id]:
                new = tables["signature"].clone(child, delta, ids, "signature")
                old = int(child[sig_subject].rsplit(":", 1)[1])
                new[sig_subject] = f"eightd.discipline:{ids['discipline'][old]}"
                tables["signature"].pending.append(new)
            link_rows["products"].append((link_ids["products"], complaint_id, product))
            link_ids["products"] += 1
            for user in templates.children["team"][tpl_id]:
                link_rows["team"].append((link_ids["team"], complaint_id, user))
                link_ids["team"] += 1
            for k in range(LOTS_PER_COMPLAINT):
                lot_id = lot_table.next_id
                lot_table.next_id += 1
                ship = (received - timedelta(days=rng.randint(3, 90))).date()
                lot_rows.append((
                    lot_id, f"B{complaint_id:08d}-{k}", product, customer,
                    rng.choice([500, 1000, 2000, 5000]), writer.date(ship),
                    writer.date(ship + timedelta(days=rng.randint(1, 4))),
                ))
                link_rows["lots"].append((link_ids["lots"], complaint_id, lot_id))
                link_ids["lots"] += 1
        with transaction.atomic():
            writer.write(lot_table.table, lot_columns, lot_rows)
            lot_rows = []
            for name in ("complaint", "report", "discipline", "step", "escalation", "event",
                         "version", "signature"):
                tables[name].flush()
            for name, (table, columns, _writer) in links.items():
                writer.write(table, columns, link_rows[name])
                link_rows[name] = []
            writer.write(doc_table, ["complaint_id", "terms"], doc_rows)
            doc_rows = []
        done = min(first + args.chunk, args.complaints)
        elapsed = time.perf_counter() - write_start
        print(f"  {done:>9,} complaints, {writer.rows - rows_before:>11,} rows, "
              f"{(writer.rows - rows_before) / elapsed:>8,.0f} rows/s", flush=True)

    with transaction.atomic():
        for year, last in sequences.items():
            NumberSequence.objects.update_or_create(year=year, defaults={"last": last})
    write_time = time.perf_counter() - write_start
    indexing = time.perf_counter()
    search.create_index(connection, doc_table, "complaint_id")
    search.rebuild_index(connection, doc_table)
    indexing = time.perf_counter() - indexing
    print(f"  search index built in {indexing:.0f} s ({len(documents.cache):,} distinct parts "
          f"tokenised)")
    if writer.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            models_touched = [t.model for t in tables.values()] + [SearchDocument] + [
                getattr(Complaint, n).through for n in links
            ]
            for sql in connection.ops.sequence_reset_sql(no_style(), models_touched):
                cursor.execute(sql)
            analyse = time.perf_counter()
            # As autovacuum leaves a table in service: statistics, and the visibility map that
            # index-only scans need (rows written by COPY are not yet marked all-visible).
            cursor.execute("VACUUM (ANALYZE)")
    else:
        with connection.cursor() as cursor:
            analyse = time.perf_counter()
            # A fresh file has no statistics: PRAGMA optimize alone would skip most tables.
            cursor.execute("PRAGMA analysis_limit = 2000")
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
    analyse = time.perf_counter() - analyse
    rows = writer.rows - rows_before
    print(f"  {rows:,} rows in {write_time:.0f} s ({rows / write_time:,.0f} rows/s, "
          f"{args.complaints / write_time:,.0f} complaints/s); ANALYZE {analyse:.0f} s; "
          f"total {time.perf_counter() - started:.0f} s")
    counts = {name: t.model.objects.count() for name, t in tables.items()}
    print("  " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    logins = User.objects.filter(customer__isnull=True).order_by("pk")
    print(f"  demo logins (password KESU_DEMO_PASSWORD): "
          f"{', '.join(logins.values_list('username', flat=True)[:12])} …")


def _fix_step(new: list, old: list, ix: dict, now: datetime, delta: timedelta, writer: Writer):
    """An open step keeps its shifted due time (so some are overdue), but its next check stays
    where the demo's sweep left it rather than in the past: no huge backlog for the sweeper."""
    pauses = old[ix["pauses"]]
    if pauses != "[]":
        shifted = [
            [_shift_iso(start, delta), _shift_iso(end, delta)] for start, end in json.loads(pauses)
        ]
        new[ix["pauses"]] = json.dumps(shifted)
    check = old[ix["next_check_at"]]
    if old[ix["done_at"]] is None and check is not None and check + delta < now:
        new[ix["next_check_at"]] = writer.dt(max(check, now))


def _shift_iso(value, delta):
    if value is None:
        return None
    # Kept in the offset it was written in (the services write local time).
    return (datetime.fromisoformat(value) + delta).isoformat()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000,
                        help="complaints per transaction (each brings ~40 rows)")
    generate(parser.parse_args())


if __name__ == "__main__":
    main()
