"""Export to .xlsx in the columns import reads back (SPEC §2)."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kesu.masterdata.exporting import export_xlsx
from kesu.masterdata.importing import import_rows
from kesu.masterdata.models import Contact, Supplier
from tests import factories as f
from tests.masterdata.sheets import xlsx

pytestmark = pytest.mark.django_db


def _rows(data):
    # Not data_only: a formula would show as a formula cell here.
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def test_export_reimports_unchanged():
    customer = f.CustomerFactory(code="C1001", name="华星汽车部件", grade="strategic")
    Contact.objects.create(customer=customer, name="赵建华", phone="0512-1", email="z@hx.example")
    f.CustomerFactory(code="C1002", name="金龙家电", grade="normal", status="suspended")
    data = export_xlsx("customers")
    report = import_rows("customers", xlsx([[v for v, _ in row] for row in _rows(data)]))
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


def test_lots_export_with_codes_and_dates():
    lot = f.LotFactory(number="L1", quantity=1200)
    with translation.override("en"):
        rows = _rows(export_xlsx("lots"))
    assert [v for v, _ in rows[0]] == [
        "Lot number",
        "Product code",
        "Customer code",
        "Quantity",
        "Ship date",
        "Delivery date",
    ]
    assert rows[1][0][0] == "L1"
    assert rows[1][1][0] == lot.product.code
    assert rows[1][4][0].date() == lot.ship_date


def test_text_that_looks_like_a_formula_is_exported_as_text():
    Supplier.objects.create(code="S1", name='=HYPERLINK("http://evil.example","点我")')
    rows = _rows(export_xlsx("suppliers"))
    value, data_type = rows[1][1]
    assert value == '=HYPERLINK("http://evil.example","点我")'
    assert data_type == "s"
