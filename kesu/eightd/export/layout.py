"""The 8D as a printed form: what the PDF and the workbook both lay out, in the active language.

Built from a customer document (`kesu.eightd.selectors.customer_document`, or a version's frozen
snapshot), never from the live records, so an export shows exactly what the customer is shown
and nothing internal. Each discipline becomes the blocks of the customary 8D form (team table,
5W2H, is / is-not, containment table, two cause blocks, action tables, roll-out and document
checklist) followed by its signatures (21 CFR Part 11 §11.50: printed name, meaning, time, and
whether the signature still holds).

Every string here is final text: the renderers escape it and never interpret it.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.core.display import enumeration
from kesu.eightd import labels
from kesu.eightd.content import DOCUMENTS
from kesu.eightd.models import DISCIPLINES
from kesu.signoff.models import Meaning
from kesu.signoff.services import content_hash

EMPTY = "—"
# C0 control characters other than tab and newline: neither a PDF font nor a workbook cell
# can hold them, and nobody meant to type them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FIVE_W_TWO_H = ("what", "where", "when", "who", "why", "how", "how_many")


@dataclass
class Pairs:
    """Label and value, one pair a line (a header block, a cause block)."""

    title: str
    items: list[tuple[str, str]]


@dataclass
class Table:
    """Rows under column headings; `widths` are relative column widths."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]


@dataclass
class Text:
    """A long text under its heading (lesson learned, closing summary)."""

    title: str
    text: str


@dataclass
class Section:
    code: str
    title: str
    owner: str
    due: str
    blocks: list = field(default_factory=list)
    signatures: Table | None = None


@dataclass
class Form:
    title: str
    number: str
    header: Pairs
    sections: list[Section]
    content_hash: str
    printed_at: str
    language: str
    # Words the renderers need in the same language as the rest.
    page_words: dict[str, str] = field(default_factory=dict)

    def characters(self) -> int:
        """How much text the form prints: what decides how many pages its PDF has."""
        size = sum(len(label) + len(value) for label, value in self.header.items)
        for section in self.sections:
            for block in [*section.blocks, section.signatures]:
                if isinstance(block, Pairs):
                    size += sum(len(label) + len(value) for label, value in block.items)
                elif isinstance(block, Table):
                    size += sum(len(cell) for row in block.rows for cell in row)
                elif isinstance(block, Text):
                    size += len(block.text)
        return size


