import re

import pytest

from kesu.complaints.access import allowed_transitions
from kesu.complaints.choices import Status


def buttons(response) -> set[str]:
    html = response.content.decode()
    actions = (
        html.split('id="actions"', 1)[1].split("</div>", 1)[0] if 'id="actions"' in html else ""
    )
    return set(re.findall(r'data-action="([a-z_]+)"', actions)) - {"edit"}


def test_detail_shows_the_record_owners_and_counters(
    as_user, cs_agent, make_complaint, drive, qe, engineer
):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    response = as_user(cs_agent).get(f"/complaints/{complaint.number}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        complaint.title,
        complaint.description,
        "BRK-100",
        "工程管理部",
        str(qe),
        str(engineer),
    ):
        assert text in html
    assert 'data-field="plan_rounds">0<' in html
    assert 'data-field="remedies">' in html
    # The timeline names who did what.
    assert 'data-event-action="accept_dispatch"' in html
    assert "工程经理老刘" in html


@pytest.mark.parametrize(
    "status, persona, expected",
    [
        (Status.RECEIVED, "cs_agent", {"assess_valid", "assess_invalid", "cancel"}),
        (Status.RECEIVED, "qe", {"assess_valid", "assess_invalid"}),
        (Status.RECEIVED, "engineer", set()),
        (Status.DISPATCHED, "dept_manager", {"accept_dispatch", "return_dispatch"}),
        (Status.DISPATCHED, "engineer", set()),
        (Status.ANALYSIS, "engineer", {"submit_plan"}),
        (Status.CONFIRMATION, "cs_agent", {"customer_accept", "customer_reject", "cancel"}),
        (Status.CLOSED, "cs_agent", {"reopen"}),
        (Status.CLOSED, "engineer", set()),
    ],
)
def test_detail_shows_exactly_the_allowed_buttons(
    request, as_user, make_complaint, drive, status, persona, expected
):
    user = request.getfixturevalue(persona)
    complaint = drive(make_complaint(), status)
    response = as_user(user).get(f"/complaints/{complaint.number}/")
    assert buttons(response) == expected
    assert buttons(response) == {t.action for t in allowed_transitions(user, complaint)}


def test_edit_link_only_for_editors(as_user, make_complaint, cs_agent, engineer, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    assert (
        'data-action="edit"'
        in as_user(cs_agent).get(f"/complaints/{complaint.number}/").content.decode()
    )
    assert (
        'data-action="edit"'
        not in as_user(engineer).get(f"/complaints/{complaint.number}/").content.decode()
    )


def test_outsider_gets_404(as_user, make_complaint, outsider):
    complaint = make_complaint()
    client = as_user(outsider)
    assert client.get(f"/complaints/{complaint.number}/").status_code == 404
    assert client.get(f"/complaints/{complaint.number}/edit/").status_code == 404
    assert client.get(f"/complaints/{complaint.number}/actions/assess_valid/").status_code == 404
    assert (
        client.post(f"/complaints/{complaint.number}/messages/", {"text": "hi"}).status_code == 404
    )
    assert client.get("/complaints/KS-1999-999999/").status_code == 404


def test_detail_queries_do_not_grow_with_the_timeline(
    as_user, cs_agent, make_complaint, drive, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kesu.complaints import services

    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = as_user(cs_agent)
    url = f"/complaints/{complaint.number}/"
    client.get(url)
    # …, the step clocks (1), whether the user follows the complaint (1) and the 8D card:
    # report_view's disciplines, signatures and 8D steps (3; a general complaint also reads
    # its customer's 8D profile); the card reuses the step clocks' calendars. The timeline is
    # two: its latest page, and every file on it for the attachments card. The customer's
    # unanswered words on top are one more; the next step's gate (the plan is ready) reads the
    # same 8D as the card, once (kesu.core.memo).
    with django_assert_max_num_queries(18) as few:
        client.get(url)
    for i in range(5):
        services.complaint_comment(
            actor=cs_agent,
            complaint=complaint,
            text=f"第{i}条",
            files=[SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4", content_type="application/pdf")],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-event="attachment"') == 5
