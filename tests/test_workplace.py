"""Workplaces: policy versions and acknowledgements, managers, deactivation, the
completion report with its CSV, and reminders."""

from __future__ import annotations

import csv
import html
import io
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import func, select

from learner import ladder, progress, reminders, workplace
from learner.core.db import utc_now
from learner.models import (
    AccountKind,
    Assignment,
    GroupEventKind,
    GroupKind,
    Level,
    Notification,
    NotificationKind,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    Role,
)
from tests.factories import (
    fresh,
    make_group,
    make_invite,
    make_supervisor,
    make_workplace,
    publish_policy,
    real_catalog,
)
from tests.helpers import QueryCounter, login, post, reload


@pytest.fixture
def company(db):
    return make_workplace(db, staff=2)


def publish(client, group, title="Policy", body="Be kind. Say who you work for."):
    assert (
        post(client, f"/groups/{group.id}/policy/edit", {"title": title, "body": body}).status_code
        == 302
    )
    assert post(client, f"/groups/{group.id}/policy/publish").status_code == 302


def test_the_editor_starts_from_the_starter_policy(client, db, company):
    admin, group = company.admin, company.group
    login(client, admin)
    page = client.get(f"/groups/{group.id}/policy/edit").get_data(as_text=True)
    assert "Our personal social-media policy" in page and "Say who you work for" in page


def test_versions_publish_and_ask_everyone_again(client, db, company):
    admin, group, staff = company.admin, company.group, company.staff
    (sam, _sm), _other = staff
    login(client, admin)
    publish(client, group, "Policy v1", "Version one text.")
    login(client, sam)
    page = client.get(f"/groups/{group.id}/policy").get_data(as_text=True)
    assert "Version one text." in page and "I have read it and will follow it" in page
    v1 = fresh(db).exec(select(PolicyVersion)).one()
    assert (
        post(
            client,
            f"/groups/{group.id}/policy/acknowledge",
            {"version": v1.id, "typed_name": f"  {sam.display_name.upper()} "},
        ).status_code
        == 302
    )
    assert "You acknowledged version 1" in client.get(f"/groups/{group.id}/policy").get_data(
        as_text=True
    )
    login(client, admin)
    publish(client, group, "Policy v2", "Version two text.")
    versions = {v.version: v for v in fresh(db).exec(select(PolicyVersion)).all()}
    assert (
        versions[1].status is PolicyStatus.SUPERSEDED
        and versions[2].status is PolicyStatus.PUBLISHED
    )
    told = db.exec(
        select(func.count(Notification.id)).where(
            Notification.user_id == sam.id, Notification.kind == NotificationKind.POLICY_PUBLISHED
        )
    ).one()
    assert told == 2
    login(client, sam)
    page = client.get(f"/groups/{group.id}/policy").get_data(as_text=True)
    assert "Version two text." in page and "I have read it and will follow it" in page
    # The earlier version stays readable.
    old = client.get(f"/groups/{group.id}/policy/versions/{versions[1].id}").get_data(as_text=True)
    assert "Version one text." in old and "no longer in force" in old
    # Acknowledging the old version now is refused.
    response = post(
        client,
        f"/groups/{group.id}/policy/acknowledge",
        {"version": versions[1].id, "typed_name": sam.display_name},
    )
    assert response.status_code == 400 and "not the one in force" in response.get_data(as_text=True)


def test_an_acknowledgement_needs_ones_own_name_and_happens_once(client, db, company):
    admin, group, staff = company.admin, company.group, company.staff
    (sam, _sm), (kim, _km) = staff
    login(client, admin)
    publish(client, group)
    version = fresh(db).exec(select(PolicyVersion)).one()
    login(client, sam)
    url = f"/groups/{group.id}/policy/acknowledge"
    wrong = post(client, url, {"version": version.id, "typed_name": kim.display_name})
    assert wrong.status_code == 400 and "it must include your account" in wrong.get_data(
        as_text=True
    )
    # Naming someone else's account in the form changes nothing: it is always the signed-in person.
    assert (
        post(
            client, url, {"version": version.id, "typed_name": sam.display_name, "user_id": kim.id}
        ).status_code
        == 302
    )
    again = post(client, url, {"version": version.id, "typed_name": sam.display_name})
    assert again.status_code == 400 and "already" in again.get_data(as_text=True)
    acks = fresh(db).exec(select(PolicyAcknowledgement)).all()
    assert [(a.user_id, a.version_id, a.typed_name) for a in acks] == [
        (sam.id, version.id, sam.display_name)
    ]


