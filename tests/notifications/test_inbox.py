"""The bell counts unread in-app notifications; the inbox lists them newest first and marks
them read, only ever the user's own."""

import re
from datetime import timedelta

import pytest

from kesu.core import clock
from kesu.notifications.models import Notification
from kesu.notifications.selectors import inbox, unread_count
from kesu.notifications.services import Notice, mark_read


@pytest.fixture
def alerts(make_complaint, tell):
    """`alerts(user, n)`: n in-app notifications about a complaint each, an hour apart."""

    def write(user, count, start=0):
        base = clock.now()
        for index in range(start, start + count):
            complaint = make_complaint(contact_email="", title=f"投诉{index}")
            with clock.frozen(base + timedelta(hours=index)):
                tell(
                    Notice(
                        kind="assigned",
                        event_key=f"a:{user.pk}:{index}",
                        recipients=[user],
                        complaint=complaint,
                    )
                )
        return list(inbox(user))

    return write


def _ids(page):
    return [int(i) for i in re.findall(r'data-id="(\d+)"', page.text)]


def test_bell_shows_the_unread_count_and_nothing_at_zero(client, engineer, alerts):
    client.force_login(engineer)
    empty = client.get("/notifications/bell/")
    assert empty.status_code == 200
    assert "bell-badge" not in empty.text
    assert 'hx-trigger="every 60s"' in empty.text  # the poll replaces itself, no load loop

    alerts(engineer, 3)
    bell = client.get("/notifications/bell/")
    assert 'data-unread="3"' in bell.text


def test_every_page_carries_the_bell_without_querying_for_it(client, engineer, alerts):
    alerts(engineer, 2)
    client.force_login(engineer)
    page = client.get("/notifications/settings/")
    assert 'id="notification-bell"' in page.text
    assert 'hx-trigger="load, every 60s"' in page.text
    assert "notifications/notifications.css" in page.text


def test_inbox_lists_newest_first_unread_bold(client, engineer, qe, alerts):
    mine = alerts(engineer, 3)
    alerts(qe, 2, start=3)
    mark_read(user=engineer, ids=[mine[-1].pk])
    client.force_login(engineer)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert _ids(page) == [n.pk for n in mine]  # newest first; nobody else's
    assert mine[0].created_at > mine[-1].created_at
    assert page.text.count('class="unread"') == 2 and page.text.count('class="read"') == 1
    assert "投诉2" in page.text and "投诉3" not in page.text


def test_inbox_query_count_does_not_grow_with_its_length(
    client, engineer, alerts, django_assert_max_num_queries
):
    alerts(engineer, 2)
    client.force_login(engineer)
    with django_assert_max_num_queries(10) as few:
        client.get("/notifications/")
    alerts(engineer, 20, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/notifications/")
    assert len(_ids(page)) == 22


def test_opening_a_notification_marks_it_read_and_goes_to_the_complaint(client, engineer, alerts):
    [notification] = alerts(engineer, 1)
    client.force_login(engineer)
    response = client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{notification.complaint.number}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(engineer) == 0


def test_mark_all_read(client, engineer, qe, alerts):
    alerts(engineer, 3)
    alerts(qe, 1, start=3)
    client.force_login(engineer)
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert unread_count(engineer) == 0
    assert unread_count(qe) == 1


def test_another_users_notifications_cannot_be_read_or_opened(client, engineer, qe, alerts):
    [theirs] = alerts(qe, 1)
    [mine] = alerts(engineer, 1, start=1)
    client.force_login(engineer)
    client.post("/notifications/read/", {"ids": [theirs.pk, "x", "9" * 30]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/notifications/read/", {"ids": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_only_in_app_rows_are_in_the_inbox(engineer, tell):
    tell(Notice(kind="admin_alert", event_key="k", recipients=[engineer]))
    assert Notification.objects.filter(recipient=engineer).count() == 2
    assert [n.channel for n in inbox(engineer)] == ["inapp"]
    assert unread_count(engineer) == 1
