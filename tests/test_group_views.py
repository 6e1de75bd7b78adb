"""Groups through the browser's forms: creating, adding people, codes, invites, resets."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from learner import groups
from learner.core.db import utc_now
from learner.errors import GroupError
from learner.models import AgeBand, GroupKind, Membership, Role, User
from tests.factories import (
    PASSWORD,
    at_school,
    make_family,
    make_group,
    make_invite,
    make_learner,
    make_supervisor,
)
from tests.helpers import count_rows, login, logout, post, reload

NEW_LEARNER = {
    "display_name": "Leo",
    "username": "leo.r",
    "age_band": "13_15",
    "password": "orbit lantern quiet",
    "confirm": "orbit lantern quiet",
}


def test_parent_creates_a_family_and_sees_the_empty_state(client, db):
    parent = make_supervisor(db)
    login(client, parent)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Start by creating your family" in dashboard
    response = post(client, "/groups/new", {"kind": "family", "name": "The Riveras"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The Riveras" in page and "Nobody here yet" in page


def test_bad_group_form_is_a_400_and_creates_nothing(client, db):
    login(client, make_supervisor(db))
    response = post(client, "/groups/new", {"kind": "club", "name": ""})
    assert response.status_code == 400
    assert count_rows(db, Membership) == 0


def test_parent_creates_the_teens_account_without_email(client, db):
    family = make_family(db)
    login(client, family.parent)
    response = post(client, f"/groups/{family.group.id}/learners/new", NEW_LEARNER)
    assert response.status_code == 302
    teen = db.exec(select(User).where(User.username == "leo.r")).one()
    assert teen.email is None and teen.age_band == "13_15"
    logout(client)
    response = post(client, "/login", {"login": "leo.r", "password": "orbit lantern quiet"})
    assert response.status_code == 302


def test_taken_username_is_refused_next_to_the_field(client, db):
    family = make_family(db)
    login(client, family.parent)
    response = post(
        client,
        f"/groups/{family.group.id}/learners/new",
        {**NEW_LEARNER, "username": family.teen.username},
    )
    assert response.status_code == 400
    assert 'id="username-error">This username is taken.' in response.get_data(as_text=True)


def test_student_joins_a_class_with_its_code(client, db):
    teacher = make_supervisor(db)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    code = groups.format_code(classroom.join_code).lower()
    response = post(client, "/join", {**NEW_LEARNER, "code": code})
    assert response.status_code == 302 and response.headers["Location"] == f"/groups/{classroom.id}"
    page = client.get(f"/groups/{classroom.id}").get_data(as_text=True)
    assert "Your level here" in page and "Instruction" in page


def test_under_13_without_consent_gets_a_clear_message(client, db):
    classroom = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    response = post(
        client, "/join", {**NEW_LEARNER, "code": classroom.join_code, "age_band": "under_13"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # A class waits for the teacher's consent; the family's wording does not belong here.
    assert "Ask your teacher to confirm consent" in page
    assert "create yours" not in page
    assert count_rows(db, User) == 1


def test_under_13_refusal_speaks_each_settings_words(app, db):
    """A class waits for the teacher to confirm consent; a family makes the child's account."""
    refusals = {}
    for kind in (GroupKind.CLASSROOM, GroupKind.FAMILY):
        owner = make_supervisor(db)
        group = make_group(db, owner, kind=kind)
        _invite, token = make_invite(db, group, owner)
        child = make_supervisor(db)
        child.age_band = AgeBand.UNDER_13
        with pytest.raises(GroupError) as refused:
            groups.accept_invite(session=db, token=token, user=child, now=utc_now())
        refusals[kind] = str(refused.value.message)
    assert "Ask your parent to create yours" in refusals[GroupKind.FAMILY]
    assert "teacher" not in refusals[GroupKind.FAMILY]
    assert "Ask your teacher to confirm consent" in refusals[GroupKind.CLASSROOM]


