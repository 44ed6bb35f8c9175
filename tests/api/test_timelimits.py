"""Step clocks, waiting on the customer and the on-time rate through the API."""

from kesu.complaints.choices import Status
from tests.timelimits.conftest import MONDAY_9, local


def test_steps_of_a_complaint(api_as, cs_agent, make_complaint, drive):
    from kesu.core import clock

    with clock.frozen(MONDAY_9):
        complaint = drive(make_complaint(severity="general"), Status.ASSESSED)
    response = api_as(cs_agent).get(f"/complaints/{complaint.number}/steps")
    assert response.status_code == 200
    classify, organise = response.json()
    assert classify["type"] == "classify" and classify["state"] == "done"
    assert classify["on_time"] is True and classify["minutes"] == 120
    assert organise["state"] == "overdue" and organise["remaining_minutes"] < 0


def test_customers_and_outsiders_do_not_read_the_clocks(
    api_as, customer_contact, outsider, make_complaint
):
    complaint = make_complaint()
    assert api_as(customer_contact).get(f"/complaints/{complaint.number}/steps").status_code == 403
    assert api_as(outsider).get(f"/complaints/{complaint.number}/steps").status_code == 404


def test_information_request_and_answer(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    client = api_as(cs_agent)
    asked = client.post(
        f"/complaints/{complaint.number}/info-request", {"version": 1, "note": "请提供照片"}
    )
    assert asked.status_code == 200 and asked.json()["info_requested_at"]
    again = client.post(
        f"/complaints/{complaint.number}/info-request", {"version": 2, "note": "再问"}
    )
    assert again.status_code == 409
    stale = client.post(f"/complaints/{complaint.number}/info-received", {"version": 1})
    assert stale.status_code == 409
    answered = client.post(f"/complaints/{complaint.number}/info-received", {"version": 2})
    assert answered.status_code == 200 and answered.json()["info_requested_at"] is None
    events = client.get(f"/complaints/{complaint.number}/events").json()
    assert [e["type"] for e in events][-2:] == ["info_requested", "info_received"]


def test_on_time_report(api_as, cs_agent, engineer, make_complaint):
    from kesu.core import clock

    with clock.frozen(MONDAY_9):
        make_complaint(severity="general")
    response = api_as(cs_agent).get(
        "/reports/on-time", {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert response.status_code == 200
    assert response.json()["total"]["late"] == 1
    assert api_as(engineer).get(
        "/reports/on-time", {"start": "2026-03-01", "end": "2026-03-31"}
    ).status_code == 403
    bad = api_as(cs_agent).get("/reports/on-time", {"start": "x", "end": "2026-03-31"})
    assert bad.status_code == 422


def test_system_events_have_no_actor(api_as, cs_agent, make_complaint):
    from kesu.core import clock
    from kesu.timelimits.sweeper import sla_sweep

    with clock.frozen(MONDAY_9):
        complaint = make_complaint(severity="general")
    sla_sweep(now=local(2026, 3, 9, 11, 0))
    events = api_as(cs_agent).get(f"/complaints/{complaint.number}/events").json()
    overdue = [e for e in events if e["type"] == "overdue"]
    assert overdue and overdue[0]["actor"] is None
