"""What waits for a supervisor, one line per thing, and the learner's mirror of it.

A supervisor's to-do list: posts to review, privacy setups to co-sign, family agreements
to sign, learners who asked for sign-off, flags to talk about, and the "Talk about it"
prompts of modules a learner just finished. A learner sees what waits on their
supervisors ("waiting for your parent to co-sign"). Both are read in a fixed number of
queries, whatever the number of groups, learners and posts.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, case, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from learner import groups, ladder, progress, scenarios
from learner.models import (
    AgreementSignature,
    AgreementStatus,
    EventKind,
    FamilyAgreement,
    Group,
    GroupKind,
    LessonProgress,
    Level,
    Membership,
    ModuleDiscussion,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    PostStatus,
    PracticePost,
    PrivacySetup,
    PrivacySignoff,
    Role,
    ScenarioRun,
    SupervisionEvent,
    User,
)
from lessons.catalog import Module

# A flag stays on the list this long (there is no "talked" button for a flag); a finished
# module's "Talk about it" stays until it is marked discussed, if it was finished lately.
FLAG_DAYS = 7
TALK_DAYS = 30


class Task(enum.StrEnum):
    """What a line of the to-do list asks for."""

    REVIEW = "review"
    COSIGN = "cosign"
    AGREEMENT = "agreement"
    SIGNOFF = "signoff"
    FLAG = "flag"
    TALK = "talk"
    POLICY = "policy"
    # An instruction scenario the permit asks for, finished without passing.
    SCENARIOS = "scenarios"


# The order lines appear in: what blocks a learner first.
ORDER = (
    Task.REVIEW,
    Task.SIGNOFF,
    Task.COSIGN,
    Task.AGREEMENT,
    Task.FLAG,
    Task.TALK,
    Task.SCENARIOS,
)


@dataclass(frozen=True)
class Todo:
    """One line: a task about one learner in one group (`count` posts for a review)."""

    task: Task
    group: Group
    membership: Membership
    learner: User
    count: int = 1
    post_id: int | None = None
    module: Module | None = None
    # The scenario to go through together (id, title), for a SCENARIOS line.
    scenarios: tuple[tuple[str, str], ...] = ()


def _learners_supervised(session: Session, user: User, group: Group | None):
    """The learners this supervisor supervises (in `group`, when given): each membership
    with its account, group, a failed scenario, its posts waiting for review (how many,
    the oldest) and its privacy setup's state, in one query."""
    if group is None:
        return session.exec(_SUPERVISED, params={"supervisor_id": user.id}).all()
    params = {"supervisor_id": user.id, "group_id": group.id}
    return session.exec(_SUPERVISED_IN_GROUP, params=params).all()


def _supervised_statement(*, in_group: bool):
    supervisor = aliased(Membership)
    only = [Membership.group_id == bindparam("group_id")] if in_group else []
    return (
        select(
            Membership,
            User,
            Group,
            _failed_scenario(),
            *_pending_columns(),
            _privacy_state(),
        )
        .join(User, User.id == Membership.user_id)
        .join(Group, Group.id == Membership.group_id)
        .join(supervisor, supervisor.group_id == Membership.group_id)
        .where(
            groups.current_members(
                user_id=bindparam("supervisor_id"), role=Role.SUPERVISOR, of=supervisor
            ),
            groups.current_members(role=Role.LEARNER),
            *only,
        )
        .order_by(Group.id, User.display_name)
    )


def _pending_columns():
    """Two columns for a query of memberships: how many of the membership's posts wait
    for review, and the oldest of them (in the memberships' own query)."""
    waiting = (PracticePost.membership_id == Membership.id) & (
        PracticePost.status == PostStatus.PENDING
    )
    return (
        select(func.count(PracticePost.id)).where(waiting).scalar_subquery().label("pending"),
        select(func.min(PracticePost.id)).where(waiting).scalar_subquery().label("oldest"),
    )


def _privacy_state():
    """A column for a query of memberships: the state `privacy_states` gives ("missing",
    "waiting" or "cosigned"), without its query."""
    saved = PrivacySetup.user_id == Membership.user_id
    cosigned = exists().where(
        saved,
        PrivacySignoff.membership_id == Membership.id,
        PrivacySignoff.revision == PrivacySetup.revision,
    )
    return case((cosigned, "cosigned"), (exists().where(saved), "waiting"), else_="missing").label(
        "privacy"
    )


def privacy_states(session: Session, memberships: list[Membership]) -> dict[int, str]:
    """Each membership's privacy setup in its group, by membership id: "missing" (not
    done yet), "waiting" (saved, this revision not co-signed here) or "cosigned".
    One query (each setup with this group's co-signature of its revision, if any),
    whatever the number of learners."""
    if not memberships:
        return {}
    setups: set[int] = set()
    signed: set[int] = set()
    mine = _MINE
    for user_id, signoff_membership in session.exec(
        select(PrivacySetup.user_id, PrivacySignoff.membership_id)
        .outerjoin(
            mine,
            (mine.user_id == PrivacySetup.user_id) & mine.id.in_([m.id for m in memberships]),
        )
        .outerjoin(
            PrivacySignoff,
            (PrivacySignoff.membership_id == mine.id)
            & (PrivacySignoff.revision == PrivacySetup.revision),
        )
        .where(PrivacySetup.user_id.in_({m.user_id for m in memberships}))
    ).all():
        setups.add(user_id)
        if signoff_membership is not None:
            signed.add(signoff_membership)
    return {
        m.id: "missing" if m.user_id not in setups else "cosigned" if m.id in signed else "waiting"
        for m in memberships
    }


