"""In a real browser, a whole family journey: the parent's sign-up to the teen's license.

Two parents and a teen, each in their own browser context, use the real pages: sign-up,
the family group, the teen's account, an invite for a second parent, the privacy setup
and its co-signature, the ladder's numbers, practice posts with a request for changes,
sign-offs, the certificate and its public check, and the teen's log of what the parents
did. Only what would take days or a dozen quizzes is done straight in the database: the
lessons of each stage are marked complete, and the days at provisional are backdated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from learner import privacy, progress
from learner.core.db import utc_now
from learner.models import AgeBand, GroupKind, Membership, User
from lessons.quiz import score
from tests.e2e.pages import DESKTOP, PHONE, accept_dialogs, flash, log_in, new_page, sign_up
from tests.factories import pass_scenarios, real_catalog

pytestmark = pytest.mark.slow

FAMILY = "The Riveras"
PARENT = ("Maria", "maria@example.com", "orbit lantern quiet")
SECOND_PARENT = ("Alex", "alex@example.com", "meadow copper signal")
TEEN = ("Sam Rivera", "sam_r", "pebble harbour violin")

FIRST_POST = "I go to Lincoln High and we swam in the lake today. Freezing but worth it!"
FIRST_POST_FIXED = "We swam in the lake today. Freezing but worth it!"
PARENT_NOTE = "Lovely post! Leave out the name of your school, please."
SECOND_POST = "Finished my first pottery bowl today. It is a bit lopsided but I love it."
PROVISIONAL_POST = "Practised guitar for an hour: the new song finally sounds like a song."


# --- Straight to the database (what would take days or many quizzes) ----------------------


class Backstage:
    """Writes to the live server's database, for the steps the journey shortens."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    @contextmanager
    def session(self) -> Iterator[Session]:
        from app import create_app
        from tests.conftest import test_config

        app = create_app(test_config(self.database_url))
        try:
            with app.app_context(), Session(app.extensions["engine"]) as session:
                yield session
        finally:
            app.extensions["engine"].dispose()

    def complete_lessons(self, username: str, stage: str) -> int:
        """Pass every family-track module of a stage with all answers right; how many."""
        modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.FAMILY]))
        modules = [m for m in modules if m.stage == stage]
        assert modules, f"the catalog has no {stage!r} lessons for families"
        with self.session() as session:
            user = session.exec(select(User).where(User.username == username)).one()
            for module in modules:
                answers = {q.id: q.correct_ids for q in module.quiz}
                result = score(module, answers)
                assert result.passed
                progress.submit_quiz(
                    session=session, user=user, module=module, result=result, now=utc_now()
                )
            session.commit()
        return len(modules)

    def pass_scenarios(self, username: str) -> int:
        """Pass every instruction scenario the permit asks of a family's learner; how many."""
        with self.session() as session:
            user = session.exec(select(User).where(User.username == username)).one()
            return pass_scenarios(session, user, kind=GroupKind.FAMILY)

    def backdate_level(self, membership_id: int, days: int) -> None:
        """Pretend the learner reached their current level `days` ago."""
        with self.session() as session:
            membership = session.get(Membership, membership_id)
            membership.level_since = membership.level_since - timedelta(days=days)
            session.add(membership)
            session.commit()


@pytest.fixture
def backstage(server_database_url) -> Backstage:
    return Backstage(server_database_url)


# --- Browser helpers ------------------------------------------------------------------------


def level_badge(page: Page):
    """The level shown at the top of a learner's pages."""
    return page.locator("main .level").first


def checklist_item(page: Page, label: str):
    return page.locator(".checklist li").filter(has_text=label)


def decide(page: Page, decision: str, *, reason: str | None = None, note: str = "") -> None:
    """On a post waiting for review: choose a decision, optionally a reason and a note."""
    page.get_by_label(decision).check()
    if reason:
        page.get_by_label(reason).check()
    if note:
        page.get_by_label("Note to the learner").fill(note)
    page.get_by_role("button", name="Send decision").click()
    expect(flash(page)).to_have_text("Your decision is sent to the learner.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")


