"""A scenario in a real browser, on both databases: played by keyboard with JavaScript (a
DM pops in without a reload, the coach hints while typing), and played without
JavaScript (every action a form, Continue moves time on). Screenshots at 375 px and
1280 px go to tests/e2e/artifacts/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import DESKTOP
from tests.e2e.test_lesson_by_keyboard import focused, log_in_by_keyboard, tab_until
from tests.factories import PASSWORD, arrange_family

pytestmark = pytest.mark.slow

PHONE_375 = {"width": 375, "height": 812}
SID = "new-follower-dm"
MAX_TABS = 250
# The first DM comes 10 s into the scenario; give the poll some room on a busy machine.
ARRIVAL_MS = 30_000


def press_focused_button(page: Page, text: str, what: str) -> None:
    tab_until(
        page, lambda el: el.tag in ("button", "summary") and el.text == text, what, limit=MAX_TABS
    )
    page.keyboard.press("Enter")


def no_reload_marker(page: Page) -> None:
    """Leave a mark on this document: it is gone if the page reloads."""
    page.evaluate("() => { window.__sameDocument = true; }")


def still_same_document(page: Page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def test_play_a_scenario_by_keyboard_with_javascript(
    browser, server_database_url, live_server, shot
):
    family = arrange_family(server_database_url)
    context = browser.new_context(viewport=PHONE_375)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in_by_keyboard(page, live_server.url, family.teen.username, PASSWORD)
    page.goto(f"{live_server.url}/scenarios")
    tab_until(
        page,
        lambda el: el.tag == "a" and el.href.endswith(f"/scenarios/{SID}"),
        "the scenario's link",
        limit=MAX_TABS,
    )
    page.keyboard.press("Enter")
    expect(page.get_by_text("You posted a clip of your bike jump")).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_be_focused()  # autofocus
    page.keyboard.press("Enter")
    expect(page.locator(".sc-hint")).to_contain_text("Look at who is writing to you")
    shot(page, "scenario-01-start-375")
    press_focused_button(page, "Got it", "the hint's Got it button")
    expect(page.locator(".sc-hint")).to_have_count(0)

    # The first DM comes on its own, without a reload, with a pop-up.
    no_reload_marker(page)
    dm1 = page.locator("#item-dm1")
    expect(dm1).to_contain_text("loved ur jump", timeout=ARRIVAL_MS)
    expect(page.locator(".sc-toast")).to_contain_text("Rio")
    assert still_same_document(page)
    shot(page, "scenario-02-dm-arrived-375")

    # Reply by keyboard; the coach hints while typing.
    press_focused_button(page, "Reply", "the DM's Reply button")
    page.keyboard.press("Tab")
    assert focused(page).name == "text"
    page.keyboard.type("sure my number is 555-201-3344")
    thread = page.locator("article.sc-thread")
    expect(thread.locator("[data-coach-results]")).to_contain_text("Phone number")
    shot(page, "scenario-03-coach-hint-375")
    press_focused_button(page, "Send", "the reply's Send button")
    expect(page).to_have_url(re.compile(rf"/scenarios/{SID}#item-dm1$"))
    expect(thread.locator(".sc-mine")).to_contain_text("555-201-3344")

    # Five seconds after the reply, the next DM pops in, again without a reload.
    no_reload_marker(page)
    expect(page.locator("#item-dm2")).to_contain_text("whats ur number", timeout=ARRIVAL_MS)
    assert still_same_document(page)
    expect(page.locator(".sc-hint")).to_contain_text("asking for something private")
    press_focused_button(page, "Got it", "the second hint's Got it button")
    expect(page.locator(".sc-hint")).to_have_count(0)
    press_focused_button(page, "Block", "the thread's Block button")
    expect(page.locator("article.sc-thread")).to_contain_text("You blocked Rio.")
    shot(page, "scenario-04-blocked-375")
    page.set_viewport_size(DESKTOP)
    shot(page, "scenario-05-play-1280")
    press_focused_button(page, "I'm done", "I'm done")
    expect(page).to_have_url(re.compile(rf"/scenarios/{SID}/runs/\d+$"))
    expect(page.locator(".sc-score")).to_contain_text("0 %")
    expect(page.get_by_text("Your number is now with someone you have never met.")).to_be_visible()
    shot(page, "scenario-06-result-1280")
    assert errors == []  # no script error on any page
    context.close()


def test_play_a_scenario_without_javascript(browser, server_database_url, live_server, shot):
    family = arrange_family(server_database_url)
    context = browser.new_context(viewport=PHONE_375, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/login")
    page.locator("#login").fill(family.teen.username)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    page.goto(f"{live_server.url}/scenarios/{SID}")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Got it").click()
    page.get_by_role("button", name="Continue").click()  # the clock jumps to the first DM
    expect(page.locator("#item-dm1")).to_contain_text("loved ur jump")
    thread = page.locator("article.sc-thread")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Message to Rio").fill("who are you? i dont know you")
    thread.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#item-dm2")).to_contain_text("whats ur number")
    shot(page, "scenario-nojs-01-play-375")
    page.get_by_role("button", name="Got it").click()
    page.locator("article.sc-thread").get_by_role("button", name="Block").click()
    page.locator("summary", has_text="Tell a trusted adult").click()
    page.get_by_label("What do you want to tell them?").fill("someone I dont know wants my number")
    page.get_by_role("button", name="Tell them").click()
    expect(page.locator(".flash")).to_contain_text("We told your supervisors")
    # Rio is blocked: their follow request never comes; Mo's like does.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#item-note1")).to_contain_text("Mo liked your post")
    expect(page.locator("#item-req1")).to_have_count(0)
    page.set_viewport_size(DESKTOP)
    shot(page, "scenario-nojs-02-play-1280")
    page.get_by_role("button", name="I'm done").click()
    expect(page.locator(".sc-score")).to_contain_text("100 %")
    page.get_by_label("What made you trust or not trust Rio?").fill("too friendly too fast")
    page.get_by_label("Check who it is and tell someone I trust").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".sc-answers")).to_contain_text("too friendly too fast")
    shot(page, "scenario-nojs-03-result-1280")
    page.set_viewport_size(PHONE_375)
    shot(page, "scenario-nojs-04-result-375")
    context.close()
