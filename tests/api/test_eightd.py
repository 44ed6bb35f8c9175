"""The structured 8D over the API: read, write one discipline with its own version, sign with
the password, and the versions the customer was shown."""

from kesu.complaints.choices import Status
from kesu.eightd.models import Discipline
from tests import eightd_data
from tests.fixtures import PASSWORD, step


def test_team_reads_and_writes_one_discipline(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = api_as(engineer)
    report = client.get(f"/complaints/{complaint.number}/8d").json()
    assert report["form"] == "full" and report["editable"] is True
    d4 = next(d for d in report["disciplines"] if d["code"] == "d4")
    assert d4["label"] == "D4 Root causes (occurrence and escape)"
    assert d4["required"] and not d4["complete"] and d4["due_at"]
    response = client.put(
        f"/complaints/{complaint.number}/8d/d4",
        {"version": d4["version"], "content": eightd_data.COMPLETE["d4"], "owner": "engineer"},
    )
    assert response.status_code == 200, response.json()
    written = response.json()
    assert written["version"] == 2 and written["complete"] and written["owner"] == "engineer"
    assert written["content"]["occurrence"]["category"] == "machine"
    assert written["content"]["escape"]["whys"] == ["侧面未检", "检验指导书未规定侧面"]


def test_stale_write_is_409_and_keeps_the_first(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = api_as(engineer)
    path = f"/complaints/{complaint.number}/8d/d2"
    first = {"version": 1, "content": {"what": "甲"}}
    assert client.put(path, first).status_code == 200
    response = client.put(path, {"version": 1, "content": {"what": "乙"}})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert Discipline.objects.get(report__complaint=complaint, code="d2").content["what"] == "甲"


def test_malformed_content_is_422_with_the_field(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = api_as(engineer)
    bad = {"actions": [{"location": "on_the_moon", "action": "x"}]}
    response = client.put(f"/complaints/{complaint.number}/8d/d3", {"version": 1, "content": bad})
    assert response.status_code == 422
    more_bad_than_checked = {"actions": [{"location": "our_stock", "action": "全检",
                                          "qty_checked": 10, "qty_bad": 11}]}
    response = client.put(
        f"/complaints/{complaint.number}/8d/d3", {"version": 1, "content": more_bad_than_checked}
    )
    assert response.status_code == 422
    assert "more found bad than checked" in str(response.json())
    assert Discipline.objects.get(report__complaint=complaint, code="d3").version == 1


def test_8d_cannot_be_written_outside_the_team_or_phase(
    api_as, cs_agent, engineer, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    path = f"/complaints/{complaint.number}/8d/d2"
    assert api_as(cs_agent).put(path, {"version": 1, "content": {}}).status_code == 403
    assert api_as(cs_agent).get(f"/complaints/{complaint.number}/8d").json()["editable"] is False
    received = make_complaint()
    response = api_as(engineer).get(f"/complaints/{received.number}/8d")
    assert response.status_code == 404  # not yet the engineer's department's complaint


def test_signing_needs_the_password_and_a_complete_discipline(
    api_as, engineer, qe, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    path = f"/complaints/{complaint.number}/8d/d4/signatures"
    incomplete = api_as(qe).post(path, {"password": PASSWORD, "meaning": "approved"})
    assert incomplete.status_code == 422
    eightd_data.fill(complaint, engineer, ("d4",))
    wrong = api_as(qe).post(path, {"password": "guess", "meaning": "approved"})
    assert wrong.status_code == 422 and list(wrong.json()["fields"]) == ["password"]
    signed = api_as(qe).post(path, {"password": PASSWORD, "meaning": "approved"})
    assert signed.status_code == 201, signed.json()
    assert signed.json()["valid"] and "(qe)" not in signed.json()["printed_name"]
    # The engineer may confirm but not approve.
    refused = api_as(engineer).post(path, {"password": PASSWORD, "meaning": "approved"})
    assert refused.status_code == 403


def test_customers_read_versions_not_the_live_draft(
    api_as, customer_contact, engineer, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    api = api_as(customer_contact)
    assert api.get(f"/complaints/{complaint.number}/8d").status_code == 403
    versions = api.get(f"/complaints/{complaint.number}/8d/versions").json()
    assert [(v["number"], v["purpose"], v["decision"]) for v in versions] == [(1, "plan", "")]
    shown = api.get(f"/complaints/{complaint.number}/8d/versions/1").json()
    d4 = next(d for d in shown["snapshot"]["disciplines"] if d["code"] == "d4")
    assert d4["content"]["occurrence"]["statement"] == "夹具定位销磨损导致划伤"
    assert api.get(f"/complaints/{complaint.number}/8d/versions/2").status_code == 404
    write = api.put(f"/complaints/{complaint.number}/8d/d4", {"version": 2, "content": {}})
    assert write.status_code == 403


def test_the_rejected_plan_keeps_its_version_and_reason(
    api_as, customer_contact, engineer, qe, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    complaint = step(complaint, customer_contact, "customer_reject", note="原因不充分")
    versions = api_as(engineer).get(f"/complaints/{complaint.number}/8d/versions").json()
    assert [(v["decision"], v["reason"]) for v in versions] == [("rejected", "原因不充分")]
