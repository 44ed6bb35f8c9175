"""Lots imported in bulk (issue 13): the same file twice changes nothing, a change updates only
its lot, and each change is in the change log with before and after (SPEC §13)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from kesu.masterdata.importing import import_rows
from kesu.masterdata.models import Lot
from tests import factories as f
from tests.masterdata.sheets import csv_file, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["批次号", "产品编码", "客户编码", "数量", "发货日期", "交付日期"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def rows(db):
    f.ProductFactory(code="P1")
    f.CustomerFactory(code="C1")
    return [
        ["L1", "P1", "C1", 100, datetime.date(2026, 10, 1), datetime.date(2026, 10, 3)],
        ["L2", "P1", "C1", 200, "2026-10-02", None],
    ]


def test_the_same_lot_file_twice_changes_nothing(rows, admin_user):
    first = import_rows("lots", xlsx([HEADER, *rows]), actor=admin_user)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = import_rows("lots", csv_file([HEADER, *rows]), actor=admin_user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count() == 0


def test_a_changed_lot_is_updated_and_logged_with_before_and_after(rows, admin_user):
    import_rows("lots", xlsx([HEADER, *rows]))
    rows[1][3] = 250
    report = import_rows("lots", xlsx([HEADER, *rows]), actor=admin_user)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    lot = Lot.objects.get(number="L2")
    assert lot.quantity == 250
    entry = LogEntry.objects.get_for_object(lot).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict == {"quantity": ["200", "250"]}
    assert entry.actor == admin_user
    created = LogEntry.objects.get_for_object(lot).get(action=LogEntry.Action.CREATE)
    assert created.changes_dict["number"] == ["None", "L2"]


def test_an_existing_lot_is_compared_without_a_query_per_row(
    rows, django_assert_max_num_queries
):
    import_rows("lots", xlsx([HEADER, *rows * 1]))
    many = [[f"L{i}", "P1", "C1", 100, "2026-10-01", None] for i in range(300)]
    import_rows("lots", xlsx([HEADER, *many]))
    with django_assert_max_num_queries(10):
        report = import_rows("lots", xlsx([HEADER, *many]))
    assert report.unchanged == 300
