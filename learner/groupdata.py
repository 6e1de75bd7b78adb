"""A version for each group's data, and the figures kept against it.

The class dashboard and the workplace report add up a group's whole history (lessons,
quizzes, pre-tests, refreshers) on every view: some 25,000 rows for a company of 500. The
figures only change when someone writes, so they are kept in this process, keyed by the
group's `data_version`, a random token that every write touching the group replaces in
the same transaction:

- any row flushed (new, changed or deleted) whose `group_id`, `user_id`, `author_id` or
  `membership_id` points at the group or at one of its members (past or present), or that
  hangs off such a row (a quiz answer's attempt, a scenario action's run, a post's
  revision);
- any bulk UPDATE, DELETE or INSERT through the session: the statement names the groups
  and people it touches with `touches(...)`, or every group's version moves.

Only tables that no kept figure reads are left out (`UNRELATED`). A page reads the version
with the group it already loaded, so a kept figure costs no query; a worker that did not
make the write sees the new version with the group and makes the figure again. The token
is random, not a counter, so two databases in one process (the tests, the bench) never
share a key. Writes that bypass the session (raw connections: the rate-limit counters)
must not touch group data; none do. tests/test_groupdata.py follows each write path.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, attributes
from sqlalchemy.orm.util import identity_key

from learner import models as m

T = TypeVar("T")

# Tables no kept figure reads: writing them leaves every group's version alone. (A kept
# figure that comes to read one of them must take it out of this list.) Notifications and
# supervision events are written while pages are read (marked read, a run marked seen); a
# live session writes every few seconds while a class plays it.
UNRELATED = frozenset(
    model.__tablename__
    for model in (
        m.Notification,
        m.SupervisionEvent,
        m.LiveSession,
        m.LiveParticipant,
        m.LiveAnswer,
        m.AuthFailure,
        m.RateCounter,
        m.LtiLaunchData,
        m.LtiPlatform,
        m.LtiDeployment,
        m.LtiResourceLink,
        m.LtiGrade,
    )
)

# Rows that name their group or person only through the row they hang off.
_PARENTS: dict[type, tuple[str, type]] = {
    m.QuizAnswer: ("attempt_id", m.QuizAttempt),
    m.PretestAnswer: ("attempt_id", m.PretestAttempt),
    m.ScenarioAction: ("run_id", m.ScenarioRun),
    m.ScenarioReflection: ("run_id", m.ScenarioRun),
    m.PostRevision: ("post_id", m.PracticePost),
    m.PostFinding: ("revision_id", m.PostRevision),
    m.AgreementSignature: ("agreement_id", m.FamilyAgreement),
    m.PolicyAcknowledgement: ("version_id", m.PolicyVersion),
}

_OPTION = "touches_groups"
_COVERED = "groupdata_covered"
# The most kept results in one process, oldest use dropped first: a class dashboard's
# sections are about 100 KB, so at most some 25 MB a worker.
_KEPT_MAX = 256


@dataclass
class Scope:
    """The groups, people and memberships a change touches (`everything`: all groups);
    `parents`: the parent rows read for it, by (model, id), so each is read once."""

    groups: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    memberships: set[int] = field(default_factory=set)
    everything: bool = False
    parents: dict[tuple[type, int], Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.everything or bool(self.groups or self.users or self.memberships)


def touches(
    statement: T,
    *,
    groups: Iterable[int] = (),
    users: Iterable[int] = (),
    memberships: Iterable[int] = (),
) -> T:
    """`statement` (a bulk UPDATE, DELETE or INSERT), saying which groups' data it changes:
    those groups, the groups of those people, the groups of those memberships."""
    return statement.execution_options(
        **{_OPTION: (tuple(groups), tuple(users), tuple(memberships))}
    )


def _add_row(
    session: Session, scope: Scope, row: Any, model: type | None = None, depth: int = 0
) -> None:
    """Add what `row` (of `model`, its class unless given) names to `scope`."""
    model = model or type(row)
    if model is m.Group:
        if row.id is not None:
            scope.groups.add(row.id)
        return
    if model is m.User:
        if row.id is not None:
            scope.users.add(row.id)
        return
    if getattr(model, "__tablename__", None) in UNRELATED:
        return
    found = False
    for name, into in (
        ("group_id", scope.groups),
        ("user_id", scope.users),
        ("author_id", scope.users),
        ("membership_id", scope.memberships),
    ):
        value = getattr(row, name, None)
        if value is not None:
            into.add(value)
            found = True
    if found:
        return
    parent = _PARENTS.get(model)
    if parent is not None and depth < 3:
        column, parent_model = parent
        parent_id = getattr(row, column, None)
        if parent_id is not None:
            kept = session.identity_map.get(identity_key(parent_model, parent_id))
            if kept is None:
                key = (parent_model, parent_id)
                if key not in scope.parents:
                    scope.parents[key] = _load_plain(session, parent_model, parent_id)
                kept = scope.parents[key]
            if kept is not None:
                _add_row(session, scope, kept, parent_model, depth + 1)
                return
    # Nothing names a group: every group's version moves (rare; always right).
    scope.everything = True


def _load_plain(session: Session, model: type, row_id: int) -> SimpleNamespace | None:
    """A parent row's columns, read without the ORM (the session is flushing)."""
    table = model.__table__
    found = session.connection().execute(sa.select(table).where(table.c.id == row_id)).first()
    return None if found is None else SimpleNamespace(**found._mapping)


