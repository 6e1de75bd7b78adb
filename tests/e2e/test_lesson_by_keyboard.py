"""In a real browser, by keyboard only: a teen logs in, opens the first lesson and passes its quiz.

Focus moves only with Tab, Shift+Tab and the arrow keys; choices are ticked with Space and
links and buttons are used with Enter. The page is only ever read (where the focus is,
what is checked), never changed by script, so the test fails if something cannot be
reached or used from the keyboard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from lessons.catalog import Module, Question, shipped_catalog
from tests.factories import PASSWORD, arrange_family

pytestmark = pytest.mark.slow

MODULE_ID = "public-by-default"
# The header, the stage bars and the "Continue" button come before the module list, and
# the quiz has a few dozen stops: far fewer than this unless focus is stuck or lost.
MAX_TABS = 80


@dataclass(frozen=True)
class Focused:
    """What document.activeElement is, as read from the page."""

    tag: str
    type: str
    name: str
    value: str
    text: str
    href: str
    checked: bool


READ_FOCUS = """() => {
    const el = document.activeElement;
    return {
        tag: el ? el.tagName.toLowerCase() : "",
        type: (el && el.getAttribute("type")) || "",
        name: (el && el.getAttribute("name")) || "",
        value: (el && el.getAttribute("value")) || "",
        text: el ? (el.textContent || "").trim() : "",
        href: (el && el.getAttribute("href")) || "",
        checked: Boolean(el && el.checked),
    };
}"""


def focused(page: Page) -> Focused:
    """The element that has the keyboard focus (read only)."""
    return Focused(**page.evaluate(READ_FOCUS))


def tab_until(page: Page, wanted, what: str, *, limit: int = MAX_TABS) -> Focused:
    """Press Tab until `wanted(focused element)` holds; fail clearly after `limit` presses."""
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
        seen.append(f"{element.tag}[{element.name or element.href or element.text[:30]}]")
    pytest.fail(f"{what} not reached in {limit} Tab presses; focus went: {' > '.join(seen)}")


def log_in_by_keyboard(page: Page, base_url: str, login: str, password: str) -> None:
    """Type into the autofocused login field, Tab to the password, press Enter."""
    page.goto(base_url + "/login")
    expect(page.locator("#login")).to_be_focused()  # the field has the focus on arrival
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def open_lesson_by_keyboard(page: Page, module: Module) -> None:
    """From the lessons list, Tab to the lesson's own link in the list and press Enter."""
    href = f"/lessons/{module.id}"
    tab_until(
        page,
        lambda el: el.tag == "a" and el.href.endswith(href) and el.text == module.title,
        f"the link to {module.title!r}",
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(module.title)


def pick_radio(page: Page, question: Question, first: Focused) -> None:
    """Focus is on the group's first radio: arrow down to the right choice, press Space.

    In Chromium an arrow key both moves and checks; Space makes sure a right answer that
    is already focused (the first one) gets checked too.
    """
    (correct,) = question.correct_ids
    element = first
    for _ in range(len(question.choices)):
        if element.value == correct:
            break
        page.keyboard.press("ArrowDown")
        element = focused(page)
        assert element.name == f"q-{question.id}", "arrow keys must stay in the radio group"
    else:
        pytest.fail(f"choice {correct!r} of {question.id!r} not reached with the arrow keys")
    page.keyboard.press("Space")
    assert focused(page).checked, f"Space must check choice {correct!r} of {question.id!r}"


def answer_quiz_by_keyboard(page: Page, module: Module) -> None:
    """Tab through the quiz, choosing every right answer, until the submit button has focus.

    A radio group is one Tab stop (arrow keys move inside it); every checkbox is its own
    stop and gets Space when it is a right answer.
    """
    questions = {f"q-{q.id}": q for q in module.quiz}
    answered: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        question = questions.get(element.name)
        if element.tag == "button" and element.text == "Check my answers":
            break
        if question is None or element.tag != "input":
            continue
        if element.type == "radio":
            assert element.name not in answered, f"{element.name} was reached twice by Tab"
            pick_radio(page, question, element)
        elif element.value in question.correct_ids:
            page.keyboard.press("Space")
            assert focused(page).checked, f"Space must tick {element.value!r} of {question.id!r}"
        answered.add(element.name)
    else:
        pytest.fail(f"the 'Check my answers' button not reached in {MAX_TABS} Tab presses")
    assert answered == set(questions), f"questions skipped by Tab: {set(questions) - answered}"


def assert_right_answers_checked(page: Page, module: Module) -> None:
    """Every right choice is checked and every other one is not (read only)."""
    for question in module.quiz:
        for choice in question.choices:
            box = page.locator(f'input[name="q-{question.id}"][value="{choice.id}"]')
            if choice.correct:
                expect(box).to_be_checked()
            else:
                expect(box).not_to_be_checked()


def test_take_a_lesson_and_its_quiz_by_keyboard(browser, server_database_url, live_server, shot):
    family = arrange_family(server_database_url)
    module = shipped_catalog().get(MODULE_ID)
    assert module is not None, f"the catalog has no {MODULE_ID!r} module"

    context = browser.new_context()
    page = context.new_page()
    log_in_by_keyboard(page, live_server.url, family.teen.username, PASSWORD)

    page.goto(live_server.url + "/lessons")
    open_lesson_by_keyboard(page, module)
    shot(page, "lesson-01-lesson")

    answer_quiz_by_keyboard(page, module)
    assert_right_answers_checked(page, module)
    shot(page, "lesson-02-quiz-answered")

    page.keyboard.press("Enter")  # the focus is on "Check my answers"
    expect(page).to_have_url(re.compile(rf"/lessons/{MODULE_ID}/attempts/\d+#result$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result: 100%")
    expect(page.locator(".flash-success")).to_contain_text("this lesson is complete")
    shot(page, "lesson-03-result")

    page.goto(live_server.url + "/lessons")
    item = page.locator(".module-item").filter(
        has=page.get_by_role("link", name=module.title, exact=True)
    )
    expect(item.locator(".tag.done")).to_contain_text("Done")
    shot(page, "lesson-04-list-done")
    context.close()
