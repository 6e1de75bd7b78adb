"""Workplaces: the versioned personal social-media policy, acknowledgements, managers,
the completion report and its CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import classroom, groupdata, groups, notifications
from learner.core.marks import N_
from learner.errors import DomainError
from learner.models import (
    Assignment,
    Group,
    GroupEvent,
    GroupEventKind,
    Invite,
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

# Staff acknowledge a newly published version, or the policy when they join, within this
# (unless HR set a later deadline for the version).
ACKNOWLEDGE_WITHIN = timedelta(days=7)
# The longest deadline HR may set, counted from today.
LONGEST_DEADLINE = timedelta(days=366)
MAX_POLICY = 20_000

STARTER_TITLE = N_("Our personal social-media policy")
# Written from the seed articles' advice; the organisation admin edits it before publishing.
STARTER_POLICY = (Path(__file__).parent / "data" / "starter_policy.md").read_text(encoding="utf-8")


def starter_policy() -> tuple[str, str]:
    """The starter policy's title and text in the editor's language: the title from the
    catalogue, the text from data/starter_policy.<lang>.md when it is written (else
    English)."""
    lang = str(get_locale() or "en")
    translated = Path(__file__).parent / "data" / f"starter_policy.{lang}.md"
    body = translated.read_text(encoding="utf-8") if translated.is_file() else STARTER_POLICY
    return gettext(STARTER_TITLE), body


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


def _check_deadline(day: date | None, today: date) -> None:
    if day is None:
        return
    if day < today:
        raise PolicyError(_l("Choose today or a later date."), field="acknowledge_by")
    if day > today + LONGEST_DEADLINE:
        raise PolicyError(_l("Choose a date within a year."), field="acknowledge_by")


def publish(
    *,
    session: Session,
    group: Group,
    version: PolicyVersion,
    admin: User,
    now: datetime,
    acknowledge_by: date | None = None,
) -> None:
    """Put a draft in force; the version before stays readable; everyone must acknowledge
    the new one (they get a notification), by `acknowledge_by` when HR gives a day."""
    if version.status is not PolicyStatus.DRAFT:
        raise PolicyError(_l("Only a draft can be published."))
    _check_deadline(acknowledge_by, now.date())
    version.acknowledge_by = acknowledge_by
    session.execute(
        groupdata.touches(
            update(PolicyVersion)
            .where(
                PolicyVersion.group_id == group.id, PolicyVersion.status == PolicyStatus.PUBLISHED
            )
            .values(status=PolicyStatus.SUPERSEDED),
            groups=[group.id],
        )
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


def set_deadline(
    *,
    session: Session,
    group: Group,
    version: PolicyVersion,
    acknowledge_by: date | None,
    admin: User,
    now: datetime,
) -> None:
    """Move (or clear) the day staff should acknowledge the version in force by; logged."""
    if version.status is not PolicyStatus.PUBLISHED or version.group_id != group.id:
        raise PolicyError(_l("Only the version in force has a deadline."))
    _check_deadline(acknowledge_by, now.date())
    version.acknowledge_by = acknowledge_by
    session.add(version)
    log_event(
        session=session,
        group=group,
        actor=admin,
        kind=GroupEventKind.DEADLINE_SET,
        detail=f"{version.version}:{acknowledge_by.isoformat() if acknowledge_by else ''}",
        now=now,
    )
    session.flush()


def log_event(
    *, session: Session, group: Group, actor: User, kind: GroupEventKind, detail: str, now: datetime
) -> None:
    """Add a line to the workplace's log of HR actions."""
    session.add(
        GroupEvent(group_id=group.id, actor_id=actor.id, kind=kind, detail=detail, created_at=now)
    )


@dataclass(frozen=True)
class LoggedAction:
    """One line of the workplace's log, with the name of who did it."""

    kind: GroupEventKind
    detail: str
    actor: str
    at: datetime