def _proposed_agreements(session: Session, membership_ids: list[int]):
    """Proposed versions with who signed them so far: {membership id: set of user ids}."""
    rows = session.exec(
        select(FamilyAgreement.membership_id, AgreementSignature.user_id)
        .outerjoin(AgreementSignature, AgreementSignature.agreement_id == FamilyAgreement.id)
        .where(
            FamilyAgreement.membership_id.in_(membership_ids),
            FamilyAgreement.status == AgreementStatus.PROPOSED,
        )
    ).all()
    signed: dict[int, set[int]] = {}
    for membership_id, user_id in rows:
        signed.setdefault(membership_id, set())
        if user_id is not None:
            signed[membership_id].add(user_id)
    return signed


def _recent_flags(session: Session, membership_ids: list[int], now: datetime):
    params = {"ids": membership_ids, "since": now - timedelta(days=FLAG_DAYS)}
    return session.exec(_RECENT_FLAGS, params=params).all()


def _talks_due(session, memberships, kinds, modules, now) -> list[tuple[Membership, Module]]:
    """Modules with "Talk about it" prompts a learner finished lately, not yet discussed."""
    talking = {m.id: m for m in modules if m.talk is not None}
    if not talking:
        return []
    params = {"ids": [m.id for m in memberships], "module_ids": list(talking)}
    params["since"] = now - timedelta(days=TALK_DAYS)
    by_membership: dict[int, list[str]] = {}
    for membership_id, module_id in session.exec(_NOT_DISCUSSED, params=params).all():
        by_membership.setdefault(membership_id, []).append(module_id)
    due = []
    for membership in memberships:
        tracks = progress.tracks_for([kinds[membership.group_id]])
        for module_id in sorted(by_membership.get(membership.id, [])):
            module = talking[module_id]
            if module.track in tracks:
                due.append((membership, module))
    return due


def _failed_scenario():
    """A column for the learners' query: a scenario whose latest finished run by the
    learner did not pass (the first by id), or NULL; so the to-do list needs no query of
    its own for it."""
    latest = aliased(ScenarioRun)
    newest = (
        select(func.max(latest.id))
        .where(
            latest.user_id == ScenarioRun.user_id,
            latest.scenario_id == ScenarioRun.scenario_id,
            latest.finished_at.is_not(None),
        )
        .scalar_subquery()
    )
    return (
        select(func.min(ScenarioRun.scenario_id))
        .where(
            ScenarioRun.user_id == Membership.user_id,
            ScenarioRun.passed.is_(False),
            ScenarioRun.id == newest,
        )
        .scalar_subquery()
        .label("failed_scenario")
    )


# Built once at import, not once a request: a fresh alias makes SQLAlchemy adapt every
# column of the statement again before its cache can answer.
_SUPERVISED = _supervised_statement(in_group=False)
_SUPERVISED_IN_GROUP = _supervised_statement(in_group=True)
_MINE = aliased(Membership)
_RECENT_FLAGS = select(SupervisionEvent.membership_id, SupervisionEvent.post_id).where(
    SupervisionEvent.membership_id.in_(bindparam("ids", expanding=True)),
    SupervisionEvent.kind == EventKind.FLAGGED,
    SupervisionEvent.created_at > bindparam("since"),
)
# Modules each membership's learner finished lately and the membership has not discussed.
_NOT_DISCUSSED = (
    select(Membership.id, LessonProgress.module_id)
    .join(Membership, Membership.user_id == LessonProgress.user_id)
    .where(
        Membership.id.in_(bindparam("ids", expanding=True)),
        LessonProgress.module_id.in_(bindparam("module_ids", expanding=True)),
        LessonProgress.completed_at > bindparam("since"),
        ~exists().where(
            ModuleDiscussion.membership_id == Membership.id,
            ModuleDiscussion.module_id == LessonProgress.module_id,
        ),
    )
)
# A learner's current memberships with their groups, posts waiting and privacy state.
_LEARNING = (
    select(Membership, Group, *_pending_columns(), _privacy_state())
    .join(Group, Group.id == Membership.group_id)
    .where(groups.current_members(user_id=bindparam("user_id"), role=Role.LEARNER))
)


def _scenario_to_go_through(
    membership: Membership, user: User, group: Group, failed_id: str | None
) -> tuple[str, str] | None:
    """A learner at the first level whose latest run of an instruction scenario the permit
    asks of them did not pass: that scenario (id, title), to go through together."""
    if failed_id is None or membership.level is not Level.INSTRUCTION:
        return None
    suited = ladder.instruction_scenarios(scenarios.get_scenarios(), user=user, group=group)
    return next(((s.id, s.title) for s in suited if s.id == failed_id), None)


