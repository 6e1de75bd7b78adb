"""In a real browser: a student takes the check before a lesson, the lesson and its quiz,
and the teacher sees the class's gain chart (and its table) on the class dashboard.

Four classmates have done the same already (written to the server's database), so with
the student the class reaches the five learners a class figure needs.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import DESKTOP, log_in, new_page
from tests.factories import PASSWORD, answer_quiz, make_classroom, real_catalog, take_pretest

pytestmark = pytest.mark.slow

MODULE = real_catalog().get("netiquette")
NARROW = {"width": 375, "height": 812}


@contextmanager
def backstage(database_url: str):
    from app import create_app
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    try:
        with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as s:
            yield s
    finally:
        app.extensions["engine"].dispose()


def test_pretest_lesson_quiz_then_the_teachers_gain_chart(
    browser, live_server, server_database_url, shot
):
    base = live_server.url
    with backstage(server_database_url) as session:
        classroom = make_classroom(session, students=5)
        for user, _membership in classroom.students[:4]:
            take_pretest(session, user, MODULE.id, right=1)
            answer_quiz(session, user, MODULE.id)
        student = classroom.students[4][0]
        teacher = classroom.teacher
    csp_errors: list[str] = []

    # 1. The student opens the lesson: the check is offered before it.
    _context, page = new_page(browser, DESKTOP)
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)
    log_in(page, base, student.username, PASSWORD)
    page.goto(f"{base}/lessons/{MODULE.id}")
    offer = page.get_by_role("complementary", name="Before you start: a two-minute check")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="Take the check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before the lesson: what do you know already?"
    )
    # No quiz question is asked in the check.
    for question in MODULE.quiz:
        expect(page.get_by_text(question.question, exact=True)).to_have_count(0)

    # 2. One item answered right, the rest "I don't know yet"; "a little sure".
    page.locator("#confidence").get_by_label("A little sure").check()
    first = MODULE.pretest[0]
    for choice_id in sorted(first.correct_ids):
        text = first.choice(choice_id).text
        page.locator(f"#pretest-{first.id}").get_by_label(text, exact=True).check()
    for item in MODULE.pretest[1:]:
        page.locator(f"#pretest-{item.id}").get_by_label("I don't know yet").check()
    shot(page, "learning-pretest-1280")
    page.get_by_role("button", name="Save and start the lesson").click()
    expect(page.locator(".flash")).to_contain_text(
        f"1 of {len(MODULE.pretest)} known before the lesson"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE.title)
    expect(page.get_by_text("Take the check")).to_have_count(0)

    # 3. The quiz, all right, and "very sure" now.
    for question in MODULE.quiz:
        box = page.locator(f"#question-{question.id}")
        for choice_id in sorted(question.correct_ids):
            box.get_by_label(question.choice(choice_id).text, exact=True).check()
    page.locator("#confidence").get_by_label("Very sure").check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+#result$"))
    expect(page.get_by_text("Your result: 100%")).to_be_visible()

    # 4. Their own figures, on their lessons page.
    page.goto(f"{base}/lessons")
    mine = page.locator("#learning")
    expect(mine.get_by_role("img", name="Before and after the lesson, per module")).to_be_visible()
    row = mine.get_by_role("row", name=re.compile(re.escape(MODULE.title)))
    pre = 100 // len(MODULE.pretest)
    expect(row).to_contain_text(f"{pre} %")
    expect(row).to_contain_text("1.00")
    expect(row).to_contain_text("2 → 4")
    mine.screenshot(path=str(ARTIFACTS / "learning-mine-1280.png"))

    # 5. The teacher's dashboard: the chart, with the figures of the five in the table.
    _teacher_context, desk = new_page(browser, DESKTOP)
    desk.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)
    log_in(desk, base, teacher.email, PASSWORD)
    desk.goto(f"{base}/groups/{classroom.group.id}/dashboard")
    section = desk.locator("#learning")
    chart = section.get_by_role("img", name="Average score before and after the lesson, per module")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.bar-post:not(.legend-swatch)")).to_have_count(1)
    expect(
        section.get_by_role("img", name=f"How much each learner gained: {MODULE.title}")
    ).to_be_visible()
    row = section.get_by_role("row", name=re.compile(re.escape(MODULE.title)))
    expect(row).to_contain_text(f"{pre} % → 100 % (5)")
    expect(row).to_contain_text("1.00")
    ARTIFACTS.mkdir(exist_ok=True)
    section.scroll_into_view_if_needed()
    section.screenshot(path=str(ARTIFACTS / "learning-gain-1280.png"))
    shot(desk, "learning-dashboard-1280")

    # 6. At phone width the chart scales down and nothing overflows the page.
    _phone_context, phone = new_page(browser, NARROW)
    phone.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)
    log_in(phone, base, teacher.email, PASSWORD)
    phone.goto(f"{base}/groups/{classroom.group.id}/dashboard")
    chart = phone.locator("#learning").get_by_role(
        "img", name="Average score before and after the lesson, per module"
    )
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= NARROW["width"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    phone.locator("#learning").screenshot(path=str(ARTIFACTS / "learning-gain-375.png"))
    chart.screenshot(path=str(ARTIFACTS / "learning-chart-375.png"))
    assert csp_errors == []
