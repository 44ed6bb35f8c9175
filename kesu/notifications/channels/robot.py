"""What the group-robot channels share: one JSON POST with a short timeout, and the message
they post (the notification's short text and a link back to Kesu)."""

import json
import urllib.error
import urllib.request

from kesu.notifications.channels.base import DeliveryFailed, Rendered

TIMEOUT_SECONDS = 10
# Enough of an answer to see what went wrong without storing a whole error page.
SNIPPET = 300


def check_active(robot) -> None:
    """An administrator who switches a robot off wants its posts to stop, queued ones too."""
    if not robot.active:
        raise DeliveryFailed("robot switched off", permanent=True)


def post_json(url: str, payload: dict) -> dict:
    """POST `payload` as JSON; return the answer's JSON object or raise DeliveryFailed."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        snippet = exc.read(SNIPPET).decode(errors="replace")
        raise DeliveryFailed(f"HTTP {exc.code}: {snippet}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise DeliveryFailed(
            f"HTTP 200, not JSON: {body[:SNIPPET].decode(errors='replace')}"
        ) from exc
    if not isinstance(answer, dict):
        raise DeliveryFailed(f"HTTP 200, unexpected answer: {body[:SNIPPET].decode()}")
    return answer


def answer_line(answer: dict) -> str:
    return json.dumps(answer, ensure_ascii=False)[:SNIPPET]


def markdown(rendered: Rendered) -> str:
    return f"{rendered.text}\n\n[{rendered.link_label}]({rendered.link})"


def truncate_utf8(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut on a character boundary (robots count bytes)."""
    return text.encode()[:limit].decode(errors="ignore")
