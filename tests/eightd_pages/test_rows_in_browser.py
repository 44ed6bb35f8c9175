"""With JavaScript, "more blank rows" swaps in only the discipline's card and keeps what was
typed (htmx); without it the same button re-renders the page (test_save.py)."""

import os

import pytest

from kesu.complaints.choices import Status
from tests.fixtures import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


def test_more_rows_keep_the_typed_input(live_server, engineer, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        refused = []  # what the Content-Security-Policy blocked: nothing of Kesu's own
        page.on(
            "console",
            lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text
            else None,
        )
        try:
            page.goto(f"{live_server.url}/login/")
            page.fill('input[name="username"]', engineer.username)
            page.fill('input[name="password"]', PASSWORD)
            page.click('[data-action="login"]')
            page.wait_for_url(f"{live_server.url}/")
            page.goto(f"{live_server.url}/complaints/{complaint.number}/8d/")
            page.click('[data-editor="d3"] > summary')
            rows = page.locator('#form-d3 [data-rows="actions"] .row-card')
            assert rows.count() == 2
            page.fill('[name="d3-actions-0-action"]', "隔离在途库存")
            page.click('#form-d3 [data-action="add-rows"]')
            # A locator, not wait_for_function: the page's Content-Security-Policy forbids the
            # eval() that a JavaScript predicate needs.
            rows.nth(3).wait_for()
            assert rows.count() == 4
            assert page.input_value('[name="d3-actions-0-action"]') == "隔离在途库存"
            assert page.locator('[data-editor="d3"][open]').count() == 1
            assert page.url.endswith("/8d/")  # no navigation: only the card was swapped
            assert refused == []
        finally:
            browser.close()
