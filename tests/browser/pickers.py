"""Choosing in a searchable picker (kesu/core/pickers.py) as a person does, by keyboard."""


def pick(page, name: str, search: str, option: str | None = None) -> None:
    """Open the picker of the field `name`, type `search`, wait for the server's answer to put
    `option` (default: `search`) first, and take it with Enter. A picker that takes typed text
    (a contact not on file) offers "使用“…”" first when nothing matches; Enter takes that."""
    field = f'[data-field="{name}"]'
    page.click(f"{field} .ts-control")
    # The list is open before the first key, as it is for a person.
    page.wait_for_selector(f"{field} .ts-wrapper.focus.dropdown-active")
    page.keyboard.type(search, delay=30)
    page.wait_for_selector(
        f'{field} .ts-dropdown .active:has-text("{option or search}")'
    )
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_selector(f'{field} .item:has-text("{option or search}")')


def is_picker(page, selector: str) -> bool:
    return page.locator(selector).evaluate("e => e.hasAttribute('data-picker')")
