"""What every page carries besides its content: an icon for the browser tab and a print
stylesheet (issue 11 §7)."""

import re

from django.contrib.staticfiles import finders


def test_every_page_names_an_icon_that_exists(client):
    html = client.get("/login/").content.decode()
    [href] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert "favicon" in href
    icon = finders.find("kesu/favicon.svg")
    assert icon and open(icon, encoding="utf-8").read().startswith("<svg")


def test_printing_leaves_out_what_only_a_screen_can_use():
    css = open(finders.find("kesu/kesu.css"), encoding="utf-8").read()
    printed = css.split("@media print", 1)[1]
    hidden = {
        selector.strip()
        for group in re.findall(r"([^{}]+)\{ display: none !important; \}", printed)
        for selector in group.split(",")
    }
    assert {".topbar", "form", "button", ".eightd-exports", "#message-form"} <= hidden