def _bump(session: Session, scope: Scope) -> None:
    table = m.Group.__table__
    members = m.Membership.__table__
    query = sa.select(table.c.id)
    if not scope.everything:
        conditions = []
        if scope.groups:
            conditions.append(table.c.id.in_(sorted(scope.groups)))
        member_conditions = []
        if scope.users:
            member_conditions.append(members.c.user_id.in_(sorted(scope.users)))
        if scope.memberships:
            member_conditions.append(members.c.id.in_(sorted(scope.memberships)))
        if member_conditions:
            conditions.append(
                table.c.id.in_(sa.select(members.c.group_id).where(sa.or_(*member_conditions)))
            )
        query = query.where(sa.or_(*conditions))
    version = m.new_data_version()
    # One statement; on PostgreSQL the rows are locked in one order, so two writers that
    # touch the same groups never wait on each other in a circle.
    ids = (
        session.connection()
        .execute(
            table.update()
            .where(table.c.id.in_(query.order_by(table.c.id).with_for_update()))
            .values(data_version=version)
            .returning(table.c.id)
        )
        .scalars()
        .all()
    )
    for group_id in ids:
        kept = session.identity_map.get(identity_key(m.Group, group_id))
        if kept is not None:
            attributes.set_committed_value(kept, "data_version", version)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    # Before the flush, so the rows a deleted row names are still there to be followed;
    # the version moves in the same transaction as the rows, whichever runs first.
    scope = Scope()
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, m.Group) and row.id is None:
            continue  # a new group is born with its own version
        _add_row(session, scope, row)
        if scope.everything:
            break
    if scope:
        _bump(session, scope)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in UNRELATED or (name == m.Group.__tablename__ and state.is_insert):
        return
    if state.session.info.get(_COVERED):
        return  # inside `writing_for`, which moves the versions once at its end
    scope = Scope()
    named = state.execution_options.get(_OPTION)
    if named is None:
        scope.everything = True
    else:
        groups, users, memberships = named
        scope.groups.update(groups)
        scope.users.update(users)
        scope.memberships.update(memberships)
    if scope:
        _bump(state.session, scope)


@contextlib.contextmanager
def writing_for(
    session: Session,
    *,
    users: Iterable[int] = (),
    everything: bool = False,
) -> Iterator[None]:
    """Bulk statements in the block change the data of these people's groups (or, with
    `everything`, of any group): the versions move once, when the block ends, instead of
    once a statement."""
    scope = Scope()
    scope.users.update(users)
    scope.everything = everything
    outer = session.info.get(_COVERED, False)
    session.info[_COVERED] = True
    try:
        yield
    finally:
        session.info[_COVERED] = outer
    if scope:
        _bump(session, scope)


# ---- figures kept against the version ------------------------------------------------------

_kept: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def kept(group: m.Group, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` for the group's data as it is now: made once per data version (and
    `key`, what else the result depends on), then kept in this process. The result must
    be plain data, not rows of a session."""
    full_key = (name, group.id, group.data_version, key)
    with _lock:
        if full_key in _kept:
            _kept.move_to_end(full_key)
            return _kept[full_key]
    value = compute()
    with _lock:
        _kept[full_key] = value
        while len(_kept) > _KEPT_MAX:
            _kept.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop every kept figure (tests that change the database behind the session)."""
    with _lock:
        _kept.clear()
