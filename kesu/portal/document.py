"""A frozen customer version (`CustomerVersion.snapshot`) as something a template can print.

The snapshot is shown exactly as it was frozen: each discipline's content with the labels of
`kesu.eightd.labels`, in the order of the documents in `kesu.eightd.content` (PostgreSQL's jsonb
does not keep key order), and its signatures with printed name, meaning and time (21 CFR Part 11
§11.50: wherever the signed record is shown). Keys a later schema no longer knows are still
shown, after the known ones, under their raw name.
"""

import typing
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pydantic import BaseModel

from kesu.eightd import content as docs
from kesu.eightd import labels
from kesu.eightd.models import DISCIPLINES
from kesu.signoff.models import Meaning


@dataclass
class Node:
    """One field: `text`, a `list` of texts, a `table` of rows or nested `fields`."""

    kind: str
    label: str
    text: str = ""
    items: list = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, str]]] = field(default_factory=list)  # (column, text)


@dataclass
class ShownSignature:
    printed_name: str
    meaning: str
    meaning_label: str
    signed_at: object
    valid: bool


@dataclass
class Section:
    code: str
    label: str
    owner: str
    due_at: object
    fields: list[Node]
    signatures: list[ShownSignature]


def _nested_model(annotation) -> type[BaseModel] | None:
    """The document model an annotation refers to (Cause, list[Member], Cause | None…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def _schema(model: type[BaseModel] | None) -> dict[str, type | None]:
    """Each key of a document of `model`, in order, with the model of its items if nested."""
    if model is None:
        return {}
    return {
        info.alias or name: _nested_model(info.annotation)
        for name, info in model.model_fields.items()
    }


def _keys(data: dict, schema: dict) -> list[str]:
    known = [key for key in schema if key in data]
    return known + sorted(key for key in data if key not in schema)


def _text(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(labels.choice_label(key, value))


def _node(key: str, value, model) -> Node:
    label = str(labels.field_label(key))
    if isinstance(value, dict):
        return Node("fields", label, items=_nodes(value, model))
    if isinstance(value, list):
        if value and all(isinstance(row, dict) for row in value):
            schema = _schema(model)
            columns = []
            for row in value:
                columns += [k for k in _keys(row, schema) if k not in columns]
            names = [str(labels.field_label(k)) for k in columns]
            return Node(
                "table",
                label,
                columns=names,
                rows=[
                    [(name, _cell(k, row.get(k))) for name, k in zip(names, columns, strict=True)]
                    for row in value
                ],
            )
        items = [_cell(key, item) for item in value if item not in (None, "")]
        return Node("list", label, items=items) if items else Node("text", label, text="—")
    return Node("text", label, text=_text(key, value))


def _cell(key: str, value) -> str:
    if isinstance(value, (dict, list)):
        # Deeper than the documents nest today; shown, not interpreted.
        return str(value)
    return _text(key, value)


def _nodes(data: dict, model) -> list[Node]:
    schema = _schema(model)
    return [_node(key, data[key], schema.get(key)) for key in _keys(data, schema)]


def _moment(value):
    if not value:
        return None
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        return None


def _signature(data: dict) -> ShownSignature:
    meaning = data.get("meaning", "")
    return ShownSignature(
        printed_name=data.get("printed_name", ""),
        meaning=meaning,
        meaning_label=str(dict(Meaning.choices).get(meaning, meaning)),
        signed_at=_moment(data.get("signed_at")),
        valid=bool(data.get("valid")),
    )


def sections(snapshot: dict) -> list[Section]:
    """The disciplines of a frozen version, D1 to D8."""
    out = []
    for item in sorted(snapshot.get("disciplines") or [], key=lambda d: d.get("code", "")):
        code = item.get("code", "")
        content = item.get("content") or {}
        out.append(
            Section(
                code=code,
                label=str(DISCIPLINES.get(code, code)),
                owner=item.get("owner") or "",
                due_at=_moment(item.get("due_at")),
                fields=_nodes(content, docs.CONTENT.get(code)),
                signatures=[_signature(s) for s in item.get("signatures") or []],
            )
        )
    return out