def local_time(value) -> str:
    """An ISO timestamp (or datetime) as local wall-clock time, the way the pages show it."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return str(value) if value else EMPTY
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _text(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))


def _choice(name: str, value) -> str:
    return _text(str(labels.choice_label(name, value)) if value not in (None, "") else "")


def _label(name: str) -> str:
    return str(labels.field_label(name))


def _rows(content: dict, key: str) -> list[dict]:
    value = content.get(key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _table(title, rows, spec) -> Table:
    """`spec`: (field, relative width, how to show it) per column, after a row number."""
    return Table(
        title=title,
        columns=["#", *(_label(name) for name, _w, _show in spec)],
        rows=[
            [str(n), *(show(name, row.get(name)) for name, _w, show in spec)]
            for n, row in enumerate(rows, 1)
        ],
        widths=[0.4, *(width for _name, width, _show in spec)],
    )


def _plain(_name, value) -> str:
    return _text(value)


def _d1(content: dict) -> list:
    return [
        Pairs("", [(_label("champion"), _text(content.get("champion"))),
                   (_label("leader"), _text(content.get("leader")))]),
        _table(_label("members"), _rows(content, "members"),
               [("name", 2, _plain), ("department", 2, _plain), ("role", 2, _plain)]),
    ]


def _d2(content: dict) -> list:
    return [
        Table(
            title=_("5W2H"),
            columns=[_("Question"), _("Description")],
            rows=[[_label(key), _text(content.get(key))] for key in FIVE_W_TWO_H],
            widths=[1, 4],
        ),
        _table(_label("is_is_not"), _rows(content, "is_is_not"),
               [("aspect", 1.5, _plain), ("is", 3, _plain), ("is_not", 3, _plain)]),
        Pairs("", [(_label("repeat"), _text(bool(content.get("repeat"))))]),
    ]


def _d3(content: dict) -> list:
    return [
        _table(_("Containment actions"), _rows(content, "actions"), [
            ("location", 1.2, _choice), ("action", 2.6, _plain), ("qty_checked", 1, _plain),
            ("qty_bad", 1, _plain), ("owner", 1.2, _plain), ("start", 1.2, _plain),
            ("end", 1.2, _plain), ("effectiveness", 2.4, _plain),
        ])
    ]


def _cause(name: str, cause) -> Pairs:
    cause = cause if isinstance(cause, dict) else {}
    whys = [w for w in cause.get("whys") or [] if isinstance(w, str) and w]
    chain = "\n".join(
        _("Why %(n)d: %(answer)s") % {"n": n, "answer": answer} for n, answer in enumerate(whys, 1)
    )
    return Pairs(_label(name), [
        (_label("statement"), _text(cause.get("statement"))),
        (_label("whys"), _text(chain)),
        (_label("category"), _choice("category", cause.get("category"))),
        (_label("verification"), _text(cause.get("verification"))),
    ])


def _d4(content: dict) -> list:
    return [_cause("occurrence", content.get("occurrence")),
            _cause("escape", content.get("escape"))]


def _d5(content: dict) -> list:
    return [
        _table(_("Permanent corrective actions"), _rows(content, "actions"), [
            ("cause", 1.6, _choice), ("action", 3, _plain), ("owner", 1.3, _plain),
            ("due", 1.2, _plain), ("verified", 1.3, _plain), ("verification", 2.4, _plain),
        ])
    ]


def _d6(content: dict) -> list:
    return [
        _table(_label("implementations"), _rows(content, "implementations"), [
            ("action", 3, _plain), ("owner", 1.3, _plain), ("planned", 1.2, _plain),
            ("done", 1.2, _plain), ("evidence", 3, _plain),
        ]),
        Pairs("", [
            (_label("containment_removed"), _text(content.get("containment_removed"))),
            (_label("containment_removal_note"), _text(content.get("containment_removal_note"))),
        ]),
    ]


def _d7(content: dict) -> list:
    documents = []
    for name in DOCUMENTS:
        update = content.get(name) if isinstance(content.get(name), dict) else {}
        documents.append(
            [_label(name), _choice("status", update.get("status")), _text(update.get("reference"))]
        )
    return [
        _table(_label("rollout"), _rows(content, "rollout"), [
            ("kind", 1.4, _choice), ("target", 3, _plain), ("owner", 1.4, _plain),
            ("due", 1.2, _plain), ("done", 1.2, _plain),
        ]),
        Table(
            title=_("Document updates"),
            columns=[_("Document"), _label("status"), _label("reference")],
            rows=documents,
            widths=[2, 1.5, 3],
        ),
        Text(_label("lesson_learned"), _text(content.get("lesson_learned"))),
    ]


def _d8(content: dict) -> list:
    return [
        Text(_label("recognition"), _text(content.get("recognition"))),
        Text(_label("closure"), _text(content.get("closure"))),
        Pairs("", [(_label("closed_on"), _text(content.get("closed_on")))]),
    ]


BLOCKS = {"d1": _d1, "d2": _d2, "d3": _d3, "d4": _d4, "d5": _d5, "d6": _d6, "d7": _d7, "d8": _d8}


def _signatures(signatures: list) -> Table:
    meanings = dict(Meaning.choices)
    rows = []
    for signature in signatures:
        if not isinstance(signature, dict):
            continue
        meaning = signature.get("meaning", "")
        rows.append([
            _text(signature.get("printed_name")),
            str(meanings.get(meaning, meaning)),
            local_time(signature.get("signed_at")),
            _("Valid") if signature.get("valid") else _("No longer valid (edited after signing)"),
        ])
    return Table(
        title=_("Signatures"),
        columns=[_("Printed name"), _("Meaning"), _("Signed at"), _("Still valid")],
        rows=rows,
        widths=[2.4, 1.2, 1.6, 2.4],
    )


def _section(item: dict) -> Section:
    code = item.get("code", "")
    content = item.get("content") if isinstance(item.get("content"), dict) else {}
    build = BLOCKS.get(code)
    return Section(
        code=code,
        title=str(DISCIPLINES.get(code, code)),
        owner=_text(item.get("owner")),
        due=local_time(item.get("due_at")) if item.get("due_at") else EMPTY,
        blocks=build(content) if build else [],
        signatures=_signatures(item.get("signatures") or []),
    )


def build(document: dict, *, version=None, printed_at=None) -> Form:
    """The form of a customer document, in the active language. `version`: the
    CustomerVersion the document is the snapshot of, if any."""
    complaint = document.get("complaint") or {}
    form = document.get("form", "")
    if version is not None:
        shown = _("Version %(number)d, %(purpose)s, %(at)s") % {
            "number": version.number,
            "purpose": version.get_purpose_display(),
            "at": local_time(version.shared_at),
        }
        digest = version.content_hash
    else:
        shown = _("Current state (not a version sent to the customer)")
        digest = content_hash(document)
    quantity = complaint.get("quantity_affected")
    header = Pairs(
        _("Complaint"),
        [
            (_("Complaint number"), _text(complaint.get("number"))),
            (_("Title"), _text(complaint.get("title"))),
            (_("Customer"), _text(complaint.get("customer"))),
            (_("Customer reference"), _text(complaint.get("customer_reference"))),
            (_("Products"), _text(enumeration(complaint.get("products") or []))),
            (_("Lots"), _text(enumeration(complaint.get("lots") or []))),
            (_("Quantity affected"), _text(quantity)),
            (_("Received at"), local_time(complaint.get("received_at"))),
            (_("8D form"), _text(str(labels.FORMS.get(form, form)) if form else "")),
            (_("Shown to the customer"), shown),
        ],
    )
    sections = sorted(
        (_section(item) for item in document.get("disciplines") or [] if isinstance(item, dict)),
        key=lambda section: section.code,
    )
    return Form(
        title=_("8D report"),
        number=str(complaint.get("number", "")),
        header=header,
        sections=sections,
        content_hash=digest,
        printed_at=local_time(printed_at or clock.now()),
        language="zh-CN" if (get_language() or "").startswith("zh") else "en",
        page_words={
            "owner": _("Owner"),
            "due": _("Due"),
            "no_rows": _("None recorded."),
            "not_signed": _("Not signed yet."),
            "hash": _("Content SHA-256"),
            "printed": _("Printed"),
            "page": _("Page %(page)d of %(pages)d"),
        },
    )
