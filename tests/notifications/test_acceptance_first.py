"""Once the SMTP server has accepted a mail, the row says "sent" before anything else can fail:
what goes wrong afterwards must not get the mail sent a second time."""

import smtplib

import pytest

from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import DeliveryAttempt, Notification
from kesu.notifications.services import Notice


def test_a_failure_after_acceptance_does_not_send_the_mail_again(
    smtp_server, engineer, tell, monkeypatch
):
    tell(Notice(kind="admin_alert", event_key="alert:1", recipients=[engineer]))

    def broken_bookkeeping(**fields):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(DeliveryAttempt.objects, "create", broken_bookkeeping)
        with pytest.raises(RuntimeError):
            deliver_due()
    row = Notification.objects.get(event_key="alert:1", channel="email")
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 1, None)

    assert deliver_due() == 0
    assert len(smtp_server.received) == 1


def test_a_failing_quit_after_acceptance_is_still_a_sent_mail(
    smtp_server, engineer, tell, monkeypatch
):
    tell(Notice(kind="admin_alert", event_key="alert:2", recipients=[engineer]))

    def quit_fails(self):
        raise smtplib.SMTPResponseException(421, b"4.4.2 closing, bye")

    monkeypatch.setattr(smtplib.SMTP, "quit", quit_fails)
    assert deliver_due() == 1
    row = Notification.objects.get(event_key="alert:2", channel="email")
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.delivery_attempts.get().ok
    assert len(smtp_server.received) == 1
