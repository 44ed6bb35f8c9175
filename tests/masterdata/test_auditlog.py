"""Master data and organisation changes are kept with their old and new values (SPEC §13)."""

import pytest
from auditlog.models import LogEntry

from kesu.masterdata.importing import import_rows
from kesu.masterdata.models import Customer
from tests import factories as f
from tests.masterdata.sheets import xlsx

pytestmark = pytest.mark.django_db


def test_editing_a_customer_logs_before_and_after():
    customer = f.CustomerFactory(code="C1001", name="华星汽车部件", grade="key")
    customer.grade = "strategic"
    customer.save()
    entry = LogEntry.objects.get_for_object(customer).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict == {"grade": ["key", "strategic"]}


def test_an_import_logs_each_change():
    f.CustomerFactory(code="C1001", name="旧名称")
    import_rows("customers", xlsx([["code", "name"], ["C1001", "新名称"]]))
    customer = Customer.objects.get(code="C1001")
    entry = LogEntry.objects.get_for_object(customer).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["name"] == ["旧名称", "新名称"]


def test_department_changes_are_logged_and_passwords_never(org_chart, qe):
    department = org_chart["qa"]
    department.name = "品质部"
    department.save()
    assert (
        LogEntry.objects.get_for_object(department).filter(action=LogEntry.Action.UPDATE).exists()
    )
    qe.set_password("another-pass-1")
    qe.display_name = "张磊"
    qe.save()
    entry = LogEntry.objects.get_for_object(qe).filter(action=LogEntry.Action.UPDATE).last()
    assert "display_name" in entry.changes_dict
    assert "password" not in entry.changes_dict
