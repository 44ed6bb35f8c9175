"""E-mail through Django's configured backend (SMTP in production), plain text only: no HTML
part means nothing in a complaint's text can become markup in a mail client.

A notification whose context lists `attachments` ({"path", "filename", "content_type"}: a file
in the default storage, such as an exported 8D PDF) carries those files.
"""

import smtplib

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection

from kesu.notifications.channels.base import Channel, DeliveryFailed

# Django's SMTP backend waits forever by default; a hung server must not hold a worker.
DEFAULT_TIMEOUT = 30


class Email(Channel):
    def send(self, notification, rendered) -> str:
        to = notification.recipient.email if notification.recipient_id else notification.address
        if not to:
            raise DeliveryFailed("no e-mail address", permanent=True)
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT
        message = EmailMessage(
            subject=rendered.subject,
            body=rendered.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            # RFC 3834: machine-sent, so auto-responders should not answer it.
            headers={"Auto-Submitted": "auto-generated"},
            connection=get_connection(timeout=timeout),
        )
        for item in (notification.context or {}).get("attachments") or []:
            message.attach(item["filename"], _read(item["path"]), item.get("content_type"))
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        return f"sent to {to}"


def _read(path: str) -> bytes:
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        # The file will not come back by trying again.
        raise DeliveryFailed(f"attachment {path} cannot be read: {exc}", permanent=True) from exc
