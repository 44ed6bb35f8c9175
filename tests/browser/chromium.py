"""Debian's Chromium, driven by Playwright, as a person in China opens it: Chinese, a laptop's
width (tests narrow it to a phone's where they look), screenshots kept under test-artifacts/."""

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # never a downloaded browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def chinese_page(shots: Path, width: int = 1366, height: int = 900):
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()
