"""What HR needs from the completion report: people invited who never joined (resend,
cancel), the acknowledgement deadline, "remind the ones not done", the manager's own
view, invite delivery, workplace words, and links in the policy."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlmodel import select

from learner.core.db import utc_now
from learner.models import (
    AgeBand,
    GroupEvent,
    GroupEventKind,
    Invite,
    Notification,
    NotificationKind,
    PolicyVersion,
    Reminder,
)
from tests.factories import answer_quiz, fresh, make_invite, make_workplace, publish_policy
from tests.helpers import login, post


def _report(client, group, **params):
    response = client.get(f"/groups/{group.id}/report", query_string=params)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _revoked(db, invite_id):
    """When an invite was revoked, read from the database (not the session's copy)."""
    return fresh(db).exec(select(Invite.revoked_at).where(Invite.id == invite_id)).one()


def _events(db, group):
    return [
        (e.kind, e.detail)
        for e in fresh(db).exec(
            select(GroupEvent).where(GroupEvent.group_id == group.id).order_by(GroupEvent.id)
        )
    ]


# --- Invited, not joined -----------------------------------------------------------------


def test_invited_people_who_never_joined_are_in_the_report_and_its_csv(client, db):
    company = make_workplace(db, staff=1)
    make_invite(db, company.group, company.admin, email="ana.lopez@example.com")
    two_weeks_ago = utc_now() - timedelta(days=14)
    make_invite(db, company.group, company.admin, email="ben.kim@example.com", when=two_weeks_ago)
    login(client, company.admin)
    page = _report(client, company.group)
    assert "ana.lopez@example.com" in page and "ben.kim@example.com" in page
    assert page.count("invited, not joined") == 2 and "link expired" in page
    rows = list(csv.reader(io.StringIO(client.get(f"/groups/{company.group.id}/report.csv").text)))
    header, body = rows[0], rows[1:]
    status, invited = header.index("Status"), header.index("Invited on (UTC)")
    by_name = {row[0].lstrip("\ufeff"): row for row in body}
    assert by_name["ben.kim@example.com"][status] == "invited, not joined"
    assert by_name["ben.kim@example.com"][invited] == two_weeks_ago.strftime("%Y-%m-%d")
    assert by_name[company.staff[0][0].display_name][status] == "joined"


def test_resending_an_expired_invite_gives_a_fresh_link_and_is_logged(client, db):
    company = make_workplace(db, staff=0)
    old, old_token = make_invite(
        db,
        company.group,
        company.admin,
        email="ben.kim@example.com",
        when=utc_now() - timedelta(days=10),
    )
    login(client, company.admin)
    response = post(client, f"/groups/{company.group.id}/report/invites/{old.id}/resend")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/invite/" in page and old_token not in page
    db.expire_all()
    invites = db.exec(select(Invite).order_by(Invite.id)).all()
    assert invites[0].revoked_at is not None
    assert invites[1].email == "ben.kim@example.com" and invites[1].expires_at > utc_now()
    assert _events(db, company.group) == [(GroupEventKind.INVITE_RESENT, "ben.kim@example.com")]
    # The report lists the person once, with the fresh link not expired.
    report = _report(client, company.group)
    table = report.split("What HR did")[0]
    assert table.count("ben.kim@example.com") == 1 and "link expired" not in table


def test_cancelling_an_invite_asks_first_then_is_logged(client, db):
    company = make_workplace(db, staff=0)
    invite, token = make_invite(db, company.group, company.admin, email="ana.lopez@example.com")
    login(client, company.admin)
    url = f"/groups/{company.group.id}/report/invites/{invite.id}/cancel"
    ask = client.get(url).get_data(as_text=True)
    assert "Cancel the invite to ana.lopez@example.com?" in ask and "Keep it" in ask
    assert _revoked(db, invite.id) is None
    assert post(client, url).status_code == 302
    assert _revoked(db, invite.id) is not None
    assert _events(db, company.group) == [
        (GroupEventKind.INVITE_CANCELLED, "ana.lopez@example.com")
    ]
    report = _report(client, company.group)
    assert 'class="invited"' not in report and "invited, not joined" not in report
    assert "This invite link is not valid" in client.get(f"/invite/{token}").text


def test_a_manager_cannot_resend_or_cancel(client, db):
    company = make_workplace(db, staff=0)
    invite, _token = make_invite(db, company.group, company.admin, email="ana.lopez@example.com")
    login(client, company.manager)
    base = f"/groups/{company.group.id}/report/invites/{invite.id}"
    assert post(client, base + "/resend").status_code == 403
    assert post(client, base + "/cancel").status_code == 403
    assert _revoked(db, invite.id) is None


# --- Deadlines, overdue, reminders -----------------------------------------------------


def test_the_deadline_is_set_when_publishing_and_fills_the_overdue_column(client, db):
    company = make_workplace(db, staff=2)
    group = company.group
    login(client, company.admin)
    day = (utc_now() + timedelta(days=10)).date()
    assert (
        post(client, f"/groups/{group.id}/policy/edit", {"title": "P", "body": "B"}).status_code
        == 302
    )
    response = post(
        client, f"/groups/{group.id}/policy/publish", {"acknowledge_by": day.isoformat()}
    )
    assert response.status_code == 302
    version = fresh(db).exec(select(PolicyVersion)).one()
    assert version.acknowledge_by == day
    page = _report(client, group)
    assert "Policy version 1" not in page  # nobody is late yet
    # HR moves the deadline to today; from tomorrow the staff are overdue.
    today = utc_now().date()
    assert (
        post(
            client, f"/groups/{group.id}/policy/deadline", {"acknowledge_by": today.isoformat()}
        ).status_code
        == 302
    )
    assert fresh(db).get(PolicyVersion, version.id).acknowledge_by == today
    db_version = db.get(PolicyVersion, version.id)
    db.refresh(db_version)
    db_version.acknowledge_by = today - timedelta(days=1)
    db.add(db_version)
    db.commit()
    page = _report(client, group)
    assert page.count("Policy version 1") == 2 and 'class="cell-late"' in page
    assert (GroupEventKind.DEADLINE_SET, f"1:{today.isoformat()}") in _events(db, group)


def test_a_deadline_in_the_past_is_refused_next_to_the_field(client, db):
    company = make_workplace(db, staff=1)
    publish_policy(db, company.group, company.admin)
    login(client, company.admin)
    yesterday = (utc_now() - timedelta(days=1)).date()
    response = post(
        client,
        f"/groups/{company.group.id}/policy/deadline",
        {"acknowledge_by": yesterday.isoformat()},
    )
    assert response.status_code == 400 and "Choose today or a later date." in response.text
    assert fresh(db).exec(select(PolicyVersion)).one().acknowledge_by is None
    assert _events(db, company.group) == []


def test_remind_now_counts_reminds_once_a_day_and_is_logged(client, db):
    company = make_workplace(db, staff=3)
    group = company.group
    version = publish_policy(db, group, company.admin)
    (done, _m), *_rest = company.staff
    login(client, done)
    post(
        client,
        f"/groups/{group.id}/policy/acknowledge",
        {"version": version.id, "typed_name": done.display_name},
    )
    login(client, company.admin)
    page = _report(client, group)
    assert "Remind 2 people now" in page
    assert post(client, f"/groups/{group.id}/report/remind").status_code == 302
    reminded = fresh(db).exec(select(Reminder)).all()
    assert sorted(r.user_id for r in reminded) == sorted(u.id for u, _m in company.staff[1:])
    notes = (
        fresh(db)
        .exec(select(Notification).where(Notification.kind == NotificationKind.REMINDER))
        .all()
    )
    assert len(notes) == 2 and {n.detail for n in notes} == {"policy"}
    assert "2 people were reminded." in _report(client, group)
    # Pressed again the same day: nobody is reminded twice.
    post(client, f"/groups/{group.id}/report/remind")
    assert len(fresh(db).exec(select(Reminder)).all()) == 2
    assert _events(db, group) == [
        (GroupEventKind.REMINDED, "2"),
        (GroupEventKind.REMINDED, "0"),
    ]
    page = _report(client, group)
    assert "reminded 2 people who were not done" in page
    assert "reminded 0 people" in page


def test_a_manager_sees_only_their_own_staff_and_their_overdue_items(client, db):
    company = make_workplace(db, staff=2)
    group = company.group
    (mine, my_member), (other, _om) = company.staff
    my_member.manager_id = company.manager_membership.id
    db.add(my_member)
    db.commit()
    version = publish_policy(db, group, company.admin)
    version = db.get(PolicyVersion, version.id)
    version.acknowledge_by = (utc_now() - timedelta(days=1)).date()
    db.add(version)
    make_invite(db, group, company.admin, email="ana.lopez@example.com")
    login(client, company.manager)
    # Even asking for every manager's staff, a manager gets their own.
    page = _report(client, group, manager="")
    assert mine.display_name in page and other.display_name not in page
    assert "Policy version 1" in page and "ana.lopez@example.com" not in page
    assert "Remind" not in page
    csv_text = client.get(f"/groups/{group.id}/report.csv").text
    assert mine.display_name in csv_text and other.display_name not in csv_text
    assert "ana.lopez" not in csv_text
    assert post(client, f"/groups/{group.id}/report/remind").status_code == 403


# --- Say "sent" only when it was sent -------------------------------------------------


def _upload(client, group, content: bytes):
    data = {"email_list": (io.BytesIO(content), "staff.csv")}
    return post(
        client, f"/groups/{group.id}/invites/list", data, content_type="multipart/form-data"
    )


def test_without_smtp_the_links_are_offered_to_copy_and_as_a_csv(client, db):
    company = make_workplace(db, staff=0)
    login(client, company.admin)
    page = _upload(client, company.group, b"email\nana@example.com\nben@example.com\n").text
    assert "You must copy the links" in page and "Copy all links" in page
    assert 'data-copy="all-links"' in page and '<textarea id="all-links"' in page
    assert 'download="invite-links.csv"' in page and "data:text/csv" in page
    textarea = page.split('<textarea id="all-links"')[1].split("</textarea>")[0]
    assert textarea.count("/invite/") == 2
    assert all(
        i.emailed_at is None and i.email_failed_at is None for i in fresh(db).exec(select(Invite))
    )


def test_with_smtp_the_report_shows_each_invites_delivery(app, client, db):
    from tests.smtpsink import SmtpSink

    company = make_workplace(db, staff=0)
    login(client, company.admin)
    with SmtpSink() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_STARTTLS="0")
        page = _upload(client, company.group, b"email\nana@example.com\n").text
        assert "1 invite sent" in page
        report = _report(client, company.group)
    assert "e-mail sent" in report
    # An SMTP server that cannot be reached: the send fails, and the report says so.
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1, SMTP_STARTTLS="0")
    page = _upload(client, company.group, b"email\nben@example.com\n").text
    assert "could not be sent" in page and "failed: send the link yourself" in page
    assert "e-mail failed" in _report(client, company.group)
    app.config.update(SMTP_HOST="")