def test_the_database_refuses_to_change_or_delete_an_acknowledgement(db, company):
    admin, group, staff = company.admin, company.group, company.staff
    (sam, _sm), _other = staff
    version = workplace.save_draft(
        session=db, group=group, title="P", body="B", editor=admin, now=utc_now()
    )
    workplace.publish(session=db, group=group, version=version, admin=admin, now=utc_now())
    workplace.acknowledge(
        session=db, version=version, user=sam, typed_name=sam.display_name, now=utc_now()
    )
    db.commit()
    for statement in (
        "UPDATE policy_acknowledgement SET typed_name = 'Someone Else'",
        "DELETE FROM policy_acknowledgement",
    ):
        with pytest.raises((DBAPIError, IntegrityError)):
            db.execute(text(statement))
            db.flush()
        db.rollback()
    assert fresh(db).exec(select(PolicyAcknowledgement.typed_name)).all() == [sam.display_name]


def test_only_the_organisation_admin_edits_the_policy(client, db, company):
    group, manager, staff = company.group, company.manager, company.staff
    for user in (manager, staff[0][0]):
        login(client, user)
        assert client.get(f"/groups/{group.id}/policy/edit").status_code == 403
        assert post(client, f"/groups/{group.id}/policy/publish").status_code == 403
    assert fresh(db).exec(select(PolicyVersion)).all() == []


def test_the_policy_is_a_requirement_for_the_permit(client, db, company):
    admin, group, staff = company.admin, company.group, company.staff
    (sam, membership), _other = staff
    modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    standing = ladder.standing(
        db, membership=membership, group=group, modules=modules, now=utc_now()
    )
    assert "policy" in {r.id for r in standing.checklist if not r.met}
    version = workplace.save_draft(
        session=db, group=group, title="P", body="B", editor=admin, now=utc_now()
    )
    workplace.publish(session=db, group=group, version=version, admin=admin, now=utc_now())
    workplace.acknowledge(
        session=db, version=version, user=sam, typed_name=sam.display_name, now=utc_now()
    )
    db.commit()
    standing = ladder.standing(
        db, membership=membership, group=group, modules=modules, now=utc_now()
    )
    assert "policy" not in {r.id for r in standing.checklist if not r.met}


