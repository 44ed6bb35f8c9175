"""The overdue ladder as people see it (issue 11 §1, §5), in Chinese in Debian's Chromium: the
engineer with three late plans has one entry in the bell listing them; the department manager
finds the escalation in "my work" and acknowledges it there, and it leaves the list."""

from pathlib import Path

import pytest

from kesu.complaints.choices import Status
from kesu.notifications.services import mark_read
from kesu.timelimits.models import Escalation
from kesu.timelimits.sweeper import sla_sweep
from tests.browser.chromium import chinese_page
from tests.browser.test_journey import Journey
from tests.timelimits.conftest import MONDAY_9, local

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "overdue-digest"


@pytest.fixture
def phone_and_laptop():
    """A Chinese Chromium page (laptop width); the test narrows it to a phone's where it looks."""
    with chinese_page(SHOTS) as page:
        yield page


def shot(page, name: str) -> None:
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_overdue_ladder_is_one_digest_in_the_bell_and_work_in_my_work(
    phone_and_laptop, live_server, at, make_complaint, drive, eightd_hours, engineer,
    dept_manager, org_chart,
):
    eightd_hours()
    with at(MONDAY_9):
        complaints = [
            drive(make_complaint(title=f"外壳开裂{n}", contact_email=""), Status.ANALYSIS)
            for n in range(3)
        ]
    for person in (engineer, dept_manager):
        mark_read(user=person)
    # The plans are due on Monday 11:30; at 15:10 the first escalation has fallen due as well.
    sla_sweep(now=local(2026, 3, 16, 15, 10))

    page = phone_and_laptop
    journey = Journey(page, live_server.url)
    journey.login("engineer")
    badge = page.locator("#notification-bell .bell-badge")
    badge.wait_for()
    assert badge.inner_text() == "1"
    # The bell opens its menu: the digest is one line there ...
    page.click("#notification-bell")
    menu = page.locator("[data-bell-list]")
    menu.wait_for()
    assert "3 条提醒，涉及 3 个客诉" in menu.inner_text()
    # ... and the inbox lists what it holds.
    page.click(".bell-foot a")
    entry = page.locator("li[data-digest]")
    assert entry.get_attribute("data-digest") == "3"
    text = entry.inner_text()
    assert "3 条提醒，涉及 3 个客诉" in text
    for complaint in complaints:
        assert complaint.number in text
    assert "已超时" in text and "小时" in text
    shot(page, "engineer-digest-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "engineer-digest-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    journey.logout()

    journey.login("eng_manager")
    section = page.locator("section.escalations")
    assert "升级给您的事项" in section.inner_text()
    items = page.locator("li.escalation")
    assert items.count() == 3
    shot(page, "manager-my-work-1366")
    first = items.first
    first.locator("textarea[name=comment]").fill("今天下午和小陈一起定方案")
    first.locator("button[value=acknowledge]").click()
    page.locator("li.escalation.done").wait_for()
    assert "已确认" in page.locator("li.escalation.done").inner_text()
    shot(page, "manager-acknowledged-1366")
    page.reload()
    assert page.locator("li.escalation").count() == 2
    assert Escalation.objects.filter(recipient=dept_manager, handled_at__isnull=False).count() == 1
