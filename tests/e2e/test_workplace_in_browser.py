"""In a real browser, a workplace from the admin's sign-up to a new policy version.

An organisation admin, a staff member and a manager, each in their own browser context,
use the real pages: the admin signs up, makes a workplace, edits the starter policy and
publishes it, invites a staff member and a manager by link and a third person from a CSV
of addresses (after a CSV with mistakes that invites nobody). The staff member signs up
through the link, acknowledges the policy by typing their full name and passes the
workplace lesson. The admin sets the staff member's manager, reads the completion report
and downloads it as CSV, then publishes version 2: the report says the acknowledgement is
not the current one, and the staff member is asked again.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect

from learner import progress, workplace
from learner.models import GroupKind
from tests.e2e.pages import DESKTOP, PHONE, accept_dialogs, flash, new_page, sign_up
from tests.factories import real_catalog

pytestmark = pytest.mark.slow

MODULE_ID = "personal-social-media-policy"
WORKPLACE = "Acme onboarding"
ADMIN = ("Jordan Lee", "jordan@example.com", "harbour maple ticket")
MANAGER = ("Tom Becker", "tom@example.com", "velvet compass drizzle")
# (name others see, username, password)
STAFF = ("Priya Shah", "priya_s", "lantern orchard pebble")
LISTED = "ben.kim@example.com"  # invited from the CSV; never joins
POLICY_TITLE = "Acme's personal social-media policy"
STARTER_PHRASE = "Praise without disclosure reads as a hidden advert."
V2_TITLE = "Acme's personal social-media policy (2026)"
V2_LINE = "- Never post photos taken inside the lab."
CSV_HEADER = [
    "Staff member",
    "Login",
    "Manager",
    "Lessons done",
    "Policy version acknowledged",
    "Acknowledged at (UTC)",
    "Current version",
    "Level",
    "Overdue",
    "Status",
    "Invited on (UTC)",
    "Acknowledge by",
]


def today(started: datetime, fmt: str = "medium") -> str:
    """A regex of today's date as the pages write it (either side of midnight UTC)."""
    days = {started.date(), datetime.now(UTC).date()}
    return "|".join(re.escape(format_date(day, fmt, locale="en")) for day in sorted(days))


def invite_by_link(page: Page, base: str, group_id: int, role: str) -> str:
    """From the workplace page, make a single-use link for `role`; the link."""
    page.goto(f"{base}/groups/{group_id}")
    page.get_by_role("link", name="Invite by link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invite someone to {WORKPLACE}")
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Make the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your invite link")
    link = page.locator("#invite-link").input_value()
    assert re.fullmatch(re.escape(base) + r"/invite/[\w-]+", link), link
    return link


def upload_list(page: Page, base: str, group_id: int, content: bytes) -> None:
    """From the workplace page, upload a CSV of addresses to invite."""
    page.goto(f"{base}/groups/{group_id}")
    page.get_by_role("link", name="Invite staff from a list (CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite staff from a list")
    page.get_by_label("E-mail addresses (CSV file)").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Send the invites").click()


def publish_draft(page: Page, asked: list[str], version: int) -> None:
    """On the policy editor with a saved draft: publish it (confirming the question)."""
    page.get_by_role("button", name=f"Publish version {version}").click()
    expect(flash(page)).to_have_text(
        re.compile(rf"^Version {version} is in force\. Staff are asked to acknowledge it by ")
    )
    assert asked[-1] == (
        "Publish this version? Every staff member will be asked to acknowledge it."
    )


