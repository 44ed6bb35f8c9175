"""Import of master data from Excel (.xlsx) and CSV (SPEC §2).

All or nothing: every row is checked first, and if any row is bad nothing is written and the
report names each bad row (as the spreadsheet numbers it, the header being row 1) and why.
Otherwise every row is created or updated by its key in one transaction, through `save()`, so
that the change log records each change with its old and new values (SPEC §13). The large
sheets (lots, inspections) are written with bulk inserts and updates instead, a few thousand
rows a query, and their change-log rows with them.

The write API of lots and inspections goes through the same checks (`check_rows`) and the same
writing (`write_rows`) as a file's rows, so the rules are one.

A blank cell means "not given": a new record takes the default, an existing one keeps its value.
"""

import csv
import datetime
import functools
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.core.bounds import check_day
from kesu.masterdata.columns import (
    BOOLEAN,
    CHOICE,
    CHOICE_ALIASES,
    DATE,
    EMAIL,
    INTEGER,
    REFERENCE,
    TEXT,
    Column,
    Sheet,
    get_sheet,
)
from kesu.masterdata.models import (
    Contact,
    Customer,
    DefectCode,
    ImportStage,
    Inspection,
    InspectionResult,
)
from kesu.masterdata.signals import ng_results_recorded

MAX_ROWS = 50_000
MAX_COLUMNS = 50
MAX_FILE_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip: half a megabyte can unpack to gigabytes, and the sizes its directory
# declares are the sender's word. So every part is unpacked once, before openpyxl sees the file,
# counting the bytes as they come and stopping at this limit. A real sheet of MAX_ROWS rows of
# master data unpacks to less than half of it (50,000 customers with contacts: 29 MB).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# An .xlsx has a dozen parts; a directory of a hundred thousand is an attack on memory.
MAX_MEMBERS = 1_000
CHUNK_BYTES = 64 * 1024
# Progress is reported every so many rows read.
PROGRESS_ROWS = 200
# Problems listed in a report; the rest are counted.
MAX_PROBLEMS = 1_000

TRUE_WORDS = {"1", "true", "yes", "y", "是", "启用", "有效", "√", "✓"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "停用", "无效", "×", "✗"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class RowError(ValueError):
    """A bad cell; the message is already translated."""


@dataclass
class Problem:
    row: int | None  # spreadsheet row number; None for a problem with the whole file
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column:
            return _("Row %(row)d, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # The first MAX_PROBLEMS; a file wrong in every cell must not fill the memory or the page.
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    _bad_rows: set = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def bad_rows(self) -> list[int]:
        return sorted(self._bad_rows)

    def add(self, row, column, message) -> None:
        self.problem_count += 1
        if row is not None:
            self._bad_rows.add(row)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, str(column), str(message)))

    def refuse(self, message) -> None:
        """The file as a whole is refused: whatever its rows said so far no longer matters."""
        self.problems, self.problem_count, self._bad_rows = [], 0, set()
        self.rows = 0
        self.add(None, "", message)

    def summary(self) -> str:
        if not self.ok and not self._bad_rows:  # the file as a whole was refused
            return _("Nothing was imported. %(reason)s") % {"reason": self.problems[0].message}
        if not self.ok:
            return _(
                "Nothing was imported: %(problems)d problem(s) in %(rows)d row(s) of the file."
            ) % {"problems": self.problem_count, "rows": len(self._bad_rows)}
        if self.dry_run:
            return _("All %(rows)d rows are valid; nothing was written (trial run).") % {
                "rows": self.rows
            }
        return _(
            "Imported %(rows)d rows: %(created)d created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class FileRefused(Exception):
    pass


# --- Reading the file -------------------------------------------------------------------------


@contextmanager
def _opened(file) -> Iterator[tuple[BinaryIO, str]]:
    """The open binary file and its name, from a path or an open seekable file (an upload, a
    stored file), refused if larger than MAX_FILE_BYTES."""
    if isinstance(file, (str, Path)):
        path = Path(file)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileRefused(_too_big())
        with path.open("rb") as handle:
            yield handle, path.name
        return
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, io.SEEK_END)
    if size > MAX_FILE_BYTES:
        raise FileRefused(_too_big())
    file.seek(0)
    yield file, Path(getattr(file, "name", "") or "").name


