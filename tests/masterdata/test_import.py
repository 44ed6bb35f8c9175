"""Importing master data from .xlsx and .csv (SPEC §2): all rows good, or nothing at all."""

import datetime

import pytest
from django.utils import translation

from kesu.masterdata import importing
from kesu.masterdata.importing import import_rows
from kesu.masterdata.models import Contact, Customer, DefectCode, Lot, Product, Supplier
from tests import factories as f
from tests.masterdata.sheets import csv_file, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # The messages asserted below are the English originals.
    with translation.override("en"):
        yield


def problems_by_row(report):
    rows = {}
    for problem in report.problems:
        rows.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}")
    return rows


def test_good_file_creates_customers_with_their_contact():
    report = import_rows(
        "customers",
        xlsx(
            [
                ["code", "name", "grade", "status", "contact_name", "contact_phone"],
                ["C1001", "华星汽车部件有限公司", "strategic", "active", "赵建华", "0512-1234"],
                ["C1002", "金龙家电有限公司", "key", "", "", ""],
            ]
        ),
    )
    assert report.ok, report.problems
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    huaxing = Customer.objects.get(code="C1001")
    assert huaxing.grade == "strategic"
    assert Contact.objects.get(customer=huaxing).phone == "0512-1234"
    assert Customer.objects.get(code="C1002").status == "active"  # blank: the default


def test_second_import_updates_by_code_and_leaves_blank_cells_alone():
    f.CustomerFactory(code="C1001", name="旧名称", grade="normal", verification_lots=3)
    report = import_rows(
        "customers",
        xlsx(
            [
                ["code", "name", "grade", "verification_lots"],
                ["C1001", "新名称", "key", None],
                ["C1002", "新客户", "normal", 2],
            ]
        ),
    )
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    customer = Customer.objects.get(code="C1001")
    assert (customer.name, customer.grade, customer.verification_lots) == ("新名称", "key", 3)

    again = import_rows("customers", xlsx([["code", "name"], ["C1001", "新名称"]]))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_chinese_headers_and_chinese_choice_words():
    report = import_rows(
        "customers",
        xlsx(
            [
                ["客户编码", "客户名称", "等级", "合作状态", "联系人", "邮箱"],
                [
                    "C2001",
                    "东方电梯机电股份有限公司",
                    "战略客户",
                    "合作中",
                    "钱文",
                    "qian@df.example",
                ],
                ["C2002", "天成智能家居有限公司", "一般", "暂停", "", ""],
            ]
        ),
    )
    assert report.ok, report.problems
    assert Customer.objects.get(code="C2001").grade == "strategic"
    assert Customer.objects.get(code="C2002").status == "suspended"


def test_bad_rows_import_nothing_and_name_each_row_and_reason():
    f.ProductLineFactory(code="MTR", name="微型电机")
    report = import_rows(
        "products",
        xlsx(
            [
                ["产品编码", "产品名称", "产品线编码", "等级", "启用"],
                ["P-1", "直流电机", "MTR", "A", "是"],  # row 2: good
                ["P-2", "", "MTR", "B", "是"],  # row 3: no name
                ["P-3", "步进电机", "NOPE", "B", "是"],  # row 4: unknown product line
                ["P-4", "减速电机", "MTR", "Z", "也许"],  # row 5: bad grade, bad yes/no
                ["P-1", "直流电机", "MTR", "A", "是"],  # row 6: duplicate code
                [None, None, None, None, None],  # row 7: blank, skipped
            ]
        ),
    )
    assert not report.ok
    assert Product.objects.count() == 0
    rows = problems_by_row(report)
    assert sorted(rows) == [3, 4, 5, 6]
    assert rows[3] == ["Product name: This cell is required."]
    assert rows[4] == ["Product line code: No product line with the code “NOPE”."]
    assert rows[5][0].startswith("Grade: Unknown value “Z”; use one of: A")
    assert rows[5][1] == "Active: Enter yes or no (是/否)."
    assert rows[6] == ["Product code: “P-1” already appears in row 2."]
    assert report.bad_rows == [3, 4, 5, 6]
    assert report.summary().startswith("Nothing was imported")


