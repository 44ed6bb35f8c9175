"""The admin: every page loads for an administrator, nothing can be deleted, complaints and
their events are read-only (SPEC §13)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.masterdata.models import Contact, Supplier
from kesu.org.models import Process, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db

MASTER_AND_ORG = [
    "masterdata.customer",
    "masterdata.contact",
    "masterdata.productline",
    "masterdata.product",
    "masterdata.supplier",
    "masterdata.defectcode",
    "masterdata.lot",
    "org.center",
    "org.department",
    "org.process",
    "org.user",
]


@pytest.fixture
def admin_client(client, db):
    user = f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def one_of_each(make_complaint, customer, product, org_chart, process_owner):
    make_complaint()
    f.DefectCodeFactory(code="APP-SCR", parent=f.DefectCodeFactory(code="APP", parent=None))
    f.LotFactory(product=product, customer=customer)
    Contact.objects.create(customer=customer, name="王工", phone="138")
    Supplier.objects.create(code="S1", name="宁波恒磁磁业")
    Process.objects.create(
        kind="complaint_handling", owning_department=org_chart["cs"], owner=process_owner
    )


def _url(label, view, *args):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.mark.parametrize("label", MASTER_AND_ORG)
def test_changelist_and_add_pages_load_without_delete(admin_client, label, one_of_each):
    response = admin_client.get(_url(label, "changelist"))
    assert response.status_code == 200
    assert b'value="delete_selected"' not in response.content
    assert admin_client.get(_url(label, "add")).status_code == 200


@pytest.mark.parametrize("label", MASTER_AND_ORG)
def test_change_page_offers_no_delete(admin_client, label, one_of_each):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    obj = model.objects.first()
    response = admin_client.get(_url(label, "change", obj.pk))
    assert response.status_code == 200
    assert b"deletelink" not in response.content
    assert admin_client.get(_url(label, "delete", obj.pk)).status_code == 403


def test_searches_and_filters_work(admin_client, one_of_each):
    assert (
        admin_client.get(_url("masterdata.customer", "changelist"), {"q": "艾克米"}).status_code
        == 200
    )
    assert admin_client.get(_url("masterdata.lot", "changelist"), {"q": "L"}).status_code == 200
    response = admin_client.get(_url("org.user", "changelist"), {"role__exact": "qe"})
    assert response.status_code == 200


def test_complaints_are_read_only(admin_client, make_complaint):
    complaint = make_complaint()
    assert admin_client.get(_url("complaints.complaint", "changelist")).status_code == 200
    response = admin_client.get(_url("complaints.complaint", "change", complaint.pk))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert b"deletelink" not in response.content
    assert admin_client.get(_url("complaints.complaint", "add")).status_code == 403
    assert admin_client.get(_url("complaints.complaint", "delete", complaint.pk)).status_code == 403
    title_before = complaint.title
    admin_client.post(_url("complaints.complaint", "change", complaint.pk), {"title": "改过的标题"})
    complaint.refresh_from_db()
    assert complaint.title == title_before
    event = ComplaintEvent.objects.filter(complaint=complaint).first()
    assert (
        admin_client.get(_url("complaints.complaintevent", "change", event.pk)).status_code == 200
    )
    assert admin_client.get(_url("complaints.complaintevent", "add")).status_code == 403
    assert Complaint.objects.count() == 1


def test_routing_rules_are_edited_but_not_deleted(admin_client, org_chart):
    assert admin_client.get(_url("complaints.routingrule", "add")).status_code == 200
    assert admin_client.get(_url("complaints.routingrule", "changelist")).status_code == 200


def test_export_action_downloads_the_selection(admin_client, db):
    customer = f.CustomerFactory(code="C1", name='=HYPERLINK("http://evil")')
    response = admin_client.post(
        _url("masterdata.customer", "changelist"),
        {"action": "export_selected", "_selected_action": [customer.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="kesu-customers-')


def test_admin_adds_a_user_with_role_and_department(admin_client, org_chart):
    response = admin_client.post(
        _url("org.user", "add"),
        {
            "username": "newqe",
            "password1": "Long-enough-pass-1",
            "password2": "Long-enough-pass-1",
            "usable_password": "true",
            "display_name": "质量工程师 林芳",
            "email": "lin@example.com",
            "role": Role.QE,
            "department": org_chart["qa"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newqe")
    assert (user.role, user.department, user.display_name) == (
        Role.QE,
        org_chart["qa"],
        "质量工程师 林芳",
    )
    assert user.check_password("Long-enough-pass-1")