def events(session: Session, group: Group, *, limit: int = 20) -> list[LoggedAction]:
    """The workplace's latest logged HR actions, newest first (one query)."""
    rows = session.exec(
        select(GroupEvent.kind, GroupEvent.detail, User.display_name, GroupEvent.created_at)
        .join(User, User.id == GroupEvent.actor_id)
        .where(GroupEvent.group_id == group.id)
        .order_by(GroupEvent.created_at.desc(), GroupEvent.id.desc())
        .limit(limit)
    ).all()
    return [LoggedAction(kind, detail, name, at) for kind, detail, name, at in rows]


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
    # The day they should acknowledge the version in force by (None once they have).
    policy_due: date | None = None
    # Something is still to do (the policy, or an assigned lesson past its due date).
    not_done: bool = False


def acknowledge_by(policy: PolicyVersion, joined_at: datetime) -> date:
    """The day a staff member should acknowledge the version in force by: HR's deadline
    for the version, or a week after it was published; someone who joins later gets a
    week from joining if that is later."""
    published = policy.published_at or joined_at
    deadline = policy.acknowledge_by or (published + ACKNOWLEDGE_WITHIN).date()
    if joined_at > published:
        return max(deadline, (joined_at + ACKNOWLEDGE_WITHIN).date())
    return deadline


def report(
    session: Session,
    group: Group,
    modules: list[Module],
    *,
    manager_id: int | None,
    today: date,
    assigned: list[Assignment] | None = None,
) -> tuple[PolicyVersion | None, list[ReportRow], list[tuple[int, Person]]]:
    """Each staff member's lessons, acknowledgement, level and overdue items (a fixed
    number of queries whatever the number of staff; plain columns, not whole objects,
    since a company may have thousands of staff), and the current managers by name, by
    membership id. `assigned`: the workplace's assigned lessons, if the caller has them."""
    policy, staff, current_managers = report_staff(
        session, group, modules, manager_id=manager_id, today=today, assigned=assigned
    )
    return policy, [entry.row() for entry in staff], current_managers


@dataclass(slots=True)
class StaffEntry:
    """One staff member as the report's filters and counts see them (everyone, cheaply):
    their name, whether something is still to do or overdue; `row()` builds the whole
    ReportRow, which a page needs only for the rows it shows. Not frozen: a company makes
    thousands of these a page (see LearnerModule); nothing changes one once made."""

    user: Person
    not_done: bool
    overdue: bool
    facts: _ReportFacts
    person: tuple

    def row(self) -> ReportRow:
        return self.facts.row(self.user, self.person)


@dataclass(frozen=True, slots=True)
class _ReportFacts:
    """What the report read for everyone, for building any staff member's row."""

    policy: PolicyVersion | None
    managers: dict[int, Person]
    done: dict[int, int]
    completed_assigned: set[tuple[int, str]]
    acks: dict[int, tuple[datetime, int]]
    late: list[Assignment]
    titles: dict[str, str]
    lessons_total: int
    today: date

    def due(self, joined_at: datetime, number: int | None) -> date | None:
        """The day to acknowledge the version in force by (None once acknowledged)."""
        policy = self.policy
        on_current = policy is not None and number == policy.version
        return acknowledge_by(policy, joined_at) if policy is not None and not on_current else None

    def row(self, user: Person, person: tuple) -> ReportRow:
        member_id, level, manager, joined_at = person[:4]
        policy, today = self.policy, self.today
        at, number = self.acks.get(user.id, (None, None))
        due = self.due(joined_at, number)
        overdue = []
        if due is not None and today > due:
            overdue.append(str(_l("Policy version %(n)d", n=policy.version)))
        lessons_late = [
            self.titles.get(a.module_id, a.module_id)
            for a in self.late
            if (user.id, a.module_id) not in self.completed_assigned
        ]
        overdue += lessons_late
        return ReportRow(
            membership_id=member_id,
            level=level,
            user=user,
            manager=self.managers.get(manager),
            lessons_done=self.done.get(user.id, 0),
            lessons_total=self.lessons_total,
            acknowledged_at=at,
            acknowledged_version=number,
            on_current=policy is not None and number == policy.version,
            overdue=overdue,
            policy_due=due,
            not_done=due is not None or bool(lessons_late),
        )


