"""Issue 11 part 7 in a real browser (Debian's Chromium), in Chinese: the on-time report's date
inputs hold and send ISO dates, its numbers open their complaints; the complaint list shows
several complaints per phone screen. Screenshots at 1366 and 390 px in test-artifacts/words/."""

import os
import re
from pathlib import Path

import pytest

from tests.browser.chromium import chinese_page
from tests.fixtures import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "words"
pytestmark = pytest.mark.browser


@pytest.fixture
def page():
    with chinese_page(ARTIFACTS) as page:
        yield page


def _login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('[data-action="login"]')
    page.wait_for_url(re.compile(r"/$|/my-work/"))


def test_on_time_report_dates_in_chinese(live_server, page, cs_agent, make_complaint):
    make_complaint(severity="general", title="及时率下钻的客诉")
    _login(page, live_server.url, cs_agent.username)
    page.goto(f"{live_server.url}/time-limits/on-time/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    start = page.locator('input[name="start"]')
    # The default period shows in the inputs (a localised "2026/11/01" would show blank).
    assert re.fullmatch(r"\d{4}-\d{2}-01", start.input_value())
    start.fill("2026-01-01")
    page.locator('input[name="end"]').fill("2027-12-31")  # the step is due tomorrow at the latest
    page.click('form.filters button[type="submit"]')
    page.wait_for_url(re.compile(r"start=2026-01-01"))
    assert page.locator('input[name="start"]').input_value() == "2026-01-01"
    assert page.locator('input[name="end"]').input_value() == "2027-12-31"
    assert page.locator(".errorlist, .form-errors").count() == 0
    page.screenshot(path=ARTIFACTS / "on-time-1366.png", full_page=True)
    # A number opens the complaints behind it.
    page.locator('[data-row="total"] [data-field="pending"] a').click()
    page.wait_for_url(re.compile(r"/complaints/\?due_from="))
    assert page.locator("[data-extra-filter]").count() == 1
    assert page.locator("table.complaints tbody tr").count() == 1
    page.screenshot(path=ARTIFACTS / "drill-down-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.go_back()
    page.screenshot(path=ARTIFACTS / "on-time-390.png", full_page=True)


def test_phone_list_shows_several_complaints_per_screen(
    live_server, page, cs_agent, make_complaint
):
    for n in range(12):
        make_complaint(title=f"手机列表客诉 {n:02d}：表面划伤，客户来料检验发现")
    _login(page, live_server.url, cs_agent.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/complaints/")
    rows = page.locator("table.complaints tbody tr")
    assert rows.count() == 12
    visible = sum(
        1 for i in range(rows.count()) if rows.nth(i).bounding_box()["y"]
        + rows.nth(i).bounding_box()["height"] <= 844
    )
    page.screenshot(path=ARTIFACTS / "list-390.png")
    assert visible >= 4, visible
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=ARTIFACTS / "list-1366.png")


def test_the_bell_menu_by_keyboard(live_server, page, engineer, make_complaint):
    from django.db import transaction

    from kesu.notifications.services import Notice, notify

    complaint = make_complaint(contact_email="", title="铃铛里的客诉")
    with transaction.atomic():
        notify([Notice(kind="assigned", event_key="bell:1", recipients=[engineer],
                       complaint=complaint)])
    _login(page, live_server.url, engineer.username)
    page.wait_for_selector(".bell-badge")
    page.focus("[data-bell] summary")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-bell-list] li")
    assert "铃铛里的客诉" in page.locator("[data-bell-list]").inner_text()
    page.screenshot(path=ARTIFACTS / "bell-1366.png")
    page.click('[data-action="mark-all-read"]')
    page.wait_for_selector(".bell-badge", state="detached")
    assert page.locator("[data-bell]").get_attribute("open") is not None  # the menu stays open
