"""One complaint's whole loop in a real browser, in the Chinese interface (SPEC §5, §7, §14):
the engineer fills the structured 8D, the QE signs it off with the password, the customer
rejects the plan in the portal, the engineer revises and the QE signs again, the customer
accepts, the loop closes and the 8D's PDF is downloaded and read back.

Drives Debian's Chromium (never a downloaded browser) through Playwright against pytest-django's
live server, and leaves a full-page screenshot of every step in test-artifacts/journey/.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from tests import eightd_data
from tests.browser.chromium import chinese_page
from tests.browser.pickers import is_picker, pick
from tests.eightd_pages.formdata import encode
from tests.factories import LotFactory
from tests.fixtures import PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are
# still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

sync_api = pytest.importorskip("playwright.sync_api")
pypdf = pytest.importorskip("pypdf")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journey"

# Deselected by default (pyproject addopts); `.ci/run` selects it with `-m browser`.
pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    # A browser in China asks for Chinese; the default language is Chinese anyway.
    with chinese_page(ARTIFACTS, width=1280) as page:
        yield page


class Journey:
    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.shots = 0

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=ARTIFACTS / f"{self.shots:02d}-{name}.png", full_page=True)

    def login(self, username: str, lands_on: str = "/") -> None:
        page = self.page
        page.goto(f"{self.base_url}/login/")
        page.fill('input[name="username"]', username)
        page.fill('input[name="password"]', PASSWORD)
        page.click('[data-action="login"]')
        page.wait_for_url(f"{self.base_url}{lands_on}")

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
            if is_picker(page, selector):
                pick(page, name, str(value))  # a person, found by name
            elif page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                page.select_option(selector, value=str(value))
            else:
                page.fill(selector, str(value))
        if shot:
            self.shot(shot)
        page.click('[data-action="confirm"]')
        page.wait_for_url(re.compile(r"/complaints/KS-\d{4}-\d{6}/$"))
        assert page.locator(".messages .success").count() == 1, page.content()
        self.shot(done)

    def open_8d(self, number: str) -> None:
        self.page.goto(f"{self.base_url}/complaints/{number}/8d/")

    def write_8d(self, code: str, document: dict) -> None:
        """Open the discipline's editor on the 8D page, type the document, save."""
        page = self.page
        page.click(f'[data-editor="{code}"] > summary')
        # The version, owner and note keep what the page shows; rows are the page's own.
        skip = {f"{code}-version", f"{code}-owner", f"{code}-internal_note"}
        for name, value in encode(code, document, version=0).items():
            if name in skip or name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")):
                continue
            field = page.locator(f'[name="{name}"]')
            kind = field.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind == "SELECT:select-one":
                field.select_option(value=str(value))
            elif kind == "INPUT:checkbox":
                field.check()
            else:
                field.fill(str(value))
        page.click(f'[data-action="save-{code}"]')
        page.wait_for_selector(".messages .success")

    def sign_8d(self, code: str, meaning: str = "approved") -> None:
        page = self.page
        page.click(f'[data-signer="{code}"] > summary')
        page.check(f'[name="{code}-sign-meaning"][value="{meaning}"]')
        page.fill(f'[name="{code}-sign-password"]', PASSWORD)
        page.click(f'[data-action="sign-{code}"]')
        page.wait_for_selector(".messages .success")

    def status(self) -> str:
        return self.page.locator(".page-head [data-status]").get_attribute("data-status")