# --- Words and links --------------------------------------------------------------------


FAMILY_OR_CLASS_WORDS = (
    "second parent",
    "co-teacher",
    "Supervisor / Learner",
    "Under 13",
    "under 13",
    "Teen",
    "teacher",
    "parent",
)


def test_workplace_pages_use_workplace_words(client, db):
    company = make_workplace(db, staff=1)
    group = company.group
    version = publish_policy(db, group, company.admin)
    make_invite(db, group, company.admin, email="ana.lopez@example.com")
    login(client, company.admin)
    pages = [
        f"/groups/{group.id}",
        f"/groups/{group.id}/report",
        f"/groups/{group.id}/policy",
        f"/groups/{group.id}/policy/edit",
        f"/groups/{group.id}/policy/versions/{version.id}",
        f"/groups/{group.id}/invites/new",
        f"/groups/{group.id}/invites/list",
        f"/groups/{group.id}/learners/new",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        main = page.text.split("<main", 1)[-1].split("</main>")[0]
        found = [w for w in FAMILY_OR_CLASS_WORDS if w in main]
        assert not found, (url, found)


def test_the_invite_page_offers_no_under_13_to_staff(client, db):
    company = make_workplace(db, staff=0)
    _invite, token = make_invite(db, company.group, company.admin, email="ana.lopez@example.com")
    page = client.get(f"/invite/{token}").text
    assert "Under 13" not in page and "under_13" not in page
    assert "18 or older" in page


def test_policy_links_work_and_hostile_ones_are_dropped(client, db):
    hostile = (
        "Read [the handbook](https://intranet.example.com/handbook).\n\n"
        "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
        "[vb](vbscript:msgbox(1)) [mixed](JaVaScRiPt:alert(2)) "
        '<a href="https://evil.example">raw</a>'
    )
    company = make_workplace(db, staff=1, policy=hostile)
    login(client, company.staff[0][0])
    page = client.get(f"/groups/{company.group.id}/policy").text
    body = page.split('class="panel lesson-body policy-text">')[1].split("</article>")[0]
    assert (
        '<a href="https://intranet.example.com/handbook" rel="noopener noreferrer nofollow">'
        "the handbook</a>" in body
    )
    assert 'href="javascript' not in body.lower() and 'href="data' not in body
    # Raw HTML stays text; only the https address written in it becomes a (nofollow) link.
    assert 'href="vbscript' not in body and "&lt;a href" in body and "&gt;raw&lt;/a&gt;" in body
    assert body.count("<a ") == 2 and body.count('rel="noopener noreferrer nofollow"') == 2


def test_remind_now_e_mails_staff_with_an_address_when_smtp_is_set_up(app, client, db):
    from tests.smtpsink import SmtpSink

    company = make_workplace(db, staff=2)
    (with_mail, _m), (without, _m2) = company.staff
    with_mail.email = "learner.mail@example.com"
    db.add(with_mail)
    db.commit()
    publish_policy(db, company.group, company.admin, acknowledge_by=utc_now().date())
    login(client, company.admin)
    with SmtpSink() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_STARTTLS="0")
        assert post(client, f"/groups/{company.group.id}/report/remind").status_code == 302
        assert [m["To"] for m in sink.messages] == ["learner.mail@example.com"]
        assert "waits for your acknowledgement (due" in sink.messages[0].get_content()
    app.config.update(SMTP_HOST="")
    emailed = {r.user_id: r.emailed for r in fresh(db).exec(select(Reminder))}
    assert emailed == {with_mail.id: True, without.id: False}


