"""Workplaces: the versioned personal social-media policy, acknowledgements, managers,
the completion report and its CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import classroom, groups, notifications
from learner.errors import DomainError
from learner.models import (
    Assignment,
    Group,
    LessonProgress,
    Level,
    Membership,
    NotificationKind,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    Role,
    User,
)
from lessons.catalog import Module

# Staff acknowledge a newly published version, or the policy when they join, within this.
ACKNOWLEDGE_WITHIN = timedelta(days=7)
MAX_POLICY = 20_000

STARTER_TITLE = "Our personal social-media policy"
# Written from the seed articles' advice; the organisation admin edits it before publishing.
STARTER_POLICY = (Path(__file__).parent / "data" / "starter_policy.md").read_text(encoding="utf-8")


class PolicyError(DomainError):
    """A policy action the rules refuse (the message says why)."""


def versions(session: Session, group: Group) -> list[PolicyVersion]:
    """Every version of the group's policy, newest first."""
    return list(
        session.exec(
            select(PolicyVersion)
            .where(PolicyVersion.group_id == group.id)
            .order_by(PolicyVersion.version.desc())
        ).all()
    )


def current(session: Session, group: Group) -> PolicyVersion | None:
    """The published version in force, if any."""
    return session.exec(
        select(PolicyVersion).where(
            PolicyVersion.group_id == group.id, PolicyVersion.status == PolicyStatus.PUBLISHED
        )
    ).first()


def draft(session: Session, group: Group) -> PolicyVersion | None:
    """The version being edited, if any."""
    return session.exec(
        select(PolicyVersion).where(
            PolicyVersion.group_id == group.id, PolicyVersion.status == PolicyStatus.DRAFT
        )
    ).first()


def save_draft(
    *, session: Session, group: Group, title: str, body: str, editor: User, now: datetime
) -> PolicyVersion:
    """Save the draft (making a new version number when there is none)."""
    title, body = title.strip(), body.strip()
    if not title:
        raise PolicyError(_l("Give the policy a title."), field="title")
    if not body:
        raise PolicyError(_l("Write the policy first."), field="body")
    if len(body) > MAX_POLICY:
        raise PolicyError(_l("Keep the policy under 20,000 characters."), field="body")
    row = draft(session, group)
    if row is None:
        last = session.exec(
            select(func.max(PolicyVersion.version)).where(PolicyVersion.group_id == group.id)
        ).one()
        row = PolicyVersion(
            group_id=group.id,
            version=(last or 0) + 1,
            title=title,
            body=body,
            status=PolicyStatus.DRAFT,
            created_by_id=editor.id,
            created_at=now,
        )
    row.title, row.body, row.updated_at = title, body, now
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise PolicyError(
            _l("Someone else saved a draft at the same moment. Open it again.")
        ) from error
    return row


def publish(
    *, session: Session, group: Group, version: PolicyVersion, admin: User, now: datetime
) -> None:
    """Put a draft in force; the version before stays readable; everyone must acknowledge
    the new one (they get a notification)."""
    if version.status is not PolicyStatus.DRAFT:
        raise PolicyError(_l("Only a draft can be published."))
    session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.group_id == group.id, PolicyVersion.status == PolicyStatus.PUBLISHED)
        .values(status=PolicyStatus.SUPERSEDED)
    )
    version.status = PolicyStatus.PUBLISHED
    version.published_at = now
    version.published_by_id = admin.id
    session.add(version)
    members = session.exec(
        select(Membership).where(
            groups.current_members(group.id, role=Role.LEARNER),
        )
    ).all()
    for member in members:
        if member.user_id != admin.id:
            notifications.notify(
                session=session,
                user_id=member.user_id,
                kind=NotificationKind.POLICY_PUBLISHED,
                group_id=group.id,
                membership_id=member.id,
                actor_id=admin.id,
                now=now,
            )
    session.flush()


