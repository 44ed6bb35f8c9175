"""The top of the complaint page in a real browser, in Chinese, on a laptop and a phone (issue 11
§2, §3): the customer's rejection reason is read without scrolling, and a step whose gate fails
is a disabled button with what is missing, each item leading to where it is put right.

Screenshots go to test-artifacts/complaint-top/.
"""

import re

import pytest

from kesu.complaints.choices import Status
from tests.browser.test_journey import ARTIFACTS as JOURNEY_ARTIFACTS
from tests.browser.test_journey import Journey, browser_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

ARTIFACTS = JOURNEY_ARTIFACTS.parent / "complaint-top"
REASON = "检验照明改善不足，要求增加自动视觉检测；在途的 2 批货也请给出处理办法。"
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def above_the_fold(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] < page.viewport_size["height"]


def test_the_rejection_reason_is_on_top_without_scrolling(
    live_server, browser_page, make_complaint, drive, customer_contact, engineer  # noqa: F811
):
    page = browser_page
    complaint = drive(make_complaint(), Status.CONFIRMATION)
    journey = Journey(page, live_server.url)

    # The customer rejects the plan in the portal, with a reason.
    journey.login(customer_contact.username, lands_on="/portal/")
    page.click(f'[data-number="{complaint.number}"] a')
    page.fill('#reject-form [name="note"]', REASON)
    page.click('[data-action="customer_reject"]')
    page.wait_for_selector(".messages .success")
    journey.logout()

    # The handler opens the complaint and the 8D: the reason is the first thing there.
    journey.login(engineer.username)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        journey.open(complaint.number)
        voice = page.locator("#customer-voice")
        assert REASON in voice.inner_text()
        assert "客户否决了方案（第 1 轮）" in voice.inner_text()
        assert above_the_fold(page, '#customer-voice [data-field="reason"]')
        shoot(page, f"rejection-{size}")
        journey.open_8d(complaint.number)
        assert REASON in page.locator("#customer-voice").inner_text()
        shoot(page, f"rejection-8d-{size}")

    # A message the customer sees answers them: the notice goes.
    page.set_viewport_size({"width": 1366, "height": 900})
    journey.open(complaint.number)
    page.fill('#message-form [name="text"]', "已收到，周五前补充视觉检测方案。")
    page.check('#message-form [name="visibility"][value="customer"]')
    page.click('[data-action="send-message"]')
    page.wait_for_selector(".messages .success")
    assert page.locator("#customer-voice").count() == 0


def test_a_step_whose_gate_fails_is_disabled_with_its_reason(
    live_server, browser_page, make_complaint, drive, engineer  # noqa: F811
):
    page = browser_page
    complaint = drive(make_complaint(), Status.ANALYSIS)
    journey = Journey(page, live_server.url)
    journey.login(engineer.username)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        journey.open(complaint.number)
        button = page.locator('#actions [data-action="submit_plan"]')
        assert button.is_disabled()
        why = page.locator("#why-submit_plan")
        assert "还缺" in why.inner_text() and "D4 根本原因" in why.inner_text()
        assert above_the_fold(page, "#why-submit_plan")
        shoot(page, f"disabled-{size}")

    # Each missing item leads to its discipline on the 8D page.
    page.click('#why-submit_plan a[href$="#d4"]')
    page.wait_for_url(re.compile(rf"/complaints/{complaint.number}/8d/#d4$"))
    assert page.locator("#d4").is_visible()
    # The 8D page says the same at its top.
    assert "D4 根本原因" in page.locator("#next-step").inner_text()
    shoot(page, "disabled-8d-phone")
