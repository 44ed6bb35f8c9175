from django.test import Client

from kesu.complaints.choices import EventType, Status
from kesu.eightd.models import EightDReport


def test_handler_saves_the_8d(as_user, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = as_user(engineer)
    page = client.get(f"/complaints/{complaint.number}/")
    assert '<textarea name="d1"' in page.content.decode()
    version = complaint.eightd.version
    response = client.post(
        f"/complaints/{complaint.number}/8d/",
        {"version": version, "d1": "小陈、老张", "d2": "表面划伤120件", "d3": ""},
    )
    assert response.status_code == 302
    report = EightDReport.objects.get(complaint=complaint)
    assert (report.d1, report.d2, report.version) == ("小陈、老张", "表面划伤120件", version + 1)
    event = complaint.events.get(type=EventType.EIGHTD_UPDATED)
    assert event.payload["disciplines"] == ["d1", "d2"]


def test_8d_is_read_only_for_others(as_user, cs_agent, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = as_user(cs_agent)
    html = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert '<textarea name="d1"' not in html
    response = client.post(
        f"/complaints/{complaint.number}/8d/", {"version": complaint.eightd.version, "d1": "x"}
    )
    assert response.status_code == 302
    assert EightDReport.objects.get(complaint=complaint).d1 == ""


def test_stale_8d_save_is_refused_and_nothing_is_overwritten(
    as_user, engineer, dept_manager, make_complaint, drive
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    version = complaint.eightd.version
    manager = Client()
    manager.force_login(dept_manager)
    manager.post(f"/complaints/{complaint.number}/8d/", {"version": version, "d4": "经理的根因"})

    response = as_user(engineer).post(
        f"/complaints/{complaint.number}/8d/", {"version": version, "d4": "工程师的根因"}
    )
    assert response.status_code == 409
    assert EightDReport.objects.get(complaint=complaint).d4 == "经理的根因"
    assert [m.tags for m in response.context["messages"]] == ["error"]
    assert "工程师的根因" in response.content.decode()
