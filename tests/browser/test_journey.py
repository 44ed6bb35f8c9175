"""One complaint's whole loop in a real browser, in the Chinese interface (SPEC §5, §14).

Drives Debian's Chromium (never a downloaded browser) through Playwright against pytest-django's
live server, and leaves a full-page screenshot of every step in test-artifacts/journey/.
"""

import os
import re
from pathlib import Path

import pytest

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from tests.fixtures import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
# still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journey"

# Deselected by default (pyproject addopts); `.ci/run` selects it with `-m browser`.
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A browser in China asks for Chinese; the default language is Chinese anyway.
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()


class Journey:
    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.shots = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=ARTIFACTS / f"{self.shots:02d}-{name}.png", full_page=True)

    def login(self, username: str) -> None:
        page = self.page
        page.goto(f"{self.base_url}/login/")
        page.fill('input[name="username"]', username)
        page.fill('input[name="password"]', PASSWORD)
        page.click('[data-action="login"]')
        page.wait_for_url(f"{self.base_url}/")

    def logout(self) -> None:
        self.page.click('[data-action="logout"]')
        self.page.wait_for_url(re.compile(r"/login/"))

    def open(self, complaint_number: str) -> None:
        self.page.goto(f"{self.base_url}/complaints/{complaint_number}/")

    def act(self, action: str, shot: str | None = None, *, done: str, **fields) -> None:
        """Click the action's button on the detail page, fill its form, confirm; screenshots of
        the form (`shot`) and of the complaint afterwards (`done`)."""
        page = self.page
        page.click(f'#actions [data-action="{action}"]')
        page.wait_for_url(re.compile(rf"/actions/{action}/$"))
        for name, value in fields.items():
            selector = f'[name="{name}"]'
            if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                page.select_option(selector, value=str(value))
            else:
                page.fill(selector, str(value))
        if shot:
            self.shot(shot)
        page.click('[data-action="confirm"]')
        page.wait_for_url(re.compile(r"/complaints/KS-\d{4}-\d{6}/$"))
        assert page.locator(".messages .success").count() == 1, page.content()
        self.shot(done)

    def write_8d(self, **disciplines) -> None:
        page = self.page
        for key, text in disciplines.items():
            page.fill(f'textarea[name="{key}"]', text)
        page.click('[data-action="save-8d"]')
        page.wait_for_selector(".messages .success")

    def status(self) -> str:
        return self.page.locator(".page-head [data-status]").get_attribute("data-status")


