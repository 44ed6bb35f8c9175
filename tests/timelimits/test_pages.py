"""Due times and business time left on the list, "my work" and the detail; the on-time page."""

from datetime import timedelta

from kesu.complaints.choices import Status
from kesu.core import clock
from kesu.timelimits.models import Step


def test_the_detail_shows_every_step_with_its_due_time(as_user, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    html = as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'id="time-limits"' in html
    for step in Step.objects.filter(complaint=complaint):
        assert f'data-step="{step.type}"' in html
    assert "on time" in html or "按时" in html


def test_the_list_colours_an_overdue_complaint(as_user, cs_agent, make_complaint):
    complaint = make_complaint(severity="general")
    Step.objects.filter(complaint=complaint).update(
        due_at=clock.now() - timedelta(hours=1), started_at=clock.now() - timedelta(days=3)
    )
    html = as_user(cs_agent).get("/complaints/").content.decode()
    assert 'data-due-state="overdue"' in html


def test_a_customer_never_sees_the_internal_clocks(as_user, customer_contact, make_complaint):
    complaint = make_complaint()
    html = as_user(customer_contact).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'id="time-limits"' not in html


def test_asking_for_information_from_the_detail_page(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    response = client.post(
        f"/complaints/{complaint.number}/info/",
        {"version": complaint.version, "note": "请提供<script>alert(1)</script>照片"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.info_requested_at is not None
    html = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "<script>alert(1)</script>" not in html and 'data-due-state="paused"' in html
    # A stale page changes nothing and says so.
    response = client.post(
        f"/complaints/{complaint.number}/info/",
        {"version": 1, "answer": "1"},
        follow=True,
    )
    complaint.refresh_from_db()
    assert complaint.info_requested_at is not None
    assert list(response.context["messages"])


def test_an_empty_question_is_refused(as_user, cs_agent, make_complaint):
    complaint = make_complaint()
    as_user(cs_agent).post(f"/complaints/{complaint.number}/info/", {"version": 1, "note": " "})
    complaint.refresh_from_db()
    assert complaint.info_requested_at is None


def test_the_on_time_page_is_for_management(as_user, engineer, dept_manager, cs_agent):
    assert as_user(engineer).get("/time-limits/on-time/").status_code == 403
    response = as_user(dept_manager).get("/time-limits/on-time/")
    assert response.status_code == 200
    bad = as_user(cs_agent).get(
        "/time-limits/on-time/", {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert bad.status_code == 422
    garbage = as_user(cs_agent).get("/time-limits/on-time/", {"start": "<script>", "end": "x"})
    assert garbage.status_code == 422 and "<script>" not in garbage.content.decode()


def test_the_on_time_page_shows_the_counts(as_user, cs_agent, make_complaint, at):
    from tests.timelimits.conftest import MONDAY_9

    with at(MONDAY_9):
        make_complaint(severity="general")
    response = as_user(cs_agent).get(
        "/time-limits/on-time/", {"start": "2026-03-01", "end": "2026-03-31"}
    )
    html = response.content.decode()
    assert 'data-row="total"' in html
    assert response.context["total"].late == 1  # still open, due 11:00 on 9 March


def test_the_detail_page_has_a_follow_button(as_user, outsider, cs_agent, make_complaint):
    complaint = make_complaint()
    client = as_user(cs_agent)
    assert 'data-action="follow"' in client.get(f"/complaints/{complaint.number}/").content.decode()
    client.post(f"/notifications/follow/{complaint.number}/")
    html = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-action="unfollow"' in html
