"""Ids and numbers beyond 64 bits, and far dates, are a 422 naming the field, and change nothing.

SQLite raises OverflowError for an integer beyond 64 bits, PostgreSQL refuses it, and a date
near year 1 or 9999 overflows in the business-time arithmetic: each must be refused as bad
input before it gets there (kesu.core.bounds).
"""

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent
from tests.fixtures import complaint_data

HUGE = 2**64
TINY = -(2**63) - 1
FAR_DATES = ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:00+08:00"]

# (method, path, body without the field, field, how the value is placed)
C = "{number}"
WRITES = [
    ("post", "/complaints", "new", "customer", "int"),
    ("post", "/complaints", "new", "products", "list"),
    ("post", "/complaints", "new", "lots", "list"),
    ("post", "/complaints", "new", "quantity_affected", "int"),
    ("post", "/complaints", "new", "defect_code", "int"),
    ("patch", f"/complaints/{C}", {"version": 1}, "customer", "int"),
    ("patch", f"/complaints/{C}", {"version": 1}, "products", "list"),
    ("patch", f"/complaints/{C}", {"version": 1}, "lots", "list"),
    ("patch", f"/complaints/{C}", {"version": 1}, "quantity_affected", "int"),
    ("patch", f"/complaints/{C}", {"version": 1}, "defect_code", "int"),
    ("patch", f"/complaints/{C}", {"title": "新标题"}, "version", "int"),
    ("post", f"/complaints/{C}/transitions", {"action": "assess_valid"}, "version", "int"),
    *[
        ("post", f"/complaints/{C}/transitions", {"action": "assess_valid", "version": 1},
         field, kind)
        for field, kind in [("responsible_department", "int"), ("handler", "int"),
                            ("tracker", "int"), ("team", "list")]
    ],
    ("post", f"/complaints/{C}/info-request", {"note": "请提供照片"}, "version", "int"),
    ("post", f"/complaints/{C}/info-received", {"note": "已收到"}, "version", "int"),
    *[("put", f"/complaints/{C}/8d/d{n}", {}, "version", "int") for n in range(1, 9)],
    ("post", f"/complaints/{C}/8d/exports", {"format": "pdf", "language": "en"}, "version", "int"),
]
PATH_IDS = [
    "/complaints/{number}/attachments/{value}",
    "/complaints/{number}/8d/versions/{value}",
    "/complaints/{number}/8d/exports/{value}/file",
]
DATES = [
    ("post", "/complaints", "new", "received_at"),
    ("patch", f"/complaints/{C}", {"version": 1}, "received_at"),
    ("post", f"/complaints/{C}/transitions", {"action": "assess_valid", "version": 1},
     "dispatch_due_at"),
]


@pytest.fixture
def setting(api_as, cs_agent, make_complaint, customer, product):
    complaint = make_complaint()
    before = (Complaint.objects.count(), ComplaintEvent.objects.count(), complaint.version)

    def body_of(base):
        return complaint_data(customer, product) if base == "new" else dict(base)

    def unchanged():
        complaint.refresh_from_db()
        after = (Complaint.objects.count(), ComplaintEvent.objects.count(), complaint.version)
        return after == before

    return api_as(cs_agent), complaint, body_of, unchanged


def _send(client, method, path, body):
    return getattr(client, method)(path, body)


@pytest.mark.parametrize("value", [HUGE, TINY], ids=["2^64", "-2^63-1"])
@pytest.mark.parametrize(("method", "path", "base", "field", "kind"), WRITES)
def test_an_integer_beyond_64_bits_is_422_and_nothing_changes(
    setting, method, path, base, field, kind, value
):
    client, complaint, body_of, unchanged = setting
    body = {**body_of(base), field: [value] if kind == "list" else value}
    response = _send(client, method, path.format(number=complaint.number), body)
    assert response.status_code == 422, response.content
    fields = response.json()["fields"]
    assert any(name.split(".")[0] == field for name in fields), fields
    assert unchanged()


@pytest.mark.parametrize("value", [HUGE, TINY], ids=["2^64", "-2^63-1"])
@pytest.mark.parametrize("path", PATH_IDS)
def test_an_id_beyond_64_bits_in_the_path_is_422(setting, path, value):
    client, complaint, _body_of, unchanged = setting
    response = client.get(path.format(number=complaint.number, value=value))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_failed"


@pytest.mark.parametrize("value", FAR_DATES, ids=["year 1", "year 9999"])
@pytest.mark.parametrize(("method", "path", "base", "field"), DATES)
def test_a_far_date_is_422_with_the_range_and_nothing_changes(
    setting, method, path, base, field, value
):
    client, complaint, body_of, unchanged = setting
    body = {**body_of(base), field: value}
    response = _send(client, method, path.format(number=complaint.number), body)
    assert response.status_code == 422, response.content
    message = response.json()["fields"][field][0]
    assert "1900-01-01" in message and "2999-12-31" in message
    assert unchanged()


def test_a_far_date_in_an_8d_document_is_422_naming_it(api_as, qe, make_complaint):
    complaint = make_complaint()
    response = api_as(qe).put(
        f"/complaints/{complaint.number}/8d/d8",
        {"version": 1, "content": {"closed_on": "0001-01-01"}},
    )
    assert response.status_code == 422, response.content
    assert "content.closed_on" in response.json()["fields"]


def test_far_report_period_is_422(api_as, process_owner):
    response = api_as(process_owner).get(
        "/reports/on-time", {"start": "0001-01-01", "end": "9999-12-31"}
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"start", "end"}


def test_far_date_message_is_chinese_in_chinese(api_as, cs_agent, customer, product):
    data = complaint_data(customer, product, received_at=FAR_DATES[1])
    response = api_as(cs_agent, language="zh-hans").post("/complaints", data)
    message = response.json()["fields"]["received_at"][0]
    assert "1900-01-01" in message and "Enter" not in message
