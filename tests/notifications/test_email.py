"""E-mail goes through a real SMTP server, in the recipient's language, as plain text."""

from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice


def subject(message) -> str:
    # Django folds a long encoded Subject right after the colon; the parser keeps that space.
    return str(message["Subject"]).strip()


def _subjects(smtp_server):
    return {message["To"]: subject(message) for message in smtp_server.messages}


def test_each_recipient_reads_the_mail_in_their_language(
    smtp_server, make_complaint, engineer, qe, tell
):
    engineer.language = "en"
    engineer.save(update_fields=["language"])
    complaint = make_complaint()
    tell(
        Notice(
            kind="status_changed",
            event_key="event:1:watchers",
            recipients=[engineer, qe],
            complaint=complaint,
            context={"status": "closed"},
        )
    )
    assert deliver_due() >= 2
    subjects = _subjects(smtp_server)
    assert subjects[engineer.email] == f"[{complaint.number}] Closed: {complaint.title}"
    assert "已结案" in subjects[qe.email] and "Closed" not in subjects[qe.email]
    english = next(m for m in smtp_server.messages if m["To"] == engineer.email)
    body = english.get_content()
    assert f"Complaint {complaint.number} is now: Closed." in body
    assert f"http://127.0.0.1:8000/complaints/{complaint.number}/" in body
    assert english["Auto-Submitted"] == "auto-generated"


def test_customer_contact_address_gets_the_update(smtp_server, make_complaint, tell, settings):
    settings.KESU_BASE_URL = "https://kesu.example.cn"
    complaint = make_complaint(contact_email="")  # no automatic acknowledgement in the way
    tell(
        Notice(
            kind="customer_update",
            event_key="event:2:customer",
            complaint=complaint,
            addresses=[("wang@example.com", "en")],
            context={"event_type": "created", "reply_due_at": "2026-03-02T01:30:00+00:00"},
        )
    )
    deliver_due()
    [message] = [m for m in smtp_server.messages if m["To"] == "wang@example.com"]
    assert subject(message) == f"We have received your complaint {complaint.number}"
    body = message.get_content()
    assert "Dear 王工," in body
    assert "We will reply by 2026-03-02 09:30 at the latest." in body  # Asia/Shanghai
    row = Notification.objects.get(event_key="event:2:customer")
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.delivery_attempts.get().detail == "sent to wang@example.com"


def test_mail_is_plain_text_without_an_html_part(smtp_server, make_complaint, engineer, tell):
    complaint = make_complaint(title="<script>alert(1)</script> & <b>划伤</b>")
    tell(
        Notice(
            kind="assigned",
            event_key="event:3:assigned",
            recipients=[engineer],
            complaint=complaint,
        )
    )
    deliver_due()
    [message] = [m for m in smtp_server.messages if m["To"] == engineer.email]
    assert message.get_content_type() == "text/plain"
    assert not message.is_multipart()
    # Text is text: shown as typed, not turned into entities, and never markup.
    assert "<script>alert(1)</script> & <b>划伤</b>" in subject(message)
    assert "&lt;" not in message.get_content() and "&amp;" not in message.get_content()


def test_unreachable_mail_server_is_a_failed_attempt(engineer, tell, settings):
    from tests.mailserver import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    tell(Notice(kind="admin_alert", event_key="alert:1", recipients=[engineer]))
    assert deliver_due() == 0
    row = Notification.objects.get(event_key="alert:1", channel="email")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.last_error
