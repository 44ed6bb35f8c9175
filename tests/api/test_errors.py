"""Every error is {"code", "message", "fields"?} in the request's language."""

import pytest
from django.test import Client
from django.utils import translation

from kesu.complaints.choices import Status
from tests.fixtures import complaint_data


def test_unknown_complaint_is_404_json(api_as, cs_agent):
    response = api_as(cs_agent).get("/complaints/KS-2026-999999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": "Not found, or you have no access to it.",
    }


def test_unknown_api_path_is_404_json(api_as, cs_agent, anonymous):
    for client in (api_as(cs_agent), anonymous):
        response = client.get("/no/such/thing")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_wrong_method_is_405(api_as, cs_agent):
    assert api_as(cs_agent).delete("/complaints").status_code == 405


def test_unparsable_json_is_400_json(api_as, cs_agent):
    client = api_as(cs_agent)
    response = client.client.post(
        "/api/v1/complaints", "{not json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_empty_body_names_every_required_field(api_as, cs_agent):
    response = api_as(cs_agent).post("/complaints", {})
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert {"kind", "customer", "products", "title", "description", "remedies"} <= set(fields)
    assert fields["title"] == ["This field is required."]


def _in(language, message):
    with translation.override(language):
        return translation.gettext(message)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_messages_follow_accept_language(api_as, cs_agent, language):
    response = api_as(cs_agent, language=language).post("/complaints", {"kind": "complaint"})
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["message"] == _in(language, "Some fields are not valid.")
    assert body["fields"]["title"] == [_in(language, "This field is required.")]
    assert body["fields"]["category"] == [_in(language, "This field is required.")]


def test_chinese_is_really_chinese():
    assert _in("zh-hans", "Some fields are not valid.") != "Some fields are not valid."
    assert _in("zh-hans", "This field is required.") != "This field is required."


def test_service_messages_are_translated_too(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = api_as(cs_agent, language="zh-hans").post(
        f"/complaints/{complaint.number}/transitions",
        {"action": "assess_invalid", "version": 1},
    )
    assert response.status_code == 422
    assert response.json()["fields"]["note"] == [_in("zh-hans", "This field is required.")]
    response = api_as(cs_agent, language="zh-hans").post(
        f"/complaints/{complaint.number}/transitions", {"action": "close", "version": 1}
    )
    assert response.status_code == 409
    assert "已受理" in response.json()["message"]


def test_not_allowed_is_403_json(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = api_as(engineer).post(
        f"/complaints/{complaint.number}/transitions",
        {"action": "cancel", "version": complaint.version, "note": "x", "cancel_reason": "error"},
    )
    assert response.status_code == 403
    assert set(response.json()) == {"code", "message"}


def test_session_auth_needs_csrf_for_writes(cs_agent, customer, product):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cs_agent)
    assert client.get("/api/v1/me").status_code == 200
    response = client.post(
        "/api/v1/complaints", complaint_data(customer, product), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    secret = "k" * 32  # what the browser holds in the csrftoken cookie and sends back
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/complaints",
        complaint_data(customer, product),
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201, response.json()


def test_without_session_or_token_a_write_is_401_not_a_csrf_error(customer, product):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/complaints", complaint_data(customer, product), content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