def _too_big() -> str:
    return _("The file is larger than %(mb)d MB; split it into smaller files.") % {
        "mb": MAX_FILE_BYTES // (1024 * 1024)
    }


def _too_big_unpacked() -> str:
    return _(
        "The workbook unpacks to more than %(mb)d MB, far more than its rows need; it may be "
        "damaged or crafted. Save it again in Excel, or split it into smaller files."
    ) % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)}


def _not_a_workbook() -> str:
    return _("The file is not a valid .xlsx workbook.")


def _too_many_rows(max_rows: int) -> str:
    return _("The file has more than %(max)d rows; split it into smaller files.") % {
        "max": max_rows
    }


def iter_table(
    file, *, sized: Callable[[int | None], None] | None = None, max_rows: int | None = None
):
    """(row number, cells) of the first sheet of an .xlsx or of a CSV, header included, one row
    at a time. `sized` is told how many rows (header included) the file says it has, if it says.
    Raises FileRefused."""
    max_rows = max_rows or MAX_ROWS
    with _opened(file) as (handle, name):
        head = handle.read(8)
        handle.seek(0)
        suffix = Path(name).suffix.lower()
        if head[:4] == b"PK\x03\x04" or suffix == ".xlsx":
            rows = _xlsx_rows(handle, sized)
        elif suffix in (".xls", ".et") or head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise FileRefused(_("Old .xls files cannot be read; save the sheet as .xlsx or CSV."))
        else:
            rows = _csv_rows(handle, sized)
        with closing(rows):
            for number, cells in rows:
                if number > max_rows + 1:
                    raise FileRefused(_too_many_rows(max_rows))
                yield number, cells


def read_table(file) -> list[tuple[int, list]]:
    """Every row of the file at once; for small files and tests."""
    return list(iter_table(file))


