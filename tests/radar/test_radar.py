"""The recurrence radar (issue 13): a planted earlier complaint comes first for a reworded
Chinese description, with its root cause; linking counts a recurrence on the earlier one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints import services
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from kesu.radar.models import ComplaintLink
from kesu.radar.selectors import Draft, radar
from tests import factories as f
from tests.eightd_data import COMPLETE
from tests.fixtures import complaint_data

EARLIER = "装配后电机运行有异响，外壳表面划伤，客户要求退货。"
REWORDED = "电机运转时出现异常响声，壳体有划痕"
NOISE = [
    ("包装破损", "运输途中纸箱破损，部分产品受潮。"),
    ("标签错误", "外箱标签与实物型号不符。"),
    ("尺寸超差", "孔径尺寸偏大0.2毫米。"),
    ("涂层脱落", "喷涂层附着力不足，表面掉漆。"),
    ("数量短少", "实收数量比送货单少20件。"),
]


@pytest.fixture
def defect(db):
    return f.DefectCodeFactory(code="SCR", name="划伤")


@pytest.fixture
def planted(make_complaint, drive, engineer, defect):
    complaint = make_complaint(title="电机异响及外壳划伤", description=EARLIER,
                               defect_code=defect.pk)
    complaint = drive(complaint, "analysis")
    for code in ("d4", "d5", "d7"):
        discipline = Discipline.objects.get(report__complaint=complaint, code=code)
        discipline_update(actor=engineer, complaint=complaint, code=code,
                          version=discipline.version, content=COMPLETE[code])
    return complaint


@pytest.fixture
def noise(make_complaint, cs_agent, product):
    other = f.CustomerFactory(code="NOISE", name="噪声客户")
    made = [make_complaint(title=title, description=text) for title, text in NOISE]
    data = complaint_data(other, product, title="表面划伤", description="另一客户外观划伤。")
    made.append(services.complaint_create(actor=cs_agent, data=data))
    return made


def test_reworded_description_finds_the_planted_complaint_first(
    cs_agent, customer, product, defect, planted, noise
):
    draft = Draft(customer_id=customer.pk, product_ids=[product.pk], text=REWORDED)
    found = radar(cs_agent, draft)
    assert found[0].complaint == planted
    first = found[0]
    assert first.learning.root_causes[0] == "夹具定位销磨损导致划伤"
    assert "更换定位销并纳入点检" in first.learning.actions
    assert first.learning.lesson == "夹具易损件须纳入点检"
    assert {"异响", "划伤"} <= set(first.words)
    assert first.reasons[:2] == ["同一客户", "同一产品"]
    assert any(r.startswith("文字相似：") and "划伤" in r for r in first.reasons)


def test_text_alone_finds_it_for_another_customer(cs_agent, planted, noise):
    found = radar(cs_agent, Draft(text=REWORDED))
    assert found and found[0].complaint == planted
    assert not found[0].same_customer


def test_unrelated_noise_is_not_shown(cs_agent, customer, product, planted, noise):
    found = radar(cs_agent, Draft(text="发票金额开错，请重新开票"))
    assert found == []


def test_same_keys_within_the_window(cs_agent, customer, product, defect, planted, noise):
    draft = Draft(customer_id=customer.pk, product_ids=[product.pk], defect_code_id=defect.pk)
    found = radar(cs_agent, draft)
    assert found[0].complaint == planted
    assert found[0].same_defect and found[0].same_product and found[0].same_customer
    assert radar(cs_agent, draft, window_days=0) == []


def test_intake_page_asks_while_typing(as_user, cs_agent, customer, product, planted, noise):
    client = as_user(cs_agent)
    page = client.get("/complaints/new/").content.decode()
    assert 'hx-post="/radar/draft/"' in page
    html = client.post("/radar/draft/", {
        "customer": customer.pk, "products": [product.pk], "title": "异常响声",
        "description": REWORDED, "defect_code": "abc",
    }, headers={"HX-Request": "true"}).content.decode()
    assert html.index(planted.number) < html.index("夹具定位销磨损导致划伤")
    assert "同一客户" in html and "根本原因" in html


def test_customer_contacts_get_no_radar(as_user, customer_contact, planted):
    client = as_user(customer_contact)
    # Staff pages send customers to the portal; nothing of the radar reaches them.
    for response in (client.post("/radar/draft/", {"title": "划伤"}),
                     client.get(f"/complaints/{planted.number}/radar/")):
        assert response.status_code in (302, 403, 404)
        assert planted.number not in response.content.decode()


@pytest.fixture
def later(make_complaint, planted):
    return make_complaint(title="异响再次发生", description=REWORDED)


def test_complaint_page_card_and_link(as_user, cs_agent, planted, later):
    client = as_user(cs_agent)
    page = client.get(f"/complaints/{later.number}/").content.decode()
    assert f'hx-get="/complaints/{later.number}/radar/"' in page
    card = client.get(f"/complaints/{later.number}/radar/").content.decode()
    assert planted.number in card and 'data-action="link-recurrence"' in card
    response = client.post(
        f"/complaints/{later.number}/radar/link/",
        {"earlier": planted.number, "kind": "recurrence"}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "已关联为再发" in response.content.decode()
    planted.refresh_from_db()
    assert planted.recurrence_count == 1


def test_linking_counts_a_recurrence_and_writes_both_events(api_as, cs_agent, planted, later):
    api = api_as(cs_agent)
    response = api.post(f"/complaints/{later.number}/links",
                        {"earlier": planted.number, "kind": "recurrence"})
    assert response.status_code == 201, response.content
    assert response.json()["recurrence_count"] == 1
    assert Complaint.objects.get(pk=planted.pk).recurrence_count == 1
    assert ComplaintEvent.objects.filter(complaint=later, type="radar_linked").count() == 1
    assert ComplaintEvent.objects.filter(complaint=planted, type="radar_linked_from").count() == 1
    again = api.post(f"/complaints/{later.number}/links",
                     {"earlier": planted.number, "kind": "recurrence"})
    assert again.status_code == 422
    assert Complaint.objects.get(pk=planted.pk).recurrence_count == 1
    listed = api.get(f"/complaints/{later.number}/radar").json()
    assert listed[0]["number"] == planted.number and listed[0]["link"] == "recurrence"


def test_a_duplicate_does_not_count_as_recurrence(api_as, cs_agent, planted, later):
    response = api_as(cs_agent).post(f"/complaints/{later.number}/links",
                                     {"earlier": planted.number, "kind": "duplicate"})
    assert response.status_code == 201
    assert Complaint.objects.get(pk=planted.pk).recurrence_count == 0
    assert ComplaintLink.objects.get().kind == "duplicate"


def test_a_later_complaint_cannot_be_the_earlier_one(api_as, cs_agent, planted, later):
    response = api_as(cs_agent).post(f"/complaints/{planted.number}/links",
                                     {"earlier": later.number, "kind": "recurrence"})
    assert response.status_code == 422
    assert api_as(cs_agent).post(f"/complaints/{later.number}/links",
                                 {"earlier": later.number, "kind": "duplicate"}).status_code == 422


def test_api_radar_for_a_draft(api_as, cs_agent, customer, product, planted, noise):
    response = api_as(cs_agent).post("/radar", {
        "customer": customer.pk, "products": [product.pk],
        "title": "<script>alert(1)</script>", "description": REWORDED + ' "NEAR( OR * -:',
    })
    assert response.status_code == 200
    first = response.json()[0]
    assert first["number"] == planted.number
    assert first["learning"]["root_causes"][0] == "夹具定位销磨损导致划伤"
    assert "同一客户" in first["reasons"]


def test_radar_query_count_is_constant(api_as, cs_agent, make_complaint, planted, later):
    api = api_as(cs_agent)
    api.get(f"/complaints/{later.number}/radar")  # the token's first use writes its time
    with CaptureQueriesContext(connection) as few:
        assert api.get(f"/complaints/{later.number}/radar").status_code == 200
    for n in range(8):
        make_complaint(title=f"电机异响{n}", description=EARLIER)
    latest = make_complaint(title="异响又发生了", description=REWORDED)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(f"/complaints/{latest.number}/radar").json()) == 8
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 16


def test_a_reworded_title_with_a_long_description_finds_it_before_any_key_is_chosen(
    cs_agent, planted, noise
):
    # At intake the agent often types before choosing the customer: the words alone must do.
    draft = Draft(
        text=f"{REWORDED} 客户装机后反馈，噪音明显，疑似装配问题，已隔离库存，"
        "要求分析原因并提供改善报告，同时安排补发合格品。"
    )
    found = radar(cs_agent, draft)
    assert found and found[0].complaint == planted
