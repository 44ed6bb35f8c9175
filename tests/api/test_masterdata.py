"""Master data over the API: read-only lists for staff, 403 for customer contacts."""

import pytest

from kesu.complaints.models import RoutingRule
from kesu.masterdata.models import Supplier
from tests import factories as f

LISTS = [
    "/customers",
    "/products",
    "/product-lines",
    "/suppliers",
    "/defect-codes",
    "/lots",
    "/departments",
    "/users",
    "/routing-rules",
]


@pytest.fixture
def catalogue(org_chart, customer, product, qe):
    Supplier.objects.create(code="SUP-1", name="宁波包装材料有限公司")
    scratch_group = f.DefectCodeFactory(code="APP", name="外观")
    f.DefectCodeFactory(code="APP-01", name="划伤", parent=scratch_group)
    f.LotFactory(number="L202600001", product=product, customer=customer)
    RoutingRule.objects.create(
        name="质量投诉→工程部", category="quality", department=org_chart["eng"], tracker=qe
    )


@pytest.mark.parametrize("path", LISTS)
def test_staff_can_read_every_list(api_as, engineer, catalogue, path):
    response = api_as(engineer).get(path)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["items"]) > 0
    assert body["limit"] == 50 and body["offset"] == 0


@pytest.mark.parametrize("path", LISTS)
def test_customer_contacts_get_403_on_master_data(api_as, customer_contact, catalogue, path):
    response = api_as(customer_contact).get(path)
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_users_list_names_role_and_department(api_as, cs_agent, qe, engineer):
    body = api_as(cs_agent).get("/users", {"role": "qe"}).json()
    assert body["items"] == [
        {
            "id": qe.pk,
            "username": "qe",
            "name": "质量工程师老张",
            "role": "qe",
            "role_label": "Quality engineer",
            "department": {"id": qe.department_id, "code": "QA", "name": "质量部"},
            "is_active": True,
        }
    ]


def test_defect_codes_show_their_group(api_as, cs_agent, catalogue):
    body = api_as(cs_agent).get("/defect-codes", {"q": "划伤"}).json()
    assert [d["full_name"] for d in body["items"]] == ["外观 › 划伤"]


def test_lots_filter_by_customer(api_as, cs_agent, catalogue, customer, other_customer_contact):
    client = api_as(cs_agent)
    assert client.get("/lots", {"customer": customer.pk}).json()["count"] == 1
    other = other_customer_contact.customer_id
    assert client.get("/lots", {"customer": other}).json()["count"] == 0


def test_routing_rules_show_department_and_tracker(api_as, cs_agent, catalogue):
    rule = api_as(cs_agent).get("/routing-rules").json()["items"][0]
    assert rule["department"]["code"] == "ENG"
    assert rule["tracker"]["username"] == "qe"
    assert rule["category"] == "quality"


def test_products_search_and_page(api_as, cs_agent, product):
    for i in range(3):
        f.ProductFactory(code=f"DSC-{i}", name=f"刹车盘{i}")
    client = api_as(cs_agent)
    page = client.get("/products", {"q": "刹车盘", "limit": 2, "offset": 2}).json()
    assert page["count"] == 3
    assert [p["code"] for p in page["items"]] == ["DSC-2"]
    assert client.get("/products", {"limit": 500}).status_code == 422
