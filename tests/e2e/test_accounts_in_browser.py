"""In a real browser: sign up, create a family, log out, the old cookie is dead, log in again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

PASSWORD = "orbit lantern quiet"


def test_sign_up_log_out_replay_and_log_in_by_keyboard(browser, live_server, shot):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Learn social media the way you learn to drive"
    )
    shot(page, "01-landing")

    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Parent or mentor").check()
    page.get_by_label("Name others see").fill("Maria")
    page.get_by_label("E-mail").fill("maria@example.com")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Type the password again").fill("short")
    page.get_by_label("I am 18 or older").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.locator("#password-error")).to_contain_text("at least 10 characters")
    shot(page, "02-signup-error")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/groups/new\?kind=family$"))
    page.get_by_label("Name", exact=True).fill("The Riveras")
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The Riveras")
    shot(page, "03-family")

    captured = context.cookies()
    assert any(c["name"] == "dessm_session" and c["httpOnly"] for c in captured)
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".flash")).to_have_text("You are logged out.")

    replay = browser.new_context()
    replay.add_cookies(captured)
    stolen = replay.new_page()
    stolen.goto(live_server.url + "/dashboard")
    expect(stolen).to_have_url(re.compile(r"/login\?next="))
    shot(stolen, "04-replay-refused")
    replay.close()

    page.goto(live_server.url + "/login")
    expect(page.locator("#login")).to_be_focused()  # autofocus, no click needed
    page.keyboard.type("maria@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maria")
    shot(page, "05-dashboard")

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/groups/1")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, "the group page must fit a phone screen"
    shot(page, "06-group-phone")
    context.close()
