"""The bell opens a menu of the latest notices with "mark all read" (issue 11 part 7): htmx
loads and redraws it; without script it is a disclosure holding the inbox link and a form."""

from kesu.notifications.selectors import unread_count
from tests.notifications.test_inbox import alerts  # noqa: F401 - the fixture


def test_every_page_has_the_menu_with_links_that_work_without_script(client, engineer, alerts):  # noqa: F811
    alerts(engineer, 2)
    client.force_login(engineer)
    page = client.get("/notifications/settings/").text
    menu = page.split("<details", 1)[1].split("</details>", 1)[0]
    assert "<summary" in menu and 'href="/notifications/"' in menu
    assert 'action="/notifications/bell/menu/"' in menu and 'data-action="mark-all-read"' in menu
    assert "data-bell-list" not in menu  # the notices themselves cost no query on every page


def test_the_menu_lists_the_latest_notices(client, engineer, outsider, alerts):  # noqa: F811
    alerts(engineer, 10)
    alerts(outsider, 1, start=50)
    client.force_login(engineer)
    menu = client.get("/notifications/bell/menu/", HTTP_HX_REQUEST="true").text
    assert menu.count("<li") == 8 and "投诉9" in menu and "投诉50" not in menu


def test_mark_all_read_from_the_menu(client, engineer, alerts):  # noqa: F811
    alerts(engineer, 3)
    client.force_login(engineer)
    response = client.post("/notifications/bell/menu/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and unread_count(engineer) == 0
    assert 'hx-swap-oob="true"' in response.text and "bell-badge" not in response.text
    alerts(engineer, 1, start=10)
    plain = client.post("/notifications/bell/menu/")
    assert plain.status_code == 302 and plain["Location"] == "/notifications/"
    assert unread_count(engineer) == 0