def _staff_facts(
    session: Session,
    group: Group,
    module_ids: set[str],
    late_ids: list[str],
    manager_id: int | None,
) -> tuple:
    """What `report_staff` reads from the database, as plain data: the staff (one tuple a
    person), the managers (all, and the current ones), lessons done per person, the late
    lessons each has done, and each person's latest policy acknowledgement."""
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
    people = [tuple(person) for person in session.exec(query).all()]
    managers: dict[int, Person] = {}
    current_managers: list[tuple[int, Person]] = []
    for member_id, user_id, name, email, username, removed_at in session.exec(
        select(
            Membership.id,
            User.id,
            User.display_name,
            User.email,
            User.username,
            Membership.removed_at,
        )
        .join(User, User.id == Membership.user_id)
        .where(Membership.group_id == group.id, Membership.role == Role.SUPERVISOR)
        .order_by(User.display_name, Membership.id)
    ).all():
        managers[member_id] = Person(user_id, name, email or username or "")
        if removed_at is None:
            current_managers.append((member_id, managers[member_id]))
    done: dict[int, int] = {}
    # Of the lessons past their due date, the ones each person has done.
    completed_assigned: set[tuple[int, str]] = set()
    acks: dict[int, tuple[datetime, int]] = {}
    if people:
        in_group = select(Membership.user_id).where(
            Membership.group_id == group.id, Membership.role == Role.LEARNER
        )
        # Counted by the database: one row a person (lessons done, and a flag per late
        # lesson), not one per person and lesson.
        done_column = func.sum(case((LessonProgress.module_id.in_(sorted(module_ids)), 1), else_=0))
        late_columns = [
            func.max(case((LessonProgress.module_id == module_id, 1), else_=0))
            for module_id in late_ids
        ]
        for user_id, lessons_done, *late_done in session.exec(
            select(LessonProgress.user_id, done_column, *late_columns)
            .where(
                LessonProgress.user_id.in_(in_group),
                LessonProgress.module_id.in_(sorted(module_ids | set(late_ids))),
                LessonProgress.completed_at.is_not(None),
            )
            .group_by(LessonProgress.user_id)
        ).all():
            if lessons_done:
                done[user_id] = int(lessons_done)
            completed_assigned.update(
                (user_id, module_id)
                for module_id, flag in zip(late_ids, late_done, strict=True)
                if flag
            )
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
    return people, managers, current_managers, done, completed_assigned, acks


def report_staff(
    session: Session,
    group: Group,
    modules: list[Module],
    *,
    manager_id: int | None,
    today: date,
    assigned: list[Assignment] | None = None,
) -> tuple[PolicyVersion | None, list[StaffEntry], list[tuple[int, Person]]]:
    """As `report`, with each staff member as a StaffEntry: the same queries, but a row is
    built only when asked for (a page shows 50 of thousands; the counts cover everyone)."""
    policy = current(session, group)
    if assigned is None:
        assigned = classroom.assignments(session, group)
    module_ids = {m.id for m in modules}
    late = [a for a in assigned if today > a.due_on]
    late_ids = sorted({a.module_id for a in late})
    # What the database says changes only when the group's data does: kept against its
    # data version (the statuses below depend on today, so they are worked out each time).
    people, managers, current_managers, done, completed_assigned, acks = groupdata.kept(
        group,
        "workplace.staff",
        (manager_id, tuple(sorted(module_ids)), tuple(late_ids)),
        lambda: _staff_facts(session, group, module_ids, late_ids, manager_id),
    )
    facts = _ReportFacts(
        policy=policy,
        managers=managers,
        done=done,
        completed_assigned=completed_assigned,
        acks=acks,
        late=late,
        titles={m.id: m.title for m in modules},
        lessons_total=len(modules),
        today=today,
    )
    result = []
    for person in people:
        user_id, name, email, username = person[4:]
        due = facts.due(person[3], acks.get(user_id, (None, None))[1])
        lessons_late = any((user_id, m) not in completed_assigned for m in late_ids)
        result.append(
            StaffEntry(
                user=Person(user_id, name, email or username or ""),
                not_done=due is not None or lessons_late,
                overdue=(due is not None and today > due) or lessons_late,
                facts=facts,
                person=person,
            )
        )
    return policy, result, current_managers


