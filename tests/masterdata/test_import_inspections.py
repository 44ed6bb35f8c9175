"""Inspection results imported from a sheet (issue 13): one per lot and side, so the same file
twice changes nothing; bad rows are named with their reasons and nothing is written."""

import datetime

import pytest
from django.utils import translation

from kesu.masterdata.importing import import_rows
from kesu.masterdata.models import Inspection
from tests import factories as f
from tests.masterdata.sheets import csv_file, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["批次号", "检验类型", "检验结果", "缺陷代码", "检验数量", "不良数量", "检验日期", "备注"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def lots(db):
    f.DefectCodeFactory(code="SCR", name="划伤")
    return [f.LotFactory(number=f"L{i}", quantity=1000) for i in range(1, 4)]


def sheet(*rows):
    return xlsx([HEADER, *rows])


GOOD = [
    ["L1", "客户来料检验", "NG", "SCR", 200, 3, datetime.date(2026, 10, 12), "外观划伤"],
    ["L1", "出货检验", "合格", None, 200, 0, "2026/10/09", None],
    ["L2", "客户来料检验", "OK", None, 50, None, "2026-10-12", None],
    ["L3", "出货检验", "不合格", None, 80, 80, "20261009", "<script>alert(1)</script>"],
]


def test_good_sheet_creates_one_result_per_lot_and_side(lots, admin_user):
    report = import_rows("inspections", sheet(*GOOD), actor=admin_user)
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    first = Inspection.objects.get(lot__number="L1", side="customer")
    assert (first.result, first.defect_code.code, first.quantity_bad) == ("ng", "SCR", 3)
    assert first.recorded_by == admin_user and first.recorded_at
    assert Inspection.objects.get(lot__number="L1", side="outgoing").result == "ok"
    assert Inspection.objects.get(lot__number="L2").quantity_bad == 0  # blank: the default
    assert Inspection.objects.get(lot__number="L3").note == "<script>alert(1)</script>"


def test_the_same_file_twice_changes_nothing(lots):
    import_rows("inspections", sheet(*GOOD))
    stamps = dict(Inspection.objects.values_list("pk", "recorded_at"))
    again = import_rows("inspections", csv_file([HEADER, *GOOD]))
    assert again.ok, again.problems
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert dict(Inspection.objects.values_list("pk", "recorded_at")) == stamps


def test_a_changed_result_updates_the_row_of_its_lot_and_side(lots):
    import_rows("inspections", sheet(*GOOD))
    changed = [list(row) for row in GOOD]
    changed[0][5] = 5
    report = import_rows("inspections", sheet(*changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Inspection.objects.get(lot__number="L1", side="customer").quantity_bad == 5
    assert Inspection.objects.count() == 4


def test_the_composite_key_repeated_in_a_file_is_refused(lots):
    report = import_rows("inspections", sheet(GOOD[0], GOOD[1], GOOD[0]))
    assert [(p.row, p.message) for p in report.problems] == [
        (4, "“L1 / customer” already appears in row 2.")
    ]
    assert Inspection.objects.count() == 0


def test_bad_rows_are_named_with_their_reasons_and_nothing_is_written(lots):
    report = import_rows(
        "inspections",
        sheet(
            GOOD[0],
            ["L1", "出货检验", "OK", None, 10, 20, "2026-10-09", None],
            ["L2", "客户来料检验", "OK", None, 100, 2, "2026-10-09", None],
            ["NOPE", "客户来料检验", "NG", None, 10, 1, "2026-10-09", None],
            ["L3", "sideways", "maybe", "XX", 0, -1, "0202-10-09", None],
            ["L3", "出货检验", "NG", None, 5000, 1, "2999-01-01", None],
        ),
    )
    assert not report.ok
    by_row = {}
    for problem in report.problems:
        by_row.setdefault(problem.row, []).append(f"{problem.column}: {problem.message}")
    assert by_row[3] == [
        "Quantity bad: More found bad (20) than checked (10).",
        "Result: The result is OK but 20 were found bad; enter NG, or 0 bad.",
    ]
    assert by_row[4] == ["Result: The result is OK but 2 were found bad; enter NG, or 0 bad."]
    assert by_row[5] == ["Lot number: No lot “NOPE”."]
    assert len(by_row[6]) == 6  # side, result, quantities, date, unknown defect code
    assert by_row[7] == [
        "Quantity checked: More checked (5000) than the lot holds (1000).",
        "Inspection date: The inspection date is in the future.",
    ]
    assert 2 not in by_row
    assert Inspection.objects.count() == 0


def test_the_import_looks_up_existing_rows_in_few_queries(lots, django_assert_max_num_queries):
    import_rows("inspections", sheet(*GOOD))
    with django_assert_max_num_queries(8):
        import_rows("inspections", sheet(*GOOD))
