"""Group services: creating families, classes and workplaces; join codes; invites; members."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from learner import accounts
from learner.core import labels, throttle
from learner.core.db import utc_now
from learner.errors import GroupError, JoinThrottled, UnknownJoinCode
from learner.models import (
    AgeBand,
    Group,
    GroupKind,
    Invite,
    Level,
    Membership,
    NotificationKind,
    PolicyStatus,
    PolicyVersion,
    Role,
    User,
)

# No 0/O, 1/I/L: codes are read off a board and typed by children.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
INVITE_LIFETIME = timedelta(days=7)


def new_join_code() -> str:
    """A random join code of 8 unambiguous characters (about 40 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """Accept a code typed with spaces, dashes or lower case."""
    return re.sub(r"[^A-Za-z0-9]", "", code).upper()


def format_code(code: str) -> str:
    """Show a code in two halves, easier to read aloud."""
    return f"{code[:4]}-{code[4:]}"


def hash_token(token: str) -> str:
    """The stored form of an invite token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_group(
    *, session: Session, owner: User, kind: GroupKind, name: str, school_year: str | None = None
) -> Group:
    """Create a group with its owner as first supervisor; classes get a live join code."""
    group = Group(
        kind=kind,
        name=name.strip(),
        school_year=(school_year or "").strip() or None if kind is GroupKind.CLASSROOM else None,
        join_code=new_join_code(),
        join_code_enabled=kind is GroupKind.CLASSROOM,
    )
    session.add(group)
    session.flush()
    session.add(
        Membership(group_id=group.id, user_id=owner.id, role=Role.SUPERVISOR, is_owner=True)
    )
    session.flush()
    return group


def rotate_join_code(*, session: Session, group: Group) -> str:
    """Replace the join code: the old one stops working at once."""
    group.join_code = new_join_code()
    session.add(group)
    session.flush()
    return group.join_code


def set_join_code_enabled(*, session: Session, group: Group, enabled: bool) -> None:
    """Turn joining with the code on or off."""
    group.join_code_enabled = enabled
    session.add(group)
    session.flush()


def record_under13_consent(*, session: Session, group: Group, supervisor: User) -> None:
    """A supervisor confirms consent for under-13 learners joining this group with its code."""
    group.under13_consent_at = utc_now()
    group.under13_consent_by_id = supervisor.id
    session.add(group)
    session.flush()


def group_for_code(session: Session, code: str) -> Group:
    """The group an enabled join code belongs to; raises GroupError otherwise."""
    code = normalize_code(code)
    group = session.exec(select(Group).where(Group.join_code == code)).first() if code else None
    if group is None or not group.join_code_enabled:
        raise UnknownJoinCode(
            _l("This code does not work. Check it with whoever gave it to you."), field="code"
        )
    return group


def current_members(
    group_id: int | None = None,
    *,
    user_id: int | None = None,
    role: Role | None = None,
    of=Membership,
):
    """The SQL condition for current (not removed) memberships: of a group, of a person,
    of one role, as given. `of` is `Membership` or an alias of it, for self-joins."""
    conditions = [of.removed_at.is_(None)]
    if group_id is not None:
        conditions.append(of.group_id == group_id)
    if user_id is not None:
        conditions.append(of.user_id == user_id)
    if role is not None:
        conditions.append(of.role == role)
    return and_(*conditions)


def _membership(session: Session, group_id: int, user_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(Membership.group_id == group_id, Membership.user_id == user_id)
    ).first()


def _add_member(
    *, session: Session, group: Group, user: User, role: Role, manages_account: bool = False
) -> Membership:
    existing = _membership(session, group.id, user.id)
    if existing is not None and existing.removed_at is None:
        raise GroupError(_l("You are already a member of %(name)s.", name=group.name))
    if existing is not None:
        # Rejoining restores the old membership: nothing from before is lost.
        existing.removed_at = None
        existing.role = role
        existing.level = Level.INSTRUCTION if role is Role.LEARNER else None
        existing.level_since = utc_now() if role is Role.LEARNER else None
        session.add(existing)
        session.flush()
        return existing
    membership = Membership(
        group_id=group.id,
        user_id=user.id,
        role=role,
        level=Level.INSTRUCTION if role is Role.LEARNER else None,
        level_since=utc_now() if role is Role.LEARNER else None,
        manages_account=manages_account,
    )
    session.add(membership)
    session.flush()
    return membership


def _check_age(group: Group, age_band: AgeBand | None) -> None:
    if age_band is AgeBand.UNDER_13 and group.under13_consent_at is None:
        raise GroupError(labels.UNDER_13_REFUSED[group.kind], field="age_band")


def _guarded_group_for_code(*, session: Session, code: str, address: str, now: datetime) -> Group:
    """The code's group; a wrong code is counted against the address, too many wait.

    Raises JoinThrottled before looking, or UnknownJoinCode after recording the guess
    (the caller commits it even though the join failed).
    """
    limited = throttle.check_join_code(session, address=address, now=now)
    if limited is not None:
        minutes = max(1, math.ceil(limited.retry_after / 60))
        raise JoinThrottled(
            _l(
                "Too many wrong codes from this network. Wait %(minutes)s minute(s), "
                "then check the code and try again.",
                minutes=minutes,
            ),
            retry_after=limited.retry_after,
        )
    try:
        return group_for_code(session, code)
    except UnknownJoinCode:
        throttle.record_wrong_join_code(session=session, address=address, now=now)
        raise


def join_with_code(
    *, session: Session, code: str, user: User, address: str, now: datetime
) -> Membership:
    """An existing account joins a group as a learner with the group's code."""
    group = _guarded_group_for_code(session=session, code=code, address=address, now=now)
    _check_age(group, user.age_band)
    return _add_member(session=session, group=group, user=user, role=Role.LEARNER)


def register_with_code(
    *,
    session: Session,
    code: str,
    username: str,
    display_name: str,
    age_band: AgeBand,
    password: str,
    address: str,
    now: datetime,
) -> tuple[User, Membership]:
    """A new learner makes an account (no e-mail) and joins the code's group."""
    group = _guarded_group_for_code(session=session, code=code, address=address, now=now)
    _check_age(group, age_band)
    return accounts.create_learner_account(
        session=session,
        username=username,
        display_name=display_name,
        age_band=age_band,
        password=password,
        group=group,
    )


def create_invite(
    *,
    session: Session,
    group: Group,
    role: Role,
    created_by: User,
    email: str | None,
    now: datetime,
    locale: str | None = None,
) -> tuple[Invite, str]:
    """Make a single-use invite; returns it with the token, which is shown only now.
    `locale` is the language the invitee reads (their e-mail and invite page)."""
    token = secrets.token_urlsafe(24)
    invite = Invite(
        group_id=group.id,
        role=role,
        token_hash=hash_token(token),
        email=accounts.normalize_email(email) if email else None,
        created_by_id=created_by.id,
        created_at=now,
        expires_at=now + INVITE_LIFETIME,
        locale=locale,
    )
    session.add(invite)
    session.flush()
    return invite, token


def find_invite(session: Session, token: str, *, for_update: bool = False) -> Invite | None:
    """The invite for a token, whatever its state."""
    query = select(Invite).where(Invite.token_hash == hash_token(token))
    if for_update:
        query = query.with_for_update()
    return session.exec(query).first()


def invite_problem(invite: Invite | None, now: datetime) -> str | None:
    """Why an invite cannot be used now, or None when it can."""
    if invite is None or invite.revoked_at is not None:
        return _l("This invite link is not valid. Ask for a new one.")
    if invite.used_at is not None:
        return _l("This invite link has already been used. Ask for a new one.")
    if invite.expires_at <= now:
        return _l("This invite link has expired. Ask for a new one.")
    return None


def accept_invite(
    *, session: Session, token: str, user: User, now: datetime, new_account: bool = False
) -> Membership:
    """Use an invite: the user joins its group in its role, and the link is spent.

    `new_account` says the account was made through this invite, so a learner's account
    is managed by the group's supervisors (they may reset its password).
    """
    invite = find_invite(session, token, for_update=True)
    problem = invite_problem(invite, now)
    if problem is not None:
        raise GroupError(problem)
    group = session.get(Group, invite.group_id)
    if invite.role is Role.LEARNER:
        _check_age(group, user.age_band)
    membership = _add_member(
        session=session,
        group=group,
        user=user,
        role=invite.role,
        manages_account=new_account and invite.role is Role.LEARNER,
    )
    invite.used_at = now
    invite.used_by_id = user.id
    session.add(invite)
    if group.kind is GroupKind.WORKPLACE and invite.role is Role.LEARNER:
        _tell_about_the_policy(session=session, group=group, membership=membership, now=now)
    session.flush()
    return membership


def _tell_about_the_policy(
    *, session: Session, group: Group, membership: Membership, now: datetime
) -> None:
    """A new staff member hears at once that the policy in force waits for them."""
    in_force = session.exec(
        select(PolicyVersion).where(
            PolicyVersion.group_id == group.id, PolicyVersion.status == PolicyStatus.PUBLISHED
        )
    ).first()
    if in_force is not None:
        # Imported here: notifications reads group members through this module.
        from learner import notifications

        notifications.notify(
            session=session,
            user_id=membership.user_id,
            kind=NotificationKind.POLICY_PUBLISHED,
            group_id=group.id,
            membership_id=membership.id,
            actor_id=in_force.published_by_id,
            now=now,
        )


def revoke_invite(*, session: Session, invite: Invite, now: datetime) -> None:
    """Withdraw an unused invite."""
    invite.revoked_at = now
    session.add(invite)
    session.flush()


@dataclass(frozen=True)
class MemberRow:
    """A member of a group as the group page lists them."""

    membership: Membership
    user: User


def members(session: Session, group: Group) -> list[MemberRow]:
    """The group's current members with their accounts, supervisors first (one query)."""
    rows = session.exec(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(current_members(group.id))
        .order_by(Membership.role.desc(), func.lower(User.display_name), User.id)
    ).all()
    return [MemberRow(membership=m, user=u) for m, u in rows]


def open_invites(session: Session, group: Group, now: datetime) -> list[Invite]:
    """Invites of the group that can still be used."""
    return list(
        session.exec(
            select(Invite)
            .where(
                Invite.group_id == group.id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
                Invite.expires_at > now,
            )
            .order_by(Invite.created_at)
        ).all()
    )


@dataclass(frozen=True)
class GroupSummary:
    """One of a user's groups on their dashboard."""

    group: Group
    membership: Membership
    learners: int
    supervisors: int


def groups_of(session: Session, user: User) -> list[GroupSummary]:
    """The user's groups with their member counts (one query whatever the number)."""
    rows = session.exec(_GROUPS_OF, params={"user_id": user.id}).all()
    return [
        GroupSummary(group=g, membership=m, learners=learners, supervisors=supervisors)
        for m, g, learners, supervisors in rows
    ]


def _members_counted(role: Role):
    """A column for a query of groups: the group's current members of one role."""
    counted = aliased(Membership)
    return (
        select(func.count(counted.id))
        .where(counted.group_id == Group.id, current_members(role=role, of=counted))
        .scalar_subquery()
    )


# Built once at import: each request finds the statement's cache key without building it.
_GROUPS_OF = (
    select(Membership, Group, _members_counted(Role.LEARNER), _members_counted(Role.SUPERVISOR))
    .join(Group, Group.id == Membership.group_id)
    .where(current_members(user_id=bindparam("user_id")))
    .order_by(Group.kind, func.lower(Group.name), Group.id)
)


def remove_member(*, session: Session, membership: Membership, now: datetime) -> None:
    """Take someone out of a group; the membership row and its history stay.

    Leaving a workplace ends the person's sessions at once, and an account the workplace
    made for them is switched off too (their records stay)."""
    if membership.is_owner:
        raise GroupError(_l("The group's owner cannot be removed."))
    membership.removed_at = now
    session.add(membership)
    session.flush()
    group = session.get(Group, membership.group_id)
    if group.kind is GroupKind.WORKPLACE:
        person = session.get(User, membership.user_id)
        accounts.end_all_sessions(session=session, user=person)
        if membership.manages_account:
            accounts.set_active(session=session, user=person, active=False)


def learner_memberships(session: Session, user_id: int) -> list[tuple[Membership, Group]]:
    """A person's current learner memberships with their groups (one query)."""
    rows = session.exec(
        select(Membership, Group)
        .join(Group, Group.id == Membership.group_id)
        .where(current_members(user_id=user_id, role=Role.LEARNER))
    )
    return list(rows.all())


def supervisors(session: Session, group: Group) -> list[tuple[Membership, User]]:
    """The group's current supervisors with their accounts, by name (one query)."""
    rows = session.exec(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(current_members(group.id, role=Role.SUPERVISOR))
        .order_by(User.display_name)
    )
    return list(rows.all())


def count_groups(session: Session) -> dict[str, int]:
    """How many groups exist of each kind (for the site admin)."""
    rows = session.exec(select(Group.kind, func.count(Group.id)).group_by(Group.kind)).all()
    counts = {kind.value: 0 for kind in GroupKind}
    counts.update({GroupKind(kind).value: n for kind, n in rows})
    return counts