def test_erasing_a_person_takes_their_address_out_of_the_workplace_log(client, db):
    from learner import accounts, personal_data

    company = make_workplace(db, staff=0)
    invite, _token = make_invite(db, company.group, company.admin, email="ana.lopez@example.com")
    login(client, company.admin)
    post(client, f"/groups/{company.group.id}/report/invites/{invite.id}/resend")
    ana = accounts.create_learner(
        session=db,
        username="ana_l",
        display_name="Ana Lopez",
        age_band=AgeBand.ADULT,
        password="copper meadow lantern",
        email="ana.lopez@example.com",
    )
    db.commit()
    personal_data.erase(session=db, user=ana, now=utc_now())
    db.commit()
    assert _events(db, company.group) == [(GroupEventKind.INVITE_RESENT, "")]


def test_hr_assigns_a_lesson_with_a_due_date_and_late_staff_show_as_overdue(client, db):
    from learner.models import Assignment

    company = make_workplace(db, staff=1)
    group = company.group
    login(client, company.admin)
    lesson = "personal-social-media-policy"
    url = f"/groups/{group.id}/report/lessons"
    yesterday = (utc_now() - timedelta(days=1)).date()
    refused = post(client, url, {"module_id": lesson, "due_on": yesterday.isoformat()})
    assert refused.status_code == 400 and "Choose today or a later date." in refused.text
    assert fresh(db).exec(select(Assignment)).all() == []
    today = utc_now().date()
    assert post(client, url, {"module_id": lesson, "due_on": today.isoformat()}).status_code == 302
    page = _report(client, group)
    assert "Assigned lessons" in page and 'class="cell-late"' not in page
    # The day passes: the lesson is late for the staff member, and remind now covers it.
    assignment = fresh(db).exec(select(Assignment)).one()
    db.refresh(assignment)
    assignment.due_on = yesterday
    db.add(assignment)
    db.commit()
    page = _report(client, group)
    assert 'class="cell-late"' in page and "Remind 1 person now" in page
    overdue = page.split('data-label="Overdue" class="cell-late">')[1].split("</td>")[0]
    assert overdue.strip() and "Policy" not in overdue, overdue
    assert post(client, f"/groups/{group.id}/report/remind").status_code == 302
    note = fresh(db).exec(select(Notification)).all()
    assert [n.detail for n in note if n.kind is NotificationKind.REMINDER] == ["lesson"]