def test_lots_reference_product_and_customer_and_read_dates_in_common_forms():
    product = f.ProductFactory(code="MTR-380")
    customer = f.CustomerFactory(code="C1001")
    report = import_rows(
        "lots",
        xlsx(
            [
                ["批次号", "产品编码", "客户编码", "数量", "发货日期", "到货日期"],
                ["L001", "MTR-380", "C1001", 1200, datetime.date(2025, 3, 1), "2025/3/4"],
                ["L002", "MTR-380", "C1001", "2,000", "2025-03-05", None],
                ["L003", "MTR-380", "C1001", 500.0, "2025年3月9日", 45730],
            ]
        ),
    )
    assert report.ok, report.problems
    first = Lot.objects.get(number="L001")
    assert (first.product, first.customer, first.quantity) == (product, customer, 1200)
    assert first.delivery_date == datetime.date(2025, 3, 4)
    assert Lot.objects.get(number="L002").quantity == 2000
    third = Lot.objects.get(number="L003")
    assert third.ship_date == datetime.date(2025, 3, 9)
    assert third.delivery_date == datetime.date(2025, 3, 14)  # an Excel serial day number


def test_lot_rows_with_bad_values_are_reported():
    f.ProductFactory(code="MTR-380")
    f.CustomerFactory(code="C1001")
    report = import_rows(
        "lots",
        xlsx(
            [
                ["number", "product", "customer", "quantity", "ship_date", "delivery_date"],
                ["L001", "MTR-380", "NOBODY", 10, "2025-03-01", None],
                ["L002", "MTR-380", "C1001", -5, "2025-03-01", None],
                ["L003", "MTR-380", "C1001", 1.5, "yesterday", None],
                ["L004", "MTR-380", "C1001", 10, "2025-03-05", "2025-03-01"],
            ]
        ),
    )
    rows = problems_by_row(report)
    assert rows[2] == ["Customer code: No customer with the code “NOBODY”."]
    assert rows[3] == ["Quantity: Enter a number from 1 to 2147483647."]
    assert rows[4] == [
        "Quantity: Enter a whole number.",
        "Ship date: Enter a date such as 2025-03-31.",
    ]
    assert rows[5] == ["Delivery date: The delivery date is before the ship date."]
    assert Lot.objects.count() == 0


def test_defect_codes_groups_and_codes_in_one_file():
    report = import_rows(
        "defect-codes",
        xlsx(
            [
                ["缺陷代码", "缺陷名称", "上级代码"],
                ["APP-SCR", "划伤", "APP"],  # the group comes later in the file
                ["APP", "外观", None],
                ["DIM", "尺寸", ""],
                ["DIM-OOT", "超差", "DIM"],
            ]
        ),
    )
    assert report.ok, report.problems
    assert str(DefectCode.objects.get(code="APP-SCR")) == "外观 › 划伤"
    assert DefectCode.objects.get(code="DIM").parent is None


def test_defect_codes_stay_two_levels():
    group = f.DefectCodeFactory(code="APP", name="外观", parent=None)
    f.DefectCodeFactory(code="APP-SCR", name="划伤", parent=group)
    report = import_rows(
        "defect-codes",
        xlsx(
            [
                ["code", "name", "parent"],
                ["X-1", "三级", "APP-SCR"],  # under a code that is not a group
                ["APP", "外观", "DIM"],  # a group with codes cannot move under another
                ["DIM", "尺寸", None],
                ["SELF", "自己", "SELF"],
            ]
        ),
    )
    rows = problems_by_row(report)
    assert rows[2] == ["Group code: “APP-SCR” is not a group."]
    assert rows[3] == [
        "Group code: “APP” is a group with codes under it; it cannot be put under another."
    ]
    assert rows[5] == ["Group code: A code cannot be its own group."]
    assert not DefectCode.objects.filter(code="DIM").exists()


def test_script_tags_in_names_are_stored_verbatim():
    name = '<script>alert("x")</script> 精密机械'
    report = import_rows("suppliers", xlsx([["code", "name"], ["S1", name]]))
    assert report.ok
    assert Supplier.objects.get(code="S1").name == name


