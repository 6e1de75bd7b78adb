"""A deterministic data set at district and company scale, for benchmarks and load tests.

`flask --app app seed-scale --seed 1` writes, into an empty database: 3,000 students in
100 classrooms (one of them 40 students), 1,000 families, one workplace of 500 staff,
150,000 practice posts with their reviews, and the lesson progress, quiz attempts and
answers of every learner. Rows go in with bulk inserts, in chunks, in one transaction per
table, so it takes a minute or two rather than hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session, SQLModel

from learner.core import passwords
from learner.models import (
    AccountKind,
    AgeBand,
    Assignment,
    Audience,
    EventKind,
    Group,
    GroupKind,
    LessonProgress,
    Level,
    Membership,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    PostRevision,
    PostStatus,
    PracticePost,
    QuizAnswer,
    QuizAttempt,
    Role,
    SupervisionEvent,
    User,
)
from lessons.catalog import Catalog

CHUNK = 5_000
PASSWORD = "scale-data-password"  # noqa: S105  (shared by the scale accounts: machines only)


@dataclass(frozen=True)
class Size:
    """How big the data set is."""

    classrooms: int = 100
    students: int = 3_000
    big_class: int = 40
    families: int = 1_000
    staff: int = 500
    managers: int = 10
    posts: int = 150_000


FULL = Size()
SMALL = Size(
    classrooms=4, students=100, big_class=40, families=20, staff=30, managers=2, posts=1_500
)


@dataclass
class Counts:
    """What was written, by table."""

    rows: dict[str, int]

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


def _chunks(rows: Iterator[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(session: Session, model: type[SQLModel], rows: Iterator[dict], counts: Counts) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(model), chunk)
        counts.add(model.__tablename__, len(chunk))


def _ids(session: Session, column, where) -> list[int]:
    return list(session.execute(select(column).where(where).order_by(column)).scalars())


def seed(
    *,
    session: Session,
    catalog: Catalog,
    seed: int,
    size: Size = FULL,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda _message: None,
) -> Counts:
    """Write the data set into an empty database (the caller commits)."""
    rng = random.Random(seed)  # noqa: S311  (repeatable data, not secrets)
    now = now or datetime(2026, 11, 1, 12, tzinfo=UTC)
    start = now - timedelta(days=120)
    counts = Counts({})
    secret = passwords.hash_password(PASSWORD)

    def when(days_back: int = 120) -> datetime:
        return now - timedelta(seconds=rng.randrange(days_back * 86_400))

    # People.
    def people(prefix: str, n: int, kind: AccountKind, band: AgeBand | None, email: bool):
        for i in range(n):
            yield {
                "email": f"{prefix}{i}@scale.example" if email else None,
                "username": None if email else f"{prefix}{i}",
                "display_name": f"{prefix.title()} {i}",
                "password_hash": secret,
                "kind": kind,
                "age_band": band,
                "is_site_admin": False,
                "active": True,
                "session_version": 1,
                "created_at": start,
            }

    progress("people")
    _bulk(
        session, User, people("teacher", size.classrooms, AccountKind.TEACHER, None, True), counts
    )
    _bulk(
        session,
        User,
        people("student", size.students, AccountKind.LEARNER, AgeBand.AGE_13_15, False),
        counts,
    )
    _bulk(session, User, people("parent", size.families, AccountKind.PARENT, None, True), counts)
    _bulk(
        session,
        User,
        people("teen", size.families, AccountKind.LEARNER, AgeBand.AGE_16_17, False),
        counts,
    )
    _bulk(session, User, people("admin", 1, AccountKind.ORG_ADMIN, None, True), counts)
    _bulk(
        session, User, people("manager", size.managers, AccountKind.ORG_ADMIN, None, True), counts
    )
    _bulk(
        session, User, people("staff", size.staff, AccountKind.LEARNER, AgeBand.ADULT, True), counts
    )
    users = {
        prefix: _ids(
            session,
            User.id,
            (User.email.like(f"{prefix}%@scale.example")) | (User.username.like(f"{prefix}%")),
        )
        for prefix in ("teacher", "student", "parent", "teen", "admin", "manager", "staff")
    }

    # Groups.
    progress("groups")
    _bulk(
        session,
        Group,
        (
            {
                "kind": GroupKind.CLASSROOM,
                "name": f"Class {i}",
                "school_year": "2026-27",
                "join_code": f"SC{seed % 100:02d}{i:06d}",
                "join_code_enabled": True,
                "created_at": start,
            }
            for i in range(size.classrooms)
        ),
        counts,
    )
    _bulk(
        session,
        Group,
        (
            {
                "kind": GroupKind.FAMILY,
                "name": f"Family {i}",
                "join_code_enabled": False,
                "created_at": start,
            }
            for i in range(size.families)
        ),
        counts,
    )
    _bulk(
        session,
        Group,
        [
            {
                "kind": GroupKind.WORKPLACE,
                "name": "Scale Corp onboarding",
                "join_code_enabled": False,
                "created_at": start,
            }
        ].__iter__(),
        counts,
    )
    classes = _ids(session, Group.id, Group.kind == GroupKind.CLASSROOM)
    families = _ids(session, Group.id, Group.kind == GroupKind.FAMILY)
    (company,) = _ids(session, Group.id, Group.kind == GroupKind.WORKPLACE)

    # Memberships: the first class has `big_class` students, the rest share the others.
    levels = [Level.INSTRUCTION, Level.PERMIT, Level.PERMIT, Level.PROVISIONAL, Level.LICENSED]

    def learner(
        group_id: int, user_id: int, managed: bool = True, manager: int | None = None
    ) -> dict:
        return {
            "group_id": group_id,
            "user_id": user_id,
            "role": Role.LEARNER,
            "level": rng.choice(levels),
            "level_since": when(60),
            "is_owner": False,
            "manages_account": managed,
            "joined_at": start,
            "manager_id": manager,
        }

    def supervisor(group_id: int, user_id: int, owner: bool = True) -> dict:
        return {
            "group_id": group_id,
            "user_id": user_id,
            "role": Role.SUPERVISOR,
            "level": None,
            "level_since": None,
            "is_owner": owner,
            "manages_account": False,
            "joined_at": start,
        }

    progress("memberships")
    students = users["student"]
    first, rest = students[: size.big_class], students[size.big_class :]
    placement = [(classes[0], s) for s in first] + [
        (classes[1 + i % (len(classes) - 1)], s) for i, s in enumerate(rest)
    ]
    _bulk(
        session,
        Membership,
        (supervisor(g, t) for g, t in zip(classes, users["teacher"], strict=True)),
        counts,
    )
    _bulk(session, Membership, (learner(g, s) for g, s in placement), counts)
    _bulk(
        session,
        Membership,
        (supervisor(g, p) for g, p in zip(families, users["parent"], strict=True)),
        counts,
    )
    _bulk(
        session,
        Membership,
        (learner(g, t) for g, t in zip(families, users["teen"], strict=True)),
        counts,
    )
    _bulk(session, Membership, iter([supervisor(company, users["admin"][0])]), counts)
    _bulk(
        session, Membership, (supervisor(company, m, owner=False) for m in users["manager"]), counts
    )
    manager_memberships = _ids(
        session,
        Membership.id,
        (Membership.group_id == company)
        & (Membership.role == Role.SUPERVISOR)
        & (Membership.is_owner.is_(False)),
    )
    _bulk(
        session,
        Membership,
        (
            learner(
                company, s, managed=False, manager=manager_memberships[i % len(manager_memberships)]
            )
            for i, s in enumerate(users["staff"])
        ),
        counts,
    )
    learners = list(
        session.execute(
            select(Membership.id, Membership.group_id, Membership.user_id)
            .where(Membership.role == Role.LEARNER)
            .order_by(Membership.id)
        ).all()
    )
    supervisor_of = dict(
        session.execute(
            select(Membership.group_id, Membership.user_id).where(
                Membership.role == Role.SUPERVISOR, Membership.is_owner.is_(True)
            )
        ).all()
    )

    # Assignments and the workplace policy.
    progress("assignments and policy")
    class_modules = [m for m in catalog.modules(tracks={"core", "classroom"})]
    _bulk(
        session,
        Assignment,
        (
            {
                "group_id": g,
                "module_id": m.id,
                "due_on": (now - timedelta(days=7 * k - 14)).date(),
                "assigned_by_id": supervisor_of[g],
                "created_at": start,
            }
            for g in classes
            for k, m in enumerate(class_modules[:4])
        ),
        counts,
    )
    _bulk(
        session,
        PolicyVersion,
        iter(
            [
                {
                    "group_id": company,
                    "version": 1,
                    "title": "Our personal social-media policy",
                    "body": "Be kind. Say who you work for.",
                    "status": PolicyStatus.PUBLISHED,
                    "created_by_id": users["admin"][0],
                    "created_at": start,
                    "updated_at": start,
                    "published_at": start,
                    "published_by_id": users["admin"][0],
                }
            ]
        ),
        counts,
    )
    (policy_id,) = _ids(session, PolicyVersion.id, PolicyVersion.group_id == company)
    _bulk(
        session,
        PolicyAcknowledgement,
        (
            {
                "version_id": policy_id,
                "user_id": s,
                "typed_name": f"Staff {i} Scale",
                "acknowledged_at": when(100),
            }
            for i, s in enumerate(users["staff"])
            if i % 5
        ),
        counts,
    )

    # Lesson progress, quiz attempts and answers: every learner in every module of their track.
    progress("lessons")
    modules = catalog.modules()
    tracks = {
        **{g: "classroom" for g in classes},
        **{g: "family" for g in families},
        company: "workplace",
    }
    progress_rows, attempt_rows = [], []
    for _membership_id, group_id, user_id in learners:
        for module in modules:
            if module.track not in ("core", tracks[group_id]) or rng.random() < 0.25:
                continue
            score = rng.choice((50, 67, 83, 100, 100))
            opened = when(100)
            progress_rows.append(
                {
                    "user_id": user_id,
                    "module_id": module.id,
                    "started_at": opened,
                    "opened_at": opened,
                    "completed_at": opened if score >= 80 else None,
                    "best_score": score,
                    "attempts": 1,
                    "seconds_spent": rng.randrange(60, 900),
                }
            )
            attempt_rows.append((user_id, module, score, opened))
    _bulk(session, LessonProgress, iter(progress_rows), counts)
    _bulk(
        session,
        QuizAttempt,
        (
            {"user_id": u, "module_id": m.id, "score": s, "passed": s >= 80, "submitted_at": t}
            for u, m, s, t in attempt_rows
        ),
        counts,
    )
    attempt_ids = _ids(session, QuizAttempt.id, QuizAttempt.id > 0)

    def answers() -> Iterator[dict]:
        for attempt_id, (_u, module, score, _t) in zip(attempt_ids, attempt_rows, strict=True):
            for question in module.quiz:
                right = rng.random() < score / 100
                choice = (
                    next(iter(question.correct_ids))
                    if right
                    else next(
                        (c.id for c in question.choices if not c.correct), question.choices[0].id
                    )
                )
                yield {
                    "attempt_id": attempt_id,
                    "question_id": question.id,
                    "choice_ids": choice,
                    "correct": right,
                }

    _bulk(session, QuizAnswer, answers(), counts)

    # Practice posts with one revision each and the reviews of the decided ones.
    progress("posts")
    posting = [row for row in learners]
    statuses = [PostStatus.PUBLISHED] * 8 + [PostStatus.PENDING, PostStatus.CHANGES]
    post_rows = []
    for i in range(size.posts):
        membership_id, group_id, user_id = posting[i % len(posting)]
        status = rng.choice(statuses)
        sent = when(100)
        post_rows.append(
            {
                "group_id": group_id,
                "membership_id": membership_id,
                "author_id": user_id,
                "parent_id": None,
                "audience": Audience.PUBLIC,
                "status": status,
                "revision": 1,
                "level": Level.PERMIT,
                "held_by_coach": False,
                "high_findings": 0,
                "changes_requested": int(status is PostStatus.CHANGES),
                "shared_with_supervisors": False,
                "client_token": None,
                "created_at": sent,
                "submitted_at": sent,
                "approved_at": sent + timedelta(hours=2)
                if status is PostStatus.PUBLISHED
                else None,
                "published_at": sent + timedelta(hours=2)
                if status is PostStatus.PUBLISHED
                else None,
                "flagged_at": None,
                "closed_at": None,
            }
        )
    _bulk(session, PracticePost, iter(post_rows), counts)
    post_ids = _ids(session, PracticePost.id, PracticePost.id > 0)
    words = (
        "great game today with friends at the park so much fun learning new things every day"
    ).split()
    _bulk(
        session,
        PostRevision,
        (
            {
                "post_id": pid,
                "number": 1,
                "body": " ".join(rng.choices(words, k=12)),
                "created_at": row["submitted_at"],
            }
            for pid, row in zip(post_ids, post_rows, strict=True)
        ),
        counts,
    )
    _bulk(
        session,
        SupervisionEvent,
        (
            {
                "membership_id": row["membership_id"],
                "actor_id": supervisor_of[row["group_id"]],
                "kind": EventKind.APPROVED
                if row["status"] is PostStatus.PUBLISHED
                else EventKind.CHANGES_REQUESTED,
                "post_id": pid,
                "revision": 1,
                "note": None if row["status"] is PostStatus.PUBLISHED else "Have another look.",
                "created_at": row["submitted_at"] + timedelta(hours=2),
            }
            for pid, row in zip(post_ids, post_rows, strict=True)
            if row["status"] is not PostStatus.PENDING
        ),
        counts,
    )
    session.flush()
    return counts