def check_unpacked(archive: zipfile.ZipFile) -> int:
    """Unpack every part of the archive, counting the bytes actually produced, and refuse it at
    MAX_UNPACKED_BYTES; the total. Never trusts the declared sizes: memory stays at one chunk."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise FileRefused(_not_a_workbook())
    unpacked = 0
    try:
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise FileRefused(_too_big_unpacked())
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # zipfile stops a part at its declared size; the checksum then tells the lie.
        raise FileRefused(
            _(
                "The workbook is damaged: its parts do not unpack to the sizes and checksums "
                "it declares. Save it again in Excel."
            )
        ) from exc
    except (NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        # An unknown compression method or a password: nothing Excel saves.
        raise FileRefused(_not_a_workbook()) from exc
    return unpacked


def _xlsx_rows(handle: BinaryIO, sized):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(handle) as archive:
            check_unpacked(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise FileRefused(_not_a_workbook()) from exc
    handle.seek(0)
    try:
        # read_only streams the sheet; data_only gives what the cell shows, never a formula.
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileRefused(_not_a_workbook()) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        if sized is not None:
            sized(sheet.max_row)  # from the sheet's <dimension>; None when it has none
        try:
            for number, cells in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
            ):
                yield number, list(cells)
        except Exception as exc:  # broken XML half-way through the sheet
            raise FileRefused(_not_a_workbook()) from exc
    finally:
        workbook.close()


def _csv_rows(handle: BinaryIO, sized):
    # At most MAX_FILE_BYTES (checked by _opened): the text is decoded whole, to know its encoding.
    data = handle.read(MAX_FILE_BYTES + 1)
    # Excel saves "CSV UTF-8" with a BOM and plain "CSV" in the ANSI code page, which on
    # Chinese Windows is GBK; GB18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise FileRefused(_("The CSV file is neither UTF-8 nor GBK encoded."))
    del data
    if "\x00" in text:
        raise FileRefused(_("The file is not a CSV text file."))
    if sized is not None:
        sized(text.count("\n") + (not text.endswith("\n")))  # quoted line breaks overcount
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, cells[:MAX_COLUMNS]
    except csv.Error as exc:
        raise FileRefused(_("The CSV file could not be read: %(error)s") % {"error": exc}) from exc


# --- Headers ----------------------------------------------------------------------------------


def _normalise_header(value) -> str:
    return "".join(str(value or "").split()).replace("*", "").replace("＊", "").lower()


def header_names(column: Column) -> set[str]:
    names = {column.field, str(column.label), *column.headers}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(str(column.label))
    return {_normalise_header(name) for name in names}


def _map_headers(sheet: Sheet, header: list, report: ImportReport) -> dict[int, Column]:
    by_name = {}
    for column in sheet.columns:
        for name in header_names(column):
            by_name.setdefault(name, column)
    mapping: dict[int, Column] = {}
    seen: dict[str, str] = {}
    for index, raw in enumerate(header):
        name = _normalise_header(raw)
        if not name:
            continue
        column = by_name.get(name)
        if column is None:
            report.add(
                1,
                raw,
                _("Unknown column. Known columns: %(columns)s.")
                % {"columns": ", ".join(str(c.label) for c in sheet.columns)},
            )
            continue
        if column.field in seen:
            report.add(
                1,
                raw,
                _("This column repeats the column “%(other)s”.") % {"other": seen[column.field]},
            )
            continue
        seen[column.field] = str(raw).strip()
        mapping[index] = column
    for column in sheet.columns:
        if column.required and column.field not in seen:
            report.add(1, "", _("The column “%(column)s” is missing.") % {"column": column.label})
    return mapping


# --- Cells ------------------------------------------------------------------------------------


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number comes back as 1001.0
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.isoformat()
    return str(value).strip()


def _parse_text(column: Column, value) -> str:
    text = _as_text(value)
    if "\x00" in text:
        raise RowError(_("The text contains a NUL character."))
    if column.max_length and len(text) > column.max_length:
        raise RowError(
            _("At most %(max)d characters (this has %(length)d).")
            % {"max": column.max_length, "length": len(text)}
        )
    return text


@functools.cache
def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        names = {value, label}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(label))
        names.update(CHOICE_ALIASES.get(choices, {}).get(value, ()))
        for name in names:
            lookup.setdefault(_normalise_header(name), value)
    return lookup


def _parse_choice(column: Column, value) -> str:
    lookup = _choice_lookup(column.choices)
    found = lookup.get(_normalise_header(_as_text(value)))
    if found is None:
        raise RowError(
            _("Unknown value “%(value)s”; use one of: %(choices)s.")
            % {
                "value": _as_text(value),
                "choices": ", ".join(f"{v} ({label})" for v, label in column.choices.choices),
            }
        )
    return found


def _parse_integer(column: Column, value) -> int:
    if isinstance(value, bool):
        raise RowError(_("Enter a whole number."))
    if isinstance(value, int):
        number = value
    else:
        try:
            parsed = Decimal(_as_text(value).replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise RowError(_("Enter a whole number.")) from None
        if not parsed.is_finite() or parsed != parsed.to_integral_value():
            raise RowError(_("Enter a whole number."))
        number = int(parsed)
    low, high = column.min_value, column.max_value
    if number < low or number > high:
        raise RowError(_("Enter a number from %(min)d to %(max)d.") % {"min": low, "max": high})
    return number


def _parse_date(column: Column, value) -> datetime.date:
    day = _read_date(value)
    try:
        return check_day(day)
    except ValidationError as exc:
        raise RowError(exc.messages[0]) from None


def _read_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell without date formatting arrives as Excel's serial day number.
        if 20_000 <= value <= 80_000:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise RowError(_("Enter a date such as 2025-03-31."))
    text = _as_text(value)
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    # "2025-03-31 00:00:00", as Excel CSVs sometimes write date cells.
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError:
        raise RowError(_("Enter a date such as 2025-03-31.")) from None


def _parse_boolean(column: Column, value) -> bool:
    if isinstance(value, bool):
        return value
    text = _normalise_header(_as_text(value))
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise RowError(_("Enter yes or no (是/否)."))


def _parse_email(column: Column, value) -> str:
    text = _parse_text(column, value)
    try:
        validate_email(text)
    except ValidationError:
        raise RowError(_("Enter a valid e-mail address.")) from None
    return text


def _parse_reference(column: Column, value) -> str:
    return _parse_text(column, value)


PARSERS = {
    TEXT: _parse_text,
    CHOICE: _parse_choice,
    INTEGER: _parse_integer,
    DATE: _parse_date,
    BOOLEAN: _parse_boolean,
    EMAIL: _parse_email,
    REFERENCE: _parse_reference,
}


# --- Rows -------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    values: dict  # field -> parsed value, only for cells that were given
    headers: dict  # field -> the header as written, for messages
    # After writing: "created", "updated" or "unchanged", and the record.
    outcome: str = ""
    obj: object = None


def parse_row(sheet: Sheet, number: int, given: dict, report, *, columns=None) -> ParsedRow:
    """One row from {field: raw value} (cells of a file, fields of an API body): each value
    parsed as its column says, blanks left out, required ones reported."""
    values, headers = {}, {}
    for column in columns if columns is not None else sheet.columns:
        headers[column.field] = column.label
        value = given.get(column.field)
        if _is_blank(value):
            if column.required:
                report.add(number, column.label, _("This cell is required."))
            continue
        try:
            values[column.field] = PARSERS[column.value_type](column, value)
        except RowError as exc:
            report.add(number, column.label, str(exc))
    return ParsedRow(number, values, headers)


def _parse_rows(sheet: Sheet, rows, mapping, report) -> list[ParsedRow]:
    parsed = []
    columns = list(mapping.values())
    for number, cells in rows:
        if all(_is_blank(cell) for cell in cells):
            continue
        given = {
            column.field: cells[index] if index < len(cells) else None
            for index, column in mapping.items()
        }
        parsed.append(parse_row(sheet, number, given, report, columns=columns))
    return parsed


def _check_repeated_keys(sheet: Sheet, parsed: list[ParsedRow], report) -> None:
    first_row_of_key: dict = {}
    for row in parsed:
        key = sheet.key_of(row.values)
        if key is None:
            continue
        if key in first_row_of_key:
            shown = " / ".join(str(part) for part in key) if isinstance(key, tuple) else key
            report.add(
                row.number,
                sheet.key_column.label,
                _("“%(key)s” already appears in row %(row)d.")
                % {"key": shown, "row": first_row_of_key[key]},
            )
        else:
            first_row_of_key[key] = row.number


def _resolve_references(sheet: Sheet, parsed: list[ParsedRow], report) -> None:
    """Replace reference codes by objects, with one query per referenced model (in batches
    the database accepts)."""
    for column in sheet.columns:
        if column.value_type != REFERENCE:
            continue
        codes = {row.values[column.field] for row in parsed if column.field in row.values}
        found = (
            column.target.objects.in_bulk(list(codes), field_name=column.target_field)
            if codes
            else {}
        )
        for row in parsed:
            code = row.values.get(column.field)
            if code is None:
                continue
            if code in found:
                row.values[column.field] = found[code]
            elif sheet.model is DefectCode and column.field == "parent":
                pass  # may be a group defined in the same file: checked below
            elif column.target_field != "code":
                report.add(
                    row.number,
                    column.label,
                    _("No %(model)s “%(code)s”.")
                    % {"model": column.target._meta.verbose_name, "code": code},
                )
            else:
                report.add(
                    row.number,
                    column.label,
                    _("No %(model)s with the code “%(code)s”.")
                    % {"model": column.target._meta.verbose_name, "code": code},
                )


def _check_lots(parsed, report) -> None:
    for row in parsed:
        ship, delivery = row.values.get("ship_date"), row.values.get("delivery_date")
        if ship and delivery and delivery < ship:
            report.add(
                row.number,
                row.headers["delivery_date"],
                _("The delivery date is before the ship date."),
            )


def _check_inspections(parsed, report) -> None:
    """A result must be one an auditor can read: no more found bad than checked, an OK lot
    with nothing bad, and no inspection of the future. An NG without a defect code is
    accepted: the customer's notice often comes before the analysis names the defect."""
    today = timezone.localdate(clock.now())
    for row in parsed:
        values = row.values
        checked, bad = values.get("quantity_checked"), values.get("quantity_bad") or 0
        lot = values.get("lot")
        if checked is not None and bad > checked:
            report.add(
                row.number,
                row.headers["quantity_bad"],
                _("More found bad (%(bad)d) than checked (%(checked)d).")
                % {"bad": bad, "checked": checked},
            )
        if values.get("result") == InspectionResult.OK and bad > 0:
            report.add(
                row.number,
                row.headers["result"],
                _("The result is OK but %(bad)d were found bad; enter NG, or 0 bad.")
                % {"bad": bad},
            )
        if checked is not None and hasattr(lot, "quantity") and checked > lot.quantity:
            report.add(
                row.number,
                row.headers["quantity_checked"],
                _("More checked (%(checked)d) than the lot holds (%(quantity)d).")
                % {"checked": checked, "quantity": lot.quantity},
            )
        day = values.get("inspected_on")
        if day is not None and day > today:
            report.add(
                row.number,
                row.headers["inspected_on"],
                _("The inspection date is in the future."),
            )