def test_a_late_lesson_done_is_not_overdue_and_counts_as_done(db):
    """The report counts lessons in the database (one row a person): whoever has done a
    late lesson is neither overdue nor missing it from their count; whoever has not is."""
    from learner import progress, workplace
    from learner.models import Assignment
    from lessons import get_catalog

    company = make_workplace(db, staff=2)
    (done_user, _), (late_user, _) = company.staff
    lesson = "personal-social-media-policy"
    today = utc_now().date()
    db.add(
        Assignment(
            group_id=company.group.id,
            module_id=lesson,
            due_on=today - timedelta(days=1),
            assigned_by_id=company.admin.id,
        )
    )
    db.commit()
    answer_quiz(db, done_user, lesson)
    modules = get_catalog().modules(tracks=progress.tracks_for([company.group.kind]))
    _policy, rows, _managers = workplace.report(
        db, company.group, modules, manager_id=None, today=today
    )
    by_user = {row.user.id: row for row in rows}
    assert by_user[done_user.id].overdue == [] and by_user[done_user.id].lessons_done == 1
    assert by_user[late_user.id].overdue and by_user[late_user.id].lessons_done == 0
    assert by_user[late_user.id].not_done and not by_user[done_user.id].not_done


def test_staff_see_the_day_to_acknowledge_by(client, db):
    company = make_workplace(db, staff=1)
    day = (utc_now() + timedelta(days=10)).date()
    publish_policy(db, company.group, company.admin, acknowledge_by=day)
    login(client, company.staff[0][0])
    page = client.get(f"/groups/{company.group.id}/policy").text
    assert "Please acknowledge it by" in page
    login(client, company.admin)
    assert "Please acknowledge it by" not in client.get(f"/groups/{company.group.id}/policy").text


