"""The lot page (issue 13): the lot, its inspection results, and the form on which a quality
engineer records one, refused with clear messages and the input kept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesu.masterdata.models import Inspection
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.masterdata.urls")]


@pytest.fixture
def lot(db):
    group = f.DefectCodeFactory(code="APP", name="外观")
    f.DefectCodeFactory(code="SCR", name="划伤", parent=group)
    return f.LotFactory(
        number="L20261008-01",
        quantity=500,
        customer__name="<script>alert(1)</script>客户",
        delivery_date=datetime.date(2026, 10, 9),
    )


def page(lot):
    return reverse("masterdata:lot", args=[lot.number])


def posted(**overrides):
    data = {
        "side": "customer",
        "result": "ng",
        "defect_code": "SCR",
        "quantity_checked": "200",
        "quantity_bad": "3",
        "inspected_on": "2026-10-12",
        "note": "外观划伤，<b>三件</b>",
        **overrides,
    }
    return {f"inspection-{name}": value for name, value in data.items()}


def test_qe_sees_the_lot_in_chinese_and_records_a_result(client, qe, lot):
    client.force_login(qe)
    response = client.get(page(lot), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    assert "记录检验结果" in body and "2026-10-09" in body

    response = client.post(page(lot), posted())
    assert response.status_code == 302
    inspection = Inspection.objects.get(lot=lot, side="customer")
    assert (inspection.result, inspection.quantity_bad, inspection.recorded_by) == ("ng", 3, qe)
    shown = client.get(page(lot)).content.decode()
    assert "质量工程师老张" in shown and "&lt;b&gt;三件&lt;/b&gt;" in shown


def test_a_refused_result_keeps_the_input_and_says_why(client, qe, lot):
    client.force_login(qe)
    response = client.post(
        page(lot), posted(result="ok", quantity_bad="3"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "结果为合格" in body
    assert 'value="200"' in body and "外观划伤" in body
    response = client.post(page(lot), posted(quantity_checked="10", quantity_bad="20"))
    assert response.status_code == 422
    response = client.post(page(lot), posted(inspected_on="0202-10-12"))
    assert response.status_code == 422
    assert not Inspection.objects.exists()


def test_who_may_not_record_sees_the_lot_without_the_form(client, outsider, lot):
    client.force_login(outsider)
    response = client.get(page(lot))
    assert response.status_code == 200
    assert b"record-inspection" not in response.content
    assert client.post(page(lot), posted()).status_code == 403
    assert not Inspection.objects.exists()


def test_customers_and_strangers_do_not_see_lots(client, customer_contact, lot):
    assert client.get(page(lot)).status_code == 302  # to the login
    client.force_login(customer_contact)
    assert client.get(page(lot)).status_code in (302, 404)  # the portal's, or nothing


def test_an_unknown_lot_is_404(client, qe):
    client.force_login(qe)
    assert client.get(reverse("masterdata:lot", args=["NOPE"])).status_code == 404


def test_the_lot_page_takes_the_same_few_queries_whatever_it_shows(client, qe, lot):
    client.force_login(qe)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(lot)).status_code == 200
        return len(captured)

    queries()  # the session and the content types warmed up
    empty = queries()
    client.post(page(lot), posted())
    client.post(page(lot), posted(side="outgoing", result="ok", quantity_bad="0"))
    assert Inspection.objects.filter(lot=lot).count() == 2
    client.get(page(lot))  # the success message shown once
    assert queries() == empty <= 6