def for_supervisor(
    session: Session,
    user: User,
    *,
    modules: list[Module],
    now: datetime,
    group: Group | None = None,
) -> list[Todo]:
    """Everything waiting for this supervisor, in every group they supervise or only in
    `group` (at most six queries; one when they supervise nobody)."""
    found = _learners_supervised(session, user, group)
    if not found:
        return []
    rows = [(m, u, g) for m, u, g, *_columns in found]
    memberships = [m for m, _u, _g in rows]
    ids = [m.id for m in memberships]
    people = {m.id: (m, u, g) for m, u, g in rows}
    kinds = {g.id: g.kind for _m, _u, g in rows}
    todos: list[Todo] = []
    for m, u, g, _failed, count, oldest, _privacy in found:
        if count:
            todos.append(Todo(Task.REVIEW, g, m, u, count=count, post_id=oldest))
    for m, u, g in rows:
        if m.signoff_requested_at is not None:
            todos.append(Todo(Task.SIGNOFF, g, m, u))
    for m, u, g, *_columns, privacy in found:
        if privacy == "waiting":
            todos.append(Todo(Task.COSIGN, g, m, u))
    family = [m.id for m in memberships if kinds[m.group_id] is GroupKind.FAMILY]
    for membership_id, signed in (_proposed_agreements(session, family) if family else {}).items():
        m, u, g = people[membership_id]
        if not signed - {m.user_id}:
            todos.append(Todo(Task.AGREEMENT, g, m, u))
    flagged = Counter()
    for membership_id, post_id in _recent_flags(session, ids, now):
        flagged[(membership_id, post_id)] += 1
    for membership_id, post_id in flagged:
        m, u, g = people[membership_id]
        todos.append(Todo(Task.FLAG, g, m, u, post_id=post_id))
    for m, module in _talks_due(session, memberships, kinds, modules, now):
        _m, u, g = people[m.id]
        todos.append(Todo(Task.TALK, g, m, u, module=module))
    for m, u, g, failed_id, *_columns in found:
        stuck = _scenario_to_go_through(m, u, g, failed_id)
        if stuck is not None:
            todos.append(Todo(Task.SCENARIOS, g, m, u, scenarios=(stuck,)))
    todos.sort(key=lambda t: (ORDER.index(t.task), t.group.id, t.learner.display_name))
    return todos


@dataclass(frozen=True)
class Waiting:
    """Something a learner waits on their supervisors for, in one group."""

    task: Task
    group: Group
    membership: Membership
    count: int = 1
    # The learner's own turn (an agreement a parent proposed), not the supervisors'.
    on_you: bool = False


def for_learner(session: Session, user: User, *, group: Group | None = None) -> list[Waiting]:
    """What this learner waits on their supervisors for, in each of their groups or only
    in `group` (at most four queries)."""
    found = session.exec(_LEARNING, params={"user_id": user.id}).all()
    if group is not None:
        found = [row for row in found if row[1].id == group.id]
    if not found:
        return []
    rows = [(m, g) for m, g, *_columns in found]
    by_id = {m.id: (m, g) for m, g in rows}
    waiting: list[Waiting] = []
    for m, g, count, _oldest, _privacy in found:
        if count:
            waiting.append(Waiting(Task.REVIEW, g, m, count=count))
    for m, g in rows:
        if m.signoff_requested_at is not None:
            waiting.append(Waiting(Task.SIGNOFF, g, m))
    for m, g, *_columns, privacy in found:
        if privacy == "waiting":
            waiting.append(Waiting(Task.COSIGN, g, m))
    work = [g.id for _m, g in rows if g.kind is GroupKind.WORKPLACE]
    for group_id in _policies_to_acknowledge(session, user, work) if work else ():
        m, g = next((m, g) for m, g in rows if g.id == group_id)
        waiting.append(Waiting(Task.POLICY, g, m, on_you=True))
    family = [m.id for m, g in rows if g.kind is GroupKind.FAMILY]
    for membership_id, signed in (_proposed_agreements(session, family) if family else {}).items():
        m, g = by_id[membership_id]
        if user.id not in signed:
            waiting.append(Waiting(Task.AGREEMENT, g, m, on_you=True))
        elif not signed - {user.id}:
            waiting.append(Waiting(Task.AGREEMENT, g, m))
    return waiting


def _policies_to_acknowledge(session: Session, user: User, group_ids: list[int]) -> list[int]:
    """The workplaces whose policy in force this person has not acknowledged yet."""
    rows = session.exec(
        select(PolicyVersion.group_id, PolicyAcknowledgement.id)
        .outerjoin(
            PolicyAcknowledgement,
            (PolicyAcknowledgement.version_id == PolicyVersion.id)
            & (PolicyAcknowledgement.user_id == user.id),
        )
        .where(
            PolicyVersion.group_id.in_(group_ids),
            PolicyVersion.status == PolicyStatus.PUBLISHED,
        )
    ).all()
    return [group_id for group_id, acknowledged in rows if acknowledged is None]
