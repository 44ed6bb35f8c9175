"""E-mail through Django's configured backend (SMTP in production), plain text only: no HTML
part means nothing in a complaint's text can become markup in a mail client."""

import smtplib

from django.conf import settings
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
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        return f"sent to {to}"
