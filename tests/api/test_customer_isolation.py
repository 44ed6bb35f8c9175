"""A customer contact reaches their own company's complaints and nothing else (SPEC §13).

Another customer's complaint answers exactly like one that does not exist: 404, same body.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from tests.fixtures import complaint_data

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


@pytest.fixture
def acme_complaint(make_complaint, drive):
    # In confirmation: ACME's own contact could take customer_accept here.
    return drive(make_complaint(), Status.CONFIRMATION)


def attempts(number, version):
    return [
        ("get", f"/complaints/{number}", None),
        ("patch", f"/complaints/{number}", {"version": version, "title": "改"}),
        (
            "post",
            f"/complaints/{number}/transitions",
            {"action": "customer_accept", "version": version},
        ),
        ("get", f"/complaints/{number}/events", None),
        ("post", f"/complaints/{number}/messages", {"text": "你好"}),
        ("get", f"/complaints/{number}/attachments", None),
        ("get", f"/complaints/{number}/attachments/1", None),
        ("get", f"/complaints/{number}/8d", None),
        ("put", f"/complaints/{number}/8d/d2", {"version": 1, "content": {"what": "x"}}),
        (
            "post",
            f"/complaints/{number}/8d/d2/signatures",
            {"password": "pass-word-1", "meaning": "approved"},
        ),
        ("get", f"/complaints/{number}/8d/versions", None),
        ("get", f"/complaints/{number}/8d/versions/1", None),
    ]


def call(client, method, path, body):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body)


NUMBERS = [
    "KS-2026-000002",
    "KS-2099-000001",
    "ks-2026-000001",
    "KS-2026-000001%27%20OR%201=1--",
    "..%2F..%2Fadmin",
    "%E5%AE%A2%E8%AF%89",
    "KS%00",
]


def test_other_customer_gets_404_for_everything(api_as, other_customer_contact, acme_complaint):
    client = api_as(other_customer_contact)
    events_before = ComplaintEvent.objects.count()
    numbers = [acme_complaint.number, *NUMBERS]
    answers = set()
    for number in numbers:
        for method, path, body in attempts(number, acme_complaint.version):
            response = call(client, method, path, body)
            assert response.status_code == 404, (method, path, response.content)
            answers.add(response.content)
    # Whether the number exists or not, the answer is byte for byte the same.
    assert len(answers) == 1
    acme_complaint.refresh_from_db()
    assert acme_complaint.status == Status.CONFIRMATION
    assert ComplaintEvent.objects.count() == events_before


def test_own_contact_reaches_the_same_complaint(api_as, customer_contact, acme_complaint):
    client = api_as(customer_contact)
    assert client.get(f"/complaints/{acme_complaint.number}").status_code == 200
    response = client.post(
        f"/complaints/{acme_complaint.number}/transitions",
        {"action": "customer_accept", "version": acme_complaint.version, "note": "同意"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "implementation"


def test_customer_cannot_edit_even_their_own(api_as, customer_contact, acme_complaint):
    response = api_as(customer_contact).patch(
        f"/complaints/{acme_complaint.number}", {"version": acme_complaint.version, "title": "改"}
    )
    assert response.status_code == 403


def test_customer_list_holds_only_their_company(
    api_as, customer_contact, other_customer_contact, make_complaint, product, cs_agent
):
    mine = make_complaint()
    other = (
        api_as(cs_agent)
        .post("/complaints", complaint_data(other_customer_contact.customer, product))
        .json()
    )
    page = api_as(customer_contact).get("/complaints").json()
    assert [c["number"] for c in page["items"]] == [mine.number]
    assert page["count"] == 1
    spying = api_as(customer_contact).get(
        "/complaints", {"customer": other_customer_contact.customer_id}
    )
    assert spying.json()["count"] == 0
    assert (
        api_as(other_customer_contact).get("/complaints").json()["items"][0]["number"]
        == (other["number"])
    )


def test_customer_cannot_record_through_the_api(api_as, customer_contact, customer, product):
    response = api_as(customer_contact).post("/complaints", complaint_data(customer, product))
    assert response.status_code == 403


def test_other_customer_cannot_reach_an_existing_attachment(
    api_as, cs_agent, other_customer_contact, acme_complaint
):
    upload = SimpleUploadedFile("a.png", PNG, "image/png")
    attachment = (
        api_as(cs_agent)
        .upload(f"/complaints/{acme_complaint.number}/attachments", upload, visibility="customer")
        .json()
    )
    response = api_as(other_customer_contact).get(attachment["url"].removeprefix("/api/v1"))
    assert response.status_code == 404
