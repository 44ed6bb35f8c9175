"""Effect verification over the API: the watched lots with their results, recording a result,
the signed approval to close early, the outcome."""

import pytest

from kesu.complaints.choices import Status
from tests import factories as f
from tests import verification_data
from tests.fixtures import PASSWORD


@pytest.fixture
def verifying(make_complaint, drive):
    defect = f.DefectCodeFactory(code="SCR", name="划伤")
    return drive(make_complaint(defect_code=defect.pk), Status.VERIFICATION)


def url(complaint, path=""):
    return f"/complaints/{complaint.number}/verification{path}"


def test_the_lots_with_their_results(verifying, api_as, qe):
    lots = verification_data.deliver(verifying, 2)
    body = api_as(qe).get(url(verifying)).json()
    assert (body["round"], body["lots_required"], body["clean_lots"]) == (1, 3, 2)
    assert [lot["number"] for lot in body["lots"]] == [lot.number for lot in lots]
    assert body["lots"][0]["result"] == "ok" and body["lots"][0]["side"] == "customer"
    assert any("2 of 3" in p for p in body["problems"])


def test_record_a_result_and_a_recurrence(verifying, api_as, qe):
    lot = verification_data.deliver(verifying, 1, result=None)[0]
    client = api_as(qe)
    ok = client.post(url(verifying, "/results"), {
        "lot": lot.number, "result": "ng", "defect_code": "SCR", "quantity_checked": 100,
        "quantity_bad": 4, "inspected_on": "2026-04-01",
    })
    assert ok.status_code == 200, ok.content
    assert ok.json()["recurred_on_lot"] == lot.number
    verifying.refresh_from_db()
    assert (verifying.status, verifying.recurrence_count) == (Status.ANALYSIS, 1)


def test_an_unwatched_lot_is_refused(verifying, api_as, qe):
    response = api_as(qe).post(url(verifying, "/results"), {
        "lot": "NOPE", "result": "ok", "quantity_checked": 100, "inspected_on": "2026-04-01",
    })
    assert response.status_code == 422


def test_override_and_outcome(verifying, api_as, qe, dept_manager, engineer):
    wrong = api_as(dept_manager).post(url(verifying, "/override"),
                                      {"reason": "客户同意", "password": "wrong"})
    assert wrong.status_code == 422
    signed = api_as(dept_manager).post(url(verifying, "/override"),
                                       {"reason": "客户同意", "password": PASSWORD})
    assert signed.status_code == 200 and signed.json()["override_signed_by"]
    proposed = api_as(qe).post(url(verifying, "/outcome"), {"outcome": "effective"})
    version = proposed.json()["version"]
    by_handler = api_as(engineer).post(url(verifying, "/outcome/confirmation"),
                                       {"version": version, "password": PASSWORD})
    assert by_handler.status_code == 403
    confirmed = api_as(dept_manager).post(url(verifying, "/outcome/confirmation"),
                                          {"version": version, "password": PASSWORD})
    assert confirmed.status_code == 200
    assert confirmed.json()["problems"] == []


def test_customers_are_refused(verifying, api_as, customer_contact):
    assert api_as(customer_contact).get(url(verifying)).status_code in (403, 404)


def test_in_the_openapi_document(api_as, qe):
    paths = api_as(qe).get("/openapi.json").json()["paths"]
    for path in ("", "/results", "/override", "/outcome", "/outcome/confirmation"):
        assert f"/api/v1/complaints/{{number}}/verification{path}" in paths