# What the report can be filtered to, by status: the values of the page's `status` field.
REPORT_STATUSES = ("todo", "overdue", "done", "invited")
REPORT_PAGE_SIZE = 50


@dataclass(frozen=True)
class ReportPage:
    """One page of the report: its staff rows and invites (invites come after the staff),
    the number of entries the filters leave, and where this page is among them."""

    rows: list[ReportRow]
    invites: list[PendingInvite]
    matching: int
    page: int
    pages: int
    first: int
    last: int


def report_page(
    rows: list[ReportRow] | list[StaffEntry],
    invites: list[PendingInvite],
    *,
    status: str | None,
    search: str,
    page: int,
    size: int = REPORT_PAGE_SIZE,
) -> ReportPage:
    """The report's rows and invites that pass the filters (a status of REPORT_STATUSES or
    None for all; a piece of a name, login or e-mail), cut to one page of `size` entries
    (a page past the last shows the last). Plain Python on the rows the report has read:
    no query, whatever the page. `rows`: ReportRows, or StaffEntries (then the page's
    rows are StaffEntries too, for the caller to build)."""
    needle = search.strip().casefold()
    if status == "invited":
        rows = []
    elif status == "todo":
        rows = [r for r in rows if r.not_done]
    elif status == "overdue":
        rows = [r for r in rows if r.overdue]
    elif status == "done":
        rows = [r for r in rows if not r.not_done]
    if status not in (None, "invited"):
        invites = []
    if needle:
        rows = [
            r
            for r in rows
            if needle in r.user.display_name.casefold() or needle in r.user.login_name.casefold()
        ]
        invites = [i for i in invites if needle in i.email.casefold()]
    matching = len(rows) + len(invites)
    pages = max(1, -(-matching // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    end = min(start + size, matching)
    return ReportPage(
        rows=rows[start:end],
        invites=invites[max(0, start - len(rows)) : max(0, end - len(rows))],
        matching=matching,
        page=page,
        pages=pages,
        first=start + 1 if matching else 0,
        last=end,
    )


def report_csv(
    policy: PolicyVersion | None, rows: list[ReportRow], invites: list[PendingInvite] | None = None
) -> str:
    """The completion report as CSV, formula cells neutralised; people invited who have
    not joined yet are listed after the staff, with the day they were invited."""
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
        str(_l("Status")),
        str(_l("Invited on (UTC)")),
        str(_l("Acknowledge by")),
    ]
    joined, not_joined = str(_l("joined")), str(_l("invited, not joined"))
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
            joined,
            "",
            r.policy_due.isoformat() if r.policy_due else "",
        ]
        for r in rows
    ]
    lines += [
        [
            *(i.email, i.email, "", "", "", "", policy.version if policy else "", "", ""),
            *(not_joined, i.invited_at.strftime("%Y-%m-%d"), ""),
        ]
        for i in invites or []
    ]
    return classroom.to_csv(header, lines)


