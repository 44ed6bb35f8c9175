"""The intake pickers' endpoints (SPEC §3 fast intake): searched on the server, narrowed by what
the form already holds, for staff only, and the same answer shape for every kind."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Complaint
from kesu.org.models import Role
from tests import factories as f


def _results(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def two_customers(customer, product):
    other = f.CustomerFactory(code="ZEN", name="禅达电子")
    second = f.ProductFactory(code="BRK-200", name="刹车盘")
    lots = {
        "old": f.LotFactory(number="L-ACME-1", customer=customer, product=product,
                            ship_date=date(2026, 9, 1)),
        "new": f.LotFactory(number="L-ACME-2", customer=customer, product=product,
                            ship_date=date(2026, 11, 2)),
        "disc": f.LotFactory(number="L-ACME-3", customer=customer, product=second,
                             ship_date=date(2026, 11, 20)),
        "other": f.LotFactory(number="L-ZEN-1", customer=other, product=product,
                              ship_date=date(2026, 11, 25)),
    }
    return other, second, lots


def test_lots_are_the_chosen_customers_of_the_chosen_products_newest_first(
    as_user, cs_agent, customer, product, two_customers
):
    client = as_user(cs_agent)
    found = _results(
        client, "/masterdata/pick/lots/", customer=customer.pk, products=product.pk
    )
    assert [r["text"] for r in found] == ["L-ACME-2", "L-ACME-1"]
    # Shown with product and ship date, so the agent can tell lots apart by ear.
    assert "BRK-100 刹车片" in found[0]["hint"] and "2026-11-02" in found[0]["hint"]
    assert found[0]["filters"] == {"customer": customer.pk, "products": product.pk}


def test_lots_of_every_product_of_the_customer_until_products_are_chosen(
    as_user, cs_agent, customer, two_customers
):
    found = _results(as_user(cs_agent), "/masterdata/pick/lots/", customer=customer.pk)
    assert [r["text"] for r in found] == ["L-ACME-3", "L-ACME-2", "L-ACME-1"]


def test_lot_search_by_part_of_the_number(as_user, cs_agent, customer, two_customers):
    found = _results(as_user(cs_agent), "/masterdata/pick/lots/", q="acme-1")
    assert [r["text"] for r in found] == ["L-ACME-1"]


def test_customers_by_code_or_name_code_matches_first(as_user, cs_agent, customer, two_customers):
    f.CustomerFactory(code="XYZ", name="ZEN 代理商")
    client = as_user(cs_agent)
    assert [r["text"] for r in _results(client, "/masterdata/pick/customers/", q="zen")] == [
        "ZEN 禅达电子", "XYZ ZEN 代理商",
    ]
    assert _results(client, "/masterdata/pick/customers/", q="艾克米")[0]["value"] == customer.pk


def test_contacts_are_the_chosen_customers_with_phone_and_email(
    as_user, cs_agent, customer, two_customers
):
    other, _second, _lots = two_customers
    mine = customer.contacts.create(name="周工", title="SQE", phone="0512-1", email="z@acme.test")
    other.contacts.create(name="别人", phone="021-2")
    client = as_user(cs_agent)
    found = _results(client, "/masterdata/pick/contacts/", customer=customer.pk)
    assert found == [
        {"value": mine.name, "text": "周工", "hint": "SQE · 0512-1", "phone": "0512-1",
         "email": "z@acme.test"}
    ]
    assert _results(client, "/masterdata/pick/contacts/") == []


def test_products_by_code_or_name(as_user, cs_agent, product, two_customers):
    client = as_user(cs_agent)
    assert [r["text"] for r in _results(client, "/masterdata/pick/products/", q="刹车")] == [
        "BRK-100 刹车片", "BRK-200 刹车盘",
    ]


def test_people_of_the_department_first_never_admin_vp_or_customers(
    as_user, cs_agent, qe, dept_manager, engineer, outsider, org_chart, customer_contact
):
    f.UserFactory(username="root", display_name="系统管理员", role=Role.ADMIN)
    f.UserFactory(username="vp", display_name="营销副总", role=Role.VP)
    client = as_user(cs_agent)
    found = _results(client, "/org/pick/people/", department=org_chart["eng"].pk)
    names = [r["text"] for r in found]
    assert set(names[:2]) == {"工程经理老刘", "工程师小陈"}
    assert {"客服小王", "质量工程师老张", "采购工程师"} <= set(names[2:])
    assert not {"系统管理员", "营销副总", "客户联系人"} & set(names)
    assert found[0]["hint"].startswith("工程管理部 · ")


def test_a_strict_people_picker_offers_only_the_department(
    as_user, cs_agent, dept_manager, engineer, outsider, org_chart
):
    found = _results(
        as_user(cs_agent), "/org/pick/people/", department=org_chart["eng"].pk, strict=1, q="工程"
    )
    assert {r["text"] for r in found} == {"工程经理老刘", "工程师小陈"}
    assert {r["filters"]["department"] for r in found} == {org_chart["eng"].pk}


def test_the_tracker_picker_offers_quality_engineers(as_user, cs_agent, qe, engineer):
    found = _results(as_user(cs_agent), "/org/pick/people/", role=Role.QE)
    assert [r["text"] for r in found] == ["质量工程师老张"]


@pytest.mark.parametrize(
    "url", ["/masterdata/pick/customers/", "/masterdata/pick/lots/", "/org/pick/people/"]
)
def test_pickers_are_for_staff(client, as_user, customer_contact, url):
    assert client.get(url).status_code == 401
    # A customer is sent to the portal before the endpoint is reached (and refused by it too).
    refused = as_user(customer_contact).get(url)
    assert refused.status_code in (302, 403) and b"results" not in refused.content


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "<script>alert(1)</script>客户"},
        {"customer": "abc", "products": ["1e9", "-1", "99999999999999999999"]},
        {"q": "%", "customer": ""},
    ],
)
def test_junk_narrows_nothing_and_breaks_nothing(as_user, cs_agent, two_customers, params):
    response = as_user(cs_agent).get("/masterdata/pick/lots/", params)
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


def test_a_search_costs_one_query_however_many_rows(as_user, cs_agent, customer, product):
    client = as_user(cs_agent)
    f.LotFactory.create_batch(30, customer=customer, product=product)
    client.get("/masterdata/pick/lots/")  # the session is loaded once per request anyway
    with CaptureQueriesContext(connection) as few:
        _results(client, "/masterdata/pick/lots/", customer=customer.pk)
    f.LotFactory.create_batch(30, customer=customer, product=product)
    with CaptureQueriesContext(connection) as many:
        found = _results(client, "/masterdata/pick/lots/", customer=customer.pk)
    assert len(found) == 20
    assert len(many) == len(few) <= 3


def test_a_refused_intake_keeps_the_chosen_customer_products_and_lots(
    as_user, cs_agent, customer, product, intake_post, two_customers
):
    _other, _second, lots = two_customers
    response = as_user(cs_agent).post(
        "/complaints/new/", intake_post(title="", lots=[lots["new"].pk])
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'<option value="{customer.pk}" selected>{customer}</option>' in html
    assert f'<option value="{product.pk}" selected>{product}</option>' in html
    assert f'<option value="{lots["new"].pk}" selected>L-ACME-2</option>' in html
    # Only what was chosen: the other lots stay on the server.
    assert "L-ACME-1" not in html
    assert not Complaint.objects.exists()


def test_intake_offers_products_in_use_the_list_filter_also_retired_ones(
    as_user, cs_agent, product
):
    f.ProductFactory(code="BRK-OLD", name="旧款刹车片", active=False)
    client = as_user(cs_agent)
    intake = _results(client, "/masterdata/pick/products/", q="刹车片")
    assert [r["text"] for r in intake] == ["BRK-100 刹车片"]
    filtering = _results(client, "/masterdata/pick/products/", q="刹车片", retired=1)
    assert [r["text"] for r in filtering] == ["BRK-100 刹车片", "BRK-OLD 旧款刹车片"]
    assert filtering[1]["hint"].endswith("已停用")
    page = client.get("/complaints/").content.decode()
    assert 'data-picker="/masterdata/pick/products/?retired=1"' in page