def _code_of(value) -> str:
    return value if isinstance(value, str) else value.code


def _check_defect_codes(parsed, report) -> None:
    """Two levels only: a code's parent must be a group, and a group with codes under it
    cannot itself be put under another. Judged on the catalogue as it will be after import."""
    in_file = {row.values["code"]: row for row in parsed if "code" in row.values}
    has_children = {_code_of(row.values["parent"]) for row in parsed if "parent" in row.values}
    has_children.update(
        DefectCode.objects.filter(parent__code__in=list(in_file)).values_list(
            "parent__code", flat=True
        )
    )
    model_name = DefectCode._meta.verbose_name
    for row in parsed:
        parent = row.values.get("parent")
        if parent is None:
            continue
        label, code, parent_code = row.headers["parent"], row.values.get("code"), _code_of(parent)
        parent_row = in_file.get(parent_code)
        if isinstance(parent, str) and parent_row is None:
            report.add(
                row.number,
                label,
                _("No %(model)s with the code “%(code)s”.") % {"model": model_name, "code": parent},
            )
            continue
        if parent_row is not None and "parent" in parent_row.values:
            parent_is_group = False
        else:
            parent_is_group = isinstance(parent, str) or parent.parent_id is None
        if parent_code == code:
            report.add(row.number, label, _("A code cannot be its own group."))
        elif not parent_is_group:
            report.add(row.number, label, _("“%(code)s” is not a group.") % {"code": parent_code})
        elif code in has_children:
            report.add(
                row.number,
                label,
                _("“%(code)s” is a group with codes under it; it cannot be put under another.")
                % {"code": code},
            )


