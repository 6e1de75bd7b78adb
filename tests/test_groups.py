"""Group rules without HTTP: join codes, under-13 consent, invites and members."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learner import groups
from learner.core import throttle
from learner.core.db import utc_now
from learner.errors import GroupError, JoinThrottled, UnknownJoinCode
from learner.models import AgeBand, AuthFailure, GroupKind, Level, Membership, Role, User
from tests.factories import (
    PASSWORD,
    at_school,
    make_family,
    make_group,
    make_learner,
    make_supervisor,
)
from tests.helpers import count_rows, post


def test_creating_a_group_makes_the_creator_its_owner(db):
    owner = make_supervisor(db)
    group = make_group(db, owner, kind=GroupKind.CLASSROOM)
    [row] = groups.members(db, group)
    assert row.user.id == owner.id
    assert row.membership.role is Role.SUPERVISOR and row.membership.is_owner
    assert len(group.join_code) == groups.CODE_LENGTH and group.join_code_enabled


def test_family_and_workplace_codes_start_switched_off(db):
    owner = make_supervisor(db)
    for kind in (GroupKind.FAMILY, GroupKind.WORKPLACE):
        group = make_group(db, owner, kind=kind)
        with pytest.raises(GroupError):
            groups.group_for_code(db, group.join_code)


def test_codes_are_read_forgivingly(db):
    group = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    typed = f" {group.join_code[:4].lower()}-{group.join_code[4:]} "
    assert groups.group_for_code(db, typed).id == group.id


def test_rotating_the_code_retires_the_old_one(db):
    group = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    old = group.join_code
    new = groups.rotate_join_code(session=db, group=group)
    db.commit()
    assert new != old
    with pytest.raises(GroupError):
        groups.group_for_code(db, old)


def test_register_with_code_makes_a_managed_learner(app, db):
    group = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    with app.app_context():
        user, membership = groups.register_with_code(
            session=db,
            code=group.join_code,
            username="Zoe.K",
            display_name="Zoe",
            age_band=AgeBand.AGE_13_15,
            password=PASSWORD,
            **at_school(),
        )
    assert user.username == "zoe.k" and user.email is None
    assert membership.level is Level.INSTRUCTION and membership.manages_account


def test_under_13_needs_consent_before_joining_by_code(app, db):
    owner = make_supervisor(db)
    group = make_group(db, owner, kind=GroupKind.CLASSROOM)
    with app.app_context():
        with pytest.raises(GroupError) as error:
            groups.register_with_code(
                session=db,
                code=group.join_code,
                username="tiny",
                display_name="Tiny",
                age_band=AgeBand.UNDER_13,
                password=PASSWORD,
                **at_school(),
            )
        assert error.value.field == "age_band"
        db.rollback()
        groups.record_under13_consent(session=db, group=group, supervisor=owner)
        user, _membership = groups.register_with_code(
            session=db,
            code=group.join_code,
            username="tiny",
            display_name="Tiny",
            age_band=AgeBand.UNDER_13,
            password=PASSWORD,
            **at_school(),
        )
    assert user.age_band is AgeBand.UNDER_13 and group.under13_consent_by_id == owner.id


def test_joining_twice_is_refused_and_rejoining_restores_the_membership(db):
    family = make_family(db)
    classroom = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    membership = groups.join_with_code(
        session=db, code=classroom.join_code, user=family.teen, **at_school()
    )
    with pytest.raises(GroupError, match="already"):
        groups.join_with_code(session=db, code=classroom.join_code, user=family.teen, **at_school())
    groups.remove_member(session=db, membership=membership, now=utc_now())
    again = groups.join_with_code(
        session=db, code=classroom.join_code, user=family.teen, **at_school()
    )
    db.commit()
    assert again.id == membership.id and again.removed_at is None


def test_invite_is_single_use(db):
    family = make_family(db)
    invited = make_supervisor(db)
    now = utc_now()
    invite, token = groups.create_invite(
        session=db,
        group=family.group,
        role=Role.SUPERVISOR,
        created_by=family.parent,
        email=None,
        now=now,
    )
    assert token not in invite.token_hash
    membership = groups.accept_invite(session=db, token=token, user=invited, now=now)
    db.commit()
    assert membership.role is Role.SUPERVISOR
    with pytest.raises(GroupError, match="already been used"):
        groups.accept_invite(session=db, token=token, user=make_supervisor(db), now=now)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires_at": utc_now() - timedelta(seconds=1)}, "expired"),
        ({"revoked_at": utc_now()}, "not valid"),
    ],
)
def test_expired_and_revoked_invites_are_refused(db, change, message):
    family = make_family(db)
    invite, token = groups.create_invite(
        session=db,
        group=family.group,
        role=Role.LEARNER,
        created_by=family.parent,
        email=None,
        now=utc_now(),
    )
    for key, value in change.items():
        setattr(invite, key, value)
    db.commit()
    with pytest.raises(GroupError, match=message):
        groups.accept_invite(session=db, token=token, user=make_supervisor(db), now=utc_now())
    db.rollback()
    assert count_rows(db, Membership) == 2


def test_unknown_invite_token_is_refused(db):
    with pytest.raises(GroupError, match="not valid"):
        groups.accept_invite(session=db, token="made-up", user=make_supervisor(db), now=utc_now())


def test_owner_cannot_be_removed(db):
    family = make_family(db)
    owner_membership = groups.members(db, family.group)[0]
    with pytest.raises(GroupError):
        groups.remove_member(session=db, membership=owner_membership.membership, now=utc_now())


def test_groups_of_counts_members_per_group(db):
    family = make_family(db)
    make_learner(db, family.group)
    [summary] = groups.groups_of(db, family.parent)
    assert (summary.learners, summary.supervisors) == (2, 1)
    assert groups.groups_of(db, make_supervisor(db)) == []


def test_only_wrong_join_codes_count_against_an_address(app, db):
    classroom = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    now = utc_now()
    school = {"address": "192.0.2.10", "now": now}
    with app.app_context():
        for n in range(throttle.JOIN_CODE_LIMIT + 5):
            groups.register_with_code(
                session=db,
                code=classroom.join_code,
                username=f"pupil.{n}",
                display_name=f"Pupil {n}",
                age_band=AgeBand.AGE_13_15,
                password=PASSWORD,
                **school,
            )
        db.commit()
        assert count_rows(db, AuthFailure) == 0
        for _ in range(throttle.JOIN_CODE_LIMIT):
            with pytest.raises(UnknownJoinCode):
                groups.join_with_code(
                    session=db, code="NOPE2345", user=make_supervisor(db), **school
                )
            db.commit()
        with pytest.raises(JoinThrottled) as waiting:
            groups.join_with_code(
                session=db, code=classroom.join_code, user=make_supervisor(db), **school
            )
        assert 0 < waiting.value.retry_after <= throttle.JOIN_CODE_WINDOW.total_seconds()
        # Another network is not slowed down, and the wait ends by itself.
        elsewhere = {"address": "198.51.100.7", "now": now}
        groups.join_with_code(
            session=db, code=classroom.join_code, user=make_supervisor(db), **elsewhere
        )
        later = {
            "address": "192.0.2.10",
            "now": now + throttle.JOIN_CODE_WINDOW + timedelta(seconds=1),
        }
        groups.join_with_code(
            session=db, code=classroom.join_code, user=make_supervisor(db), **later
        )


def test_a_throttled_join_gets_429_with_retry_after(app, client, db):
    with app.app_context():
        for _ in range(throttle.JOIN_CODE_LIMIT):
            throttle.record_wrong_join_code(session=db, address="127.0.0.1", now=utc_now())
        db.commit()
    fields = {
        "code": "ABCD2345",
        "username": "x.y",
        "display_name": "X",
        "age_band": "13_15",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    response = post(client, "/join", fields)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "Too many wrong codes" in response.get_data(as_text=True)
    assert count_rows(db, User) == 0
