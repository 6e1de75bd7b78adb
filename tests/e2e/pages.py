"""What the browser tests share: a fresh page, logging in, signing up, dialogs, messages."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}


def new_page(browser: Browser, viewport=DESKTOP) -> tuple[BrowserContext, Page]:
    """A page in a browser context of its own (its own cookies), at `viewport`."""
    context = browser.new_context(viewport=viewport)
    return context, context.new_page()


def log_in(page: Page, base_url: str, login: str, password: str) -> None:
    """Type into the autofocused login field, Tab to the password, press Enter."""
    page.goto(base_url + "/login")
    expect(page.locator("#login")).to_be_focused()
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def sign_up(page: Page, base_url: str, *, kind: str, name: str, email: str, password: str) -> None:
    """Sign up on the sign-up form as `kind` (its label: "Teacher", "Parent or mentor"...);
    leaves the page on the new group form."""
    page.goto(base_url + "/signup")
    page.get_by_label(kind).check()
    page.get_by_label("Name others see").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_label("I am 18 or older").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/groups/new\?kind=\w+$"))


def accept_dialogs(page: Page) -> list[str]:
    """Accept every confirm() the page asks; the questions asked, in order."""
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked


def flash(page: Page):
    """The page's flashed messages."""
    return page.locator(".flash")
