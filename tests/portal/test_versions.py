"""Every version the customer saw is kept and shown again exactly (issue 4)."""

from kesu.complaints.choices import Status
from kesu.eightd.models import Discipline
from kesu.eightd.services import discipline_update
from tests import eightd_data
from tests.fixtures import PASSWORD
from tests.portal.helpers import PDF, sent_export


def _reject(client, complaint, reason):
    return client.post(
        f"/portal/{complaint.number}/reject/", {"version": complaint.version, "note": reason}
    )


def _revise(complaint, engineer, qe, action_text):
    """The engineer rewrites D5 after the rejection, the tracker approves it again, the plan
    goes back to the customer."""
    from kesu.complaints import services

    d5 = Discipline.objects.get(report__complaint=complaint, code="d5")
    content = {**d5.content, "actions": [{**a} for a in d5.content["actions"]]}
    content["actions"][0]["action"] = action_text
    discipline_update(
        actor=engineer, complaint=complaint, code="d5", version=d5.version, content=content
    )
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    complaint.refresh_from_db()
    return services.complaint_transition(
        actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version
    )


def test_v1_rejected_with_reason_and_v2_accepted(
    awaiting_decision, login, customer_contact, engineer, qe
):
    complaint = awaiting_decision
    client = login(customer_contact)
    assert _reject(client, complaint, "在途品未围堵").status_code == 302
    complaint.refresh_from_db()
    complaint = _revise(complaint, engineer, qe, "更换定位销并增加在途品全检")
    page = client.get(f"/portal/{complaint.number}/").text
    assert "更换定位销并增加在途品全检" in page and 'data-version="2"' in page
    response = client.post(f"/portal/{complaint.number}/accept/", {"version": complaint.version})
    assert response.status_code == 302

    listing = client.get(f"/portal/{complaint.number}/versions/").text
    v1 = listing.split('data-version="1"', 1)[1]
    v2 = listing.split('data-version="2"', 1)[1].split('data-version="1"', 1)[0]
    assert 'data-decision="rejected"' in v1 and "在途品未围堵" in v1
    assert 'data-decision="accepted"' in v2

    first = client.get(f"/portal/{complaint.number}/versions/1/").text
    second = client.get(f"/portal/{complaint.number}/versions/2/").text
    assert "更换定位销并纳入点检" in first and "更换定位销并增加在途品全检" not in first
    assert "更换定位销并增加在途品全检" in second
    complaint.refresh_from_db()
    assert complaint.plan_rounds == 1


def test_a_version_shows_its_snapshot_after_the_engineers_edit_the_live_8d(
    awaiting_decision, login, customer_contact, cs_agent, engineer
):
    complaint = awaiting_decision
    client = login(customer_contact)
    url = f"/portal/{complaint.number}/versions/1/"
    before = client.get(url).text
    from kesu.complaints import services

    complaint = services.complaint_transition(
        actor=cs_agent,
        complaint=complaint,
        action="customer_accept",
        version=complaint.version,
    )
    # Implementation: the engineers go on writing the 8D, D4 included.
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    content = {**d4.content, "occurrence": {**d4.content["occurrence"], "statement": "新的原因"}}
    discipline_update(
        actor=engineer, complaint=complaint, code="d4", version=d4.version, content=content
    )
    eightd_data.fill(complaint, engineer, ("d6",))

    after = client.get(url).text
    assert "新的原因" not in after and "夹具定位销磨损导致划伤" in after
    assert _document(after) == _document(before)
    detail = client.get(f"/portal/{complaint.number}/").text
    # The detail page shows the latest version shown, never the live draft.
    assert "新的原因" not in detail and "点检记录" not in detail


def _document(html: str) -> str:
    """The frozen 8D part of a version page, without the decision line that changes."""
    return html.split('class="discipline"', 1)[1].split("</main>", 1)[0]


def test_signatures_are_shown_with_the_version(awaiting_decision, login, customer_contact, qe):
    html = login(customer_contact).get(f"/portal/{awaiting_decision.number}/versions/1/").text
    d5 = html.split('data-discipline="d5"', 1)[1].split("</section>", 1)[0]
    assert 'data-signature="approved"' in d5
    assert qe.display_name in d5 and "(qe)" not in d5


def test_an_invalidated_signature_shows_as_such(
    make_complaint, drive, login, customer_contact, engineer, qe
):
    """Signed, then edited before the plan went out: the customer sees the old signature as
    no longer valid, exactly as the version froze it."""
    from kesu.complaints import services

    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    eightd_data.approve(complaint, qe, ("d4", "d5"), PASSWORD)
    d4 = Discipline.objects.get(report__complaint=complaint, code="d4")
    content = {**d4.content, "escape": {**d4.content["escape"], "statement": "改写后的原因"}}
    discipline_update(
        actor=engineer, complaint=complaint, code="d4", version=d4.version, content=content
    )
    complaint.refresh_from_db()
    complaint = services.complaint_transition(
        actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version
    )
    html = login(customer_contact).get(f"/portal/{complaint.number}/").text
    d4_html = html.split('data-discipline="d4"', 1)[1].split("</section>", 1)[0]
    assert 'class="signature invalid"' in d4_html
    d5_html = html.split('data-discipline="d5"', 1)[1].split("</section>", 1)[0]
    assert 'class="signature"' in d5_html


def test_sent_exports_download_privately(awaiting_decision, login, customer_contact, cs_agent):
    complaint = awaiting_decision
    export = sent_export(complaint, cs_agent)
    client = login(customer_contact)
    page = client.get(f"/portal/{complaint.number}/versions/1/").text
    assert f'data-export="{export.pk}"' in page
    response = client.get(f"/portal/{complaint.number}/exports/{export.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_exports_not_sent_or_not_done_are_not_the_customers(
    awaiting_decision, login, customer_contact, cs_agent
):
    complaint = awaiting_decision
    internal = sent_export(complaint, cs_agent, send=False)
    queued = sent_export(complaint, cs_agent, status="queued")
    failed = sent_export(complaint, cs_agent, status="failed")
    client = login(customer_contact)
    page = client.get(f"/portal/{complaint.number}/").text
    for export in (internal, queued, failed):
        assert f'data-export="{export.pk}"' not in page
        url = f"/portal/{complaint.number}/exports/{export.pk}/"
        assert client.get(url).status_code == 404


def test_hostile_8d_text_is_shown_escaped(
    make_complaint, drive, login, customer_contact, engineer, qe
):
    from kesu.complaints import services

    complaint = drive(make_complaint(), Status.ANALYSIS)
    eightd_data.fill(complaint, engineer, ("d1", "d2", "d3", "d4", "d5"))
    d2 = Discipline.objects.get(report__complaint=complaint, code="d2")
    hostile = "<script>alert('8D')</script>外壳划伤"
    discipline_update(
        actor=engineer,
        complaint=complaint,
        code="d2",
        version=d2.version,
        content={**d2.content, "what": hostile, "is_is_not": [{"aspect": hostile}]},
    )
    eightd_data.approve(complaint, qe, ("d5",), PASSWORD)
    complaint.refresh_from_db()
    services.complaint_transition(
        actor=engineer, complaint=complaint, action="submit_plan", version=complaint.version
    )
    client = login(customer_contact)
    for url in (f"/portal/{complaint.number}/", f"/portal/{complaint.number}/versions/1/"):
        html = client.get(url).text
        assert "<script>alert(" not in html
        assert html.count("&lt;script&gt;alert(&#x27;8D&#x27;)&lt;/script&gt;外壳划伤") == 2
