"""Administrators configure robots (and try them) and read the outbox, which they cannot edit."""

from kesu.notifications.channels import REGISTRY
from kesu.notifications.choices import ChannelKind
from kesu.notifications.delivery import deliver_due
from kesu.notifications.models import Notification, Robot
from kesu.notifications.services import Notice


def test_every_channel_is_in_the_registry():
    assert set(REGISTRY) == set(ChannelKind.values)


def test_robot_admin_adds_a_robot_with_kinds_and_sends_a_test(admin_client, robot_server):
    response = admin_client.post(
        "/admin/notifications/robot/add/",
        {
            "name": "质量群",
            "kind": "wecom",
            "webhook_url": robot_server.endpoint("wecom"),
            "secret": "",
            "department": "",
            "kinds": ["overdue", "escalated"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content
    robot = Robot.objects.get()
    assert robot.kinds == ["overdue", "escalated"]

    response = admin_client.post(
        "/admin/notifications/robot/",
        {"action": "send_test_message", "_selected_action": [robot.pk]},
        follow=True,
    )
    *_added, message = list(response.context["messages"])
    assert message.level_tag == "success" and "质量群" in message.message
    assert len(robot_server.requests) == 1
    assert not Notification.objects.exists()  # a test bypasses the outbox


def test_outbox_is_read_only_with_its_attempts(admin_client, make_robot, robot_server, tell):
    make_robot("wecom")
    robot_server.fail(1)
    tell(Notice(kind="admin_alert", event_key="a:1", context={"message": "x"}))
    deliver_due()
    row = Notification.objects.get(event_key="a:1")
    listing = admin_client.get("/admin/notifications/notification/")
    assert f"/admin/notifications/notification/{row.pk}/change/" in listing.text
    page = admin_client.get(f"/admin/notifications/notification/{row.pk}/change/")
    assert page.status_code == 200
    assert "HTTP 500" in page.text  # the attempt inline
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/notifications/notification/{row.pk}/delete/").status_code == 403
    )
