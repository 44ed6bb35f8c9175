"""POST /complaints/{number}/transitions: the workflow table over HTTP."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kesu.calendars.schedules import calendar_by_code, schedule_for
from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.core import clock
from kesu.timelimits.models import Step


def transition(client, complaint, action, **data):
    body = {"action": action, "version": complaint.version, **data}
    return client.post(f"/complaints/{complaint.number}/transitions", body)


def test_agent_assesses_as_valid(api_as, cs_agent, qe, engineer, org_chart, make_complaint):
    complaint = make_complaint()
    response = transition(
        api_as(cs_agent),
        complaint,
        "assess_valid",
        note="属实",
        responsible_department=org_chart["eng"].pk,
        handler=engineer.pk,
        tracker=qe.pk,
        team=[engineer.pk, qe.pk],
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "assessed"
    assert body["version"] == 2
    assert body["responsible_department"]["code"] == "ENG"
    assert body["tracker"]["username"] == "qe"
    assert {member["username"] for member in body["team"]} == {"engineer", "qe"}
    assert body["allowed_actions"][0]["action"] == "dispatch"
    event = ComplaintEvent.objects.get(complaint=complaint, action="assess_valid")
    assert event.actor == cs_agent and event.note == "属实"


def _working_moment(days_ahead: int):
    """10:00 local on the first working day at least `days_ahead` days from now."""
    schedule = schedule_for(calendar_by_code("standard"))
    day = timezone.localtime(clock.now()) + timedelta(days=days_ahead)
    moment = day.replace(hour=10, minute=0, second=0, microsecond=0)
    while not schedule.is_working(moment):
        moment += timedelta(days=1)
    return moment


def test_dispatch_takes_an_iso_due_time(api_as, cs_agent, make_complaint, drive):
    # Dispatched at a moment with seconds (as the 2026-11-30 run that found them leaking was).
    with clock.frozen(timezone.make_aware(datetime(2026, 3, 9, 9, 59, 38, 601_000))):
        complaint = drive(make_complaint(), Status.ASSESSED)
        due = _working_moment(3)
        response = transition(
            api_as(cs_agent), complaint, "dispatch", dispatch_due_at=due.isoformat()
        )
    assert response.status_code == 200, response.json()
    assert parse_datetime(response.json()["dispatch_due_at"]) == due
    assert Step.objects.get(complaint=complaint, type="accept").due_at == due


def test_a_dispatch_due_time_in_an_unknown_year_is_refused(
    api_as, cs_agent, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ASSESSED)
    response = transition(
        api_as(cs_agent), complaint, "dispatch", dispatch_due_at="2099-01-05T09:00:00+08:00"
    )
    assert response.status_code == 422
    assert "dispatch_due_at" in response.json()["fields"]
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSESSED


def test_a_step_from_the_wrong_state_is_409(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = transition(api_as(cs_agent), complaint, "close", note="完")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_a_step_of_another_role_is_403(api_as, sales, make_complaint):
    complaint = make_complaint()
    response = transition(api_as(sales), complaint, "assess_invalid", note="不成立")
    # Sales recorded nothing here, so they cannot even see it.
    assert response.status_code == 404
    mine = complaint.__class__.objects.filter(pk=complaint.pk)
    mine.update(received_by=sales)
    response = transition(api_as(sales), complaint, "assess_invalid", note="不成立")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_unknown_action_is_422_naming_the_field(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = transition(api_as(cs_agent), complaint, "teleport")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert list(body["fields"]) == ["action"]
    assert "teleport" in body["fields"]["action"][0]


def test_missing_required_input_is_422(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    response = transition(api_as(cs_agent), complaint, "assess_invalid")
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["note"]
    response = transition(api_as(cs_agent), complaint, "assess_valid")
    assert response.status_code == 422
    assert "responsible_department" in response.json()["fields"]


def test_stale_version_is_409_stale_version(api_as, cs_agent, make_complaint):
    complaint = make_complaint()
    complaint.version = 7
    response = transition(api_as(cs_agent), complaint, "assess_invalid", note="不成立")
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_8d_gate_is_a_409_with_the_missing_disciplines(api_as, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = transition(api_as(engineer), complaint, "submit_plan")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    # D1 starts filled with the team on the complaint; the rest is missing.
    assert "D2" in body["message"] and "D5" in body["message"] and "D1" not in body["message"]


def test_customer_accepts_the_plan_themselves(api_as, customer_contact, make_complaint, drive):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    client = api_as(customer_contact)
    actions = client.get(f"/complaints/{complaint.number}").json()["allowed_actions"]
    assert {a["action"] for a in actions} == {"customer_accept", "customer_reject"}
    response = transition(client, complaint, "customer_reject", note="措施不够")
    assert response.status_code == 200
    assert response.json()["plan_rounds"] == 1


def test_the_openapi_description_lists_every_action():
    from kesu.api.complaints import TRANSITIONS_DESCRIPTION
    from kesu.complaints.workflow import TRANSITIONS

    for t in TRANSITIONS:
        assert f"| {t.action} |" in TRANSITIONS_DESCRIPTION


def test_a_rejected_plan_resubmitted_unchanged_is_a_409_quoting_the_customer(
    api_as, engineer, customer_contact, make_complaint, drive
):
    from kesu.complaints.services import complaint_transition

    complaint = drive(make_complaint(), Status.CONFIRMATION)
    complaint = complaint_transition(
        actor=customer_contact, complaint=complaint, action="customer_reject",
        version=complaint.version, data={"note": "缺少流出原因的验证"},
    )
    response = transition(api_as(engineer), complaint, "submit_plan")
    assert response.status_code == 409
    assert response.json()["message"] == (
        "The customer rejected this plan: “缺少流出原因的验证”; change the plan before "
        "submitting it again."
    )
