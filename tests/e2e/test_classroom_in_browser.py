"""In a real browser, a class from the teacher's sign-up to a live session's results.

A teacher and two students, each in their own browser context, use the real pages: the
teacher signs up and makes a class, the students join with its code (no e-mail), the
teacher assigns a lesson, one student takes its quiz with one wrong answer, and the
teacher leads a live session on it. The students' pages follow the teacher's steps by
polling, without a reload; the presenter view counts the answers the same way; the class
dashboard then shows the session's results, the progress matrix and the misconception view.
The teacher also assigns a scenario: it is on the students' to-do lists, Ben plays it
(straight to the database: the play page has its own tests) and the dashboard shows who
did what a careful person would, and the most common mistake.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from learner import live
from learner.scenario_engine import Act
from tests.e2e.pages import (
    DESKTOP,
    PHONE,
    accept_dialogs,
    flash,
    log_in,
    new_page,
    sign_up,
)
from tests.factories import real_catalog

pytestmark = pytest.mark.slow

MODULE_ID = "public-by-default"
SCENARIO_ID = "new-follower-dm"  # the tests' own scenario (tests/data/scenarios)
SCENARIO_TITLE = "A new follower slides into your DMs"
CLASS = "Year 9 Digital Life"
SCHOOL_YEAR = "2026-27"
TEACHER = ("Ms Okafor", "okafor@example.com", "chalk meadow lantern")
# (name others see, username, password)
ANA = ("Ana", "ana_k", "copper kettle autumn")
BEN = ("Ben", "ben_t", "granite willow parade")
POLL = 5_000  # the pages poll every second; a few seconds is plenty
CLASS_LIST = b"name,username\nCara Diaz,cara_d\nDev Shah,dev_s\n"


def mark(page: Page) -> None:
    """Leave a mark in the page's window: a reload (or a new page) wipes it."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of polling"


def join_with_code(browser: Browser, base: str, code: str, student, viewport=DESKTOP) -> Page:
    """A student opens /join in their own browser and makes an account with the code."""
    name, username, password = student
    _context, page = new_page(browser, viewport)
    page.goto(base + "/join")
    expect(page.get_by_label("Group code")).to_be_focused()
    page.keyboard.type(code)
    page.get_by_label("Name others see").fill(name)
    page.get_by_label("Username").fill(username)
    page.get_by_label("13 to 15").check()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Join").click()
    expect(flash(page)).to_have_text(f"You joined {CLASS}.")
    expect(page.get_by_role("heading", level=1)).to_have_text(CLASS)
    expect(page.locator("p.meta")).to_contain_text(f"Classroom {SCHOOL_YEAR}")
    expect(page.locator("p.meta")).to_contain_text("You are: Student")
    return page


def play_in_the_database(database_url: str, username: str, acts) -> None:
    """A finished run of the tests' scenario for a student, as the play page leaves it."""
    from sqlmodel import Session, select

    from app import create_app
    from learner.models import User
    from tests.conftest import test_config
    from tests.factories import play_scenario

    app = create_app(test_config(database_url))
    try:
        with app.app_context(), Session(app.extensions["engine"]) as session:
            user = session.exec(select(User).where(User.username == username)).one()
            play_scenario(session, user, SCENARIO_ID, acts)
    finally:
        app.extensions["engine"].dispose()


