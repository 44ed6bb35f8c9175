"""Group robots: each posts in its own format, signs when it has a secret, and only posts what
matches its department and kinds."""

import base64
import hashlib
import hmac
import time

import pytest

from kesu.notifications.channels import DeliveryFailed
from kesu.notifications.delivery import deliver, deliver_due, send_test
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice


@pytest.fixture
def overdue(make_complaint, tell):
    def send(**context):
        complaint = make_complaint(contact_email="")
        key = f"step:{complaint.pk}:overdue"
        tell(
            Notice(
                kind="overdue",
                event_key=key,
                complaint=complaint,
                context={"step": "Containment", "overdue_by": "2 小时", **context},
            )
        )
        [row] = Notification.objects.filter(event_key=key)
        assert deliver(row.pk) is True
        return complaint

    return send


def test_wecom_posts_markdown(robot_server, make_robot, overdue):
    make_robot("wecom")
    complaint = overdue()
    [request] = robot_server.requests
    assert request.path == "/wecom/send"
    assert request.query == {"access_token": "token-wecom"}
    assert request.headers["Content-Type"].startswith("application/json")
    assert set(request.body) == {"msgtype", "markdown"}
    assert request.body["msgtype"] == "markdown"
    content = request.body["markdown"]["content"]
    # Robots speak the installation's language (Chinese by default).
    assert f"已超时：{complaint.number} {complaint.title}" in content
    assert f"(http://127.0.0.1:8000/complaints/{complaint.number}/)" in content


def test_dingtalk_posts_markdown_with_title_and_signs_with_its_secret(
    robot_server, make_robot, overdue
):
    make_robot("dingtalk", secret="SEC0123456789abcdef")
    before = int(time.time() * 1000)
    complaint = overdue()
    [request] = robot_server.requests
    assert request.body["msgtype"] == "markdown"
    assert complaint.number in request.body["markdown"]["title"]
    assert complaint.title in request.body["markdown"]["text"]
    # The server side of DingTalk's 加签: recompute the signature from timestamp and secret.
    timestamp = request.query["timestamp"]
    assert before <= int(timestamp) <= int(time.time() * 1000)
    expected = base64.b64encode(
        hmac.new(
            b"SEC0123456789abcdef",
            f"{timestamp}\nSEC0123456789abcdef".encode(),
            hashlib.sha256,
        ).digest()
    ).decode()
    assert request.query["sign"] == expected  # parse_qs has undone the URL encoding
    assert request.query["access_token"] == "token-dingtalk"


def test_dingtalk_without_secret_is_not_signed(robot_server, make_robot, overdue):
    make_robot("dingtalk")
    overdue()
    assert set(robot_server.requests[0].query) == {"access_token"}


def test_feishu_posts_text_and_signs_in_the_body(robot_server, make_robot, overdue):
    make_robot("feishu", secret="feishu-secret")
    before = int(time.time())
    complaint = overdue()
    [request] = robot_server.requests
    assert request.body["msg_type"] == "text"
    assert complaint.number in request.body["content"]["text"]
    assert request.body["content"]["text"].endswith(f"/complaints/{complaint.number}/")
    timestamp = int(request.body["timestamp"])
    assert before <= timestamp <= int(time.time())
    key = f"{timestamp}\nfeishu-secret".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert request.body["sign"] == expected


def test_feishu_without_secret_sends_no_signature(robot_server, make_robot, overdue):
    make_robot("feishu")
    overdue()
    assert set(robot_server.requests[0].body) == {"msg_type", "content"}


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu"])
def test_an_error_code_with_http_200_is_a_failure(
    kind, robot_server, make_robot, make_complaint, tell
):
    make_robot(kind)
    robot_server.fail(1, how="errcode")
    tell(Notice(kind="admin_alert", event_key="alert:7", context={"message": "磁盘将满"}))
    assert deliver_due() == 0
    row = Notification.objects.get(event_key="alert:7")
    assert (row.status, row.attempts) == ("pending", 1)
    assert ("310000" in row.last_error) or ("19021" in row.last_error)


def test_robots_post_only_their_department_and_kinds(
    org_chart, make_robot, make_complaint, tell, drive
):
    eng_all = make_robot("wecom", name="工程部群", department=org_chart["eng"])
    qa_only = make_robot("wecom", name="质量部群", department=org_chart["qa"])
    overdue_only = make_robot("feishu", name="超期群", kinds=["overdue", "escalated"])
    every = make_robot("dingtalk", name="总群")
    inactive = make_robot("dingtalk", name="停用", active=False)
    complaint = drive(make_complaint(contact_email=""), "dispatched")  # owned by engineering
    assert complaint.responsible_department == org_chart["eng"]

    tell(Notice(kind="reminder", event_key="r:1", complaint=complaint))
    tell(Notice(kind="overdue", event_key="o:1", complaint=complaint))
    tell(Notice(kind="admin_alert", event_key="a:1"))

    def robots(key):
        return set(Notification.objects.filter(event_key=key).values_list("robot", flat=True))

    assert robots("r:1") == {eng_all.pk, every.pk}
    assert robots("o:1") == {eng_all.pk, overdue_only.pk, every.pk}
    assert robots("a:1") == {every.pk}  # no complaint: only robots for every department
    assert qa_only.pk not in robots("o:1") and inactive.pk not in robots("o:1")


def test_admin_test_message_goes_out_at_once(db, robot_server, make_robot):
    robot = make_robot("wecom")
    assert "errcode" in send_test(robot)
    assert "测试消息" in robot_server.requests[0].body["markdown"]["content"]
    robot_server.fail(1)
    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        send_test(robot)
    assert not Notification.objects.exists()