def unacknowledged(
    session: Session, group_id: int | None = None
) -> list[tuple[Membership, User, PolicyVersion]]:
    """Every current staff member who has not acknowledged their workplace's policy in force
    (of one workplace, or all; for reminders; one query)."""
    query = select(Membership, User, PolicyVersion)
    if group_id is not None:
        query = query.where(Membership.group_id == group_id)
    return list(
        session.exec(
            query.join(User, User.id == Membership.user_id)
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


def overdue_lessons(
    session: Session, today: date, *, group_id: int | None = None
) -> list[tuple[Membership, Assignment]]:
    """Assigned lessons due before `today` that a learner has not completed (for
    reminders; pass a later day to include lessons due soon)."""
    query = select(Membership, Assignment)
    if group_id is not None:
        query = query.where(Membership.group_id == group_id)
    rows = session.exec(
        query.join(Assignment, Assignment.group_id == Membership.group_id)
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


# --- Invites not taken up yet: listed in the report, resent or cancelled from it --------


@dataclass(frozen=True)
class PendingInvite:
    """Someone invited by address who has not joined (their link may have expired)."""

    id: int
    email: str
    invited_at: datetime
    expires_at: datetime
    expired: bool
    emailed_at: datetime | None
    email_failed_at: datetime | None


def pending_invites(session: Session, group: Group, now: datetime) -> list[PendingInvite]:
    """Staff invites by address not used nor cancelled, expired ones included, oldest first
    (one query; an address that has joined since is left out)."""
    members = (
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(groups.current_members(group.id), User.email.is_not(None))
    )
    rows = session.exec(
        select(Invite)
        .where(
            Invite.group_id == group.id,
            Invite.role == Role.LEARNER,
            Invite.email.is_not(None),
            Invite.used_at.is_(None),
            Invite.revoked_at.is_(None),
            Invite.email.not_in(members),
        )
        .order_by(Invite.created_at, Invite.id)
    ).all()
    return [
        PendingInvite(
            id=i.id,
            email=i.email,
            invited_at=i.created_at,
            expires_at=i.expires_at,
            expired=i.expires_at <= now,
            emailed_at=i.emailed_at,
            email_failed_at=i.email_failed_at,
        )
        for i in rows
    ]


def check_pending(invite: Invite) -> None:
    """Raise PolicyError when an invite can no longer be resent or cancelled."""
    if invite.used_at is not None:
        raise PolicyError(_l("%(a)s has joined already.", a=invite.email or ""))
    if invite.revoked_at is not None:
        raise PolicyError(_l("This invite was cancelled already."))


def resend_invite(
    *, session: Session, group: Group, invite: Invite, by: User, now: datetime
) -> tuple[Invite, str]:
    """A fresh link for the same address (only a hash of the old one is kept, so the old
    link is cancelled and a new one made, good for another 7 days); logged."""
    invite.revoked_at = now
    session.add(invite)
    fresh_invite, token = groups.create_invite(
        session=session,
        group=group,
        role=invite.role,
        created_by=by,
        email=invite.email,
        now=now,
        locale=invite.locale,
    )
    log_event(
        session=session,
        group=group,
        actor=by,
        kind=GroupEventKind.INVITE_RESENT,
        detail=invite.email,
        now=now,
    )
    session.flush()
    return fresh_invite, token


def cancel_invite(
    *, session: Session, group: Group, invite: Invite, by: User, now: datetime
) -> None:
    """Withdraw an invite from the report; logged."""
    groups.revoke_invite(session=session, invite=invite, now=now)
    log_event(
        session=session,
        group=group,
        actor=by,
        kind=GroupEventKind.INVITE_CANCELLED,
        detail=invite.email or "",
        now=now,
    )
    session.flush()


def record_delivery(*, session: Session, invite: Invite, sent: bool | None, now: datetime) -> None:
    """Remember whether the invite's e-mail left (True), failed (False) or was never tried
    because no SMTP server is configured (None)."""
    if sent is None:
        return
    if sent:
        invite.emailed_at, invite.email_failed_at = now, None
    else:
        invite.email_failed_at = now
    session.add(invite)
