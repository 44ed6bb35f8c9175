"""Spreadsheets made in memory for the import tests."""

import csv
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def xlsx(rows, name="data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, name="data.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding))


SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>S1</t></is></c>'
    b'<c r="B2" t="inlineStr"><is><t>bomb</t></is></c></row>'
)


def _with_sheet(write_sheet) -> bytes:
    """A supplier workbook (code, name; one row S1) whose sheet XML `write_sheet(stream)`
    writes; every other part as openpyxl made it."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["code", "name"], ["S1", "x"]]).read()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == SHEET:
                with target.open(SHEET, "w") as stream:
                    write_sheet(stream)
            else:
                target.writestr(info, source.read(info.filename))
    return buffer.getvalue()


def inflating_xlsx(unpacked_bytes: int, name="bomb.xlsx") -> SimpleUploadedFile:
    """A valid workbook, honest about its sizes, whose sheet XML unpacks to `unpacked_bytes`:
    rows of cells openpyxl would parse one by one. Compresses about 1,000 to 1."""
    row = b"<row>" + b"<c><v>1</v></c>" * 1000 + b"</row>"

    def write(stream):
        stream.write(_SHEET_HEAD)
        for _ in range(unpacked_bytes // len(row) + 1):
            stream.write(row)
        stream.write(b"</sheetData></worksheet>")

    return SimpleUploadedFile(name, _with_sheet(write))


def lying_xlsx(unpacked_bytes: int, *, declared: int = 1000, crc_of_prefix=False,
               name="liar.xlsx") -> SimpleUploadedFile:
    """inflating_xlsx whose zip headers (local and central) claim the sheet unpacks to only
    `declared` bytes. With `crc_of_prefix` the checksum is made to match those first bytes too,
    so that nothing but the content itself gives the lie away."""
    data = bytearray(inflating_xlsx(unpacked_bytes).read())
    real = zipfile.ZipFile(io.BytesIO(bytes(data)))
    prefix = real.open(SHEET).read(declared)
    crc = zlib.crc32(prefix)
    encoded = SHEET.encode()
    # Local file header: size at 22, CRC at 14; central directory header: size at 24, CRC at 16.
    for signature, size_at, crc_at in ((b"PK\x03\x04", 22, 14), (b"PK\x01\x02", 24, 16)):
        name_at = 30 if signature == b"PK\x03\x04" else 46
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at:start + name_at + len(encoded)] == encoded:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", declared)
                if crc_of_prefix:
                    data[start + crc_at:start + crc_at + 4] = struct.pack("<I", crc)
            start += 4
    return SimpleUploadedFile(name, bytes(data))
