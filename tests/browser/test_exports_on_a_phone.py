"""The 8D's exports list reads on a phone (issue 11): at 390 px each export is a short card
(file and status, what it holds, who asked when, the button) with nothing cut off or scrolled
sideways; at 1366 px it stays a table. Screenshots in test-artifacts/exports/."""

import os
from pathlib import Path

import pytest

from kesu.complaints.choices import Status
from kesu.core import clock
from kesu.eightd.models import Export
from tests.browser.chromium import chinese_page
from tests.browser.test_words_and_phone import _login

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sync_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"
pytestmark = pytest.mark.browser


@pytest.fixture
def page():
    with chinese_page(ARTIFACTS, width=390, height=844) as page:
        yield page


def test_the_exports_list_is_readable_on_a_phone(live_server, page, qe, make_complaint, drive):
    complaint = drive(make_complaint(), Status.ANALYSIS)
    for format, status, error in (
        ("pdf", "done", ""),
        ("xlsx", "done", ""),
        ("pdf", "failed", "字体文件缺失，请联系管理员"),
    ):
        Export.objects.create(
            report=complaint.eightd, format=format, language="zh-hans", status=status,
            error=error, requested_by=qe, requested_at=clock.now(),
        )
    _login(page, live_server.url, qe.username)
    page.goto(f"{live_server.url}/complaints/{complaint.number}/8d/")
    rows = page.locator("#exports-list tbody tr")
    rows.first.wait_for()
    assert rows.count() == 3
    wrap = page.locator("#exports-list .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "nothing scrolls sideways"
    assert not page.locator("#exports-list thead").is_visible()
    right = wrap.bounding_box()["x"] + wrap.bounding_box()["width"]
    for i in range(3):
        badge = rows.nth(i).locator(".badge").first
        assert badge.is_visible() and badge.bounding_box()["x"] + badge.bounding_box()[
            "width"
        ] <= right + 0.5
        # "当前 8D" on one line, not one character per line.
        content = rows.nth(i).locator("td").nth(2)
        assert content.bounding_box()["height"] < 40
    page.locator("#exports").screenshot(path=ARTIFACTS / "exports-390.png")
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator("#exports-list thead").is_visible()
    page.locator("#exports").screenshot(path=ARTIFACTS / "exports-1366.png")
