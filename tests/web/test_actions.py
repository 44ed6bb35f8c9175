from datetime import timedelta

from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.core import clock
from kesu.core.errors import StaleVersion


def test_action_form_offers_the_suggested_inputs(as_user, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ASSESSED)
    response = as_user(cs_agent).get(f"/complaints/{complaint.number}/actions/dispatch/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="datetime-local" name="dispatch_due_at"' in html
    assert response.context["form"]["dispatch_due_at"].value() is not None
    assert f'name="version" value="{complaint.version}"' in html
    assert str(response.context["form"].fields["note"].label) in html


def test_assessing_a_complaint_through_the_form(as_user, cs_agent, qe, make_complaint, org_chart):
    complaint = make_complaint()
    client = as_user(cs_agent)
    response = client.post(
        f"/complaints/{complaint.number}/actions/assess_valid/",
        {
            "version": complaint.version,
            "responsible_department": org_chart["eng"].pk,
            "tracker": qe.pk,
            "note": "确认为我司责任",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.number}/"
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSESSED
    assert complaint.tracker == qe
    page = client.get(response["Location"])
    assert 'data-status="assessed"' in page.content.decode()
    assert "确认为我司责任" in page.content.decode()


def test_invalid_input_re_renders_the_form_with_messages(as_user, cs_agent, make_complaint):
    complaint = make_complaint()  # a quality complaint: a QE tracker is required
    response = as_user(cs_agent).post(
        f"/complaints/{complaint.number}/actions/assess_valid/",
        {"version": complaint.version, "note": "x"},
    )
    assert response.status_code == 422
    assert "responsible_department" in response.context["form"].errors
    assert 'class="form-errors"' in response.content.decode()
    assert Complaint.objects.get().status == Status.RECEIVED


def test_business_rule_errors_show_on_the_form(as_user, cs_agent, make_complaint, org_chart):
    complaint = make_complaint()
    response = as_user(cs_agent).post(
        f"/complaints/{complaint.number}/actions/assess_valid/",
        {"version": complaint.version, "responsible_department": org_chart["eng"].pk},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["tracker"]


def test_stale_action_is_refused_with_a_message(as_user, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ASSESSED)
    stale_version = complaint.version - 1
    client = as_user(cs_agent)
    response = client.post(
        f"/complaints/{complaint.number}/actions/dispatch/",
        {
            "version": stale_version,
            "dispatch_due_at": (timezone.localtime(clock.now()) + timedelta(days=2)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    # Refused, with the reason on the form and what was typed still in it (issue 11 §3).
    assert response.status_code == 409
    assert Complaint.objects.get().status == Status.ASSESSED
    html = response.content.decode()
    assert str(StaleVersion.default_message) in html
    assert response.context["form"]["dispatch_due_at"].value()
    # Sent again, it is a deliberate step on the complaint as it is now.
    assert response.context["version"] == complaint.version


def test_an_action_not_open_to_the_user_is_explained_on_the_detail_page(
    as_user, engineer, dept_manager, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    client = as_user(engineer)
    response = client.get(f"/complaints/{complaint.number}/actions/accept_dispatch/", follow=True)
    assert response.redirect_chain == [(f"/complaints/{complaint.number}/", 302)]
    assert [m.tags for m in response.context["messages"]] == ["error"]
    response = client.post(
        f"/complaints/{complaint.number}/actions/accept_dispatch/",
        {"version": complaint.version},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert [m.tags for m in page.context["messages"]] == ["error"]
    assert Complaint.objects.get().status == Status.DISPATCHED


def test_8d_gate_is_explained_on_the_detail_page(as_user, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = as_user(engineer)
    response = client.post(
        f"/complaints/{complaint.number}/actions/submit_plan/",
        {"version": complaint.version, "note": "方案摘要：更换供应商"},
    )
    # Refused on the form, with what was typed kept and each gap linked to its discipline.
    assert response.status_code == 409
    problems = response.context["problems"]
    # D1 is filled from the complaint's team when analysis starts: D2 is the first gap.
    assert str(problems[0]).startswith("D2") and not any("D1" in str(p) for p in problems)
    assert problems[0].url == f"/complaints/{complaint.number}/8d/#d2"
    html = response.content.decode()
    assert "方案摘要：更换供应商" in html
    assert f'href="/complaints/{complaint.number}/8d/#d2"' in html
    assert Complaint.objects.get().status == Status.ANALYSIS


def test_the_dispatch_page_names_the_receiving_department_and_manager(
    as_user, cs_agent, make_complaint, drive, dept_manager
):
    complaint = drive(make_complaint(), Status.ASSESSED)
    response = as_user(cs_agent).get(f"/complaints/{complaint.number}/actions/dispatch/")
    recipient = response.content.decode().split("data-recipient>", 1)[1].split("</p>", 1)[0]
    assert "工程管理部" in recipient and "工程经理老刘" in recipient


def test_the_dispatch_page_warns_when_the_department_has_no_manager(
    as_user, cs_agent, make_complaint, drive, org_chart
):
    complaint = drive(make_complaint(), Status.ASSESSED)
    org_chart["eng"].manager = None
    org_chart["eng"].save(update_fields=["manager"])
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/actions/dispatch/").content
    assert "工程管理部没有部门经理".encode() in html


def test_the_handler_picker_searches_the_responsible_department_only(
    as_user, dept_manager, make_complaint, drive, org_chart
):
    complaint = drive(make_complaint(), Status.DISPATCHED)
    html = as_user(dept_manager).get(
        f"/complaints/{complaint.number}/actions/accept_dispatch/"
    ).content.decode()
    assert (
        f'data-picker="/org/pick/people/?department={org_chart["eng"].pk}&amp;strict=1"' in html
    )
