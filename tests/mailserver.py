"""A real SMTP server on loopback for tests (aiosmtpd), so mail goes through Django's SMTP
backend exactly as in production.

    def test_x(smtp_server):
        ...  # send
        [message] = smtp_server.messages      # email.message.EmailMessage objects
        assert message["To"] == "wang@example.com"

Long non-ASCII subjects are folded right after "Subject:", and the parser keeps that leading
space: compare `str(message["Subject"]).strip()`.

Misbehaving on purpose: `smtp_server.refuse(2)` answers the next two messages with a temporary
error (451), `smtp_server.stall(nth=2)` holds the answer to the second message until the test
ends, as a server that has the whole message but has not said "250" yet (the moment a sender
that dies leaves the mail delivered but unrecorded). `smtp_server.received` lists every message
whose data arrived, answered or not; `messages` only those accepted.
"""

import asyncio
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

    # However long a test may wait; a stalled answer is given up after this.
    STALL_LIMIT_SECONDS = 120

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.received: list[email.message.EmailMessage] = []
        self.refusals_left = 0
        self.stall_nth: int | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append(message)
            nth = len(self.received)
            refuse = self.refusals_left > 0
            if refuse:
                self.refusals_left -= 1
        if refuse:
            return "451 4.3.0 Try again later"
        if nth == self.stall_nth:
            self.stalled.set()
            # Polled, not awaited on the event: the server's loop keeps serving other senders.
            for _tick in range(self.STALL_LIMIT_SECONDS * 20):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
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

    @property
    def received(self) -> list[email.message.EmailMessage]:
        return self._collector.received

    @property
    def stalled(self) -> threading.Event:
        """Set once the stalled message's data has arrived."""
        return self._collector.stalled

    def refuse(self, times: int) -> None:
        self._collector.refusals_left = times

    def stall(self, *, nth: int) -> None:
        self._collector.stall_nth = nth


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
        collector.release.set()
        controller.stop()
