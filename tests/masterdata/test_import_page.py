"""The upload page for administrators (/masterdata/import/)."""

import pytest
from django.urls import reverse
from django.utils import translation

from kesu.masterdata.models import Supplier
from kesu.org.models import Role
from tests import factories as f
from tests.masterdata.sheets import xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.masterdata.urls")]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client):
    user = f.UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_page_lists_the_columns(admin_client):
    response = admin_client.get(reverse("masterdata:import"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "客户编码" in response.content.decode()


def test_good_upload_imports(admin_client, django_capture_on_commit_callbacks):
    upload = xlsx([["code", "name"], ["S1", "宁波恒磁磁业"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("masterdata:import"), {"kind": "suppliers", "file": upload}
        )
    assert response.status_code == 302
    assert Supplier.objects.filter(code="S1").exists()
    page = admin_client.get(response["Location"])
    assert 'data-status="done"' in page.content.decode()


def test_bad_upload_shows_rows_escaped_and_imports_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    upload = xlsx([["code", "name", "status"], ["S1", "宁波恒磁磁业", "<script>alert(1)</script>"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("masterdata:import"), {"kind": "suppliers", "file": upload}
        )
    body = admin_client.get(response["Location"]).content.decode()
    assert 'data-status="failed"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert Supplier.objects.count() == 0


def test_staff_without_permissions_and_non_staff_are_turned_away(client, qe):
    client.force_login(qe)
    response = client.get(reverse("masterdata:import"))
    assert response.status_code == 302  # to the admin login
    qe.is_staff = True
    qe.save()
    assert client.get(reverse("masterdata:import")).status_code == 403
    assert client.get(reverse("masterdata:export", args=["suppliers"])).status_code == 403


def test_export_download(admin_client):
    Supplier.objects.create(code="S1", name="宁波恒磁磁业")
    response = admin_client.get(reverse("masterdata:export", args=["suppliers"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kesu-suppliers-')
    assert admin_client.get(reverse("masterdata:export", args=["planets"])).status_code == 404
