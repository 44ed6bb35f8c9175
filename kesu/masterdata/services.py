"""Writes of lots and inspection results one by one: the write API and the lot page (SPEC §2,
§5 step 7).

A row goes through what a row of an imported file goes through (`importing.parse_row`,
`check_rows`, `write_rows`), so a lot or a result is judged by one set of rules whatever door
it came in by. Writes are idempotent by key (a lot's number; a lot and a side for an
inspection): the same body twice answers "unchanged" and writes nothing.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.masterdata.columns import REFERENCE, SHEETS, Sheet
from kesu.masterdata.importing import ImportReport, ParsedRow, check_rows, parse_row, write_rows
from kesu.masterdata.imports import may_import
from kesu.masterdata.models import Inspection, Lot

# Lots in one call of the bulk API: one transaction, answered within a request.
MAX_LOTS_PER_CALL = 1_000
# Roles (org.Role values; masterdata sits below org) that record inspection results besides
# whoever may import them: the quality engineers who follow complaints, and administrators.
INSPECTION_ROLES = frozenset({"qe", "admin"})
# Two writers inserting the same new key: the loser's transaction fails on the unique
# constraint and is run again, when it finds the winner's record and updates it.
ATTEMPTS = 3


@dataclass
class Written:
    """One row's outcome: "created", "updated" or "unchanged", and the record."""

    outcome: str
    obj: object


def may_write_lots(user) -> bool:
    return may_import(user, SHEETS["lots"])


def may_record_inspection(user) -> bool:
    if not (user.is_authenticated and user.is_active) or getattr(user, "is_customer", True):
        return False
    return user.role in INSPECTION_ROLES or may_import(user, SHEETS["inspections"])


def _rows(sheet: Sheet, bodies: list[dict], report: ImportReport) -> list[ParsedRow]:
    """Parsed rows of whole records: a field left out or null is emptied (its default), as a
    PUT replaces the record; the import's blank cell keeps the old value instead."""
    parsed = []
    for number, body in enumerate(bodies):
        row = parse_row(sheet, number, body, report)
        for column in sheet.columns:
            if column.field not in row.values and not column.required:
                field = sheet.model._meta.get_field(column.field)
                row.values[column.field] = None if field.null else field.get_default()
        parsed.append(row)
    return parsed


def _refusal(sheet: Sheet, report: ImportReport, *, prefix: str | None) -> ValidationFailed:
    """The report's problems as field errors: `field` for one record, `prefix.N.field` for
    the Nth of several."""
    fields = {str(column.label): column.field for column in sheet.columns}
    errors: dict[str, list[str]] = {}
    for problem in report.problems:
        name = fields.get(problem.column, problem.column or "__all__")
        if prefix is not None:
            name = f"{prefix}.{problem.row}.{name}"
        errors.setdefault(name, []).append(problem.message)
    if prefix is None:
        message = _("The record was not saved; see the fields.")
    else:
        message = _("Nothing was saved: %(rows)d of the %(total)d records are not valid.") % {
            "rows": len(report.bad_rows),
            "total": report.rows,
        }
    return ValidationFailed(message, field_errors=errors)


def _save(sheet: Sheet, bodies: list[dict], *, actor, prefix: str | None) -> list[Written]:
    report = ImportReport(kind=sheet.kind, rows=len(bodies))
    parsed = _rows(sheet, bodies, report)
    check_rows(sheet, parsed, report)
    if not report.ok:
        raise _refusal(sheet, report, prefix=prefix)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                write_rows(sheet, parsed, ImportReport(kind=sheet.kind), actor=actor)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise
            continue
        # Read back with what the answer shows (product, customer…), one query for all.
        related = [c.field for c in sheet.columns if c.value_type == REFERENCE]
        if sheet.model is Inspection:
            related.append("recorded_by")
        fresh = sheet.model.objects.select_related(*related).in_bulk(
            [row.obj.pk for row in parsed]
        )
        return [Written(row.outcome, fresh[row.obj.pk]) for row in parsed]
    raise AssertionError("unreachable")  # pragma: no cover


def lots_save(*, actor, lots: list[dict]) -> list[Written]:
    """Create or update lots by number, all or none (one transaction). Each lot is a dict of
    number, product (code), customer (code), quantity, ship_date, delivery_date."""
    if not may_write_lots(actor):
        raise NotAllowed()
    if len(lots) > MAX_LOTS_PER_CALL:
        raise ValidationFailed(
            _("At most %(max)d lots at a time.") % {"max": MAX_LOTS_PER_CALL}
        )
    return _save(SHEETS["lots"], lots, actor=actor, prefix="lots")


def lot_save(*, actor, number: str, values: dict) -> Written:
    """Create or update the lot `number` with `values` (everything but the number)."""
    if not may_write_lots(actor):
        raise NotAllowed()
    return _save(SHEETS["lots"], [{**values, "number": number}], actor=actor, prefix=None)[0]


def inspection_record(*, actor, lot: Lot, side: str, values: dict) -> Written:
    """Record (or correct) the result of the inspection of `lot` on `side`: one per lot and
    side, so recording the same result again changes nothing. `values`: result, defect_code
    (a code), quantity_checked, quantity_bad, inspected_on, note."""
    if not may_record_inspection(actor):
        raise NotAllowed()
    # The lot by its number, as a file names it: the same checks apply to its reference.
    body = {**values, "lot": lot.number, "side": side}
    return _save(SHEETS["inspections"], [body], actor=actor, prefix=None)[0]