# The rules of a kind across its columns, after references are resolved.
CHECKS = {
    "lots": _check_lots,
    "inspections": _check_inspections,
    "defect-codes": _check_defect_codes,
}


def check_rows(sheet: Sheet, parsed: list[ParsedRow], report) -> None:
    """Every rule of the kind over the parsed rows: repeated keys, references, and the
    kind's own checks. Problems go to `report`; the rows' values become objects."""
    _check_repeated_keys(sheet, parsed, report)
    _resolve_references(sheet, parsed, report)
    check = CHECKS.get(sheet.kind)
    if check is not None:
        check(parsed, report)


# --- Writing ----------------------------------------------------------------------------------

# Customer columns written to its Contact (matched by name), not to the Customer itself.
CONTACT_FIELDS = {
    "contact_name": "name",
    "contact_title": "title",
    "contact_phone": "phone",
    "contact_email": "email",
}
# Rows per query when writing in bulk, and per lookup of existing records.
BULK_BATCH = 2_000
LOOKUP_BATCH = 500


def _differs(obj, name: str, value) -> bool:
    """Whether setting `name` to `value` changes `obj`, without loading a related record."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def write_rows(sheet: Sheet, parsed: list[ParsedRow], report: ImportReport, *, actor=None):
    """Create or update every checked row by its key; inside the caller's transaction. Each
    row's `outcome` and `obj` are set, and the report counts them."""
    if sheet.bulk:
        _write_bulk(sheet, parsed, actor=actor)
    else:
        _write(sheet, parsed)
    for row in parsed:
        setattr(report, row.outcome, getattr(report, row.outcome) + 1)
    if sheet.model is Inspection:
        ng_lots = sorted(
            {
                row.obj.lot_id
                for row in parsed
                if row.outcome != "unchanged" and row.obj.result == InspectionResult.NG
            }
        )
        if ng_lots:
            transaction.on_commit(
                lambda: ng_results_recorded.send(sender=Inspection, lot_ids=ng_lots)
            )


