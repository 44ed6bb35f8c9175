"""Bench: the 8D as PDF and workbook (SPEC §7), for an 8D far larger than real ones.

    .venv/bin/python bench/eightd_export.py --rows 50 --chars 200 --runs 3

Every table of the 8D gets `--rows` rows (50 is the most a discipline accepts) and every text
`--chars` Chinese characters (the most is 4,000 per cell), with two signatures per discipline.
Built as a customer document, without a database: what the worker does after reading it. Prints
the form's characters, the time of the first render (the font is parsed then), then the best of
`--runs`, with page count and file size, in Chinese; or, past the PDF's size budget, how soon
the PDF was refused. Asserts nothing.

    .venv/bin/python bench/eightd_export.py --rows 5 --chars 4000     # near the PDF's budget
    .venv/bin/python bench/eightd_export.py --rows 50 --chars 4000    # the most an 8D holds
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from kesu.eightd.export import layout  # noqa: E402
from kesu.eightd.export.pdf import TooLong, render_pdf  # noqa: E402
from kesu.eightd.export.xlsx import render_xlsx  # noqa: E402

PHRASE = "夹具定位销磨损导致外壳侧面划伤，已全检隔离。"


def text(chars: int) -> str:
    return (PHRASE * (chars // len(PHRASE) + 1))[:chars]


def document(rows: int, chars: int) -> dict:
    t = text(chars)
    day = "2026-03-10"
    cause = {"statement": t, "whys": [t] * 5, "category": "machine", "verification": t}
    content = {
        "d1": {"champion": "工程部经理", "leader": "张工",
               "members": [{"name": f"成员{n}", "department": "工程管理部", "role": t[:50]}
                           for n in range(rows)]},
        "d2": {"what": t, "where": t, "when": t, "who": t, "why": t, "how": t, "how_many": t,
               "is_is_not": [{"aspect": t[:50], "is": t, "is_not": t}] * rows, "repeat": True},
        "d3": {"actions": [{"location": "our_stock", "action": t, "qty_checked": 3000,
                            "qty_bad": 12, "owner": "仓库李工", "start": day, "end": day,
                            "effectiveness": t}] * rows},
        "d4": {"occurrence": cause, "escape": {**cause, "category": "method"}},
        "d5": {"actions": [{"cause": "occurrence", "action": t, "owner": "设备王工", "due": day,
                            "verified": True, "verification": t}] * rows},
        "d6": {"implementations": [{"action": t, "owner": "设备王工", "planned": day,
                                    "done": day, "evidence": t}] * rows,
               "containment_removed": day, "containment_removal_note": t},
        "d7": {"rollout": [{"kind": "line", "target": t[:200], "owner": "张工", "due": day,
                            "done": day}] * rows,
               **{name: {"status": "done", "reference": "REF-1"}
                  for name in ("pfmea", "control_plan", "work_instruction",
                               "inspection_standard")},
               "lesson_learned": t},
        "d8": {"recognition": t, "closure": t, "closed_on": day},
    }
    signature = {"printed_name": "工程经理老刘 (eng_manager)", "meaning": "approved",
                 "signed_at": "2026-03-05T02:03:00+00:00", "content_hash": "0" * 64,
                 "valid": True}
    return {
        "complaint": {"number": "KS-2026-000123", "title": "刹车片表面划伤", "customer": "艾克米",
                      "customer_reference": "R-1", "received_at": "2026-03-01T08:00:00+00:00",
                      "products": ["BRK-100 刹车片"], "lots": ["L2403"],
                      "quantity_affected": 120},
        "form": "full",
        "disciplines": [{"code": code, "content": body, "owner": "工程师小陈",
                         "due_at": "2026-03-08T08:00:00+00:00",
                         "signatures": [signature, {**signature, "meaning": "reviewed"}]}
                        for code, body in content.items()],
    }


def pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def timed(render, form, runs: int) -> tuple[float, float, bytes]:
    started = time.perf_counter()
    data = render(form)
    first = time.perf_counter() - started
    best = first
    for _ in range(runs - 1):
        started = time.perf_counter()
        render(form)
        best = min(best, time.perf_counter() - started)
    return first, best, data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50)
    parser.add_argument("--chars", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with translation.override("zh-hans"):
        started = time.perf_counter()
        form = layout.build(document(args.rows, args.chars))
        print(f"layout: {time.perf_counter() - started:.3f} s, {form.characters():,} characters")
        started = time.perf_counter()
        try:
            first, best, data = timed(render_pdf, form, args.runs)
        except TooLong as exc:
            print(f"pdf: refused after {time.perf_counter() - started:.3f} s: {exc}")
        else:
            print(f"pdf: first {first:.2f} s, best {best:.2f} s, {pages(data)} pages, "
                  f"{len(data) / 1024:.0f} KiB")
        first, best, data = timed(render_xlsx, form, args.runs)
        print(f"xlsx: first {first:.2f} s, best {best:.2f} s, {len(data) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
