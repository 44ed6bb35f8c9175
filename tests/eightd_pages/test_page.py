"""The 8D workspace: every discipline for the team, read-only for other staff, never for a
customer, in a fixed number of queries."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory

from kesu.complaints.choices import Status
from kesu.eightd import views
from kesu.eightd.content import CODES
from kesu.eightd.evidence import evidence_attach
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests.eightd_data import COMPLETE, approve, fill
from tests.fixtures import PASSWORD


def page(number):
    return f"/complaints/{number}/8d/"


def test_the_handler_sees_every_discipline_in_order_with_its_form(as_user, engineer, analysis):
    response = as_user(engineer).get(page(analysis.number))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<section class="card discipline[^"]*" id="(d\d)"', html) == list(CODES)
    for code in CODES:
        assert f'id="form-{code}"' in html
    # Only a complete discipline offers its sign form; D1 is filled from the team when
    # analysis starts.
    assert re.findall(r'action="/complaints/[^/]+/8d/(d\d)/sign/', html) == ["d1"]
    # Facts of every card: the form it belongs to, state, owner, due date.
    assert 'data-field="form">Full 8D<' in html
    assert html.count('data-fact="state"') == 8
    assert html.count('data-fact="due"') == 8
    # Due dates come from the customer's 8D profile: D3 within 24 h, D4 in 7 days, D8 in 30.
    d3 = html.split('id="d3"', 1)[1].split("</section>", 1)[0]
    assert 'data-due-state="' in d3
    assert "Missing before it can be signed off" in html.split('id="d2"', 1)[1]
    assert '<option value="' + str(engineer.pk) + '"' in html


def test_a_short_form_marks_what_is_not_required(as_user, engineer, make_complaint, drive):
    complaint = drive(make_complaint(severity="general"), Status.ANALYSIS)
    html = as_user(engineer).get(page(complaint.number)).content.decode()
    assert "Short form (D2, D4, D5)" in html
    d1 = html.split('id="d1"', 1)[1].split("</section>", 1)[0]
    d2 = html.split('id="d2"', 1)[1].split("</section>", 1)[0]
    assert "not required by the short form" in d1
    assert "not required by the short form" not in d2


@pytest.mark.parametrize("persona", ["cs_agent", "qe", "process_owner", "dept_manager"])
def test_other_staff_read_without_forms(request, as_user, engineer, analysis, persona):
    """Customer service, and everybody once the complaint has left the 8D statuses."""
    fill(analysis, engineer, ("d2",))
    user = request.getfixturevalue(persona)
    html = as_user(user).get(page(analysis.number)).content.decode()
    assert "工程师小陈" in html  # the page shows the content…
    if persona in ("qe", "dept_manager"):
        assert 'id="form-d2"' in html  # …the tracker and the manager edit it,
    else:
        assert 'id="form-d2"' not in html and 'data-mode="read-only"' in html


def test_nobody_edits_a_closed_8d(as_user, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.CLOSED)
    client = as_user(engineer)
    html = client.get(page(complaint.number)).content.decode()
    assert "<form" not in html.split('class="eightd-nav"', 1)[1].replace(
        'class="lang"', ""
    ).split("</main>")[0]
    d8 = Discipline.objects.get(report__complaint=complaint, code="d8")
    response = client.post(f"{page(complaint.number)}d8/", {"d8-version": d8.version,
                                                            "d8-closure": "改掉"}, follow=True)
    assert [m.tags for m in response.context["messages"]] == ["error"]
    d8.refresh_from_db()
    assert d8.content["closure"] == COMPLETE["d8"]["closure"]
    # The signatures of the closed 8D stay on show.
    assert 'data-signature="valid"' in html


def test_read_only_users_cannot_post(as_user, cs_agent, analysis):
    response = as_user(cs_agent).post(f"{page(analysis.number)}d2/", {"d2-version": 1,
                                                                      "d2-what": "x"})
    assert response.status_code == 302
    assert Discipline.objects.get(report__complaint=analysis, code="d2").version == 1


def test_a_customer_never_gets_the_workspace(client, customer_contact, engineer, analysis):
    discipline_update(actor=engineer, complaint=analysis, code="d2", version=1,
                      internal_note="内部：客户别看")
    request = RequestFactory().get(page(analysis.number))
    request.user = customer_contact
    with pytest.raises(Http404):
        views.eightd_page(request, analysis.number)
    client.force_login(customer_contact)
    for url in (page(analysis.number), f"{page(analysis.number)}d2/"):
        response = client.get(url, follow=True)
        html = response.content.decode()
        assert "内部：客户别看" not in html
        assert "eightd/page.html" not in [t.name for t in response.templates]
    post = client.post(f"{page(analysis.number)}d2/", {"d2-version": 2, "d2-what": "客户改"},
                       follow=True)
    assert post.status_code in (200, 404)
    assert Discipline.objects.get(report__complaint=analysis, code="d2").version == 2


def test_outsiders_and_unknown_numbers_get_404(as_user, outsider, engineer, analysis):
    assert as_user(outsider).get(page(analysis.number)).status_code == 404
    assert as_user(outsider).post(f"{page(analysis.number)}d2/", {}).status_code == 404
    client = as_user(engineer)
    assert client.get(page("KS-1999-999999")).status_code == 404
    assert client.post(f"{page(analysis.number)}d9/", {}).status_code == 404
    assert client.get(f"{page(analysis.number)}d2/").status_code == 405


def test_internal_note_is_marked_as_not_for_the_customer(as_user, engineer, analysis):
    discipline_update(actor=engineer, complaint=analysis, code="d4", version=1,
                      internal_note="供应商尚未回复")
    html = as_user(engineer).get(page(analysis.number)).content.decode()
    d4 = html.split('id="d4"', 1)[1].split("</section>", 1)[0]
    note = d4.split('data-field="internal_note"', 1)[1]
    assert "not shown to the customer" in note.split("供应商尚未回复", 1)[0]


def test_the_page_is_in_chinese_by_default(client, engineer, analysis):
    client.force_login(engineer)
    html = client.get(page(analysis.number)).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "D3 临时围堵措施" in html


def test_page_queries_do_not_grow_with_rows_signatures_or_evidence(
    as_user, engineer, qe, analysis, django_assert_max_num_queries
):
    client = as_user(engineer)
    client.get(page(analysis.number))
    # Session and user (2), the user's department (1, who they are to the complaint), the
    # complaint (1), report_view (disciplines, signatures, steps: 3; a general complaint also
    # reads its customer's 8D profile), the owner choices (1), the evidence (1) and the steps'
    # calendars (1), and the customer's unanswered words on top (1); the next step's gates
    # reuse the page's report_view (kesu.core.memo).
    with django_assert_max_num_queries(11) as few:
        client.get(page(analysis.number))
    fill(analysis, engineer, CODES)
    approve(analysis, qe, ("d1", "d2", "d3", "d4", "d5"), PASSWORD)
    d3 = Discipline.objects.get(report__complaint=analysis, code="d3")
    discipline_update(actor=engineer, complaint=analysis, code="d3", version=d3.version,
                      content={"actions": COMPLETE["d3"]["actions"] * 30})
    for n in range(3):
        evidence_attach(actor=engineer, complaint=analysis, code=CODES[n], upload=(
            SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.4", content_type="application/pdf")))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page(analysis.number))
    html = response.content.decode()
    assert html.count('data-signature="valid"') == 4
    assert html.count('data-signature="invalid"') == 1
    assert html.count("库存全检") >= 30