def open_in_queue(page: Page, base_url: str, group_id: int, body: str, revision: int = 1) -> None:
    """Open the review queue, find the post by its text and open it for review."""
    page.goto(f"{base_url}/groups/{group_id}/review")
    expect(page.locator(".lead")).to_have_text("1 post waits for review, oldest first.")
    item = page.locator(".queue-item").filter(has_text=body)
    expect(item.locator(".post-head strong")).to_have_text(TEEN[0])
    if revision > 1:
        expect(item.locator(".tag").filter(has_text="revision")).to_have_text(
            f"revision {revision}"
        )
    item.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Post by {TEEN[0]}")
    expect(page.locator(".post-full .post-body")).to_have_text(body)
    expect(page.locator(".meta .tag").first).to_have_text("waiting for review")


def write_post(page: Page, base_url: str, group_id: int, body: str, button: str) -> None:
    """From the practice feed, write a post and press `button`."""
    page.goto(f"{base_url}/groups/{group_id}/feed")
    page.get_by_role("link", name="Write a post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a post")
    page.get_by_label("Your post").fill(body)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your post")
    expect(page.locator(".post-full .post-body")).to_have_text(body)


# --- The journey ----------------------------------------------------------------------------


def test_family_journey_from_sign_up_to_license(browser, live_server, backstage, shot):
    base = live_server.url
    maria_name, maria_email, maria_password = PARENT
    teen_name, teen_username, teen_password = TEEN

    # 1. Maria signs up as a parent and creates the family group.
    parent_context, parent = new_page(browser)
    parent_asked = accept_dialogs(parent)
    sign_up(
        parent,
        base,
        kind="Parent or mentor",
        name=maria_name,
        email=maria_email,
        password=maria_password,
    )
    expect(parent).to_have_url(re.compile(r"/groups/new\?kind=family$"))
    expect(parent.locator(".lead")).to_have_text("New group: Family")
    # A parent is not offered a class or a workplace, nor asked for a school year.
    expect(parent.get_by_label("School year", exact=False)).to_have_count(0)
    parent.get_by_label("Name", exact=True).fill(FAMILY)
    parent.get_by_role("button", name="Create the group").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(FAMILY)
    group_id = int(re.search(r"/groups/(\d+)$", parent.url).group(1))

    # ... creates Sam's account (no e-mail) ...
    parent.get_by_role("link", name="Create an account for a teen").click()
    parent.get_by_label("Name others see").fill(teen_name)
    parent.get_by_label("Username").fill(teen_username)
    parent.get_by_label("13 to 15").check()
    parent.get_by_label("Password", exact=True).fill(teen_password)
    parent.get_by_label("Type the password again").fill(teen_password)
    parent.get_by_role("button", name="Create the account").click()
    expect(flash(parent)).to_have_text(f"{teen_name} can now log in as {teen_username}.")
    teen_row = parent.locator("#learners-heading + table tbody tr").filter(has_text=teen_name)
    expect(teen_row.locator("td").nth(1)).to_have_text(teen_username)
    expect(teen_row.locator(".level")).to_have_text("Instruction")
    progress_href = teen_row.get_by_role("link", name="Progress").get_attribute("href")
    member_id = int(re.search(r"/members/(\d+)/progress$", progress_href).group(1))
    member_url = f"{base}/groups/{group_id}/members/{member_id}"

    # ... and an invite link for a second parent.
    parent.get_by_role("link", name="Invite by link").click()
    parent.get_by_label("Parent or mentor").check()
    parent.get_by_role("button", name="Make the link").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Your invite link")
    link = parent.locator("#invite-link").input_value()
    assert re.fullmatch(re.escape(base) + r"/invite/[\w-]+", link), link

    # Alex opens the link in another browser and signs up on the spot.
    alex_context, alex = new_page(browser)
    alex_name, alex_email, alex_password = SECOND_PARENT
    alex.goto(link)
    expect(alex.get_by_role("heading", level=1)).to_have_text(f"Join {FAMILY}")
    expect(alex.locator("main")).to_contain_text(
        "You are invited to this family as: Parent or mentor."
    )
    alex.get_by_label("Name others see").fill(alex_name)
    alex.get_by_label("E-mail").fill(alex_email)
    alex.get_by_label("Password", exact=True).fill(alex_password)
    alex.get_by_label("Type the password again").fill(alex_password)
    alex.get_by_label("I am 18 or older").check()
    alex.get_by_role("button", name="Accept the invite").click()
    expect(flash(alex)).to_have_text(f"You joined {FAMILY}.")
    expect(alex.locator("p.meta")).to_contain_text("You are: Parent or mentor")
    expect(alex.locator(".people .name")).to_have_text([alex_name, maria_name])  # by name
    # The link worked once: Maria's group page no longer lists it as open.
    parent.goto(f"{base}/groups/{group_id}")
    expect(parent.locator("#invites-heading + .empty")).to_contain_text("No open invites.")

    # 2. Sam logs in; the instruction lessons are done (shortcut); Sam does the privacy setup.
    teen_context, teen = new_page(browser)
    log_in(teen, base, teen_username, teen_password)
    expect(teen.get_by_role("heading", level=1)).to_have_text(f"Hello, {teen_name}")
    instruction_lessons = backstage.complete_lessons(teen_username, "instruction")
    instruction_scenarios = backstage.pass_scenarios(teen_username)
    assert instruction_scenarios, "the tests' scenarios have one for a 13-year-old"
    teen.get_by_role("link", name="Privacy setup").click()
    expect(teen.get_by_role("heading", level=1)).to_have_text(
        "Privacy setup for your practice profile"
    )
    for setting in privacy.SETTINGS:
        recommended = str(setting.recommended_for(AgeBand.AGE_13_15).label)
        teen.locator(f"#setting-{setting.id}").get_by_label(recommended, exact=True).check()
    teen.get_by_role("button", name="Save my settings").click()
    expect(flash(teen)).to_contain_text("Your privacy setup is saved.")
    expect(teen.locator("#score-heading")).to_have_text("Your score: 100%")
    expect(teen.locator("#score-heading + .note")).to_have_text(
        "Not co-signed yet: go through it with a parent, teacher or manager."
    )

    # ... and proposes the family agreement, one part a single 400-letter word.
    teen.goto(f"{member_url}/agreement")
    long_word = "a" * 400
    teen.get_by_label("Passwords").fill("Only Mum knows them, in the notebook.")
    teen.get_by_label("Checking in").fill("Every Sunday evening, together.")
    teen.get_by_label("After a mistake").fill("We talk first, no punishment for telling.")
    teen.get_by_label("When checks get lighter").fill(long_word)
    teen.get_by_role("button", name="Propose and sign").click()
    expect(flash(teen)).to_contain_text("It takes effect when the other side signs too")
    assert teen.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], (
        "a long word must wrap, not widen the page"
    )
    teen.goto(f"{base}/dashboard")
    expect(teen.locator(".todo-cosign")).to_contain_text("waiting for your parent to co-sign it")

    # 3. Maria's dashboard says what waits: she co-signs from there ...
    parent.goto(f"{base}/dashboard")
    waiting = parent.locator(".todo-panel")
    expect(waiting.locator(".todo-cosign")).to_contain_text(
        f"{teen_name} saved their privacy setup"
    )
    expect(waiting.locator(".todo-agreement")).to_contain_text(
        f"{teen_name} proposed a family agreement"
    )
    shot(parent, "journey-00-waiting-for-you")
    waiting.locator(".todo-cosign").get_by_role("link", name="Co-sign").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(f"Progress of {teen_name}")
    privacy_panel = parent.locator("#privacy")
    expect(privacy_panel).to_contain_text("Score: 100%")
    expect(privacy_panel.locator(".tag")).to_have_text("not co-signed yet")
    privacy_panel.get_by_role("button", name="We went through it together: co-sign").click()
    expect(flash(parent)).to_have_text("You co-signed the privacy setup.")
    expect(privacy_panel.locator(".tag")).to_contain_text("co-signed on")
    assert parent_asked[-1] == "Co-sign this privacy setup?"
    teen.goto(f"{base}/privacy")
    expect(teen.locator("#score-heading + .note")).to_have_text(
        f"Co-signed by a supervisor in: {FAMILY}."
    )

    # ... and signs the agreement, found on the same list.
    parent.goto(f"{base}/dashboard")
    expect(parent.locator(".todo-cosign")).to_have_count(0)
    parent.locator(".todo-agreement").get_by_role("link", name="Read and sign").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(
        f"Family agreement with {teen_name}"
    )
    parent.get_by_role("button", name="I agree: sign this version").click()
    expect(flash(parent)).to_have_text("The agreement is signed by both sides and now in force.")
    parent.goto(f"{base}/dashboard")
    expect(parent.locator(".todo-agreement")).to_have_count(0)
    # What is left: the "Talk about it" prompts of the lessons Sam just finished.
    talks = parent.locator(".todo-talk")
    expect(talks.first).to_contain_text(f"{teen_name} finished")
    talks.first.get_by_role("link", name="See the prompts").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(f"Progress of {teen_name}")

    # ... then signs Sam off to the learner's permit.
    parent.goto(f"{base}/groups/{group_id}")
    teen_row.get_by_role("link", name="Next level").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text(
        f"{teen_name}'s road to the next level"
    )
    expect(parent.locator("#checklist-heading")).to_have_text("To reach Learner's permit")
    expect(parent.locator(".checklist li.unmet")).to_have_count(0)
    expect(checklist_item(parent, "Practice scenarios passed")).to_contain_text(
        f"{instruction_scenarios} of {instruction_scenarios}"
    )
    expect(checklist_item(parent, "Lessons of this stage")).to_contain_text(
        f"{instruction_lessons} of {instruction_lessons}"
    )
    parent.get_by_role("button", name="Sign off to Learner's permit").click()
    expect(flash(parent)).to_have_text(f"Signed off: {teen_name} is now at Learner's permit.")
    assert parent_asked[-1] == f"Sign {teen_name} off to Learner's permit?"
    expect(level_badge(parent)).to_have_text("Learner's permit")

    # 4. Maria makes the road short for the test.
    parent.goto(f"{base}/groups/{group_id}")
    parent.get_by_role("link", name="The ladder's numbers").click()
    expect(parent.get_by_label("Approved posts to leave the permit")).to_have_value("10")
    parent.get_by_label("Approved posts to leave the permit").fill("2")
    parent.get_by_label("Of those, the latest in a row that needed no changes").fill("1")
    parent.get_by_label("Days at provisional before the license").fill("1")
    parent.get_by_label("Posts at provisional without a flag").fill("1")
    parent.get_by_role("button", name="Save").click()
    expect(flash(parent)).to_contain_text("The ladder's numbers are saved.")
    expect(parent.get_by_label("Approved posts to leave the permit")).to_have_value("2")

    # 5. Sam's first post waits for review ...
    write_post(teen, base, group_id, FIRST_POST, "Send for review")
    expect(flash(teen)).to_have_text("Sent. A supervisor will review it before it appears.")
    expect(teen.locator(".meta .tag").first).to_have_text("waiting for review")
    expect(teen.locator("#findings .finding")).to_contain_text("Your school")
    first_post_url = teen.url

    # ... Maria finds it in the queue (also at phone width) and asks for a change.
    open_in_queue(parent, base, group_id, FIRST_POST)
    parent.go_back()
    parent.set_viewport_size(PHONE)
    expect(parent.locator(".queue-item")).to_have_count(1)
    assert parent.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the review queue must fit a phone screen"
    )
    shot(parent, "journey-01-review-queue-phone")
    parent.set_viewport_size(DESKTOP)
    shot(parent, "journey-02-review-queue")
    parent.locator(".queue-item").get_by_role("link", name="Review").click()
    decide(
        parent,
        "Ask for changes",
        reason="Shares personal information",
        note=PARENT_NOTE,
    )
    expect(parent.locator(".lead")).to_have_text("0 posts wait for review, oldest first.")

    # Sam hears about it, reads the note and changes the post.
    teen.goto(base + "/dashboard")
    teen.get_by_role("link", name=re.compile(r"^Notifications")).click()
    teen.get_by_role("link", name=f"{maria_name} asked for changes to your post").click()
    expect(teen).to_have_url(first_post_url)
    expect(teen.locator(".meta .tag").first).to_have_text("waiting for your changes")
    note = teen.locator(".timeline li").filter(has_text="asked for changes to this post")
    expect(note.locator(".quote")).to_have_text(PARENT_NOTE)
    expect(note.locator(".hint")).to_have_text("Shares personal information")
    shot(teen, "journey-03-post-with-parent-note")
    teen.get_by_role("link", name="Change it", exact=True).click()
    expect(teen.get_by_role("heading", level=1)).to_have_text("Change your post")
    expect(teen.get_by_label("Your post")).to_have_value(FIRST_POST)
    teen.get_by_label("Your post").fill(FIRST_POST_FIXED)
    teen.get_by_role("button", name="Send for review").click()
    expect(flash(teen)).to_have_text("Sent. A supervisor will review it before it appears.")
    expect(teen.locator(".post-full .post-body")).to_have_text(FIRST_POST_FIXED)
    expect(teen.locator("p.meta")).to_contain_text("revision 2")
    expect(teen.locator(".meta .tag").first).to_have_text("waiting for review")

    # Maria approves the changed post.
    open_in_queue(parent, base, group_id, FIRST_POST_FIXED, revision=2)
    decide(parent, "Approve: it appears in the feed")

    # A second post, approved as it is.
    write_post(teen, base, group_id, SECOND_POST, "Send for review")
    open_in_queue(parent, base, group_id, SECOND_POST)
    decide(parent, "Approve: it appears in the feed")

    teen.goto(f"{base}/groups/{group_id}/feed")
    feed = teen.locator("section[aria-labelledby=feed-heading] .post-body")
    expect(feed).to_have_text([SECOND_POST, FIRST_POST_FIXED])
    mine = teen.locator("section[aria-labelledby=mine-heading] .post-card")
    expect(mine.locator(".status-published")).to_have_count(2)

    # Opening each post from the queue counted as reading its notification.
    parent.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(parent.locator(".notifications li")).to_have_count(3)
    expect(parent.locator(".notifications li.unread")).to_have_count(0)
    expect(parent.locator(".notifications li").first).to_contain_text(
        f"{teen_name} sent a post for review"
    )
    expect(parent.get_by_role("button", name="Mark all as read")).to_have_count(0)
    expect(parent.locator("nav .badge")).to_have_count(0)

    # 6. The permit lessons are done (shortcut); Sam sees the ticked list and asks.
    permit_lessons = backstage.complete_lessons(teen_username, "permit")
    teen.get_by_role("link", name="My next level").click()
    expect(teen.get_by_role("heading", level=1)).to_have_text("Your road to the next level")
    expect(level_badge(teen)).to_have_text("Learner's permit")
    expect(teen.locator("#checklist-heading")).to_have_text("To reach Provisional")
    expect(checklist_item(teen, "Approved practice posts")).to_contain_text("2 of 2")
    expect(checklist_item(teen, "The last approved post needed no changes")).to_contain_text(
        "1 of 1"
    )
    expect(checklist_item(teen, "Lessons of this stage")).to_contain_text(
        f"{permit_lessons} of {permit_lessons}"
    )
    expect(teen.locator(".checklist li.met")).to_have_count(4)
    expect(teen.locator(".checklist li.unmet")).to_have_count(0)
    shot(teen, "journey-04-checklist")
    teen.get_by_role("button", name="Ask for sign-off").click()
    expect(flash(teen)).to_have_text("Your supervisors know you are ready.")
    expect(teen.locator(".checklist + .note")).to_contain_text("You asked for sign-off on")

    # Maria is told (one unread notification) and signs Sam off to provisional.
    parent.goto(base + "/dashboard")
    badge = parent.locator("nav .badge")
    expect(badge).to_have_text("1")
    expect(badge).to_have_attribute("aria-label", "1 unread")
    parent.get_by_role("link", name=re.compile(r"^Notifications")).click()
    parent.get_by_role("link", name=f"{teen_name} is ready for sign-off").click()
    expect(parent).to_have_url(f"{member_url}/ladder")
    expect(parent.locator("main")).to_contain_text(f"{teen_name} asked for sign-off on")
    parent.get_by_role("button", name="Sign off to Provisional").click()
    expect(flash(parent)).to_have_text(f"Signed off: {teen_name} is now at Provisional.")
    assert parent_asked[-1] == f"Sign {teen_name} off to Provisional?"
    # Alex, the second parent, was told too.
    alex.goto(base + "/notifications")
    expect(
        alex.locator(".notifications li").filter(has_text=f"{teen_name} is ready for sign-off")
    ).to_have_count(1)

    # 7. At provisional Sam's post appears at once.
    write_post(teen, base, group_id, PROVISIONAL_POST, "Post")
    expect(flash(teen)).to_have_text("Posted.")
    expect(teen.locator(".meta .tag").first).to_have_text("published")
    expect(teen.locator("p.meta")).to_contain_text("written at Provisional")

    # Days pass (shortcut), the license lessons are done (shortcut); Maria signs off.
    backstage.backdate_level(member_id, days=2)
    license_lessons = backstage.complete_lessons(teen_username, "license")
    parent.goto(f"{member_url}/ladder")
    expect(parent.locator("#checklist-heading")).to_have_text("To reach Licensed")
    expect(checklist_item(parent, "Days at this level")).to_contain_text("1 of 1")
    expect(checklist_item(parent, "Posts here with no supervisor flag")).to_contain_text("1 of 1")
    expect(checklist_item(parent, "Lessons of this stage")).to_contain_text(
        f"{license_lessons} of {license_lessons}"
    )
    expect(parent.locator(".checklist li.unmet")).to_have_count(0)
    days = {format_date(datetime.now(UTC).date(), "long", locale="en")}
    parent.get_by_role("button", name="Sign off to Licensed").click()
    expect(flash(parent)).to_have_text(f"Signed off: {teen_name} is now at Licensed.")
    days.add(format_date(datetime.now(UTC).date(), "long", locale="en"))
    expect(level_badge(parent)).to_have_text("Licensed")

    # 8. Sam opens the certificate ...
    teen.goto(f"{base}/groups/{group_id}")
    expect(teen.locator(".level")).to_have_text("Licensed")
    teen.get_by_role("link", name="Your next level").click()
    teen.get_by_role("link", name="The license certificate").click()
    certificate = teen.locator(".certificate")
    expect(certificate.locator(".cert-name")).to_have_text(teen_name)
    expect(certificate).to_contain_text(f"earned the license in {FAMILY}")
    issued_on = certificate.locator("p.meta").inner_text()
    assert issued_on in {f"Licensed on {day}" for day in days}, issued_on
    code = certificate.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code), code
    shot(teen, "journey-05-certificate")

    # ... and anyone, logged out, can check it.
    stranger_context, stranger = new_page(browser)
    stranger.goto(f"{base}/verify?code={code}")
    expect(stranger.get_by_role("link", name="Log in")).to_be_visible()
    expect(stranger.locator(".flash-success")).to_have_text("Valid.")
    card = stranger.locator("dl.login-card dd")
    issued_day = issued_on.removeprefix("Licensed on ")
    expect(card).to_have_text(["Sam", re.compile(r"^Licensed\b"), issued_day])
    expect(stranger.locator("main")).not_to_contain_text("Rivera")
    shot(stranger, "journey-06-verify")
    stranger_context.close()

    # 9. Sam's log lists every decision and sign-off Maria made.
    teen.goto(f"{member_url}/log")
    expect(teen.get_by_role("heading", level=1)).to_have_text("What parents and mentors did")
    entries = teen.locator(".timeline li")
    by_maria = entries.filter(has_text=maria_name)
    expect(by_maria.filter(has_text="signed off to the next level")).to_have_count(3)
    for step in (
        "Instruction → Learner's permit",
        "Learner's permit → Provisional",
        "Provisional → Licensed",
    ):
        expect(entries.filter(has_text=step)).to_have_count(1)
    changes = by_maria.filter(has_text="asked for changes to")
    expect(changes.locator(".quote")).to_have_text(PARENT_NOTE)
    expect(by_maria.filter(has=teen.locator("q")).filter(has_text="approved")).to_have_count(2)
    expect(by_maria.filter(has_text="signed the family agreement")).to_have_count(1)
    expect(by_maria.filter(has_text="changed the ladder's numbers")).to_have_count(1)
    expect(by_maria.filter(has_text="co-signed the privacy setup")).to_have_count(1)
    expect(entries.first).to_contain_text("Provisional → Licensed")
    shot(teen, "journey-07-log")

    for context in (alex_context, teen_context, parent_context):
        context.close()
