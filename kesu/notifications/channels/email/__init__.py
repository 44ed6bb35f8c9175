"""E-mail through Django's configured backend (SMTP in production), plain text only: no HTML
part means nothing in a complaint's text can become markup in a mail client.

A notification whose context lists `attachments` ({"path", "filename", "content_type"}: a file
in the default storage, such as an exported 8D PDF) carries those files.
"""

import hashlib
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection

from kesu.notifications.channels.base import Channel, DeliveryFailed

# Django's SMTP backend waits forever by default; a hung server must not hold a worker.
DEFAULT_TIMEOUT = 30


def message_id(notification) -> str:
    """The notification's RFC 5322 Message-ID, `<kesu.<id>.<digest>@<site host>>`.

    Derived from the row alone, so any worker computes the same one. The row id makes it unique
    within an installation; the digest of the dedupe key and creation time keeps a reinstalled
    or reset database (ids start again at 1) from reusing an id a mailbox has already seen,
    which would make the receiving side drop a new mail as a duplicate.
    """
    digest = hashlib.sha256(
        f"{notification.dedupe_key}|{notification.created_at.isoformat()}".encode()
    ).hexdigest()[:20]
    host = urlsplit(settings.KESU_BASE_URL).hostname or "localhost"
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address is a domain literal
    return f"<kesu.{notification.pk}.{digest}@{host}>"


class Email(Channel):
    def send(self, notification, rendered) -> str:
        to = notification.recipient.email if notification.recipient_id else notification.address
        if not to:
            raise DeliveryFailed("no e-mail address", permanent=True)
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT
        # RFC 3834: machine-sent, so auto-responders should not answer it.
        headers = {"Auto-Submitted": "auto-generated"}
        if notification.email_message_id:
            # The same on every try (delivery fixes it at the first), so a copy sent again after
            # a worker died is recognised as the same mail.
            headers["Message-ID"] = notification.email_message_id
        message = EmailMessage(
            subject=rendered.subject,
            body=rendered.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers=headers,
        )
        for item in (notification.context or {}).get("attachments") or []:
            message.attach(item["filename"], _read(item["path"]), item.get("content_type"))
        connection = get_connection(timeout=timeout)
        try:
            # Opened here so that send_messages leaves closing to us (see below).
            connection.open()
            connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as exc:
            _close_quietly(connection)
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        # The server has accepted the message: it is delivered. A QUIT that fails now must not
        # turn it into a failed attempt and a second copy.
        _close_quietly(connection)
        return f"sent to {to}"


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass


def _read(path: str) -> bytes:
    try:
        with default_storage.open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        # The file will not come back by trying again.
        raise DeliveryFailed(f"attachment {path} cannot be read: {exc}", permanent=True) from exc
