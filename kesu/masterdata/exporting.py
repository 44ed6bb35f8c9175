"""Export of master data to Excel (.xlsx), in the columns that import reads back (SPEC §2)."""

import io

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.masterdata.columns import BOOLEAN, CHOICE, DATE, REFERENCE, Sheet, get_sheet
from kesu.masterdata.models import Contact, Customer

CONTACT_ATTRIBUTES = {
    "contact_name": "name",
    "contact_title": "title",
    "contact_phone": "phone",
    "contact_email": "email",
}

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _queryset(sheet: Sheet, queryset: QuerySet | None) -> QuerySet:
    queryset = sheet.model.objects.all() if queryset is None else queryset
    related = [c.field for c in sheet.columns if c.value_type == REFERENCE]
    if related:
        queryset = queryset.select_related(*related)
    if sheet.model is Customer:
        queryset = queryset.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name", "id"))
        )
    return queryset.order_by(*sheet.key_fields)


def _value(obj, column):
    if isinstance(obj, Customer) and column.field in CONTACT_ATTRIBUTES:
        # One row per customer: its first contact (by name), as import reads one per row.
        contacts = list(obj.contacts.all())
        return getattr(contacts[0], CONTACT_ATTRIBUTES[column.field]) if contacts else None
    value = getattr(obj, column.field)
    if value is None or value == "":
        return None
    if column.value_type == REFERENCE:
        return getattr(value, column.target_field)
    if column.value_type == CHOICE:
        return str(column.choices(value).label)
    if column.value_type == BOOLEAN:
        return _("Yes") if value else _("No")
    return value


def export_xlsx(kind: str, queryset: QuerySet | None = None) -> bytes:
    """The records of one kind (or those of `queryset`) as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = get_sheet(kind)
    if sheet is None:
        raise ValueError(f"unknown kind {kind!r}")
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=str(sheet.label)[:31])
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(worksheet, value=str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    worksheet.append(header)
    for obj in _queryset(sheet, queryset).iterator(chunk_size=2000):
        row = []
        for column in sheet.columns:
            value = _value(obj, column)
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str):
                # openpyxl turns text starting with "=" into a formula. Customer-supplied names
                # must stay text, or opening the export would run them (formula injection).
                cell.data_type = "s"
            elif column.value_type == DATE and value is not None:
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(kind: str, today) -> str:
    sheet = get_sheet(kind)
    return f"kesu-{sheet.kind}-{today:%Y%m%d}.xlsx"


def export_download(kind: str, queryset: QuerySet | None = None) -> HttpResponse:
    """The workbook as a download named for its kind and today (the export page and the admin's
    action alike)."""
    response = HttpResponse(export_xlsx(kind, queryset), content_type=XLSX)
    filename = export_filename(kind, timezone.localdate(clock.now()))
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