def test_deactivating_staff_ends_their_sessions_at_once(client, db, company):
    admin, group, staff = company.admin, company.group, company.staff
    (sam, membership), _other = staff
    staff_client = client.application.test_client()
    login(staff_client, sam)
    assert staff_client.get("/dashboard").status_code == 200
    login(client, admin)
    assert post(client, f"/groups/{group.id}/members/{membership.id}/remove").status_code == 302
    response = staff_client.get("/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The workplace made the account, so it is switched off; its records stay.
    assert reload(db, sam).active is False
    assert reload(db, membership).removed_at is not None


def test_the_report_figures_filter_and_csv(client, db, company):
    admin, group, manager, manager_membership, staff = (
        company.admin,
        company.group,
        company.manager,
        company.manager_membership,
        company.staff,
    )
    (sam, sam_m), (kim, _km) = staff
    sam.display_name = "=cmd|' /C calc'!A0"
    db.add(sam)
    db.commit()
    login(client, admin)
    assert (
        post(
            client,
            f"/groups/{group.id}/members/{sam_m.id}/manager",
            {"manager": str(manager_membership.id)},
        ).status_code
        == 302
    )
    assert reload(db, sam_m).manager_id == manager_membership.id
    version = workplace.save_draft(
        session=db, group=group, title="P", body="B", editor=admin, now=utc_now()
    )
    workplace.publish(
        session=db, group=group, version=version, admin=admin, now=utc_now() - timedelta(days=10)
    )
    workplace.acknowledge(
        session=db, version=version, user=sam, typed_name=sam.display_name, now=utc_now()
    )
    module = real_catalog().get("personal-social-media-policy")
    from lessons.quiz import score

    answers = {q.id: set(q.correct_ids) for q in module.quiz}
    progress.submit_quiz(
        session=db, user=sam, module=module, result=score(module, answers), now=utc_now()
    )
    db.add(
        Assignment(
            group_id=group.id,
            module_id="social-selling-not-spamming",
            due_on=date.today() - timedelta(days=1),
            assigned_by_id=admin.id,
        )
    )
    sam_m.joined_at = kim_joined = utc_now() - timedelta(days=30)
    db.add(sam_m)
    _km.joined_at = kim_joined
    db.add(_km)
    db.commit()
    modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    in_force, rows, managers = workplace.report(
        db, group, modules, manager_id=None, today=date.today()
    )
    by_user = {r.user.id: r for r in rows}
    # The current managers, by name, for the report's filter.
    names = [person.display_name for _member_id, person in managers]
    assert names == sorted([admin.display_name, manager.display_name])
    assert in_force.version == 1
    assert by_user[sam.id].lessons_done == 1 and by_user[sam.id].lessons_total == len(modules)
    assert by_user[sam.id].on_current and by_user[sam.id].acknowledged_version == 1
    assert by_user[kim.id].acknowledged_at is None
    assert by_user[kim.id].overdue == [
        "Policy version 1",
        real_catalog().get("social-selling-not-spamming").title,
    ]
    assert by_user[sam.id].overdue == [real_catalog().get("social-selling-not-spamming").title]
    assert by_user[sam.id].manager.id == manager.id
    _policy, only_toms, _managers = workplace.report(
        db, group, modules, manager_id=manager_membership.id, today=date.today()
    )
    assert [r.user.id for r in only_toms] == [sam.id]
    page = client.get(f"/groups/{group.id}/report?manager={manager_membership.id}").get_data(
        as_text=True
    )
    assert "Tom Becker" in page and kim.display_name not in page
    response = client.get(f"/groups/{group.id}/report.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert "'=cmd|' /C calc'!A0" in [r[0] for r in rows]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def _many_staff(db, group, version, size: int) -> None:
    """`size` staff members written in bulk (half of them acknowledged the policy)."""
    from learner.models import Membership, User

    users = [
        User(
            username=f"staff{group.id}-{i}",
            display_name=f"Staff {i}",
            password_hash="x",
            kind=AccountKind.LEARNER,
        )
        for i in range(size)
    ]
    db.add_all(users)
    db.flush()
    db.add_all(
        Membership(group_id=group.id, user_id=u.id, role=Role.LEARNER, level=Level.INSTRUCTION)
        for u in users
    )
    db.add_all(
        PolicyAcknowledgement(version_id=version.id, user_id=u.id, typed_name=u.display_name)
        for u in users[::2]
    )
    db.commit()


def test_the_report_does_not_grow_with_the_staff(app, client, db):
    counts = []
    for size in (5, 500):
        admin = make_supervisor(db, kind=AccountKind.ORG_ADMIN)
        group = make_group(db, admin, kind=GroupKind.WORKPLACE)
        version = workplace.save_draft(
            session=db, group=group, title="P", body="B", editor=admin, now=utc_now()
        )
        workplace.publish(session=db, group=group, version=version, admin=admin, now=utc_now())
        db.commit()
        _many_staff(db, group, version, size)
        # As many invites not taken up, and HR's log of actions.
        for i in range(size):
            make_invite(db, group, admin, email=f"hire{i}@example.com")
        for _ in range(min(size, 30)):
            workplace.log_event(
                session=db,
                group=group,
                actor=admin,
                kind=GroupEventKind.REMINDED,
                detail="3",
                now=utc_now(),
            )
        db.commit()
        login(client, admin)
        # Fifty at a time: the first page starts with the staff, the last ends with the
        # invites, with the same queries whatever the page or the company's size.
        last = -(-2 * size // 50)
        for number in (1, last):
            with QueryCounter(app.extensions["engine"]) as counter:
                page = client.get(f"/groups/{group.id}/report?page={number}")
            text = page.get_data(as_text=True)
            assert page.status_code == 200
            assert f"of {2 * size}." in text
            assert (f"Page {number} of {last}" in text) == (last > 1)
            counts.append(counter.count)
        assert "Staff 0" in client.get(f"/groups/{group.id}/report").get_data(as_text=True)
        assert f"hire{size - 1}@example.com" in text and "invited, not joined" in text
    # The first view adds the figures up, the second finds them kept (learner/groupdata.py):
    # each the same whatever the company's size.
    made, kept = set(counts[0::2]), set(counts[1::2])
    assert len(made) == 1 and len(kept) == 1 and max(made) <= 15, counts
    assert max(kept) < max(made), counts


def test_reminders_follow_the_schedule_around_the_deadline(app, db, company):
    admin, group = company.admin, company.group
    # The runs step through days from noon, so "a little later" (0.1 or 0.2 of a day) is
    # the same day whatever time the test starts.
    now = datetime.combine(utc_now().date(), time(12), tzinfo=UTC)
    today = now.date()
    publish_policy(db, group, admin, acknowledge_by=today + timedelta(days=3))
    (_sam, sam_member), _other = company.staff
    sam_member.manager_id = company.manager_membership.id
    db.add(sam_member)
    db.add(
        Assignment(
            group_id=group.id,
            module_id="personal-social-media-policy",
            due_on=today - timedelta(days=2),
            assigned_by_id=admin.id,
        )
    )
    db.commit()
    modules = {m.id: m for m in real_catalog().modules()}

    def run(days: float) -> int:
        with app.test_request_context():
            sent = reminders.send(
                session=db, now=now + timedelta(days=days), modules=modules, link="x"
            )
        db.commit()
        return sent

    # Today: the policy is due in 3 days ("before"), the lesson was due 2 days ago ("after").
    assert (run(0), run(0.1)) == (4, 0)
    # Tomorrow the lesson is 3 days late: Sam's manager hears about Sam (only Sam has one).
    assert (run(1), run(1.2), run(2)) == (1, 0, 0)
    # The day after the policy's deadline: both staff get the after-reminder; a week after
    # the lesson's, its last reminder.
    assert (run(4), run(4.2), run(5)) == (2, 0, 2)
    # Three days after the policy's deadline Sam's manager hears about it too; a week
    # after, the policy's last reminder; then nothing more.
    assert (run(6), run(10), run(20)) == (1, 2, 0)
    tom_sees = (
        fresh(db).exec(select(Notification).where(Notification.user_id == company.manager.id)).all()
    )
    assert [n.detail for n in tom_sees] == ["staff", "staff"]
    assert all(n.membership_id == sam_member.id for n in tom_sees)


def test_the_reminders_command_is_safe_to_repeat(app, db, company):
    publish_policy(db, company.group, company.admin, acknowledge_by=utc_now().date())
    runner = app.test_cli_runner()
    assert "2 reminders sent." in runner.invoke(args=["reminders", "send"]).output
    assert "0 reminders sent." in runner.invoke(args=["reminders", "send"]).output


def _upload(client, group, content: bytes):
    data = {"email_list": (io.BytesIO(content), "staff.csv")}
    return post(
        client, f"/groups/{group.id}/invites/list", data, content_type="multipart/form-data"
    )


def _invites(db):
    from learner.models import Invite

    return fresh(db).exec(select(Invite.email).order_by(Invite.id)).all()


def test_a_list_of_addresses_invites_everyone_once(client, db, company, caplog):
    admin, group = company.admin, company.group
    login(client, admin)
    with caplog.at_level("INFO", logger="learner.core.mail"):
        response = _upload(client, group, b"email\nAna.Lopez@Example.com\nben@example.com\n\n")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # No SMTP server here: the page says the links must be copied, not that they went out.
    assert "2 invite links made" in page and "nothing was sent" in page and "/invite/" in page
    assert "Each address got an e-mail" not in page
    assert _invites(db) == ["ana.lopez@example.com", "ben@example.com"]
    assert sum("E-mail" in r.getMessage() for r in caplog.records) == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name\nana@example.com\n", "The first row must be one heading: email."),
        (b"email\nana@example.com\nnot-an-address\n", "is not an e-mail address"),
        (b"email\nana@example.com\nANA@example.com\n", "The same address as row 2."),
        (b'email\n=HYPERLINK("x")\n', "This looks like a spreadsheet formula."),
        ("email\nzoë@example.com\n".encode("latin-1"), "CSV UTF-8"),
        (b"email\n" + b"".join(b"p%d@example.com\n" % i for i in range(501)), "At most 500"),
    ],
)
def test_a_bad_list_invites_nobody_and_says_which_rows(client, db, company, content, expected):
    admin, group = company.admin, company.group
    login(client, admin)
    response = _upload(client, group, content)
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert _invites(db) == []


def test_members_and_open_invites_are_not_invited_twice(client, db, company):
    admin, group, manager = company.admin, company.group, company.manager
    login(client, admin)
    _upload(client, group, b"email\nnew@example.com\n")
    response = _upload(client, group, f"email\nnew@example.com\n{manager.email}\n".encode())
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "has an open invite already" in text and "is in this workplace already" in text
    assert _invites(db) == ["new@example.com"]


def test_expired_and_used_invite_links_are_refused(client, db, company):
    admin, group = company.admin, company.group
    from learner import groups

    _invite, token = groups.create_invite(
        session=db,
        group=group,
        role=Role.LEARNER,
        created_by=admin,
        email=None,
        now=utc_now() - timedelta(days=8),
    )
    db.commit()
    assert "expired" in client.get(f"/invite/{token}").get_data(as_text=True).lower()
    fresh_invite, fresh_token = groups.create_invite(
        session=db, group=group, role=Role.LEARNER, created_by=admin, email=None, now=utc_now()
    )
    fresh_invite.used_at = utc_now()
    db.add(fresh_invite)
    db.commit()
    assert "used" in client.get(f"/invite/{fresh_token}").get_data(as_text=True).lower()


def test_a_new_staff_member_is_told_at_once_that_the_policy_waits(client, db):
    from learner import groups

    company = make_workplace(db, staff=0, policy="Say who you work for.")
    _invite, token = groups.create_invite(
        session=db,
        group=company.group,
        role=Role.LEARNER,
        created_by=company.admin,
        email=None,
        now=utc_now(),
    )
    db.commit()
    joiner = make_supervisor(db, kind=AccountKind.ORG_ADMIN, name="Noor Haddad")
    login(client, joiner)
    assert post(client, f"/invite/{token}").status_code == 302
    told = fresh(db).exec(select(Notification).where(Notification.user_id == joiner.id)).all()
    assert [n.kind for n in told] == [NotificationKind.POLICY_PUBLISHED]
    for page in ("/dashboard", f"/groups/{company.group.id}"):
        html = client.get(page).get_data(as_text=True)
        assert "policy of" in html and "waits for you" in html, page
    assert "please read and" in client.get("/notifications").get_data(as_text=True)
    version = company.policy or fresh(db).exec(select(PolicyVersion)).one()
    response = post(
        client,
        f"/groups/{company.group.id}/policy/acknowledge",
        {"version": version.id, "typed_name": "Noor Haddad"},
    )
    assert response.status_code == 302
    assert "waits for you" not in client.get("/dashboard").get_data(as_text=True)


def test_a_one_word_account_name_is_enough_to_acknowledge(client, db):
    company = make_workplace(db, staff=1, policy="Be kind.")
    (person, _membership) = company.staff[0]
    person.display_name = "Jordan"
    db.add(person)
    db.commit()
    login(client, person)
    url = f"/groups/{company.group.id}/policy/acknowledge"
    version = fresh(db).exec(select(PolicyVersion)).one()
    assert post(client, url, {"version": version.id, "typed_name": "Jo"}).status_code == 400
    assert post(client, url, {"version": version.id, "typed_name": " jordan "}).status_code == 302


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es", "Participa sin hacer spam"), ("de", "Private Konten und Firmenkonten")],
)
def test_the_starter_policy_comes_in_the_admins_language(client, db, company, lang, words):
    admin, group = company.admin, company.group
    admin.locale = lang
    db.add(admin)
    db.commit()
    login(client, admin)
    page = client.get(f"/groups/{group.id}/policy/edit").get_data(as_text=True)
    assert words in html.unescape(page)
    assert "Say who you work for" not in page