def _write(sheet: Sheet, parsed: list[ParsedRow]) -> None:
    model = sheet.model
    keys = [row.values[sheet.key] for row in parsed]
    existing = model.objects.in_bulk(keys, field_name=sheet.key)
    if model is DefectCode:
        # Groups first, so that their codes can point at them.
        parsed = sorted(parsed, key=lambda row: row.values.get("parent") is not None)
    saved_groups = {}
    for row in parsed:
        values = dict(row.values)
        contact = {}
        if model is Customer:
            contact = {name: values.pop(name) for name in list(values) if name in CONTACT_FIELDS}
        if model is DefectCode and isinstance(values.get("parent"), str):
            values["parent"] = saved_groups[values["parent"]]
        obj = existing.get(values[sheet.key])
        created = obj is None
        if created:
            obj = model()
        changed = [name for name, value in values.items() if created or _differs(obj, name, value)]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save()
        if model is DefectCode:
            saved_groups[obj.code] = obj
        contact_changed = _write_contact(obj, contact) if contact else False
        row.obj = obj
        if created:
            row.outcome = "created"
        elif changed or contact_changed:
            row.outcome = "updated"
        else:
            row.outcome = "unchanged"


def _db_key(sheet: Sheet, values: dict):
    return tuple(v.pk if hasattr(v, "_meta") else v for v in (values[n] for n in sheet.key_fields))


def _existing(sheet: Sheet, parsed: list[ParsedRow]) -> dict:
    """The records the rows' keys name, by key as `_db_key` gives it: one query per
    LOOKUP_BATCH rows, on the first field of the key (unique, or indexed as the first column of
    the composite unique constraint)."""
    model = sheet.model
    first = model._meta.get_field(sheet.key_fields[0])
    attnames = [model._meta.get_field(name).attname for name in sheet.key_fields]
    wanted = list(dict.fromkeys(_db_key(sheet, row.values)[0] for row in parsed))
    found = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        for obj in model.objects.filter(**{f"{first.attname}__in": batch}):
            found[tuple(getattr(obj, attname) for attname in attnames)] = obj
    return found


