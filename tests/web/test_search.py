"""The list's search finds a complaint by what people remember of it (issue 11 part 7): product
code or name, lot number, contact, the customer's reference and order number — in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f


@pytest.fixture
def found(make_complaint, customer, product):
    lot = f.LotFactory(number="LOT-77123", product=product, customer=customer)
    other = f.ProductFactory(code="PAD-900", name="刹车盘")
    target = make_complaint(
        title="目标客诉", contact_name="赵经理", customer_reference="HX-REF-5521",
        order_number="PO-88001", lots=[lot.pk],
    )
    make_complaint(title="无关客诉", contact_name="钱工", products=[other.pk])
    return target


@pytest.mark.parametrize(
    "word", ["BRK-100", "brk-1", "刹车片", "77123", "赵经理", "REF-5521", "PO-88001"]
)
def test_search_finds_by_what_people_remember(as_user, cs_agent, found, word):
    html = as_user(cs_agent).get("/complaints/", {"text": word}).content.decode()
    assert "目标客诉" in html and "无关客诉" not in html


def test_search_costs_no_extra_query(as_user, cs_agent, found, django_assert_num_queries):
    client = as_user(cs_agent)
    client.get("/complaints/", {"text": "刹车片"})
    with CaptureQueriesContext(connection) as plain:
        client.get("/complaints/", {"text": "目标客诉"})
    with django_assert_num_queries(len(plain.captured_queries)):
        client.get("/complaints/", {"text": "77123 赵经理"})