def test_a_workplace_from_sign_up_to_a_new_policy_version(browser, live_server, shot):
    base = live_server.url
    started = datetime.now(UTC)
    modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    module = next(m for m in modules if m.id == MODULE_ID)
    assert module.track == "workplace"

    # 1. The admin signs up as an organisation admin and makes the workplace.
    admin_name, admin_email, admin_password = ADMIN
    admin_context, admin = new_page(browser)
    admin_asked = accept_dialogs(admin)
    sign_up(
        admin,
        base,
        kind="Organisation admin",
        name=admin_name,
        email=admin_email,
        password=admin_password,
    )
    expect(admin).to_have_url(re.compile(r"/groups/new\?kind=workplace$"))
    expect(admin.locator(".lead")).to_have_text("New group: Workplace")
    admin.get_by_label("Name", exact=True).fill(WORKPLACE)
    admin.get_by_role("button", name="Create the group").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(WORKPLACE)
    expect(admin.locator("p.meta")).to_have_text("Workplace · You are: Manager")
    group_id = int(re.search(r"/groups/(\d+)$", admin.url).group(1))
    group_url = f"{base}/groups/{group_id}"

    # 2. No policy yet; the admin starts from the starter text in the editor.
    admin.get_by_role("link", name="Social-media policy").click()
    expect(admin.locator(".empty")).to_contain_text("No policy has been published yet.")
    admin.get_by_role("link", name="Edit the policy").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Edit the policy")
    expect(admin.get_by_label("Title")).to_have_value(workplace.STARTER_TITLE)
    body = admin.get_by_label("The policy")
    assert STARTER_PHRASE in body.input_value()
    expect(admin.get_by_role("button", name=re.compile(r"^Publish"))).to_have_count(0)
    admin.get_by_label("Title").fill(POLICY_TITLE)
    admin.get_by_role("button", name="Save the draft").click()
    expect(flash(admin)).to_have_text("Draft saved. Staff see it once you publish it.")
    expect(admin.locator("p.note")).to_contain_text("Draft of version 1, last saved")
    expect(admin.get_by_label("Title")).to_have_value(POLICY_TITLE)
    assert STARTER_PHRASE in body.input_value()
    shot(admin, "workplace-01-policy-editor")
    publish_draft(admin, admin_asked, 1)
    expect(admin).to_have_url(f"{group_url}/policy")
    expect(admin.get_by_role("heading", level=1)).to_have_text(POLICY_TITLE)
    expect(admin.locator("p.meta")).to_have_text(
        re.compile(rf"^Version 1, in force since ({today(started)})$")
    )
    expect(admin.locator(".policy-text")).to_contain_text(STARTER_PHRASE)
    versions = admin.locator("#versions-heading + ul li")
    expect(versions).to_have_count(1)
    expect(versions.locator(".tag")).to_have_text("in force")

    # 3. Invites: the staff member and a manager by link, a third person from a CSV.
    staff_link = invite_by_link(admin, base, group_id, "Staff member")
    manager_link = invite_by_link(admin, base, group_id, "Manager")

    # A list with mistakes: every problem by row, and nobody is invited.
    upload_list(
        admin, base, group_id, f"email\n{LISTED}\nnot-an-address\n{LISTED.upper()}\n".encode()
    )
    problems = admin.locator("#problems-heading")
    expect(problems).to_have_text("2 problems in the file: nobody was invited")
    report_rows = admin.locator("section.form-errors tbody tr")
    expect(report_rows.locator("td:nth-child(1)")).to_have_text(["3", "4"])
    expect(report_rows.locator("td:nth-child(2)")).to_have_text(
        ["“not-an-address” is not an e-mail address.", "The same address as row 2."]
    )
    admin.goto(group_url)
    open_invites = admin.locator("#invites-heading + ul li")
    expect(open_invites).to_have_count(2)  # the two links, nothing from the list
    expect(admin.locator("#invites-heading ~ ul")).not_to_contain_text(LISTED)

    # The fixed list: one invite, its link shown once.
    upload_list(admin, base, group_id, f"email\n{LISTED}\n".encode())
    # No SMTP server in the tests: the page says so and shows the link to pass on.
    expect(admin.get_by_role("heading", level=1)).to_have_text("1 invite link made")
    expect(admin.locator(".lead")).to_contain_text("nothing was sent")
    sent = admin.locator("table tbody tr")
    expect(sent).to_have_count(1)
    expect(sent.locator("td").first).to_have_text(LISTED)
    listed_link = admin.get_by_label(f"Invite link for {LISTED}").input_value()
    assert re.fullmatch(re.escape(base) + r"/invite/[\w-]+", listed_link), listed_link
    admin.goto(group_url)
    expect(open_invites).to_have_count(3)
    expect(open_invites.filter(has_text=LISTED)).to_contain_text(f"Staff member · {LISTED}")

    # 4. The staff member opens the link in their own browser and signs up on the spot.
    staff_name, staff_username, staff_password = STAFF
    staff_context, staff = new_page(browser)
    staff.goto(staff_link)
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Join {WORKPLACE}")
    expect(staff.locator("main")).to_contain_text(
        "You are invited to this workplace as: Staff member."
    )
    staff.get_by_label("Name others see").fill(staff_name)
    staff.get_by_label("Username").fill(staff_username)
    staff.get_by_label("18 or older").check()
    staff.get_by_label("Password", exact=True).fill(staff_password)
    staff.get_by_label("Type the password again").fill(staff_password)
    staff.get_by_role("button", name="Accept the invite").click()
    expect(flash(staff)).to_have_text(f"You joined {WORKPLACE}.")
    expect(staff.locator("p.meta")).to_contain_text("You are: Staff member")

    # They read the policy and acknowledge it, first with a name that is not theirs.
    staff.get_by_role("link", name="Social-media policy").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(POLICY_TITLE)
    expect(staff.get_by_role("link", name="Edit the policy")).to_have_count(0)
    expect(staff.locator(".policy-text")).to_contain_text(STARTER_PHRASE)
    ack = staff.locator("section[aria-labelledby=ack-heading]")
    expect(ack).to_contain_text("you confirm that you have read version 1")
    staff.get_by_label("Type your full name").fill("Priya")
    staff.get_by_role("button", name="I have read it and will follow it").click()
    expect(staff.locator("#typed_name-error")).to_have_text(
        f"Type your name: it must include your account's name, {staff_name} "
        "(your full name is welcome)."
    )
    expect(staff.get_by_label("Type your full name")).to_have_attribute("aria-invalid", "true")
    staff.get_by_label("Type your full name").fill("  priya shah ")  # case and spaces do not matter
    staff.get_by_role("button", name="I have read it and will follow it").click()
    expect(flash(staff).first).to_have_text(
        "Thank you: your acknowledgement of version 1 is recorded."
    )
    expect(ack.locator(".flash-success")).to_have_text(
        re.compile(rf"^You acknowledged version 1 on ({today(started)}) as “priya shah”\.$")
    )
    expect(staff.get_by_label("Type your full name")).to_have_count(0)
    shot(staff, "workplace-02-staff-acknowledged")
    staff.set_viewport_size(PHONE)
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
        "the policy page must fit a phone screen"
    )
    shot(staff, "workplace-03-staff-acknowledged-phone")
    staff.set_viewport_size(DESKTOP)

    # 5. The staff member takes the workplace lesson and passes.
    staff.get_by_role("link", name="Lessons", exact=True).click()
    staff.get_by_role("link", name=module.title).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(module.title)
    for question in module.quiz:
        fieldset = staff.locator(f"#question-{question.id}")
        for choice in question.choices:
            if choice.correct:
                fieldset.get_by_label(choice.text, exact=True).check()
    staff.get_by_role("button", name="Check my answers").click()
    expect(staff.locator("#result")).to_have_text("Your result: 100%")
    expect(flash(staff)).to_have_text("Well done: this lesson is complete.")
    expect(staff.locator(".results li.result.wrong")).to_have_count(0)

    # 6. The manager joins through their link.
    manager_name, manager_email, manager_password = MANAGER
    manager_context, manager = new_page(browser)
    manager.goto(manager_link)
    expect(manager.locator("main")).to_contain_text(
        "You are invited to this workplace as: Manager."
    )
    manager.get_by_label("Name others see").fill(manager_name)
    manager.get_by_label("E-mail").fill(manager_email)
    manager.get_by_label("Password", exact=True).fill(manager_password)
    manager.get_by_label("Type the password again").fill(manager_password)
    manager.get_by_label("I am 18 or older").check()
    manager.get_by_role("button", name="Accept the invite").click()
    expect(flash(manager)).to_have_text(f"You joined {WORKPLACE}.")
    expect(manager.locator("p.meta")).to_contain_text("You are: Manager")
    # Only the owner sets managers.
    expect(manager.get_by_role("button", name="Set manager")).to_have_count(0)
    manager_context.close()

    # The admin sets the staff member's manager: first themself, then the manager.
    admin.goto(group_url)
    expect(admin.locator(".people .name")).to_have_text([admin_name, manager_name])
    expect(open_invites).to_have_count(1)  # the two links are spent
    expect(open_invites).to_contain_text(LISTED)
    staff_row = admin.locator("#learners-heading + table tbody tr")
    expect(staff_row).to_have_count(1)
    expect(staff_row.locator("td").nth(1)).to_have_text(staff_username)
    choose = admin.get_by_label(f"Manager of {staff_name}")
    expect(choose.locator("option")).to_have_text(["No manager", admin_name, manager_name])
    expect(choose).to_have_value("")
    choose.select_option(label=admin_name)
    staff_row.get_by_role("button", name="Set manager").click()
    expect(flash(admin)).to_have_text("Saved.")
    expect(admin).to_have_url(re.compile(rf"/groups/{group_id}#member-\d+$"))
    expect(choose.locator("option:checked")).to_have_text(admin_name)
    choose.select_option(label=manager_name)
    staff_row.get_by_role("button", name="Set manager").click()
    expect(flash(admin)).to_have_text("Saved.")
    expect(choose.locator("option:checked")).to_have_text(manager_name)

    # The completion report: the staff member, and the listed person who has not joined.
    admin.get_by_role("link", name="Completion report").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Completion report")
    expect(admin.locator("p.lead")).to_have_text(
        re.compile(r"^Policy in force: version 1\. Staff should acknowledge it by ")
    )
    invited = admin.locator("table.report tbody tr.invited")
    expect(invited).to_have_count(1)
    expect(invited.locator("th")).to_have_text(LISTED)
    expect(invited).to_contain_text("invited, not joined")
    rows = admin.locator("table.report tbody tr:not(.invited)")
    expect(rows).to_have_count(1)
    row = rows.first
    cells = row.locator("td")
    expect(row.locator("th")).to_have_text(staff_name)
    expect(cells.nth(0)).to_have_text(manager_name)
    expect(cells.nth(1)).to_have_text(f"1 of {len(modules)}")
    expect(cells.nth(2)).to_have_text(re.compile(rf"^version 1, ({today(started)})$"))
    expect(cells.nth(2)).to_have_class("cell-done")
    expect(cells.nth(3)).to_have_text("Instruction")
    expect(cells.nth(4)).to_have_text("—")
    expect(cells.nth(4)).not_to_have_class("cell-late")

    # Filtered by manager: the admin has nobody; the manager has the staff member.
    admin.get_by_label("Staff of").select_option(label=admin_name)
    admin.get_by_role("button", name="Filter").click()
    expect(admin.locator("p.empty")).to_have_text(
        "No staff here yet. Invite them from the workplace page."
    )
    admin.get_by_label("Staff of").select_option(label=manager_name)
    admin.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(row.locator("th")).to_have_text(staff_name)
    shot(admin, "workplace-04-completion-report")

    # The CSV (of the filtered view): its header and the staff member's row.
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"workplace-{group_id}-report.csv"
    data = download.path().read_bytes().decode("utf-8")
    assert data.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(data.removeprefix("\ufeff"))))
    assert table[0] == CSV_HEADER
    assert len(table) == 2, table
    acknowledged_at = table[1][5]
    assert table[1][:5] == [staff_name, staff_username, manager_name, f"1/{len(modules)}", "1"]
    assert table[1][6:] == ["1", "instruction", "", "joined", "", ""]
    stamp = datetime.strptime(acknowledged_at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    assert abs((stamp - started).total_seconds()) < 300, acknowledged_at

    # 7. The admin publishes version 2, edited from the version in force.
    admin.goto(f"{group_url}/policy")
    admin.get_by_role("link", name="Edit the policy").click()
    expect(admin.get_by_label("Title")).to_have_value(POLICY_TITLE)
    expect(admin.locator("p.note")).to_have_count(0)  # no draft yet
    admin.get_by_label("Title").fill(V2_TITLE)
    body.fill(body.input_value() + "\n" + V2_LINE + "\n")
    admin.get_by_role("button", name="Save the draft").click()
    expect(flash(admin)).to_have_text("Draft saved. Staff see it once you publish it.")
    expect(admin.locator("p.note")).to_contain_text("Draft of version 2, last saved")
    publish_draft(admin, admin_asked, 2)
    expect(admin.get_by_role("heading", level=1)).to_have_text(V2_TITLE)
    expect(admin.locator("p.meta")).to_contain_text("Version 2, in force since")
    expect(versions.locator(".tag")).to_have_text(["in force", "earlier version"])

    # The report: the staff member's acknowledgement is of an older version.
    admin.goto(f"{group_url}/report")
    expect(admin.locator("p.lead")).to_contain_text("Policy in force: version 2.")
    expect(rows).to_have_count(1)
    expect(cells.nth(2)).to_have_text(
        re.compile(rf"^version 1, ({today(started)}) not the current one \(due .+\)$")
    )
    expect(cells.nth(2).locator(".tag")).to_have_text("not the current one")
    expect(cells.nth(2)).not_to_have_class("cell-done")
    expect(cells.nth(4)).to_have_text("—")  # a week to acknowledge it

    # The staff member is told, by a notification that leads to the policy ...
    staff.goto(group_url)
    badge = staff.locator("nav .badge")
    expect(badge).to_have_text("1")
    staff.get_by_role("link", name=re.compile(r"^Notifications")).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Notifications")
    told = staff.locator(".notifications li")
    expect(told).to_have_count(1)
    expect(told).to_have_class("unread")
    told.get_by_role(
        "link",
        name=f"{admin_name} published a new version of the social-media policy: "
        "please read and acknowledge it",
    ).click()
    # ... and asked to acknowledge again; opening the policy counts as reading the news.
    expect(staff).to_have_url(f"{group_url}/policy")
    expect(staff.get_by_role("heading", level=1)).to_have_text(V2_TITLE)
    expect(staff.locator(".policy-text")).to_contain_text(V2_LINE.removeprefix("- "))
    expect(ack).to_contain_text("you confirm that you have read version 2")
    expect(staff.get_by_label("Type your full name")).to_have_value("")
    expect(ack.locator(".flash-success")).to_have_count(0)
    expect(badge).to_have_count(0)

    for context in (staff_context, admin_context):
        context.close()

    # Nothing failed on the server.
    log = [line.split() for line in live_server.log_lines()]
    assert not [line for line in log if line[-1].startswith("5")], log


PHONE_375 = {"width": 375, "height": 812}
ANA = ("Ana Lopez", "ana_l", "copper meadow lantern", "ana.lopez@example.com")
BEN = ("Ben Kim", "ben_k", "silver harbour thistle", "ben.kim@example.com")


def join_as_staff(browser, link: str, person: tuple[str, str, str, str]):
    """Open an invite link in a fresh browser and sign up as staff; the page."""
    name, username, password, _email = person
    context, page = new_page(browser)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {WORKPLACE}")
    # Staff are not offered an age band for children.
    expect(page.get_by_label("Under 13")).to_have_count(0)
    page.get_by_label("Name others see").fill(name)
    page.get_by_label("Username").fill(username)
    page.get_by_label("18 or older").check()
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Accept the invite").click()
    expect(flash(page)).to_have_text(f"You joined {WORKPLACE}.")
    return context, page


def test_hr_follows_up_invites_deadlines_and_reminders(
    browser, live_server, server_database_url, shot
):
    from datetime import timedelta

    from sqlalchemy import update

    from learner.core.db import make_engine
    from learner.models import Membership, PolicyVersion

    base = live_server.url
    today_utc = datetime.now(UTC).date()

    # HR signs up, makes the workplace and publishes the starter policy with a deadline.
    admin_name, admin_email, admin_password = ADMIN
    admin_context, admin = new_page(browser)
    admin_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    accept_dialogs(admin)
    sign_up(
        admin,
        base,
        kind="Organisation admin",
        name=admin_name,
        email=admin_email,
        password=admin_password,
    )
    admin.get_by_label("Name", exact=True).fill(WORKPLACE)
    admin.get_by_role("button", name="Create the group").click()
    group_id = int(re.search(r"/groups/(\d+)$", admin.url).group(1))
    group_url = f"{base}/groups/{group_id}"
    admin.goto(f"{group_url}/policy/edit")
    admin.get_by_role("button", name="Save the draft").click()
    deadline = admin.get_by_label("Acknowledge by")
    expect(deadline).to_have_value((today_utc + timedelta(days=7)).isoformat())
    deadline.fill((today_utc + timedelta(days=3)).isoformat())
    admin.get_by_role("button", name="Publish version 1").click()
    expect(flash(admin)).to_have_text(
        "Version 1 is in force. Staff are asked to acknowledge it by "
        f"{format_date(today_utc + timedelta(days=3), 'medium', locale='en')}."
    )

    # HR invites two people from a list. No e-mail here: the page says the links must be
    # copied, copies them all at once and offers them as a CSV.
    upload_list(admin, base, group_id, f"email\n{ANA[3]}\n{BEN[3]}\n".encode())
    expect(admin.get_by_role("heading", level=1)).to_have_text("2 invite links made")
    expect(admin.locator(".lead")).to_contain_text("You must copy the links")
    everything = admin.get_by_label("The links, one a line, in the order of the table below")
    links = everything.input_value().split("\n")
    assert len(links) == 2 and all("/invite/" in link for link in links), links
    admin.get_by_role("button", name="Copy all links").click()
    expect(admin.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()") == everything.input_value()
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Download a CSV of addresses and links").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text("utf-8-sig"))))
    assert rows == [["Name", "E-mail", "Link"], ["", ANA[3], links[0]], ["", BEN[3], links[1]]]
    ana_link, ben_link = links

    # The report lists both as invited, not joined, with the day; Ben's invite is resent.
    admin.goto(f"{group_url}/report")
    invited = admin.locator("table.report tbody tr.invited")
    expect(invited.locator("th")).to_have_text([ANA[3], BEN[3]])
    expect(invited.first).to_contain_text(
        f"invited, not joined invited {format_date(today_utc, 'medium', locale='en')}"
    )
    shot(admin, "workplace-07-report-invited")
    admin.set_viewport_size(PHONE_375)
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"]
    shot(admin, "workplace-08-report-invited-phone")
    admin.set_viewport_size(DESKTOP)
    invited.filter(has_text=BEN[3]).get_by_role("button", name="Resend").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("1 invite link made")
    fresh_ben = admin.get_by_label(f"Invite link for {BEN[3]}").input_value()
    assert fresh_ben != ben_link

    # HR moves the deadline from the report.
    admin.goto(f"{group_url}/report")
    admin.get_by_label("Acknowledge by").fill((today_utc + timedelta(days=5)).isoformat())
    admin.get_by_role("button", name="Save the deadline").click()
    expect(flash(admin)).to_have_text(
        "Staff should acknowledge it by "
        f"{format_date(today_utc + timedelta(days=5), 'medium', locale='en')}."
    )

    # Ana joins and is told at once that the policy waits for her; she acknowledges it.
    ana_context, ana = join_as_staff(browser, ana_link, ANA)
    expect(ana.locator("nav .badge")).to_have_text("1")
    ana.get_by_role("link", name=re.compile(r"^Notifications")).click()
    ana.get_by_role(
        "link",
        name=f"{admin_name} published a new version of the social-media policy: "
        "please read and acknowledge it",
    ).click()
    ana.get_by_label("Type your full name").fill(ANA[0])
    ana.get_by_role("button", name="I have read it and will follow it").click()
    expect(flash(ana).first).to_have_text(
        "Thank you: your acknowledgement of version 1 is recorded."
    )
    # Ben's old link no longer works; the fresh one does. He does not acknowledge.
    ben_context, ben = new_page(browser)
    ben.goto(ben_link)
    expect(ben.locator("main")).to_contain_text("This invite link is not valid")
    ben_context.close()
    ben_context, ben = join_as_staff(browser, fresh_ben, BEN)

    # Eight days pass (moved back in the database): the deadline and the week a late
    # joiner gets are both behind us.
    engine = make_engine(server_database_url)
    week_ago = datetime.now(UTC) - timedelta(days=8)
    with engine.begin() as connection:
        connection.execute(
            update(PolicyVersion).values(
                acknowledge_by=today_utc - timedelta(days=1), published_at=week_ago
            )
        )
        connection.execute(update(Membership).values(joined_at=week_ago))
    engine.dispose()

    # The report: Ben is overdue, Ana is done; nobody is left invited.
    admin.goto(f"{group_url}/report")
    expect(admin.locator("table.report tbody tr.invited")).to_have_count(0)
    staff_rows = admin.locator("table.report tbody tr")
    expect(staff_rows.locator("th")).to_have_text([ANA[0], BEN[0]])
    expect(staff_rows.nth(0).locator("td").nth(4)).to_have_text("—")
    ben_overdue = staff_rows.nth(1).locator("td").nth(4)
    expect(ben_overdue).to_have_text("Policy version 1")
    expect(ben_overdue).to_have_class("cell-late")
    remind = admin.get_by_role("button", name="Remind 1 person now")
    expect(remind).to_be_visible()
    shot(admin, "workplace-05-report-overdue")
    admin.set_viewport_size(PHONE_375)
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE_375["width"], (
        "the report must fit a phone screen"
    )
    shot(admin, "workplace-06-report-overdue-phone")
    admin.set_viewport_size(DESKTOP)

    # Remind now: Ben hears, and the report's log says so.
    remind.click()
    expect(flash(admin)).to_have_text("1 person was reminded.")
    expect(admin.locator("#log-heading + ul li").first).to_contain_text(
        f"{admin_name} reminded 1 person who was not done"
    )
    expect(admin.locator("#log-heading + ul")).to_contain_text(
        f"{admin_name} sent a fresh invite link to {BEN[3]}"
    )
    ben.goto(f"{base}/notifications")
    expect(ben.locator(".notifications")).to_contain_text(
        "Reminder: the social-media policy waits for your acknowledgement"
    )

    for context in (ana_context, ben_context, admin_context):
        context.close()
    log = [line.split() for line in live_server.log_lines()]
    assert not [line for line in log if line[-1].startswith("5")], log