def test_unknown_and_missing_columns_refuse_the_file():
    report = import_rows("suppliers", xlsx([["供应商名称", "颜色"], ["苏州精达", "红"]]))
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (1, "颜色", report.problems[0].message),
        (1, "", "The column “Supplier code” is missing."),
    ]
    assert report.problems[0].message.startswith("Unknown column. Known columns: Supplier code")
    assert Supplier.objects.count() == 0


def test_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1024)
    rows = [["code", "name"]] + [[f"S{i}", "供应商" * 5] for i in range(200)]
    report = import_rows("suppliers", csv_file(rows))
    assert [p.message for p in report.problems] == [
        "The file is larger than 0 MB; split it into smaller files."
    ]
    assert report.problems[0].row is None
    assert Supplier.objects.count() == 0


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    rows = [["code", "name"]] + [[f"S{i}", "供应商"] for i in range(4)]
    report = import_rows("suppliers", xlsx(rows))
    assert [p.message for p in report.problems] == [
        "The file has more than 3 rows; split it into smaller files."
    ]
    assert Supplier.objects.count() == 0


def test_csv_in_utf8_with_bom():
    report = import_rows(
        "suppliers",
        csv_file(
            [["供应商编码", "供应商名称", "邮箱"], ["S1", "宁波恒磁磁业", "sales@hc.example"]]
        ),
    )
    assert report.ok, report.problems
    assert Supplier.objects.get(code="S1").email == "sales@hc.example"


def test_csv_saved_by_chinese_excel_in_gbk():
    report = import_rows(
        "suppliers",
        csv_file([["供应商编码", "供应商名称"], ["S2", "江苏华铜新材料"]], encoding="gbk"),
    )
    assert report.ok, report.problems
    assert Supplier.objects.get(code="S2").name == "江苏华铜新材料"


def test_old_xls_files_are_refused_with_advice():
    report = import_rows("suppliers", csv_file([["x"]], name="data.xls"))
    assert report.problems[0].message.startswith("Old .xls files cannot be read")


def test_damaged_xlsx_is_refused():
    report = import_rows("suppliers", csv_file([["not", "a", "zip"]], name="data.xlsx"))
    assert [p.message for p in report.problems] == ["The file is not a valid .xlsx workbook."]


def test_dry_run_checks_and_writes_nothing():
    report = import_rows("suppliers", xlsx([["code", "name"], ["S1", "供应商"]]), dry_run=True)
    assert report.ok
    assert report.summary() == "All 1 rows are valid; nothing was written (trial run)."
    assert Supplier.objects.count() == 0


def test_unknown_kind():
    report = import_rows("planets", xlsx([["code"]]))
    assert report.problems[0].message == "Unknown kind of master data “planets”."


def test_import_reads_a_file_on_disk(tmp_path):
    path = tmp_path / "suppliers.xlsx"
    path.write_bytes(xlsx([["code", "name"], ["S9", "广州顺包包装材料"]]).read())
    assert import_rows("suppliers", path).ok
    assert Supplier.objects.filter(code="S9").exists()


def test_supplier_contact_is_a_field_of_the_supplier():
    report = import_rows(
        "suppliers",
        xlsx([["供应商编码", "供应商名称", "联系人"], ["S1", "宁波恒磁磁业", "孙经理"]]),
    )
    assert report.ok, report.problems
    assert Supplier.objects.get(code="S1").contact_name == "孙经理"
    assert Contact.objects.count() == 0


def test_a_lot_dated_outside_what_the_business_knows_is_a_row_error():
    f.ProductFactory(code="MTR-380")
    f.CustomerFactory(code="C1001")
    report = import_rows(
        "lots",
        xlsx(
            [
                ["number", "product", "customer", "quantity", "ship_date", "delivery_date"],
                ["L001", "MTR-380", "C1001", 10, "0001-03-01", None],  # "0001" for "2025"
                ["L002", "MTR-380", "C1001", 10, "2025-03-01", "9999-12-31"],
            ]
        ),
    )
    assert not report.ok
    assert not Lot.objects.exists()
    rows = problems_by_row(report)
    assert sorted(rows) == [2, 3]
    assert "1900-01-01" in rows[2][0] and "2999-12-31" in rows[2][0]