# --- Fifty at a time, filtered --------------------------------------------------------------


def _staff_rows(page: str) -> int:
    """Staff lines in the report's table (each links to the person's progress)."""
    table = page.split('<table class="table report">')[1].split("</table>")[0]
    return table.count('/progress">')


def _link(page: str, rel: str) -> str:
    import html
    import re

    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else ""


def test_the_report_shows_fifty_staff_a_page_and_its_links_keep_the_filters(client, db):
    from learner import workplace as workplace_service

    company = make_workplace(db, staff=53)
    group = company.group
    version = publish_policy(db, group, company.admin)
    done, _m = company.staff[0]
    done.display_name = "Zoë Quist"
    db.add(done)
    db.commit()
    workplace_service.acknowledge(
        session=db,
        version=db.get(PolicyVersion, version.id),
        user=done,
        typed_name="Zoë Quist",
        now=utc_now(),
    )
    db.commit()
    make_invite(db, group, company.admin, email="ana.lopez@example.com")
    login(client, company.admin)

    first = _report(client, group)
    assert _staff_rows(first) == 50 and 'class="invited"' not in first
    assert "Showing 1–50 of 54." in first and "Page 1 of 2" in first
    assert _link(first, "prev") == "" and "page=2" in _link(first, "next")
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert _staff_rows(second) == 3 and "ana.lopez@example.com" in second
    assert "Showing 51–54 of 54." in second and "page=1" in _link(second, "prev")
    # The "remind" count is of everyone, whatever the page shows.
    assert "52 staff members have the policy or a late lesson still to do." in second

    # By status: the one who acknowledged, the ones still to do (paged, the filter kept).
    done_page = _report(client, group, status="done")
    assert _staff_rows(done_page) == 1 and "Zoë Quist" in done_page
    assert 'class="invited"' not in done_page
    todo = _report(client, group, status="todo")
    assert _staff_rows(todo) == 50 and "Zoë Quist" not in todo
    next_todo = _link(todo, "next")
    assert "status=todo" in next_todo and "page=2" in next_todo
    assert _staff_rows(client.get(next_todo).get_data(as_text=True)) == 2
    invited = _report(client, group, status="invited")
    assert _staff_rows(invited) == 0 and "ana.lopez@example.com" in invited

    # By a piece of a name or an e-mail, any case; the links keep the search.
    assert _staff_rows(_report(client, group, q="quist")) == 1
    found = _report(client, group, q="ANA.LOPEZ")
    assert _staff_rows(found) == 0 and "ana.lopez@example.com" in found
    searched = _report(client, group, q="learner", status="todo")
    assert "q=learner" in _link(searched, "next") and "status=todo" in _link(searched, "next")
    nobody = _report(client, group, q="nobody-has-this-name")
    assert "Nobody matches these filters." in nobody and 'class="table report"' not in nobody

    # A page past the last shows the last; an unknown status shows everyone.
    assert "Page 2 of 2" in _report(client, group, page="99")
    assert "Showing 1–50 of 54." in _report(client, group, status="bogus", page="x")
    # The spreadsheet stays whole.
    csv_rows = list(csv.reader(io.StringIO(client.get(f"/groups/{group.id}/report.csv").text)))
    assert len(csv_rows) == 1 + 53 + 1


