"""Milestones reach the customer contact by e-mail through the outbox (SPEC §3, §12)."""

from kesu.complaints.choices import Status
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification


def test_the_acknowledgement_and_each_milestone_are_mailed_once(
    make_complaint, drive, smtp_server
):
    complaint = make_complaint()
    drive(complaint, Status.ASSESSED)  # an internal step: nothing for the customer
    rows = Notification.objects.filter(kind="customer_update", address="wang@example.com")
    assert rows.count() == 1
    deliver_due()
    deliver_due()
    [message] = [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert complaint.number in str(message["Subject"])
    body = message.get_content()
    assert complaint.number in body


def test_no_address_no_mail(make_complaint):
    make_complaint(contact_email="")
    assert not Notification.objects.filter(kind="customer_update").exists()
