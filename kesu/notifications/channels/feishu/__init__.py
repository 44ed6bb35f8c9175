"""Feishu (飞书) group robot: a text message, signed when the robot has a secret."""

import base64
import hashlib
import hmac
import time

from kesu.notifications.channels.base import Channel, DeliveryFailed
from kesu.notifications.channels.robot import answer_line, check_active, post_json, truncate_utf8

# Feishu's limit is on the whole request (20 KB); the text is kept well below it.
MAX_BYTES = 16000


def signature(secret: str, timestamp: int) -> str:
    """Feishu's signature: base64 HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty
    message (the key is the signed string, unlike DingTalk)."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


class Feishu(Channel):
    def send(self, notification, rendered) -> str:
        check_active(notification.robot)
        robot = notification.robot
        text = truncate_utf8(f"{rendered.text}\n{rendered.link}", MAX_BYTES)
        payload: dict = {"msg_type": "text", "content": {"text": text}}
        if robot.secret:
            # Wall-clock time, not kesu.core.clock: Feishu refuses signatures an hour off.
            timestamp = int(time.time())
            payload = {
                "timestamp": str(timestamp),
                "sign": signature(robot.secret, timestamp),
                **payload,
            }
        answer = post_json(robot.webhook_url, payload)
        # Current robots answer {"code": 0, ...}; older ones {"StatusCode": 0, ...}.
        code = answer.get("code", answer.get("StatusCode"))
        if code != 0:
            raise DeliveryFailed(answer_line(answer))
        return answer_line(answer)
