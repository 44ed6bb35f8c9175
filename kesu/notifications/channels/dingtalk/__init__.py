"""DingTalk (钉钉) group robot: a markdown message, signed when the robot has a secret (加签)."""

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from kesu.notifications.channels.base import Channel, DeliveryFailed
from kesu.notifications.channels.robot import (
    answer_line,
    check_active,
    markdown,
    post_json,
    truncate_utf8,
)

MAX_BYTES = 5000


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret,
    URL-encoded, with the timestamp in milliseconds, as query parameters."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={sign}"


class DingTalk(Channel):
    def send(self, notification, rendered) -> str:
        check_active(notification.robot)
        robot = notification.robot
        url = robot.webhook_url
        if robot.secret:
            # Wall-clock time, not kesu.core.clock: DingTalk refuses signatures an hour off.
            url = signed_url(url, robot.secret, int(time.time() * 1000))
        payload = {
            "msgtype": "markdown",
            "markdown": {
                "title": rendered.subject,
                "text": truncate_utf8(markdown(rendered), MAX_BYTES),
            },
        }
        answer = post_json(url, payload)
        if answer.get("errcode") != 0:
            raise DeliveryFailed(answer_line(answer))
        return answer_line(answer)
