"""The customer's milestone mails carry the signed link; the plan mail asks for a decision."""

import re

from kesu.complaints.choices import Status
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.org.models import User

LINK = re.compile(r"https?://\S+/portal/link/\S+/")


def mails_to(smtp_server, address):
    deliver_due()
    return [m for m in smtp_server.messages if m["To"] == address]


def test_the_plan_mail_links_to_the_plan(make_complaint, drive, smtp_server, client):
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    _acknowledgement, plan_mail = mails_to(smtp_server, "wang@example.com")
    assert complaint.number in str(plan_mail["Subject"])
    body = plan_mail.get_content()
    [url] = LINK.findall(body)

    response = client.get(url)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.text
    # The plan as frozen for them, with the decision asked of them.
    assert "更换定位销并纳入点检" in html and "检验指导书增加侧面检查" in html
    assert 'data-action="customer_accept"' in html and 'data-action="customer_reject"' in html
    # Only the plan's complaint opens with it.
    other = make_complaint(title="另一个投诉")
    assert client.get(f"/portal/{other.number}/").status_code == 404


def test_the_plan_mail_says_a_decision_is_awaited(make_complaint, drive, smtp_server, settings):
    settings.LANGUAGE_CODE = "en"
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    _acknowledgement, plan_mail = mails_to(smtp_server, "wang@example.com")
    subject = f"Complaint {complaint.number}: the plan awaits your decision"
    assert str(plan_mail["Subject"]) == subject
    body = plan_mail.get_content()
    assert "awaits your decision" in body and "Read the plan and decide here:" in body
    assert "valid for 14 days" in body


def test_the_acknowledgement_carries_a_link_too(make_complaint, smtp_server):
    complaint = make_complaint()
    [mail] = mails_to(smtp_server, "wang@example.com")
    assert complaint.number in str(mail["Subject"])
    assert len(LINK.findall(mail.get_content())) == 1


def test_the_mail_is_in_the_contacts_language(make_complaint, smtp_server, customer):
    from tests import factories as f

    f.UserFactory(
        username="wang",
        email="wang@example.com",
        role="customer",
        customer=customer,
        language="en",
    )
    complaint = make_complaint()
    [mail] = mails_to(smtp_server, "wang@example.com")
    assert str(mail["Subject"]) == f"We have received your complaint {complaint.number}"


def test_no_link_for_a_deactivated_contact(make_complaint, customer):
    from tests import factories as f

    f.UserFactory(
        username="wang",
        email="wang@example.com",
        role="customer",
        customer=customer,
        is_active=False,
    )
    make_complaint()
    [row] = Notification.objects.filter(kind="customer_update")
    assert "portal_link" not in row.context
    assert User.objects.filter(email="wang@example.com").count() == 1
