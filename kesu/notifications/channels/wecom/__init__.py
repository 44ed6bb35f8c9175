"""WeCom (企业微信) group robot: a markdown message; success is errcode 0."""

from kesu.notifications.channels.base import Channel, DeliveryFailed
from kesu.notifications.channels.robot import (
    answer_line,
    check_active,
    markdown,
    post_json,
    truncate_utf8,
)

# WeCom refuses markdown content over 4096 bytes.
MAX_BYTES = 4096


class WeCom(Channel):
    def send(self, notification, rendered) -> str:
        check_active(notification.robot)
        payload = {
            "msgtype": "markdown",
            "markdown": {"content": truncate_utf8(markdown(rendered), MAX_BYTES)},
        }
        answer = post_json(notification.robot.webhook_url, payload)
        if answer.get("errcode") != 0:
            raise DeliveryFailed(answer_line(answer))
        return answer_line(answer)