def test_quality_complaint_journey(
    live_server, browser_page, cs_agent, qe, dept_manager, engineer, customer, product, org_chart
):
    page = browser_page
    journey = Journey(page, live_server.url)

    # The agent logs in: the interface is Chinese.
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    journey.shot("login")
    journey.login("agent")
    journey.shot("agent-my-work")

    # Intake: a quality complaint on the hotline.
    page.click('[data-nav="new"]')
    page.select_option('[name="kind"]', "complaint")
    page.select_option('[name="category"]', "quality")
    page.select_option('[name="severity"]', "serious")
    page.select_option('[name="channel"]', "hotline")
    page.select_option('[name="customer"]', str(customer.pk))
    page.fill('[name="contact_name"]', "王工")
    page.fill('[name="contact_phone"]', "021-5555 0101")
    page.fill('[name="order_number"]', "PO-2026-0815")
    page.select_option('[name="products"]', [str(product.pk)])
    page.fill('[name="quantity_affected"]', "120")
    page.fill('[name="title"]', "刹车片表面划伤")
    page.fill(
        '[name="description"]',
        "客户来料检验发现 L20261001 批次刹车片表面有划伤，约120件，已隔离。\n要求8D报告并换货。",
    )
    page.check('[name="remedies"][value="8d_report"]')
    page.check('[name="remedies"][value="replacement"]')
    journey.shot("intake-form")
    page.click('[data-action="record"]')
    page.wait_for_url(re.compile(r"/complaints/KS-\d{4}-\d{6}/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert number in page.locator(".messages .success").inner_text()
    assert journey.status() == Status.RECEIVED
    journey.shot("recorded")

    # Assessment: valid, to Engineering, tracked by the QE.
    journey.act(
        "assess_valid",
        "assess-form",
        responsible_department=org_chart["eng"].pk,
        tracker=qe.pk,
        note="确认为我司制程问题，成立。",
        done="assessed",
    )
    assert journey.status() == Status.ASSESSED
    journey.act("dispatch", "dispatch-form", note="请48小时内回复临时措施。", done="dispatched")
    assert journey.status() == Status.DISPATCHED
    journey.logout()

    # The department manager accepts and names the handler.
    journey.login("eng_manager")
    assert page.locator(f'tr[data-number="{number}"]').count() == 1
    journey.shot("manager-my-work")
    page.click(f'tr[data-number="{number}"] a')
    journey.act("accept_dispatch", "accept-form", handler=engineer.pk, done="accepted")
    assert journey.status() == Status.ANALYSIS
    journey.logout()

    # The engineer writes D1–D5 and submits the plan.
    journey.login("engineer")
    journey.open(number)
    journey.write_8d(
        d1="组长：工程师小陈；成员：质量工程师老张、工程经理老刘",
        d2="L20261001 批次刹车片表面划伤，约120件",
        d3="隔离库存 800 件，全检后发货",
        d4="产生原因：传送带导轨毛刺；流出原因：外观检验灯光不足",
        d5="打磨并更换导轨；检验工位增加照明",
    )
    journey.shot("8d-plan")
    journey.act(
        "submit_plan", note="临时措施与根因见8D，永久措施为更换导轨。", done="plan-submitted"
    )
    assert journey.status() == Status.CONFIRMATION
    journey.logout()

    # The customer rejects the plan (recorded by the agent), with a reason.
    journey.login("agent")
    journey.open(number)
    journey.act(
        "customer_reject",
        "reject-form",
        note="客户认为检验照明改善不足，要求增加自动视觉检测。",
        done="plan-rejected",
    )
    assert journey.status() == Status.ANALYSIS
    assert page.locator('[data-field="plan_rounds"]').inner_text() == "1"
    journey.logout()

    # The engineer revises D5 and resubmits.
    journey.login("engineer")
    journey.open(number)
    journey.write_8d(d5="打磨并更换导轨；检验工位增加自动视觉检测设备")
    journey.shot("8d-revised")
    journey.act("submit_plan", note="已按客户意见增加自动视觉检测。", done="plan-resubmitted")
    assert journey.status() == Status.CONFIRMATION
    journey.logout()

    # The customer accepts (recorded by the agent).
    journey.login("agent")
    journey.open(number)
    journey.act("customer_accept", note="客户同意修订后的方案。", done="plan-accepted")
    assert journey.status() == Status.IMPLEMENTATION
    journey.logout()

    # The engineer implements: D6–D7, implementation done.
    journey.login("engineer")
    journey.open(number)
    journey.write_8d(
        d6="导轨已更换，视觉检测已上线，试运行3天零划伤",
        d7="同类产品线 BRK-200 同步更换导轨，更新作业指导书",
    )
    journey.shot("8d-implementation")
    journey.act("submit_implementation", note="实施完成，请安排效果验证。", done="implemented")
    assert journey.status() == Status.VERIFICATION
    journey.logout()

    # The QE tracker verifies the next lots, writes D8 and closes.
    journey.login("qe")
    journey.open(number)
    journey.write_8d(d8="后续3批次零缺陷，团队表彰")
    journey.act(
        "close",
        "close-form",
        note="后续3批次 L20261015、L20261022、L20261029 检验合格。",
        customer_feedback="客户确认效果良好。",
        done="closed",
    )
    assert journey.status() == Status.CLOSED
    assert page.locator('[data-field="plan_rounds"]').inner_text() == "1"

    complaint = Complaint.objects.get(number=number)
    assert (complaint.status, complaint.plan_rounds) == (Status.CLOSED, 1)

    # The list filters refresh only the results (htmx) and keep the address shareable.
    page.goto(f"{live_server.url}/complaints/")
    assert page.locator(f'tr[data-number="{number}"]').count() == 1
    page.click(".filters summary")
    page.select_option('[name="category"]', "delivery")
    page.wait_for_url(re.compile(r"category=delivery"))
    page.wait_for_selector(f'tr[data-number="{number}"]', state="detached")
    journey.shot("list-filtered")
    page.select_option('[name="category"]', "quality")
    page.wait_for_selector(f'tr[data-number="{number}"]')

    # The same pages on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    for name, path in (
        ("phone-detail", f"/complaints/{number}/"),
        ("phone-list", "/complaints/"),
        ("phone-intake", "/complaints/new/"),
        ("phone-my-work", "/"),
    ):
        page.goto(f"{live_server.url}{path}")
        journey.shot(name)
        # Nothing sideways: tables become cards, forms one column.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
