"""The customer accepts the plan, or rejects it with a reason, in the portal (SPEC §5 step 5)."""

from django.utils import translation
from django.utils.html import escape

from kesu.complaints.choices import Status
from kesu.complaints.models import ComplaintEvent
from kesu.core.errors import StaleVersion
from kesu.eightd.models import Decision
from kesu.eightd.selectors import latest_version


def post(client, complaint, action, **data):
    return client.post(
        f"/portal/{complaint.number}/{action}/", {"version": complaint.version, **data}
    )


def test_the_customer_accepts_the_plan(awaiting_decision, login, customer_contact):
    complaint = awaiting_decision
    client = login(customer_contact)
    page = client.get(f"/portal/{complaint.number}/").text
    assert 'data-action="customer_accept"' in page and 'data-action="customer_reject"' in page
    response = post(client, complaint, "accept", note="同意该方案")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.IMPLEMENTATION
    plan = latest_version(complaint)
    assert (plan.decision, plan.decided_by, plan.reason) == (
        Decision.ACCEPTED,
        customer_contact,
        "同意该方案",
    )
    event = complaint.events.get(action="customer_accept")
    assert event.actor == customer_contact and event.visibility == "customer"
    page = client.get(f"/portal/{complaint.number}/").text
    # Decided: no buttons any more, and the decision is on the version shown.
    assert 'data-action="customer_accept"' not in page
    assert 'data-decision="accepted"' in page


def test_rejected_plan_returns_to_analysis_and_counts_a_round(
    awaiting_decision, login, customer_contact
):
    complaint = awaiting_decision
    client = login(customer_contact)
    response = post(client, complaint, "reject", note="围堵范围不够，需包括在途品")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.plan_rounds) == (Status.ANALYSIS, 1)
    plan = latest_version(complaint)
    assert (plan.decision, plan.reason) == (Decision.REJECTED, "围堵范围不够，需包括在途品")
    page = client.get(f"/portal/{complaint.number}/").text
    assert 'data-field="plan_rounds">1<' in page
    assert "围堵范围不够，需包括在途品" in page


def test_a_rejection_needs_a_reason(awaiting_decision, login, customer_contact):
    complaint = awaiting_decision
    client = login(customer_contact)
    events = ComplaintEvent.objects.count()
    for blank in ("", "   \n "):
        response = post(client, complaint, "reject", note=blank)
        assert response.status_code == 422
        assert response.context["reject_form"].errors["note"]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.plan_rounds) == (Status.CONFIRMATION, 0)
    assert ComplaintEvent.objects.count() == events
    assert not latest_version(complaint).decision


def test_a_stale_page_cannot_accept(awaiting_decision, login, customer_contact, cs_agent):
    """Customer service corrected the record while the customer's page was open: the accept
    from the old page is refused, said clearly, and changes nothing."""
    from kesu.complaints import services

    complaint = awaiting_decision
    client = login(customer_contact)
    stale_version = complaint.version
    complaint = services.complaint_update(
        actor=cs_agent,
        complaint=complaint,
        version=complaint.version,
        data={"quantity_affected": 130},
    )
    before = (complaint.version, complaint.status, ComplaintEvent.objects.count())
    response = client.post(
        f"/portal/{complaint.number}/accept/", {"version": stale_version, "note": ""}
    )
    assert response.status_code == 409
    with translation.override("zh-hans"):
        assert escape(str(StaleVersion.default_message)) in response.text
    complaint.refresh_from_db()
    assert (complaint.version, complaint.status, ComplaintEvent.objects.count()) == before
    assert not latest_version(complaint).decision


def test_a_decision_already_taken_by_phone_is_not_taken_again(
    awaiting_decision, login, customer_contact, cs_agent
):
    from kesu.complaints import services

    complaint = awaiting_decision
    client = login(customer_contact)
    stale_version = complaint.version
    complaint = services.complaint_transition(
        actor=cs_agent,
        complaint=complaint,
        action="customer_reject",
        version=complaint.version,
        data={"note": "电话中客户拒绝"},
    )
    before = (complaint.version, complaint.status, ComplaintEvent.objects.count())
    response = client.post(f"/portal/{complaint.number}/accept/", {"version": stale_version})
    assert response.status_code == 409
    assert 'class="error"' in response.text
    complaint.refresh_from_db()
    assert (complaint.version, complaint.status, ComplaintEvent.objects.count()) == before
    assert latest_version(complaint).reason == "电话中客户拒绝"


def test_garbage_version_is_stale(awaiting_decision, login, customer_contact):
    complaint = awaiting_decision
    client = login(customer_contact)
    for version in ("", "abc", "-1", str(complaint.version + 1)):
        response = client.post(f"/portal/{complaint.number}/accept/", {"version": version})
        assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == Status.CONFIRMATION


def test_no_decision_outside_confirmation(make_complaint, drive, login, customer_contact):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    client = login(customer_contact)
    assert 'data-action="customer_accept"' not in client.get(f"/portal/{complaint.number}/").text
    response = post(client, complaint, "accept")
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.status == Status.ANALYSIS


def test_decisions_are_posts_only(awaiting_decision, login, customer_contact):
    client = login(customer_contact)
    for action in ("accept", "reject", "messages"):
        assert client.get(f"/portal/{awaiting_decision.number}/{action}/").status_code == 405


def test_hostile_reason_is_stored_as_written_and_shown_escaped(
    awaiting_decision, login, customer_contact
):
    complaint = awaiting_decision
    client = login(customer_contact)
    hostile = "不接受<script>alert('x')</script>&lt;b&gt;"
    post(client, complaint, "reject", note=hostile)
    assert latest_version(complaint).reason == hostile
    for url in (f"/portal/{complaint.number}/", f"/portal/{complaint.number}/versions/1/"):
        html = client.get(url).text
        assert "<script>alert('x')</script>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;lt;b&amp;gt;" in html


def test_oversized_and_null_reasons_are_refused(awaiting_decision, login, customer_contact):
    complaint = awaiting_decision
    client = login(customer_contact)
    for bad in ("长" * 10_001, "理由\x00"):
        assert post(client, complaint, "reject", note=bad).status_code == 422
    complaint.refresh_from_db()
    assert (complaint.status, complaint.plan_rounds) == (Status.CONFIRMATION, 0)
