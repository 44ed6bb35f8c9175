"""A real SMTP server on loopback for tests (aiosmtpd), so mail goes through Django's SMTP
backend exactly as in production.

    def test_x(smtp_server):
        ...  # send
        [message] = smtp_server.messages      # email.message.EmailMessage objects
        assert message["To"] == "wang@example.com"

Long non-ASCII subjects are folded right after "Subject:", and the parser keeps that leading
space: compare `str(message["Subject"]).strip()`.
"""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """aiosmtpd handler keeping every message it accepts, parsed, with its envelope."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, controller: Controller, collector: Collector):
        self.controller = controller
        self.host = controller.hostname
        self.port = controller.port
        self._collector = collector

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self._collector.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return self._collector.envelopes


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server on a free loopback port and point Django's SMTP backend at it."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SMTPServer(controller, collector)
    finally:
        controller.stop()