def test_a_class_from_sign_up_to_a_live_session(browser, live_server, server_database_url, shot):
    base = live_server.url
    module = real_catalog().get(MODULE_ID)
    steps = live.steps(module)
    first_quiz = next(n for n, step in enumerate(steps) if step.kind == "quiz")
    question = module.quiz[0]
    assert steps[first_quiz].question == question and question.type == "single"
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct)
    others = [c for c in question.choices if c not in (right, wrong)]

    # 1. The teacher signs up and makes the class; the class page shows the join code.
    teacher_name, teacher_email, teacher_password = TEACHER
    teacher_context, teacher = new_page(browser)
    teacher_asked = accept_dialogs(teacher)
    sign_up(
        teacher,
        base,
        kind="Teacher",
        name=teacher_name,
        email=teacher_email,
        password=teacher_password,
    )
    expect(teacher).to_have_url(re.compile(r"/groups/new\?kind=classroom$"))
    expect(teacher.locator(".lead")).to_have_text("New group: Classroom")
    teacher.get_by_label("Name", exact=True).fill(CLASS)
    teacher.get_by_label("School year (optional)").fill(SCHOOL_YEAR)
    teacher.get_by_role("button", name="Create the group").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text(CLASS)
    expect(teacher.locator("p.meta")).to_contain_text(f"Classroom {SCHOOL_YEAR}")
    group_id = int(re.search(r"/groups/(\d+)$", teacher.url).group(1))
    class_url = f"{base}/groups/{group_id}"
    expect(teacher.locator("#code-heading + p")).to_have_text(
        "Anyone with this code can join as a student:"
    )
    code = teacher.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code), code

    # 2. Two students join with the code, each in their own browser (Ben on a phone).
    ana = join_with_code(browser, base, code, ANA)
    ben = join_with_code(browser, base, code, BEN, viewport=PHONE)
    teacher.reload()
    learners = teacher.locator("#learners-heading + table tbody tr")
    expect(learners.locator("td:nth-child(1)")).to_have_text([ANA[0], BEN[0]])
    expect(learners.locator("td:nth-child(2)")).to_have_text([ANA[1], BEN[1]])

    # 3. The teacher assigns the lesson, due in a week.
    due = datetime.now(UTC).date() + timedelta(days=7)
    due_text = format_date(due, "medium", locale="en")
    teacher.get_by_role("link", name="Assignments").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Assigned lessons")
    expect(teacher.locator(".empty")).to_contain_text("Nothing assigned yet.")
    lesson_form = teacher.locator("#assign-heading + form")
    lesson_form.get_by_label("Lesson", exact=True).select_option(label=module.title)
    lesson_form.get_by_label("Due on").fill(due.isoformat())
    lesson_form.get_by_role("button", name="Assign").click()
    expect(flash(teacher)).to_have_text(f"Assigned: {module.title}.")
    assigned = teacher.locator("table.assigned tbody tr")
    expect(assigned).to_have_count(1)
    expect(assigned.locator("td").nth(0)).to_have_text(module.title)
    # The page says what the permit needs beyond this lesson, for each student.
    permit = teacher.locator("section[aria-labelledby=permit-heading]")
    expect(permit.locator(".permit-rule")).to_contain_text("every instruction lesson passed")
    expect(permit.locator(".permit-lessons li").filter(has_text=module.title)).to_contain_text(
        "assigned"
    )
    expect(permit.locator("tbody th")).to_have_text([ANA[0], BEN[0]])
    expect(permit.locator("tbody td").first).to_contain_text("privacy setup not done yet")

    # ... and a scenario, due the same day.
    scenario_form = teacher.locator("#scenario-assign-heading + form")
    scenario_form.get_by_label("Scenario", exact=True).select_option(label=SCENARIO_TITLE)
    scenario_form.get_by_label("Due on").fill(due.isoformat())
    scenario_form.get_by_role("button", name="Assign the scenario").click()
    expect(flash(teacher)).to_have_text(f"Assigned: {SCENARIO_TITLE}.")
    scenario_rows = teacher.locator("#scenario-assigned-heading + table tbody tr")
    expect(scenario_rows).to_have_count(1)
    expect(scenario_rows.locator("td").nth(0)).to_have_text(SCENARIO_TITLE)
    expect(scenario_rows.locator("td").nth(1)).to_have_text(due_text)

    # Ben finds it on his to-do list, on his phone, linked to the scenario.
    ben.goto(class_url)
    ben.set_viewport_size({"width": 375, "height": 812})
    ben_todo = ben.locator(".todos li").filter(has_text=SCENARIO_TITLE)
    expect(ben_todo.locator(".meta")).to_have_text(f"{CLASS} · due {due_text}")
    expect(ben_todo.get_by_role("link", name=SCENARIO_TITLE)).to_have_attribute(
        "href", f"/scenarios/{SCENARIO_ID}"
    )
    assert ben.evaluate("document.documentElement.scrollWidth") <= 375
    shot(ben, "classroom-00-student-todo-scenario-375")
    ben.set_viewport_size(PHONE)
    # Ana plays it carefully, Ben gives the stranger his number.
    play_in_the_database(
        server_database_url, ANA[1], [Act("block", "rio", 10), Act("tell_adult", None, 11)]
    )
    play_in_the_database(
        server_database_url,
        BEN[1],
        [Act("reply", "dm1", 12, text="555-201-3344", categories=frozenset({"privacy.phone"}))],
    )

    # 4. Ana finds it on her to-do list and takes the quiz, wrong on the first question.
    ana.goto(class_url)
    expect(ana.locator(".todos li")).to_have_count(2)  # the lesson and the scenario, done
    expect(ana.locator(".todos li").filter(has_text=SCENARIO_TITLE)).to_contain_text("done")
    todo = ana.locator(".todos li").filter(has_text=module.title)
    expect(todo.locator(".meta")).to_have_text(f"{CLASS} · due {due_text}")
    todo.get_by_role("link", name=module.title).click()
    expect(ana.get_by_role("heading", level=1)).to_have_text(module.title)
    for q in module.quiz:
        picks = [wrong] if q is question else [c for c in q.choices if c.correct]
        fieldset = ana.locator(f"#question-{q.id}")
        for choice in picks:
            fieldset.get_by_label(choice.text, exact=True).check()
    ana.get_by_role("button", name="Check my answers").click()
    score = (len(module.quiz) - 1) * 100 // len(module.quiz)
    expect(ana.locator("#result")).to_have_text(f"Your result: {score}%")
    expect(ana.locator(".results li.result.wrong")).to_have_count(1)
    expect(ana.locator(".results li.result.wrong strong")).to_have_text(question.question)

    # 5. The teacher starts a live session from the dashboard; the presenter view opens.
    teacher.get_by_role("link", name="Class dashboard").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Class dashboard")
    start_form = teacher.locator("#live-heading ~ form")
    start_form.get_by_label("Lesson", exact=True).select_option(label=module.title)
    start_form.get_by_label("Time for each question").select_option(label="60 seconds")
    teacher.get_by_role("button", name="Start a live session").click()
    expect(teacher).to_have_url(re.compile(rf"/groups/{group_id}/live/\d+$"))
    live_url = teacher.url
    step_meta = teacher.locator("[data-live-region] p.meta")
    expect(step_meta).to_have_text(f"{module.title} · step 1 of {len(steps)}")
    expect(teacher.get_by_role("heading", level=1)).to_have_text(module.title)
    expect(teacher.locator("[data-joined]")).to_have_text("0")
    mark(teacher)

    # Both students open their class page and join the session.
    for n, student in enumerate((ana, ben), start=1):
        student.goto(class_url)
        expect(student.locator(".live-banner h2")).to_have_text("A live session is on")
        student.get_by_role("button", name="Join the live session").click()
        expect(student).to_have_url(live_url)
        # The presenter counts them as they come in, without a reload and without names.
        expect(teacher.locator("[data-joined]")).to_have_text(str(n), timeout=POLL)
        expect(student.get_by_role("heading", level=1)).to_have_text(module.title)
        expect(student.locator(".live .hint")).to_have_text(
            "Follow along; the next step appears by itself."
        )
        mark(student)
    assert_not_reloaded(teacher)
    expect(teacher.locator("[data-live-region]")).not_to_contain_text(ANA[0])
    shot(teacher, "classroom-02a-presenter-joined")

    # 6. The teacher goes on to the first quiz question ...
    for n in range(1, first_quiz + 1):
        teacher.get_by_role("button", name="Next step").click()
        expect(step_meta).to_have_text(f"{module.title} · step {n + 1} of {len(steps)}")
    expect(teacher.get_by_role("heading", level=1)).to_have_text(question.question)
    expect(teacher.locator("[data-answered]")).to_have_text("0")
    mark(teacher)

    # ... and it appears on the students' pages by itself, without a reload.
    for student in (ana, ben):
        expect(student.get_by_role("heading", level=1)).to_have_text(
            question.question, timeout=POLL
        )
        expect(student.locator("[data-live-region] p.meta")).to_have_text(
            f"{module.title} · step {first_quiz + 1} of {len(steps)}"
        )
        expect(student.get_by_role("button", name="Send my answer")).to_be_visible()
        # The question's timer counts down on the student's screen.
        expect(student.locator(".countdown")).to_have_text(re.compile(r"^[1-6]?\d seconds left$"))
        expect(student.locator(".live-answer input[name=choice]")).to_have_count(
            len(question.choices)
        )
        assert_not_reloaded(student)
    assert ben.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the student's live page must fit a phone screen"
    )
    shot(ben, "classroom-01-student-question-phone")

    # 7. Each student answers: Ana rightly, Ben wrongly.
    for student, choice in ((ana, right), (ben, wrong)):
        student.get_by_label(choice.text, exact=True).check()
        student.get_by_role("button", name="Send my answer").click()
        # One message, inside the part of the page that follows the teacher.
        expect(flash(student)).to_have_count(1)
        expect(student.locator("[data-live-region] .flash")).to_have_text(
            "Your answer is in. Wait for your teacher to go on."
        )
        expect(student.locator(".live-answer")).to_have_count(0)
        mark(student)

    # The presenter view counts both answers, without a reload.
    expect(teacher.locator("[data-answered]")).to_have_text("2", timeout=POLL)
    bars = teacher.locator("[data-live-region] .bars > li:not(.feedback)")
    expect(bars.locator(".bar-label")).to_have_text([c.text for c in question.choices])
    counts = {right.id: "1", wrong.id: "1"} | {c.id: "0" for c in others}
    expect(bars.locator(".bar-count")).to_have_text([counts[c.id] for c in question.choices])
    expect(bars.filter(has_text=right.text).locator(".bar-fill")).to_have_class(
        re.compile(r"\bw50\b")
    )
    expect(teacher.locator(".bars li.right")).to_have_count(0)  # not shown yet
    assert_not_reloaded(teacher)
    shot(teacher, "classroom-02-presenter-counts")

    # The teacher may see the names on their own screen; the students never do.
    teacher.get_by_role("link", name="Show who joined, by name, on my screen only").click()
    roll = teacher.locator(".live-roll li")
    expect(roll).to_have_text([f"{ANA[0]} answered", f"{BEN[0]} answered"])
    for student in (ana, ben):
        expect(student.locator("main")).not_to_contain_text("Who joined")
    other_name = {id(ana): BEN[0], id(ben): ANA[0]}
    for student in (ana, ben):
        expect(student.locator("[data-live-region]")).not_to_contain_text(other_name[id(student)])

    # The teacher shows the answer; the students see it marked, without a reload.
    teacher.get_by_role("button", name="Show the answer").click()
    expect(teacher.locator(".bars li.right .bar-label")).to_have_text(f"{right.text} right")
    expect(teacher.get_by_role("button", name="Show the answer")).to_have_count(0)
    for student, mine in ((ana, right), (ben, wrong)):
        marked = student.locator(".bars li.right")
        expect(marked).to_have_count(1, timeout=POLL)
        expect(marked.locator(".tag").first).to_have_text("right")
        expect(marked.locator(".bar-label")).to_contain_text(right.text)
        yours = student.locator(".bars li").filter(has_text="your answer")
        expect(yours).to_have_count(1)
        expect(yours.locator(".bar-label")).to_contain_text(mine.text)
        expect(student.locator(".bars .bar-count")).to_have_text(
            [counts[c.id] for c in question.choices]
        )
        expect(student.locator(".live-waiting")).to_have_text(
            "The right answer is marked below. Waiting for the next step."
        )
        expect(student.locator("[data-live-region]")).not_to_contain_text("Wait for your teacher")
        assert_not_reloaded(student)
    assert ben.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(ben, "classroom-03-student-answer-phone")

    # 8. The teacher ends the session and lands on the dashboard.
    for student in (ana, ben):
        mark(student)
    teacher.get_by_role("button", name="End the session").click()
    expect(teacher).to_have_url(f"{class_url}/dashboard")
    assert teacher_asked[-1] == "End the session for everyone?"
    expect(flash(teacher)).to_have_text(
        "The session has ended. The class's results are on the dashboard."
    )
    for student in (ana, ben):  # the students' pages say so by themselves
        expect(student.get_by_role("heading", level=1)).to_have_text(
            "The session has ended", timeout=POLL
        )
        assert_not_reloaded(student)
    ana.goto(class_url)
    expect(ana.locator(".live-banner")).to_have_count(0)

    # The latest live session: the question the class answered, with counts (the session
    # ended before the others).
    results = teacher.locator("section[aria-labelledby=live-results-heading]")
    expect(results.locator("h2")).to_have_text(f"Latest live session: {module.title}")
    expect(results.locator("h3")).to_have_text([question.question])
    expect(results.locator("p.meta")).to_have_text(["2 answers"])
    first = results.locator("ul.bars").first.locator("li")
    expect(first.locator(".bar-count")).to_have_text([counts[c.id] for c in question.choices])
    expect(results.locator("ul.bars").first.locator("li.right .bar-label")).to_have_text(
        f"{right.text} right"
    )

    # The progress matrix: Ana did the lesson with her score, Ben has not started.
    matrix = teacher.locator("table.matrix")
    expect(matrix.locator("thead th").nth(4)).to_contain_text(module.title)
    expect(matrix.locator("thead th").nth(4)).to_contain_text(f"due {due_text}")
    # The headers wrap instead of cutting the lesson titles, and the table stays in its box.
    cut = matrix.evaluate(
        "t => [...t.querySelectorAll('thead th')].filter(th => th.scrollWidth > th.clientWidth + 1)"
        ".map(th => th.textContent)"
    )
    assert cut == [], cut
    box = teacher.locator("section[aria-labelledby=matrix-heading]")
    assert box.evaluate("s => s.scrollWidth <= s.clientWidth"), "the table overflows its box"
    rows = matrix.locator("tbody tr")
    expect(rows.locator("th")).to_have_text([ANA[0], BEN[0]])
    expect(rows.nth(0).locator("td").nth(3)).to_have_text(f"done · {score} %")
    expect(rows.nth(0).locator("td").nth(3)).to_have_class("cell-done")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("not started")
    expect(rows.nth(1).locator("td").nth(3)).to_have_class("cell-todo")
    # What stands between each of them and the permit: Ana passed one of the lessons.
    expect(rows.nth(0).locator("td.permit-gap")).to_contain_text("5 lessons:")
    expect(rows.nth(1).locator("td.permit-gap")).to_contain_text("6 lessons:")

    # The misconception view: Ana's first attempt, her wrong answer marked.
    stats = teacher.locator("article.question-stats")
    expect(stats).to_have_count(len(module.quiz))
    first_stats = stats.filter(has=teacher.get_by_role("heading", name=question.question))
    expect(first_stats.locator("p.meta")).to_have_text(f"{module.title} · 1 student answered")
    misconception = first_stats.locator("li.misconception")
    expect(misconception).to_have_count(1)
    expect(misconception.locator(".bar-label")).to_have_text(
        f"{wrong.text} most chosen wrong answer"
    )
    expect(misconception.locator(".bar-count")).to_have_text("1 (100 %)")
    expect(first_stats.locator("li.right .bar-count")).to_have_text("0 (0 %)")
    expect(teacher.locator("li.misconception")).to_have_count(1)  # all else was right

    # The scenario figures: of the two who finished it, who did what a careful person
    # would, and the mistake made most.
    figures = teacher.locator("article.scenario-figures")
    expect(figures.locator("h3")).to_have_text(SCENARIO_TITLE)
    expect(figures.locator("p.meta")).to_have_text("2 students finished it · 1 passed")
    expect(figures.locator(".bar-label")).to_have_text(
        [
            "Never: write a reply that the coach flags: phone number",
            "Block Rio",
            "Tell a trusted adult",
        ]
    )
    expect(figures.locator(".bar-count")).to_have_text(["1 (50 %)", "1 (50 %)", "1 (50 %)"])
    expect(figures.locator("p.misconception")).to_contain_text(
        "most common mistake Write a reply that the coach flags: phone number: 1 student (50 %)."
    )
    shot(teacher, "classroom-04-dashboard")
    teacher.set_viewport_size({"width": 375, "height": 812})
    figures.scroll_into_view_if_needed()
    shot(teacher, "classroom-05-dashboard-scenarios-375")

    # 9. The teacher adds two students from a class list: their login cards print alone.
    teacher.goto(class_url)
    teacher.get_by_role("link", name="Add a class list (CSV)").click()
    teacher.get_by_label("Class list (CSV file)").set_input_files(
        files=[{"name": "class.csv", "mimeType": "text/csv", "buffer": CLASS_LIST}]
    )
    teacher.get_by_label("13 to 15").check()
    teacher.get_by_role("button", name=re.compile("^Create")).click()
    cards = teacher.locator(".login-cards > li")
    expect(cards).to_have_count(2)
    print_button = teacher.get_by_role("button", name="Print the 2 cards")
    expect(print_button).to_be_visible()
    # (The expression ends in a number: Playwright calls an expression that is a function.)
    teacher.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }; 0")
    print_button.click()
    assert teacher.evaluate("window.__printed") == 1, "the print button must open printing"
    teacher.emulate_media(media="print")
    expect(cards).to_have_count(2)
    for card in cards.all():
        expect(card).to_be_visible()
    for hidden in (".site-header", "h1", ".print-hint", ".flashes", ".site-footer"):
        expect(teacher.locator(hidden).first).to_be_hidden()
    shot(teacher, "classroom-05-cards-print")
    teacher.emulate_media(media="screen")

    # A card got lost: new cards for one student; her old password stops working.
    first_password = cards.nth(0).locator(".secret").inner_text()
    lost_username = cards.nth(0).locator(".username").inner_text()
    teacher.get_by_role("link", name="New cards for other students").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("New login cards")
    teacher.get_by_label(re.compile(rf"\({re.escape(lost_username)}\)$")).check()
    teacher.get_by_role("button", name="Make new passwords and cards").click()
    expect(teacher.locator(".field-error")).to_have_text(
        "Tick the box to confirm the new passwords."
    )
    teacher.get_by_label(re.compile(rf"\({re.escape(lost_username)}\)$")).check()
    teacher.get_by_label(re.compile("their current passwords stop working")).check()
    teacher.get_by_role("button", name="Make new passwords and cards").click()
    expect(cards).to_have_count(1)
    expect(cards.locator(".username")).to_have_text(lost_username)
    new_password = cards.locator(".secret").inner_text()
    assert new_password != first_password
    expect(teacher.get_by_role("button", name="Print the card")).to_be_visible()
    card_context, card_page = new_page(browser, PHONE)
    card_page.goto(base + "/login")
    card_page.locator("#login").fill(lost_username)
    card_page.keyboard.press("Tab")
    card_page.keyboard.type(first_password)
    card_page.keyboard.press("Enter")
    expect(card_page).to_have_url(re.compile(r"/login$"))
    log_in(card_page, base, lost_username, new_password)
    card_context.close()

    for context in (ana.context, ben.context, teacher_context):
        context.close()

    # The students' pages asked for the state (polling), and nothing failed on the server.
    log = [line.split() for line in live_server.log_lines()]
    polls = [line for line in log if line[1] == "GET" and line[2].endswith("/state")]
    assert len(polls) > 4, "the live pages did not poll"
    assert not [line for line in log if line[-1].startswith("5")], log