def test_a_manager_filters_their_own_staff_by_status_and_name(client, db):
    company = make_workplace(db, staff=3)
    group = company.group
    publish_policy(db, group, company.admin)
    (mine, member), (_other, _m), (_third, third_member) = company.staff
    for m in (member, third_member):
        m.manager_id = company.manager_membership.id
        db.add(m)
    mine.display_name = "Ravi Menon"
    db.add(mine)
    db.commit()
    login(client, company.manager)
    page = _report(client, group, q="menon")
    assert _staff_rows(page) == 1 and "Ravi Menon" in page
    assert _staff_rows(_report(client, group, status="todo")) == 2
    # A manager has no invites to filter to: the choice is not offered.
    assert 'value="invited"' not in page


def test_the_report_filters_and_pages_open_nothing_more(client, db):
    from tests.factories import make_supervisor

    company = make_workplace(db, staff=2)
    group = company.group
    query = {"status": "invited", "q": "a", "page": "2", "manager": ""}
    staff, _m = company.staff[0]
    login(client, staff)
    assert client.get(f"/groups/{group.id}/report", query_string=query).status_code == 403
    login(client, make_supervisor(db))
    assert client.get(f"/groups/{group.id}/report", query_string=query).status_code == 404


def test_the_pages_entries_give_the_same_rows_and_statuses_as_the_whole_report(db):
    """The page builds rows only for the staff it shows, from entries that decide the
    filters and counts: each entry's row, "still to do" and "overdue" are the report's."""
    from learner import progress, workplace
    from learner.models import Assignment, GroupKind, LessonProgress
    from lessons import get_catalog

    company = make_workplace(db, staff=4)
    group = company.group
    version = publish_policy(db, group, company.admin)
    (acked, _a), (late_lesson, _b), (late_policy, late_m), (_fine, _d) = company.staff
    workplace.acknowledge(
        session=db, version=version, user=acked, typed_name=acked.display_name, now=utc_now()
    )
    lesson = "personal-social-media-policy"
    today = utc_now().date()
    db.add(
        Assignment(
            group_id=group.id,
            module_id=lesson,
            due_on=today - timedelta(days=1),
            assigned_by_id=company.admin.id,
        )
    )
    db.add(LessonProgress(user_id=acked.id, module_id=lesson, completed_at=utc_now()))
    # Joined long before the version came out, a week's grace ago: the policy is overdue.
    version.published_at = utc_now() - timedelta(days=30)
    late_m.joined_at = utc_now() - timedelta(days=31)
    db.add_all([version, late_m])
    db.commit()
    modules = get_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    for manager_id in (None, company.manager_membership.id):
        _p, rows, managers = workplace.report(
            db, group, modules, manager_id=manager_id, today=today
        )
        _p, entries, entry_managers = workplace.report_staff(
            db, group, modules, manager_id=manager_id, today=today
        )
        assert managers == entry_managers
        assert [e.row() for e in entries] == rows
        assert [(e.not_done, e.overdue) for e in entries] == [
            (r.not_done, bool(r.overdue)) for r in rows
        ]
        for status in (None, *workplace.REPORT_STATUSES):
            whole = workplace.report_page(rows, [], status=status, search="", page=1, size=2)
            cheap = workplace.report_page(entries, [], status=status, search="", page=1, size=2)
            assert [e.row() for e in cheap.rows] == whole.rows
            assert (cheap.matching, cheap.pages) == (whole.matching, whole.pages)
    _p, everyone, _m = workplace.report(db, group, modules, manager_id=None, today=today)
    by_user = {r.user.id: r for r in everyone}
    assert not by_user[acked.id].not_done and not by_user[acked.id].overdue
    assert by_user[late_lesson.id].overdue and by_user[late_policy.id].policy_due < today
