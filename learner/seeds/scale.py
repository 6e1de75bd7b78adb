"""A deterministic data set at district and company scale, for benchmarks and load tests.

`flask --app app seed-scale --seed 1` writes, into an empty database: 3,000 students in
100 classrooms (one of them 40 students), 1,000 families, one workplace of 500 staff,
150,000 practice posts with their reviews, the lesson progress, quiz attempts and
answers of every learner, a license certificate for each licensed learner, and in every
class two assigned scenarios with most students' finished runs of them, and the
pre-tests, confidence ratings and answered refreshers the learning-gain figures are made
of. Rows go
in with bulk inserts, in chunks, in one transaction per table, so it takes a minute or
two rather than hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session, SQLModel

from learner import class_scenarios, groupdata, ladder, scenario_engine, scenarios
from learner.core import passwords
from learner.models import (
    AccountKind,
    AgeBand,
    Assignment,
    Audience,
    ConfidenceMoment,
    ConfidenceRating,
    EventKind,
    Group,
    GroupKind,
    ItemOutcome,
    LessonProgress,
    Level,
    LicenseCertificate,
    Membership,
    PolicyAcknowledgement,
    PolicyStatus,
    PolicyVersion,
    PostRevision,
    PostStatus,
    PracticePost,
    PretestAttempt,
    PretestStatus,
    QuizAnswer,
    QuizAttempt,
    RefresherItem,
    Role,
    ScenarioAction,
    ScenarioAssignment,
    ScenarioRun,
    SupervisionEvent,
    User,
)
from learner.scenario_engine import Act
from lessons.catalog import Catalog, Module

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
    # Any group's data may change: every group's version moves once, after the rows.
    with groupdata.writing_for(session, everything=True):
        for chunk in _chunks(rows):
            session.execute(insert(model), chunk)
            counts.add(model.__tablename__, len(chunk))


def _ids(session: Session, column, where) -> list[int]:
    return list(session.execute(select(column).where(where).order_by(column)).scalars())


@dataclass
class _Run:
    """One run of the seed: what every step needs, and the ids each step leaves for the next."""

    session: Session
    catalog: Catalog
    seed: int
    rng: random.Random
    size: Size
    now: datetime
    start: datetime
    counts: Counts
    secret: str
    users: dict[str, list[int]] = field(default_factory=dict)
    classes: list[int] = field(default_factory=list)
    families: list[int] = field(default_factory=list)
    company: int = 0
    learners: list[tuple[int, int, int]] = field(default_factory=list)
    supervisor_of: dict[int, int] = field(default_factory=dict)
    attempts: list[tuple[int, Module, int, datetime]] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)

    def when(self, days_back: int = 120) -> datetime:
        """A random moment in the last `days_back` days."""
        return self.now - timedelta(seconds=self.rng.randrange(days_back * 86_400))

    def bulk(self, model: type[SQLModel], rows: Iterator[dict]) -> None:
        _bulk(self.session, model, rows, self.counts)

    def ids(self, column, where) -> list[int]:
        return _ids(self.session, column, where)


# People.
def _accounts(
    run: _Run, prefix: str, n: int, kind: AccountKind, band: AgeBand | None, email: bool
) -> Iterator[dict]:
    for i in range(n):
        yield {
            "email": f"{prefix}{i}@scale.example" if email else None,
            "username": None if email else f"{prefix}{i}",
            "display_name": f"{prefix.title()} {i}",
            "password_hash": run.secret,
            "kind": kind,
            "age_band": band,
            "is_site_admin": False,
            "active": True,
            "session_version": 1,
            "created_at": run.start,
        }


def _people(run: _Run) -> None:
    size = run.size
    accounts = (
        ("teacher", size.classrooms, AccountKind.TEACHER, None, True),
        ("student", size.students, AccountKind.LEARNER, AgeBand.AGE_13_15, False),
        ("parent", size.families, AccountKind.PARENT, None, True),
        ("teen", size.families, AccountKind.LEARNER, AgeBand.AGE_16_17, False),
        ("admin", 1, AccountKind.ORG_ADMIN, None, True),
        ("manager", size.managers, AccountKind.ORG_ADMIN, None, True),
        ("staff", size.staff, AccountKind.LEARNER, AgeBand.ADULT, True),
    )
    for prefix, n, kind, band, email in accounts:
        run.bulk(User, _accounts(run, prefix, n, kind, band, email))
    run.users = {
        prefix: run.ids(
            User.id,
            (User.email.like(f"{prefix}%@scale.example")) | (User.username.like(f"{prefix}%")),
        )
        for prefix, *_ in accounts
    }


# Groups.
def _group(run: _Run, kind: GroupKind, name: str) -> dict:
    return {"kind": kind, "name": name, "join_code_enabled": False, "created_at": run.start}


def _groups(run: _Run) -> None:
    run.bulk(
        Group,
        (
            {
                "kind": GroupKind.CLASSROOM,
                "name": f"Class {i}",
                "school_year": "2026-27",
                "join_code": f"SC{run.seed % 100:02d}{i:06d}",
                "join_code_enabled": True,
                "created_at": run.start,
            }
            for i in range(run.size.classrooms)
        ),
    )
    run.bulk(
        Group, (_group(run, GroupKind.FAMILY, f"Family {i}") for i in range(run.size.families))
    )
    run.bulk(Group, iter([_group(run, GroupKind.WORKPLACE, "Scale Corp onboarding")]))
    run.classes = run.ids(Group.id, Group.kind == GroupKind.CLASSROOM)
    run.families = run.ids(Group.id, Group.kind == GroupKind.FAMILY)
    (run.company,) = run.ids(Group.id, Group.kind == GroupKind.WORKPLACE)


# Memberships: the first class has `big_class` students, the rest share the others.
_LEVELS = [Level.INSTRUCTION, Level.PERMIT, Level.PERMIT, Level.PROVISIONAL, Level.LICENSED]


def _learner(
    run: _Run, group_id: int, user_id: int, managed: bool = True, manager: int | None = None
) -> dict:
    return {
        "group_id": group_id,
        "user_id": user_id,
        "role": Role.LEARNER,
        "level": run.rng.choice(_LEVELS),
        "level_since": run.when(60),
        "is_owner": False,
        "manages_account": managed,
        "joined_at": run.start,
        "manager_id": manager,
    }


def _supervisor(run: _Run, group_id: int, user_id: int, owner: bool = True) -> dict:
    return {
        "group_id": group_id,
        "user_id": user_id,
        "role": Role.SUPERVISOR,
        "level": None,
        "level_since": None,
        "is_owner": owner,
        "manages_account": False,
        "joined_at": run.start,
    }


def _memberships(run: _Run) -> None:
    _class_and_family_memberships(run)
    _workplace_memberships(run)
    _read_memberships_back(run)


def _class_and_family_memberships(run: _Run) -> None:
    classes, users = run.classes, run.users
    students = users["student"]
    first, rest = students[: run.size.big_class], students[run.size.big_class :]
    placement = [(classes[0], s) for s in first] + [
        (classes[1 + i % (len(classes) - 1)], s) for i, s in enumerate(rest)
    ]
    teachers = zip(classes, users["teacher"], strict=True)
    run.bulk(Membership, (_supervisor(run, g, t) for g, t in teachers))
    run.bulk(Membership, (_learner(run, g, s) for g, s in placement))
    parents = zip(run.families, users["parent"], strict=True)
    run.bulk(Membership, (_supervisor(run, g, p) for g, p in parents))
    teens = zip(run.families, users["teen"], strict=True)
    run.bulk(Membership, (_learner(run, g, t) for g, t in teens))


def _workplace_memberships(run: _Run) -> None:
    company, users = run.company, run.users
    run.bulk(Membership, iter([_supervisor(run, company, users["admin"][0])]))
    run.bulk(Membership, (_supervisor(run, company, m, owner=False) for m in users["manager"]))
    managers = run.ids(
        Membership.id,
        (Membership.group_id == company)
        & (Membership.role == Role.SUPERVISOR)
        & (Membership.is_owner.is_(False)),
    )
    run.bulk(
        Membership,
        (
            _learner(run, company, s, managed=False, manager=managers[i % len(managers)])
            for i, s in enumerate(users["staff"])
        ),
    )


def _read_memberships_back(run: _Run) -> None:
    run.learners = list(
        run.session.execute(
            select(Membership.id, Membership.group_id, Membership.user_id)
            .where(Membership.role == Role.LEARNER)
            .order_by(Membership.id)
        ).all()
    )
    run.supervisor_of = dict(
        run.session.execute(
            select(Membership.group_id, Membership.user_id).where(
                Membership.role == Role.SUPERVISOR, Membership.is_owner.is_(True)
            )
        ).all()
    )


# Assignments and the workplace policy.
def _assignments_and_policy(run: _Run) -> None:
    _assignments(run)
    _policy(run)


def _assignments(run: _Run) -> None:
    class_modules = [m for m in run.catalog.modules(tracks={"core", "classroom"})]
    run.bulk(
        Assignment,
        (
            {
                "group_id": g,
                "module_id": m.id,
                "due_on": (run.now - timedelta(days=7 * k - 14)).date(),
                "assigned_by_id": run.supervisor_of[g],
                "created_at": run.start,
            }
            for g in run.classes
            for k, m in enumerate(class_modules[:4])
        ),
    )


def _policy(run: _Run) -> None:
    admin, start = run.users["admin"][0], run.start
    policy = {
        "group_id": run.company,
        "version": 1,
        "title": "Our personal social-media policy",
        "body": "Be kind. Say who you work for.",
        "status": PolicyStatus.PUBLISHED,
        "created_by_id": admin,
        "created_at": start,
        "updated_at": start,
        "published_at": start,
        "published_by_id": admin,
    }
    run.bulk(PolicyVersion, iter([policy]))
    (policy_id,) = run.ids(PolicyVersion.id, PolicyVersion.group_id == run.company)
    run.bulk(
        PolicyAcknowledgement,
        (
            {
                "version_id": policy_id,
                "user_id": s,
                "typed_name": f"Staff {i} Scale",
                "acknowledged_at": run.when(100),
            }
            for i, s in enumerate(run.users["staff"])
            if i % 5
        ),
    )


# Lesson progress, quiz attempts and answers: every learner in every module of their track.
def _lessons(run: _Run) -> None:
    run.bulk(LessonProgress, iter(_lesson_progress(run)))
    run.bulk(
        QuizAttempt,
        (
            {"user_id": u, "module_id": m.id, "score": s, "passed": s >= 80, "submitted_at": t}
            for u, m, s, t in run.attempts
        ),
    )
    attempt_ids = run.ids(QuizAttempt.id, QuizAttempt.id > 0)
    run.bulk(QuizAnswer, _quiz_answers(run, attempt_ids))


def _lesson_progress(run: _Run) -> list[dict]:
    """The progress rows; the attempts they imply are kept in `run.attempts`."""
    rng, modules = run.rng, run.catalog.modules()
    tracks = {
        **{g: "classroom" for g in run.classes},
        **{g: "family" for g in run.families},
        run.company: "workplace",
    }
    progress_rows, run.attempts = [], []
    for _membership_id, group_id, user_id in run.learners:
        for module in modules:
            if module.track not in ("core", tracks[group_id]) or rng.random() < 0.25:
                continue
            score = rng.choice((50, 67, 83, 100, 100))
            opened = run.when(100)
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
            run.attempts.append((user_id, module, score, opened))
    return progress_rows


def _quiz_answers(run: _Run, attempt_ids: list[int]) -> Iterator[dict]:
    for attempt_id, (_u, module, score, _t) in zip(attempt_ids, run.attempts, strict=True):
        for question in module.quiz:
            right = run.rng.random() < score / 100
            choice = (
                min(question.correct_ids)
                if right
                else next((c.id for c in question.choices if not c.correct), question.choices[0].id)
            )
            yield {
                "attempt_id": attempt_id,
                "question_id": question.id,
                "choice_ids": choice,
                "correct": right,
            }


# Practice posts with one revision each and the reviews of the decided ones.
_STATUSES = [PostStatus.PUBLISHED] * 8 + [PostStatus.PENDING, PostStatus.CHANGES]
_WORDS = (
    "great game today with friends at the park so much fun learning new things every day"
).split()


def _posts(run: _Run) -> None:
    posting = [row for row in run.learners]
    run.posts = [_post(run, *posting[i % len(posting)]) for i in range(run.size.posts)]
    run.bulk(PracticePost, iter(run.posts))
    post_ids = run.ids(PracticePost.id, PracticePost.id > 0)
    _revisions(run, post_ids)
    _reviews(run, post_ids)


def _post(run: _Run, membership_id: int, group_id: int, user_id: int) -> dict:
    status = run.rng.choice(_STATUSES)
    sent = run.when(100)
    decided = sent + timedelta(hours=2) if status is PostStatus.PUBLISHED else None
    return {
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
        "approved_at": decided,
        "published_at": decided,
        "flagged_at": None,
        "closed_at": None,
    }


def _revisions(run: _Run, post_ids: list[int]) -> None:
    run.bulk(
        PostRevision,
        (
            {
                "post_id": pid,
                "number": 1,
                "body": " ".join(run.rng.choices(_WORDS, k=12)),
                "created_at": row["submitted_at"],
            }
            for pid, row in zip(post_ids, run.posts, strict=True)
        ),
    )


def _reviews(run: _Run, post_ids: list[int]) -> None:
    run.bulk(
        SupervisionEvent,
        (
            {
                "membership_id": row["membership_id"],
                "actor_id": run.supervisor_of[row["group_id"]],
                "kind": EventKind.APPROVED
                if row["status"] is PostStatus.PUBLISHED
                else EventKind.CHANGES_REQUESTED,
                "post_id": pid,
                "revision": 1,
                "note": None if row["status"] is PostStatus.PUBLISHED else "Have another look.",
                "created_at": row["submitted_at"] + timedelta(hours=2),
            }
            for pid, row in zip(post_ids, run.posts, strict=True)
            if row["status"] is not PostStatus.PENDING
        ),
    )


# Every licensed learner holds a certificate, as sign-off would have issued it.
def _certificates(run: _Run) -> None:
    licensed = run.session.execute(
        select(Membership.id, Membership.level_since, User.display_name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.level == Level.LICENSED)
        .order_by(Membership.id)
    ).all()
    run.bulk(
        LicenseCertificate,
        (
            {
                "membership_id": membership_id,
                "code": _certificate_code(run.rng),
                "first_name": ladder.first_name(name),
                "issued_at": since,
                "revoked_at": None,
            }
            for membership_id, since, name in licensed
        ),
    )


def _certificate_code(rng: random.Random) -> str:
    """A code shaped like ladder.new_certificate_code(), drawn from the seeded numbers."""
    raw = "".join(rng.choice(ladder.CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


# Scenarios: two assigned in every class; most students finished a run of each, doing
# each thing a careful person would with some chance, and each mistake with a smaller one.
SCENARIOS_PER_CLASS = 2


def _scenarios(run: _Run) -> None:
    offered = class_scenarios.class_scenarios(scenarios.get_scenarios())[:SCENARIOS_PER_CLASS]
    if not offered:
        return
    run.bulk(
        ScenarioAssignment,
        (
            {
                "group_id": g,
                "scenario_id": s.id,
                "due_on": (run.now + timedelta(days=7 * k)).date(),
                "assigned_by_id": run.supervisor_of[g],
                "created_at": run.start,
            }
            for g in run.classes
            for k, s in enumerate(offered)
        ),
    )
    classes = set(run.classes)
    plays: list[tuple[dict, list[Act]]] = []
    for _membership_id, group_id, user_id in run.learners:
        if group_id not in classes:
            continue
        for scenario in offered:
            if run.rng.random() < 0.3:
                continue  # not played yet
            acts = _acts(run.rng, scenario)
            result = scenario_engine.score(scenario, acts)
            at = run.when(30)
            plays.append(
                (
                    {
                        "user_id": user_id,
                        "scenario_id": scenario.id,
                        "lang": scenario.lang,
                        "guided": True,
                        "started_at": at,
                        "clock": max([a.second for a in acts] or [0]),
                        "clock_at": at,
                        "hints_seen": "",
                        "finished_at": at + timedelta(minutes=scenario.minutes),
                        "score": result.points,
                        "passed": result.passed,
                    },
                    acts,
                )
            )
    run.bulk(ScenarioRun, (row for row, _acts in plays))
    run_ids = run.ids(ScenarioRun.id, ScenarioRun.id > 0)
    run.bulk(
        ScenarioAction,
        (
            {
                "run_id": run_id,
                "position": i,
                "kind": act.kind,
                "target": act.target,
                "text": None,
                "reason": act.reason,
                "value": act.value,
                "categories": ",".join(sorted(act.categories)),
                "rules": "",
                "second": act.second,
                "created_at": row["finished_at"],
            }
            for run_id, (row, acts) in zip(run_ids, plays, strict=True)
            for i, act in enumerate(acts)
        ),
    )


def _acts(rng: random.Random, scenario) -> list[Act]:
    """What one student did: each expected action with a 60 % chance, each mistake 25 %."""
    chosen = [e.match for e in scenario.expected if not e.negate and rng.random() < 0.6]
    chosen += [m.match for m in scenario.mistakes if rng.random() < 0.25]
    return [
        Act(
            m.action,
            m.target,
            second=10 + 5 * i,
            reason=m.reason,
            value=m.value,
            categories=frozenset({m.coach} if m.coach else ()),
        )
        for i, m in enumerate(chosen)
    ]


# What the learning-gain figures are made of, for most lessons a learner took: the
# pre-test before it (taken, or skipped), how sure they were before and after, and the
# refreshers 7 and 30 days after a lesson passed, answered.
PRETEST_SCORES = (0, 17, 33, 50, 67, 83, 100)


def _learning(run: _Run) -> None:
    rng = run.rng
    pretests, ratings, refreshers = [], [], []
    for user_id, module, score, opened in run.attempts:
        if module.pretest and rng.random() < 0.8:
            taken = rng.random() < 0.85
            pretests.append(
                {
                    "user_id": user_id,
                    "module_id": module.id,
                    "status": PretestStatus.TAKEN if taken else PretestStatus.SKIPPED,
                    "score": rng.choice(PRETEST_SCORES) if taken else None,
                    "submitted_at": opened - timedelta(minutes=10),
                }
            )
        if rng.random() < 0.7:
            before = rng.randint(1, 3)
            for moment, value in (
                (ConfidenceMoment.BEFORE, before),
                (ConfidenceMoment.AFTER, min(4, before + rng.choice((0, 1, 1, 2)))),
            ):
                ratings.append(
                    {
                        "user_id": user_id,
                        "module_id": module.id,
                        "moment": moment,
                        "value": value,
                        "answered_at": opened,
                    }
                )
        for days in (7, 30):
            due = opened + timedelta(days=days)
            if score < 80 or due + timedelta(days=1) > run.now or rng.random() < 0.4:
                continue
            for question in module.quiz[:3]:
                right = rng.random() < 0.75
                wrong = next((c.id for c in question.choices if not c.correct), "")
                refreshers.append(
                    {
                        "user_id": user_id,
                        "module_id": module.id,
                        "round": days,
                        "question_id": question.id,
                        "due_at": due,
                        "created_at": due,
                        "answered_at": due + timedelta(hours=rng.randrange(1, 24)),
                        "choice_ids": min(question.correct_ids) if right else wrong,
                        "outcome": ItemOutcome.RIGHT if right else ItemOutcome.WRONG,
                    }
                )
    run.bulk(PretestAttempt, iter(pretests))
    run.bulk(ConfidenceRating, iter(ratings))
    run.bulk(RefresherItem, iter(refreshers))


STEPS: tuple[tuple[str, Callable[[_Run], None]], ...] = (
    ("people", _people),
    ("groups", _groups),
    ("memberships", _memberships),
    ("assignments and policy", _assignments_and_policy),
    ("lessons", _lessons),
    ("posts", _posts),
    ("certificates", _certificates),
    ("scenarios", _scenarios),
    ("learning", _learning),
)


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
    now = now or datetime(2026, 11, 1, 12, tzinfo=UTC)
    run = _Run(
        session=session,
        catalog=catalog,
        seed=seed,
        rng=random.Random(seed),  # noqa: S311  (repeatable data, not secrets)
        size=size,
        now=now,
        start=now - timedelta(days=120),
        counts=Counts({}),
        secret=passwords.hash_password(PASSWORD),
    )
    for name, step in STEPS:
        progress(name)
        step(run)
    session.flush()
    return run.counts