def _write_bulk(sheet: Sheet, parsed: list[ParsedRow], *, actor=None) -> None:
    """The large sheets: bulk inserts and updates, BULK_BATCH rows a query, and the change-log
    rows that `save()` would have written, in bulk as well (SPEC §13)."""
    from auditlog.registry import auditlog

    model = sheet.model
    existing = _existing(sheet, parsed)
    now = clock.now()
    stamped = model is Inspection  # who recorded the result, and when
    audited = auditlog.contains(model)
    new, changed, changed_fields, before = [], [], set(), {}
    for row in parsed:
        key = _db_key(sheet, row.values)
        obj = existing.get(key)
        if obj is None:
            obj = model(**row.values)
            row.outcome = "created"
            new.append(obj)
            # A key twice in the rows (the API's bulk call is checked for it, a file too):
            # the second one updates the first.
            existing[key] = obj
        else:
            names = [name for name, value in row.values.items() if _differs(obj, name, value)]
            if not names:
                row.outcome = "unchanged"
                row.obj = obj
                continue
            if audited and obj.pk:
                before.setdefault(
                    obj.pk,
                    model(
                        **{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                    ),
                )
            for name in names:
                setattr(obj, name, row.values[name])
            changed_fields.update(names)
            row.outcome = "updated" if obj.pk else "created"
            if obj.pk:
                changed.append(obj)
        if stamped:
            obj.recorded_at, obj.recorded_by = now, actor
            changed_fields.update(("recorded_at", "recorded_by"))
        row.obj = obj
    model.objects.bulk_create(new, batch_size=BULK_BATCH)
    if changed:
        model.objects.bulk_update(
            list({obj.pk: obj for obj in changed}.values()),
            sorted(changed_fields),
            batch_size=BULK_BATCH // 4,
        )
    if audited:
        _log_bulk(
            model,
            new,
            [(before[obj.pk], obj) for obj in {o.pk: o for o in changed}.values()],
            actor=actor,
            at=now,
        )


def _log_bulk(model, created, updated, *, actor, at) -> None:
    """The change-log rows `save()` would have written (django-auditlog's LogEntry, with its
    changes as {field: [old, new]} in text, a foreign key by its id), in bulk. Computed here
    rather than by auditlog's differ, which costs more than the insert itself."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    content_type = ContentType.objects.get_for_model(model)
    fields = [(f.name, f.attname) for f in model._meta.concrete_fields]

    def text(value):
        return smart_str(value) if value is not None else "None"

    def entry(obj, action, changes):
        return LogEntry(
            content_type=content_type,
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=str(obj),
            action=action,
            changes=changes,
            actor=actor,
            timestamp=at,
        )

    entries = [
        entry(
            obj,
            LogEntry.Action.CREATE,
            {name: ["None", text(getattr(obj, attname))] for name, attname in fields},
        )
        for obj in created
    ]
    for old, obj in updated:
        changes = {}
        for name, attname in fields:
            was, now = getattr(old, attname), getattr(obj, attname)
            if was != now:
                changes[name] = [text(was), text(now)]
        entries.append(entry(obj, LogEntry.Action.UPDATE, changes))
    _insert_many(LogEntry, entries)


def _insert_many(model, objs) -> None:
    """INSERT the objects with one executemany, their values prepared by their fields as
    bulk_create prepares them. For rows whose ids nobody reads back (the change log): on
    SQLite bulk_create is cut into statements of 999 parameters, a few dozen rows of a wide
    table each, and compiling those costs more than inserting."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BULK_BATCH):
            cursor.executemany(
                sql,
                [
                    tuple(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
                    for obj in objs[start : start + BULK_BATCH]
                ],
            )


def _write_contact(customer, contact: dict) -> bool:
    name = contact.get("contact_name")
    if not name:
        return False
    obj = Contact.objects.filter(customer=customer, name=name).first()
    created = obj is None
    if created:
        obj = Contact(customer=customer, name=name)
    changed = False
    for source, target in CONTACT_FIELDS.items():
        if (
            source != "contact_name"
            and source in contact
            and getattr(obj, target) != contact[source]
        ):
            setattr(obj, target, contact[source])
            changed = True
    if created or changed:
        obj.save()
    return created or changed


# --- Entry point ------------------------------------------------------------------------------

# progress(stage, rows_read, rows_total): told while reading (every PROGRESS_ROWS rows) and at
# each stage; never from inside the writing transaction, so another connection sees it.
Progress = Callable[[str, int, int | None], None]


def _no_progress(stage: str, rows_read: int, rows_total: int | None) -> None:
    pass


def import_rows(
    kind: str,
    file,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
    actor=None,
) -> ImportReport:
    """Check every row of `file` (a path or an open binary file, .xlsx or .csv) and, if all
    are good and `dry_run` is false, create or update them by their key in one transaction.
    `actor` is who asked (the change log's actor, an inspection's recorder).

    `before_commit(report)` runs inside that transaction after the rows are written: what it
    writes commits with them, and an exception it raises rolls them back."""
    progress = progress or _no_progress
    sheet = get_sheet(kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    if sheet is None:
        report.add(None, "", _("Unknown kind of master data “%(kind)s”.") % {"kind": kind})
        return report
    total: list[int | None] = [None]

    def sized(rows: int | None) -> None:
        total[0] = rows - 1 if rows else None  # without the header
        progress(ImportStage.READING, 0, total[0])

    def counted(rows):
        for read, row in enumerate(rows, start=1):
            if read % PROGRESS_ROWS == 0:
                progress(ImportStage.READING, read, total[0])
            yield row

    try:
        with closing(iter_table(file, sized=sized, max_rows=sheet.max_rows)) as table:
            first = next(table, None)
            if first is None:
                report.add(None, "", _("The file is empty."))
                return report
            mapping = _map_headers(sheet, first[1], report)
            if not report.ok:
                return report
            parsed = _parse_rows(sheet, counted(table), mapping, report)
    except FileRefused as exc:
        report.refuse(str(exc))
        return report
    report.rows = len(parsed)
    progress(ImportStage.CHECKING, report.rows, report.rows)
    if not parsed:
        report.add(None, "", _("The file has a header but no rows."))
        return report
    check_rows(sheet, parsed, report)
    if not report.ok:
        report.problems.sort(key=lambda p: p.row or 0)
        return report
    if dry_run:
        return report
    progress(ImportStage.WRITING, report.rows, report.rows)
    with transaction.atomic():
        write_rows(sheet, parsed, report, actor=actor)
        if before_commit is not None:
            before_commit(report)
    return report