def _normal_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def acknowledge(
    *, session: Session, version: PolicyVersion, user: User, typed_name: str, now: datetime
) -> PolicyAcknowledgement:
    """The signed-in person acknowledges the version in force, typing their full name.
    Raises PolicyError for an old version, a name that is not theirs, or a repeat."""
    if version.status is not PolicyStatus.PUBLISHED:
        raise PolicyError(_l("This version is not the one in force. Read the current one."))
    typed_words, account_words = (
        _normal_name(typed_name).split(),
        _normal_name(user.display_name).split(),
    )
    # "Priya Shah" for an account called "Priya" is fine, and so is "Priya" itself (the
    # invite said a first name is enough); "Priya" for "Priya Shah" is not.
    if not typed_words or not set(account_words) <= set(typed_words):
        raise PolicyError(
            _l(
                "Type your name: it must include your account's name, %(name)s (your full "
                "name is welcome).",
                name=user.display_name,
            ),
            field="typed_name",
        )
    row = PolicyAcknowledgement(
        version_id=version.id, user_id=user.id, typed_name=typed_name.strip(), acknowledged_at=now
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:
        raise PolicyError(_l("You have acknowledged this version already.")) from error
    return row


def acknowledgement(
    session: Session, version: PolicyVersion | None, user_id: int
) -> PolicyAcknowledgement | None:
    """The user's acknowledgement of a version, if any."""
    if version is None:
        return None
    return session.exec(
        select(PolicyAcknowledgement).where(
            PolicyAcknowledgement.version_id == version.id, PolicyAcknowledgement.user_id == user_id
        )
    ).first()


def set_manager(
    *, session: Session, group: Group, staff: Membership, manager: Membership | None
) -> None:
    """Say which manager a staff member reports to (or none)."""
    if manager is not None and (
        manager.group_id != group.id or manager.role is not Role.SUPERVISOR or manager.removed_at
    ):
        raise PolicyError(_l("Choose a manager of this workplace."), field="manager")
    staff.manager_id = manager.id if manager else None
    session.add(staff)
    session.flush()


# --- The completion report ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """The few facts about a staff member the report shows (no full account object)."""

    id: int
    display_name: str
    login_name: str


@dataclass(frozen=True)
class ReportRow:
    """One staff member in the completion report."""

    membership_id: int
    level: Level
    user: Person
    manager: Person | None
    lessons_done: int
    lessons_total: int
    acknowledged_at: datetime | None
    acknowledged_version: int | None
    # They acknowledged the version in force.
    on_current: bool
    overdue: list[str]


def acknowledge_by(policy: PolicyVersion, joined_at: datetime) -> date:
    """The day a staff member should have acknowledged the version in force."""
    return (max(policy.published_at, joined_at) + ACKNOWLEDGE_WITHIN).date()


def report(
    session: Session,
    group: Group,
    modules: list[Module],
    *,
    manager_id: int | None,
    today: date,
) -> tuple[PolicyVersion | None, list[ReportRow]]:
    """Each staff member's lessons, acknowledgement, level and overdue items (a fixed
    number of queries whatever the number of staff; plain columns, not whole objects,
    since a company may have thousands of staff)."""
    policy = current(session, group)
    query = (
        select(
            Membership.id,
            Membership.level,
            Membership.manager_id,
            Membership.joined_at,
            User.id,
            User.display_name,
            User.email,
            User.username,
        )
        .join(User, User.id == Membership.user_id)
        .where(
            groups.current_members(group.id, role=Role.LEARNER),
        )
        .order_by(func.lower(User.display_name), Membership.id)
    )
    if manager_id is not None:
        query = query.where(Membership.manager_id == manager_id)
    people = session.exec(query).all()
    managers = {
        member_id: Person(user_id, name, email or username or "")
        for member_id, user_id, name, email, username in session.exec(
            select(Membership.id, User.id, User.display_name, User.email, User.username)
            .join(User, User.id == Membership.user_id)
            .where(Membership.group_id == group.id, Membership.role == Role.SUPERVISOR)
        ).all()
    }
    module_ids = {m.id for m in modules}
    assigned = classroom.assignments(session, group)
    done: dict[int, int] = {}
    completed_assigned: set[tuple[int, str]] = set()
    acks: dict[int, tuple[datetime, int]] = {}
    if people:
        in_group = select(Membership.user_id).where(
            Membership.group_id == group.id, Membership.role == Role.LEARNER
        )
        wanted = module_ids | {a.module_id for a in assigned}
        for user_id, module_id in session.exec(
            select(LessonProgress.user_id, LessonProgress.module_id).where(
                LessonProgress.user_id.in_(in_group),
                LessonProgress.module_id.in_(wanted),
                LessonProgress.completed_at.is_not(None),
            )
        ).all():
            completed_assigned.add((user_id, module_id))
            if module_id in module_ids:
                done[user_id] = done.get(user_id, 0) + 1
        for user_id, at, number in session.exec(
            select(
                PolicyAcknowledgement.user_id,
                PolicyAcknowledgement.acknowledged_at,
                PolicyVersion.version,
            )
            .join(PolicyVersion, PolicyVersion.id == PolicyAcknowledgement.version_id)
            .where(PolicyVersion.group_id == group.id)
            .order_by(PolicyVersion.version)
        ).all():
            acks[user_id] = (at, number)
    titles = {m.id: m.title for m in modules}
    overdue_policy = str(_l("Policy version %(n)d", n=policy.version)) if policy else ""
    late = [a for a in assigned if today > a.due_on]
    result = []
    for member_id, level, manager, joined_at, user_id, name, email, username in people:
        at, number = acks.get(user_id, (None, None))
        on_current = policy is not None and number == policy.version
        overdue = []
        if policy is not None and not on_current and today > acknowledge_by(policy, joined_at):
            overdue.append(overdue_policy)
        overdue += [
            titles.get(a.module_id, a.module_id)
            for a in late
            if (user_id, a.module_id) not in completed_assigned
        ]
        result.append(
            ReportRow(
                membership_id=member_id,
                level=level,
                user=Person(user_id, name, email or username or ""),
                manager=managers.get(manager),
                lessons_done=done.get(user_id, 0),
                lessons_total=len(modules),
                acknowledged_at=at,
                acknowledged_version=number,
                on_current=on_current,
                overdue=overdue,
            )
        )
    return policy, result


def report_csv(policy: PolicyVersion | None, rows: list[ReportRow]) -> str:
    """The completion report as CSV, formula cells neutralised."""
    header = [
        str(_l("Staff member")),
        str(_l("Login")),
        str(_l("Manager")),
        str(_l("Lessons done")),
        str(_l("Policy version acknowledged")),
        str(_l("Acknowledged at (UTC)")),
        str(_l("Current version")),
        str(_l("Level")),
        str(_l("Overdue")),
    ]
    lines = [
        [
            r.user.display_name,
            r.user.login_name,
            r.manager.display_name if r.manager else "",
            f"{r.lessons_done}/{r.lessons_total}",
            r.acknowledged_version or "",
            r.acknowledged_at.strftime("%Y-%m-%d %H:%M") if r.acknowledged_at else "",
            policy.version if policy else "",
            r.level.value,
            "; ".join(r.overdue),
        ]
        for r in rows
    ]
    return classroom.to_csv(header, lines)


def unacknowledged(session: Session) -> list[tuple[Membership, User, PolicyVersion]]:
    """Every current staff member who has not acknowledged their workplace's policy in force
    (for reminders; one query)."""
    return list(
        session.exec(
            select(Membership, User, PolicyVersion)
            .join(User, User.id == Membership.user_id)
            .join(PolicyVersion, PolicyVersion.group_id == Membership.group_id)
            .outerjoin(
                PolicyAcknowledgement,
                (PolicyAcknowledgement.version_id == PolicyVersion.id)
                & (PolicyAcknowledgement.user_id == Membership.user_id),
            )
            .where(
                PolicyVersion.status == PolicyStatus.PUBLISHED,
                groups.current_members(role=Role.LEARNER),
                User.active.is_(True),
                PolicyAcknowledgement.id.is_(None),
            )
        ).all()
    )


def overdue_lessons(session: Session, today: date) -> list[tuple[Membership, Assignment]]:
    """Assigned lessons past their due date that a learner has not completed (for reminders)."""
    rows = session.exec(
        select(Membership, Assignment)
        .join(Assignment, Assignment.group_id == Membership.group_id)
        .outerjoin(
            LessonProgress,
            (LessonProgress.user_id == Membership.user_id)
            & (LessonProgress.module_id == Assignment.module_id),
        )
        .where(
            groups.current_members(role=Role.LEARNER),
            Assignment.due_on < today,
            LessonProgress.completed_at.is_(None),
        )
    ).all()
    return list(rows)


# --- Inviting staff from a list of e-mail addresses -------------------------------------

MAX_INVITES = 500
EMAIL_HEADINGS = frozenset({"email", "e-mail", "email address", "e-mail address"})
EMAIL_EXAMPLE = "email\nana.lopez@example.com\nben.kim@example.com\n"


def read_email_list(data: bytes, *, members: set[str], invited: set[str]) -> list[str]:
    """The addresses of a CSV file, checked as a whole. Raises roster.RosterError listing
    every problem by spreadsheet row (header = row 1), like a class list."""
    from email_validator import EmailNotValidError, validate_email

    from learner import roster

    text = roster.decode_csv(data)
    records = [(row, [c.strip() for c in cells]) for row, cells in roster.csv_records(text)]
    records = [(row, cells) for row, cells in records if any(cells)]
    if not records:
        raise roster.RosterError([roster.Problem(None, _l("The file is empty."))])
    (header_row, header), body = records[0], records[1:]
    headings = [h.casefold() for h in header]
    if len(headings) != 1 or headings[0] not in EMAIL_HEADINGS:
        raise roster.RosterError(
            [roster.Problem(header_row, _l("The first row must be one heading: email."))]
        )
    if len(body) > MAX_INVITES:
        raise roster.RosterError(
            [roster.Problem(None, _l("At most %(n)d addresses per file.", n=MAX_INVITES))]
        )
    problems, seen, addresses = [], {}, []
    for row, cells in body:
        value = cells[0] if cells else ""
        if len(cells) > 1 and any(cells[1:]):
            problems.append(roster.Problem(row, _l("Only one column, please.")))
            continue
        if value.startswith(roster.FORMULA_STARTS):
            problems.append(roster.Problem(row, _l("This looks like a spreadsheet formula.")))
            continue
        try:
            address = validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            problems.append(
                roster.Problem(row, _l("“%(value)s” is not an e-mail address.", value=value[:60]))
            )
            continue
        if address in seen:
            problems.append(
                roster.Problem(row, _l("The same address as row %(row)d.", row=seen[address]))
            )
        elif address in members:
            problems.append(
                roster.Problem(row, _l("%(a)s is in this workplace already.", a=address))
            )
        elif address in invited:
            problems.append(roster.Problem(row, _l("%(a)s has an open invite already.", a=address)))
        seen.setdefault(address, row)
        addresses.append(address)
    if problems:
        raise roster.RosterError(problems)
    return addresses


def known_addresses(session: Session, group: Group, now: datetime) -> tuple[set[str], set[str]]:
    """(members' addresses, addresses with an open invite) of a group."""
    from learner.models import Invite

    members = session.exec(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            groups.current_members(group.id),
            User.email.is_not(None),
        )
    ).all()
    invited = session.exec(
        select(Invite.email).where(
            Invite.group_id == group.id,
            Invite.email.is_not(None),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
        )
    ).all()
    return {m.lower() for m in members}, {i.lower() for i in invited}
