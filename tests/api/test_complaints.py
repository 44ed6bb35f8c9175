"""Listing, recording, reading and editing complaints through the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint, ComplaintEvent
from tests import factories as f
from tests.fixtures import complaint_data


@pytest.fixture
def agent_api(api_as, cs_agent):
    return api_as(cs_agent)


def test_agent_records_a_complaint(agent_api, customer, product):
    response = agent_api.post("/complaints", complaint_data(customer, product))
    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("KS-")
    assert body["status"] == "received"
    assert body["version"] == 1
    assert body["customer"] == {"id": customer.pk, "code": "ACME", "name": customer.name}
    assert body["products"][0]["code"] == "BRK-100"
    assert body["remedies"] == ["8d_report", "replacement"]
    assert body["received_by"]["username"] == "agent"
    assert {a["action"] for a in body["allowed_actions"]} == {
        "assess_valid",
        "assess_invalid",
        "cancel",
    }
    assert Complaint.objects.get(number=body["number"]).channel == "hotline"


def test_channel_defaults_to_api(agent_api, customer, product):
    data = complaint_data(customer, product)
    del data["channel"]
    assert agent_api.post("/complaints", data).json()["channel"] == "api"


def test_read_shows_labels_in_the_request_language(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    english = api_as(cs_agent, language="en").get(f"/complaints/{complaint.number}").json()
    chinese = api_as(cs_agent, language="zh-hans").get(f"/complaints/{complaint.number}").json()
    assert english["status_label"] == "Received"
    assert chinese["status_label"] == "已受理"
    assert english["status"] == chinese["status"] == "received"


def test_allowed_actions_describe_each_step(api_as, dept_manager, drive, make_complaint):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    body = api_as(dept_manager).get(f"/complaints/{complaint.number}").json()
    actions = {a["action"]: a for a in body["allowed_actions"]}
    assert set(actions) == {"accept_dispatch", "return_dispatch"}
    accept = actions["accept_dispatch"]
    assert accept["inputs"] == ["handler"]
    assert accept["required"] == []
    assert accept["target"] == "analysis"
    assert actions["return_dispatch"]["note_required"] is True
    assert actions["return_dispatch"]["note_label"] == "Reason for sending it back"


def test_outsider_sees_no_actions_and_no_complaint(api_as, outsider, make_complaint):
    complaint = make_complaint()
    response = api_as(outsider).get(f"/complaints/{complaint.number}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_is_paginated_with_a_total(agent_api, make_complaint):
    numbers = [make_complaint(title=f"第{i}单").number for i in range(5)]
    page = agent_api.get("/complaints", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 5
    assert page["limit"] == 2 and page["offset"] == 1
    assert [c["number"] for c in page["items"]] == list(reversed(numbers))[1:3]


def test_list_filters_like_the_selector(agent_api, make_complaint, drive, customer, product):
    serious = make_complaint(title="划伤")
    general = make_complaint(severity="general", title="包装破损")
    feedback = make_complaint(kind="feedback", category="commercial", title="发票问题")
    drive(serious, Status.ASSESSED)
    other_product = f.ProductFactory(code="OTHER-1")
    with_other = make_complaint(products=[other_product.pk], title="其它产品")

    def numbers(**params):
        return {c["number"] for c in agent_api.get("/complaints", params).json()["items"]}

    assert numbers(status="assessed") == {serious.number}
    assert numbers(status=["assessed", "received"]) == {
        serious.number,
        general.number,
        feedback.number,
        with_other.number,
    }
    assert numbers(kind="feedback") == {feedback.number}
    assert numbers(severity="general") == {general.number}
    assert numbers(product=other_product.pk) == {with_other.number}
    assert numbers(text="包装") == {general.number}
    assert numbers(customer=customer.pk, category="commercial") == {feedback.number}
    assert numbers(received_to="2000-01-01") == set()


def test_list_refuses_unknown_filter_values(agent_api, db):
    response = agent_api.get("/complaints", {"status": "lost", "limit": 0})
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"status.0", "limit"}


def test_list_query_count_does_not_grow_with_rows(agent_api, make_complaint):
    make_complaint()
    agent_api.get("/me")  # the token's first use also records last_used_at
    with CaptureQueriesContext(connection) as one:
        assert agent_api.get("/complaints").status_code == 200
    for _ in range(6):
        make_complaint()
    with CaptureQueriesContext(connection) as seven:
        assert len(agent_api.get("/complaints").json()["items"]) == 7
    assert len(seven) == len(one) <= 4


def test_patch_changes_only_what_is_sent(agent_api, make_complaint):
    complaint = make_complaint()
    response = agent_api.patch(
        f"/complaints/{complaint.number}", {"version": 1, "title": "新标题", "quantity_affected": 5}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["title"] == "新标题"
    assert body["quantity_affected"] == 5
    assert body["description"] == complaint.description
    assert body["version"] == 2
    event = ComplaintEvent.objects.get(complaint=complaint, type="updated")
    assert set(event.payload["changes"]) == {"title", "quantity_affected"}


def test_patch_with_a_stale_version_is_409_and_changes_nothing(agent_api, make_complaint):
    complaint = make_complaint()
    assert agent_api.patch(f"/complaints/{complaint.number}", {"version": 1, "title": "甲"})
    response = agent_api.patch(f"/complaints/{complaint.number}", {"version": 1, "title": "乙"})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    complaint.refresh_from_db()
    assert complaint.title == "甲"


def test_patch_refuses_status_and_unknown_fields(agent_api, make_complaint):
    complaint = make_complaint()
    response = agent_api.patch(
        f"/complaints/{complaint.number}", {"version": 1, "status": "closed", "colour": "red"}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"status", "colour"}
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.version == 1


def test_patch_needs_an_editor(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = api_as(engineer).patch(
        f"/complaints/{complaint.number}", {"version": complaint.version, "title": "改"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_patch_validates_like_create(agent_api, make_complaint):
    complaint = make_complaint()
    response = agent_api.patch(
        f"/complaints/{complaint.number}", {"version": 1, "remedies": [], "customer": 99999}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"remedies", "customer"}
