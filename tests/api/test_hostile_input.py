"""Bad and hostile input gets a clear 422 (or 404) and changes nothing (SPEC §13)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.choices import Status
from kesu.complaints.models import Attachment, Complaint, ComplaintEvent
from tests.fixtures import complaint_data

SCRIPT = "刹车片<script>alert('客诉')</script>划伤"


@pytest.fixture
def agent(api_as, cs_agent):
    return api_as(cs_agent)


def test_script_in_chinese_text_is_stored_and_returned_verbatim(agent, customer, product):
    data = complaint_data(
        customer, product, title=SCRIPT, description=f"描述{SCRIPT}", contact_name="<b>王工</b>"
    )
    response = agent.post("/complaints", data)
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == SCRIPT
    assert body["description"] == f"描述{SCRIPT}"
    assert body["contact_name"] == "<b>王工</b>"
    stored = Complaint.objects.get(number=body["number"])
    assert stored.title == SCRIPT
    assert stored.contact_name == "<b>王工</b>"
    # JSON is the whole escaping the API owes; HTML escaping is the UI's job.
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert SCRIPT.encode() in response.content
    read = agent.get(f"/complaints/{body['number']}").json()
    assert read["title"] == SCRIPT


def test_script_in_a_message_comes_back_verbatim(agent, make_complaint):
    complaint = make_complaint()
    path = f"/complaints/{complaint.number}/messages"
    assert agent.post(path, {"text": SCRIPT}).json()["note"] == SCRIPT
    events = agent.get(f"/complaints/{complaint.number}/events").json()
    assert events[-1]["note"] == SCRIPT


def test_100k_chinese_description_is_422_with_the_limit(agent, customer, product):
    data = complaint_data(customer, product, description="划" * 100_000)
    response = agent.post("/complaints", data)
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == ["description"]
    message = body["fields"]["description"][0]
    assert "20000" in message and "100000" in message
    assert not Complaint.objects.exists()


def test_long_description_in_chinese_says_so_in_chinese(api_as, cs_agent, customer, product):
    client = api_as(cs_agent, language="zh-hans")
    data = complaint_data(customer, product, description="划" * 100_000)
    message = client.post("/complaints", data).json()["fields"]["description"][0]
    assert "20000" in message and "100000" in message
    assert "Ensure" not in message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity_affected": "一百二十"}, "quantity_affected"),
        ({"quantity_affected": -5}, "quantity_affected"),
        ({"customer": 999_999}, "customer"),
        ({"customer": "ACME"}, "customer"),
        ({"products": [999_999]}, "products"),
        ({"products": "BRK-100"}, "products"),
        ({"remedies": []}, "remedies"),
        ({"remedies": ["money"]}, "remedies.0"),
        ({"severity": "apocalyptic"}, "severity"),
        ({"received_at": "昨天"}, "received_at"),
        ({"contact_email": "不是邮箱"}, "contact_email"),
        ({"status": "closed"}, "status"),
    ],
)
def test_wrong_values_are_422_naming_the_field(agent, customer, product, overrides, field):
    data = {**complaint_data(customer, product), **overrides}
    response = agent.post("/complaints", data)
    assert response.status_code == 422, response.json()
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["fields"], body
    assert all(isinstance(m, str) and m for m in body["fields"][field])
    assert not Complaint.objects.exists()


def test_missing_remedies_is_422(agent, customer, product):
    data = complaint_data(customer, product)
    del data["remedies"]
    response = agent.post("/complaints", data)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["remedies"]


def test_several_wrong_fields_are_reported_together(agent, customer, product):
    data = complaint_data(customer, product, quantity_affected="很多", kind="rumour")
    del data["remedies"]
    fields = agent.post("/complaints", data).json()["fields"]
    assert set(fields) == {"quantity_affected", "kind", "remedies"}


def test_unknown_action_is_422(agent, make_complaint):
    complaint = make_complaint()
    response = agent.post(
        f"/complaints/{complaint.number}/transitions", {"action": "delete", "version": 1}
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["action"]
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_wrong_type_for_an_input_id_is_422(agent, make_complaint):
    complaint = make_complaint()
    response = agent.post(
        f"/complaints/{complaint.number}/transitions",
        {"action": "assess_valid", "version": "v1", "responsible_department": "工程部"},
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"version", "responsible_department"}


def test_11_mb_attachment_is_422_and_nothing_is_created(agent, make_complaint, settings):
    complaint = make_complaint()
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024), "application/pdf")
    response = agent.upload(f"/complaints/{complaint.number}/attachments", big)
    assert response.status_code == 422
    body = response.json()
    assert list(body["fields"]) == ["files"]
    assert "10" in body["fields"]["files"][0]
    assert not Attachment.objects.exists()
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
    media = settings.MEDIA_ROOT / "attachments"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_oversized_json_body_is_413_json(agent, db):
    body = json.dumps({"description": "x" * (12 * 1024 * 1024)})
    response = agent.client.post(
        "/api/v1/complaints", body, content_type="application/json", headers=agent.headers
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/complaints/{number}/messages", {"text": "a\x00b"}, "text"),
        ("patch", "/complaints/{number}", {"version": 1, "title": "a\x00b"}, "title"),
        ("get", "/complaints?text=a%00b", None, "text"),
    ],
)
def test_nul_characters_are_422_not_a_database_error(
    agent, make_complaint, method, path, body, field
):
    complaint = make_complaint()
    url = path.format(number=complaint.number)
    response = agent.get(url.split("?")[0], {"text": "a\x00b"}) if method == "get" else None
    if response is None:
        response = getattr(agent, method)(url, body)
    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]


def test_nul_in_the_8d_is_refused(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = api_as(engineer).put(
        f"/complaints/{complaint.number}/8d/d2", {"version": 1, "content": {"what": "\x00"}}
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["d2"]


def test_nul_in_credentials_is_422(anonymous, cs_agent):
    response = anonymous.post("/auth/token", {"username": "agent\x00", "password": "x"})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["username"]


def test_services_refuse_nul_for_the_ui_too(cs_agent, engineer, make_complaint, drive):
    from kesu.complaints.services import complaint_comment
    from kesu.core.errors import ValidationFailed
    from kesu.eightd.services import discipline_update

    complaint = make_complaint()
    with pytest.raises(ValidationFailed):
        complaint_comment(actor=cs_agent, complaint=complaint, text="\x00")
    complaint = drive(complaint, Status.ANALYSIS)
    with pytest.raises(ValidationFailed):
        discipline_update(
            actor=engineer, complaint=complaint, code="d8", version=1, content={"closure": "\x00"}
        )
