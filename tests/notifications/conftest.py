"""Fixtures for notification tests: a local robot server, robots pointing at it, and a
committed-notice helper."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction

from kesu.complaints.choices import Status as ComplaintStatus
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification, Robot
from kesu.notifications.services import Notice, notify
from tests.mailserver import free_port
from tests.timelimits.conftest import (  # noqa: F401 - the clocks' fixtures
    MONDAY_9,
    at,
    eightd_hours,
)
from tests.web.conftest import as_user  # noqa: F401 - the logged-in client fixture


@dataclass
class RobotRequest:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict


@dataclass
class RobotServer:
    """Answers like the WeCom, DingTalk and Feishu robot APIs; can be told to fail N times.

    `fail_with` is "http500" (the server errors) or "errcode" (HTTP 200 with an error code).
    """

    url: str
    requests: list[RobotRequest] = field(default_factory=list)
    failures_left: int = 0
    fail_with: str = "http500"

    def fail(self, times: int, *, how: str = "http500") -> None:
        self.failures_left, self.fail_with = times, how

    def endpoint(self, kind: str) -> str:
        # A query string as the real robots have (the access token), so signatures append.
        return f"{self.url}/{kind}/send?access_token=token-{kind}"


def _ok_answer(kind: str) -> dict:
    if kind == "feishu":
        return {"code": 0, "msg": "success", "data": {}}
    return {"errcode": 0, "errmsg": "ok"}


def _error_answer(kind: str) -> dict:
    if kind == "feishu":
        return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    return {"errcode": 310000, "errmsg": "keywords not in content"}


@pytest.fixture
def robot_server():
    state = RobotServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            parts = urlsplit(self.path)
            kind = parts.path.strip("/").split("/")[0]
            with lock:
                state.requests.append(
                    RobotRequest(
                        path=parts.path,
                        query={k: v[0] for k, v in parse_qs(parts.query).items()},
                        headers=dict(self.headers),
                        body=body,
                    )
                )
                failing = state.failures_left > 0
                if failing:
                    state.failures_left -= 1
            if failing and state.fail_with == "http500":
                self._answer(500, {"error": "internal error"})
            elif failing:
                self._answer(200, _error_answer(kind))
            else:
                self._answer(200, _ok_answer(kind))

        def _answer(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def make_robot(db, robot_server):
    def make(kind="wecom", **fields):
        fields.setdefault("name", f"{kind} 质量群")
        fields.setdefault("webhook_url", robot_server.endpoint(kind))
        return Robot.objects.create(kind=kind, **fields)

    return make


@pytest.fixture
def tell(db):
    """`tell(Notice(...), ...)`: notify in a transaction of its own, as a service would.
    Returns the number of rows written. After-commit work runs only where the test captures
    it (django_capture_on_commit_callbacks) or uses a transactional database."""

    def write(*notices: Notice) -> int:
        with transaction.atomic():
            return notify(notices)

    return write


@pytest.fixture
def late_plans(at, make_complaint, drive, eightd_hours, smtp_server):  # noqa: F811
    """Three quality complaints in analysis since Monday 09:00, the engineer handling each;
    what driving them told people is sent and read."""
    eightd_hours()  # the plan's clock alone
    with at(MONDAY_9):
        complaints = [
            drive(make_complaint(title=f"外壳开裂{n}", contact_email=""), ComplaintStatus.ANALYSIS)
            for n in range(3)
        ]
        deliver_due()
    Notification.objects.update(read_at=MONDAY_9)
    smtp_server.messages.clear()
    return complaints