def test_wrong_code_is_refused_and_nothing_saved(client, db):
    response = post(client, "/join", {**NEW_LEARNER, "code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert "This code does not work" in response.get_data(as_text=True)
    assert count_rows(db, User) == 0


def test_logged_in_teen_joins_a_class_too(client, db):
    family = make_family(db)
    classroom = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    login(client, family.teen)
    assert post(client, "/join", {"code": classroom.join_code}).status_code == 302
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "family group" in dashboard and "classroom group" in dashboard


def test_teacher_rotates_and_switches_off_the_code(client, db):
    teacher = make_supervisor(db)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    old = classroom.join_code
    login(client, teacher)
    assert post(client, f"/groups/{classroom.id}/code/rotate").status_code == 302
    reload(db, classroom)
    assert classroom.join_code != old
    assert post(client, f"/groups/{classroom.id}/code/settings", {}).status_code == 302
    reload(db, classroom)
    assert not classroom.join_code_enabled
    assert "switched off" in client.get(f"/groups/{classroom.id}").get_data(as_text=True)


def test_invite_link_lets_a_second_parent_sign_up_and_join_once(app, client, db):
    family = make_family(db)
    login(client, family.parent)
    response = post(client, f"/groups/{family.group.id}/invites/new", {"role": "supervisor"})
    assert response.status_code == 200
    link = re.search(r'value="(http://localhost/invite/[^"]+)"', response.get_data(as_text=True))
    path = link.group(1).removeprefix("http://localhost")
    logout(client)
    invitee = app.test_client()
    form = {
        "display_name": "Alex",
        "email": "alex@example.com",
        "password": "orbit lantern quiet",
        "confirm": "orbit lantern quiet",
        "adult": "y",
    }
    assert post(invitee, path, form).status_code == 302
    alex = db.exec(select(User).where(User.email == "alex@example.com")).one()
    membership = db.exec(select(Membership).where(Membership.user_id == alex.id)).one()
    assert membership.role is Role.SUPERVISOR and membership.group_id == family.group.id
    again = app.test_client().get(path)
    assert again.status_code == 404 and "already been used" in again.get_data(as_text=True)


def test_invite_with_email_is_sent_to_the_log_without_smtp(client, db, caplog):
    family = make_family(db)
    login(client, family.parent)
    with caplog.at_level("INFO", logger="learner.core.mail"):
        post(
            client,
            f"/groups/{family.group.id}/invites/new",
            {"role": "learner", "email": "teen@example.com"},
        )
    assert "teen@example.com" in caplog.text and "/invite/" in caplog.text


def test_revoked_invite_stops_working(client, db):
    family = make_family(db)
    invite, token = make_invite(db, family.group, family.parent)
    db.commit()
    login(client, family.parent)
    assert post(client, f"/groups/{family.group.id}/invites/{invite.id}/revoke").status_code == 302
    logout(client)
    assert client.get(f"/invite/{token}").status_code == 404
    assert reload(db, invite).revoked_at is not None


def test_reset_password_asks_first_then_shows_the_new_one_once(app, client, db):
    family = make_family(db)
    teen_client = app.test_client()
    post(teen_client, "/login", {"login": family.teen.username, "password": PASSWORD})
    login(client, family.parent)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/password"
    confirm = client.get(url).get_data(as_text=True)
    assert "logged out on every device" in confirm
    page = post(client, url).get_data(as_text=True)
    new = re.search(r'class="secret">([^<]+)<', page).group(1)
    assert teen_client.get("/dashboard").status_code == 302  # the teen's session ended
    logout(client)
    response = post(client, "/login", {"login": family.teen.username, "password": new})
    assert response.status_code == 302
    # The teen's log says who reset it.
    log = client.get(f"/groups/{family.group.id}/members/{family.teen_membership.id}/log")
    assert "made a new password" in log.get_data(as_text=True)


def test_supervisor_cannot_reset_a_learner_account_another_group_manages(client, db):
    family = make_family(db)
    teacher = make_supervisor(db)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    membership = groups.join_with_code(
        session=db, code=classroom.join_code, user=family.teen, **at_school()
    )
    db.commit()
    login(client, teacher)
    url = f"/groups/{classroom.id}/members/{membership.id}/password"
    assert post(client, url).status_code == 403
    assert "Reset password" not in client.get(f"/groups/{classroom.id}").get_data(as_text=True)


def test_remove_member_confirms_then_keeps_the_history(client, db):
    family = make_family(db)
    login(client, family.parent)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/remove"
    assert "Their account and their history stay" in client.get(url).get_data(as_text=True)
    assert post(client, url).status_code == 302
    reload(db, family.teen_membership)
    assert family.teen_membership.removed_at is not None
    login(client, family.teen)
    assert client.get(f"/groups/{family.group.id}").status_code == 404


def test_learner_sees_supervisors_but_not_other_learners(client, db):
    family = make_family(db)
    other, _membership = make_learner(db, family.group)
    login(client, family.teen)
    page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert family.parent.display_name in page and other.display_name not in page
    assert "Join code" not in page


def test_user_text_is_escaped_everywhere_it_is_shown(client, db):
    parent = make_supervisor(db, name="<script>alert(1)</script>")
    login(client, parent)
    post(client, "/groups/new", {"kind": "family", "name": "<img src=x onerror=alert(1)>"})
    for url in ("/dashboard", "/groups/1"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in client.get("/dashboard").get_data(as_text=True)