def test_quality_complaint_journey(
    live_server,
    browser_page,
    cs_agent,
    qe,
    dept_manager,
    engineer,
    customer,
    customer_contact,
    product,
    org_chart,
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
    pick(page, "customer", customer.code, customer.name)
    pick(page, "contact_name", "王工")  # not on file: taken as typed
    page.fill('[name="contact_phone"]', "021-5555 0101")
    page.fill('[name="order_number"]', "PO-2026-0815")
    pick(page, "products", product.code, product.name)
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
        tracker=qe,
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
    journey.act("accept_dispatch", "accept-form", handler=engineer, done="accepted")
    assert journey.status() == Status.ANALYSIS
    journey.logout()

    # The engineer writes D2–D5 on the 8D page (D1 starts with the team on the complaint).
    journey.login("engineer")
    journey.open_8d(number)
    journey.shot("8d-empty")
    for code in ("d2", "d3", "d4", "d5"):
        journey.write_8d(code, eightd_data.COMPLETE[code])
    journey.shot("8d-plan")
    journey.logout()

    # The QE tracker approves D5 with the password; then the plan can go to the customer.
    journey.login("qe")
    journey.open_8d(number)
    journey.sign_8d("d5")
    journey.shot("8d-d5-signed")
    journey.open(number)
    journey.act(
        "submit_plan", note="临时措施与根因见8D，永久措施为更换定位销。", done="plan-submitted"
    )
    assert journey.status() == Status.CONFIRMATION
    journey.logout()

    # The customer reads the plan in the portal and rejects it with a reason.
    journey.login(customer_contact.username, lands_on="/portal/")
    page.click(f'[data-number="{number}"] a')
    assert "夹具定位销磨损导致划伤" in page.content()
    journey.shot("portal-plan")
    page.fill('#reject-form [name="note"]', "检验照明改善不足，要求增加自动视觉检测。")
    page.click('[data-action="customer_reject"]')
    page.wait_for_selector(".messages .success")
    journey.shot("portal-rejected")
    journey.logout()
    assert Complaint.objects.get(number=number).status == Status.ANALYSIS

    # The engineer revises D5: the QE's approval shows as no longer valid until signed again.
    journey.login("engineer")
    journey.open_8d(number)
    revised = {**eightd_data.COMPLETE["d5"]}
    revised["actions"] = [
        revised["actions"][0],
        {**revised["actions"][1], "action": "检验工位增加自动视觉检测设备"},
    ]
    journey.write_8d("d5", revised)
    assert page.locator('#d5 [data-signature="invalid"]').count() == 1
    journey.shot("8d-revised")
    journey.logout()
    journey.login("qe")
    journey.open_8d(number)
    journey.sign_8d("d5")
    journey.open(number)
    journey.act("submit_plan", note="已按客户意见增加自动视觉检测。", done="plan-resubmitted")
    journey.logout()

    # The customer accepts the revised plan; the portal keeps both versions.
    journey.login(customer_contact.username, lands_on="/portal/")
    page.click(f'[data-number="{number}"] a')
    assert "自动视觉检测设备" in page.content()
    page.click('[data-action="customer_accept"]')
    page.wait_for_selector(".messages .success")
    journey.shot("portal-accepted")
    journey.logout()
    assert Complaint.objects.get(number=number).status == Status.IMPLEMENTATION

    # The engineer implements (D6) and writes prevention and closure (D7, D8).
    journey.login("engineer")
    journey.open_8d(number)
    journey.write_8d("d6", eightd_data.COMPLETE["d6"])
    journey.open(number)
    journey.act("submit_implementation", note="实施完成，请安排效果验证。", done="implemented")
    assert journey.status() == Status.VERIFICATION
    journey.open_8d(number)
    for code in ("d7", "d8"):
        journey.write_8d(code, eightd_data.COMPLETE[code])
    # The handler proposes the outcome; someone else confirms it.
    journey.open(number)
    page.click("#verification summary:has-text('提出验证结论')")
    page.check('#verification [name="outcome"][value="effective"]')
    page.click('[data-action="verification-propose"]')
    page.wait_for_selector(".messages .success")
    journey.logout()

    # The ERP sends the next three lots delivered to the customer (as its import would).
    today = timezone.localdate()
    lots = [
        LotFactory(product=product, customer=customer, ship_date=today, delivery_date=today)
        for _ in range(3)
    ]

    # The QE approves every discipline, records the lots' incoming inspections, confirms the
    # outcome with the password and closes.
    journey.login("qe")
    journey.open_8d(number)
    for code in ("d1", "d2", "d3", "d4", "d6", "d7", "d8"):
        journey.sign_8d(code)
    journey.shot("8d-complete")
    journey.open(number)
    count = page.locator('[data-field="verification-count"]')
    assert count.inner_text().startswith("合格批次 0 / 3")
    for lot in lots:
        row = page.locator(f'#verification tr[data-lot="{lot.number}"]')
        row.locator("summary").click()
        row.locator('[name="quantity_checked"]').fill("200")
        row.locator('[name="inspected_on"]').fill(today.isoformat())
        row.locator('[data-action="record-result"]').click()
        page.wait_for_selector(".messages .success")
    assert count.inner_text().startswith("合格批次 3 / 3")
    page.click("#verification summary:has-text('确认验证结论')")
    confirm = page.locator('#verification form:has([data-action="verification-confirm"])')
    confirm.locator('[name="password"]').fill(PASSWORD)
    page.click('[data-action="verification-confirm"]')
    page.wait_for_selector(".messages .success")
    journey.shot("verified")
    journey.act(
        "close",
        "close-form",
        note="后续3批次 L20261015、L20261022、L20261029 检验合格。",
        customer_feedback="客户确认效果良好。",
        done="closed",
    )
    assert journey.status() == Status.CLOSED
    assert page.locator('[data-field="plan_rounds"]').inner_text() == "1"

    # The 8D as a PDF, made by the worker, downloaded and read back.
    journey.open_8d(number)
    page.select_option('[data-form="export"] [name="format"]', "pdf")
    page.select_option('[data-form="export"] [name="language"]', "zh-hans")
    page.click('[data-action="export"]')
    page.wait_for_selector('#exports [data-status="done"] [data-action="download"]')
    journey.shot("8d-exported")
    with page.expect_download() as download:
        page.click('#exports [data-status="done"] [data-action="download"]')
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(download.value.path()).pages
    ).replace("\n", "")
    for expected in (
        "夹具定位销磨损导致划伤",  # occurrence cause
        "出货检验未覆盖侧面",  # escape cause
        "更换定位销并纳入点检",  # permanent action
        "检验工位增加自动视觉检测设备",  # the revised action
        qe.display_name,  # signatures: printed name (never the username) …
        "已批准",  # … and meaning
    ):
        assert expected in text, expected

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
