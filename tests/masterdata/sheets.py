"""Spreadsheets made in memory for the import tests."""

import csv
import io

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
