"""Factories: one small function per thing a test needs, with defaults, going through the
real services (CTFd's `gen_*`). Each commits what it made, so a request sees it."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import datetime

from PIL import Image
from sqlmodel import Session

from learner import accounts, agreements, groups, practice, privacy, profile, progress
from learner import workplace as workplace_service
from learner.core.db import utc_now
from learner.core.images import clean_image
from learner.models import (
    AccountKind,
    AgeBand,
    Audience,
    EventKind,
    Group,
    GroupKind,
    Membership,
    PracticePost,
    QuizAttempt,
    Role,
    User,
)
from lessons.quiz import score

PASSWORD = "correct horse battery staple"


def at_school() -> dict:
    """Where and when a join with a code happens (services count wrong codes per address)."""
    return {"address": "192.0.2.10", "now": utc_now()}


_counter = itertools.count(1)


def make_supervisor(
    session: Session, *, kind: AccountKind = AccountKind.PARENT, name: str | None = None
) -> User:
    """A supervisor account (committed), with PASSWORD."""
    n = next(_counter)
    user = accounts.create_supervisor_account(
        session=session,
        email=f"supervisor{n}@example.com",
        display_name=name or f"Supervisor {n}",
        password=PASSWORD,
        kind=kind,
    )
    session.commit()
    return user


def make_group(session: Session, owner: User, *, kind: GroupKind = GroupKind.FAMILY) -> Group:
    """A group owned by `owner` (committed)."""
    group = groups.create_group(session=session, owner=owner, kind=kind, name=f"{kind} group")
    session.commit()
    return group


def make_learner(
    session: Session, group: Group, *, age_band: AgeBand = AgeBand.AGE_13_15
) -> tuple[User, Membership]:
    """A learner account made by the group's supervisors (committed), with PASSWORD."""
    n = next(_counter)
    user, membership = accounts.create_learner_account(
        session=session,
        group=group,
        username=f"learner{n}",
        display_name=f"Learner {n}",
        age_band=age_band,
        password=PASSWORD,
    )
    session.commit()
    return user, membership


def add_supervisor(session: Session, group: Group, user: User) -> Membership:
    """Make `user` a supervisor of `group` (committed)."""
    membership = Membership(group_id=group.id, user_id=user.id, role=Role.SUPERVISOR)
    session.add(membership)
    session.commit()
    return membership


def make_invite(
    session: Session,
    group: Group,
    by: User,
    *,
    role: Role = Role.LEARNER,
    email: str | None = None,
    when=None,
):
    """An open invite to `group` (committed); returns it with its token."""
    invite, token = groups.create_invite(
        session=session, group=group, role=role, created_by=by, email=email, now=when or utc_now()
    )
    session.commit()
    return invite, token


@dataclass
class Family:
    """A family group with a parent and a teen."""

    group: Group
    parent: User
    teen: User
    teen_membership: Membership


def make_family(session: Session) -> Family:
    """A family: parent (owner) and a teen whose account the parent made."""
    parent = make_supervisor(session)
    group = make_group(session, parent)
    teen, membership = make_learner(session, group)
    return Family(group=group, parent=parent, teen=teen, teen_membership=membership)


def arrange_family(database_url: str) -> Family:
    """A family with a teen, written straight to a database that a real server will use."""
    from app import create_app
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        family = make_family(session)
    app.extensions["engine"].dispose()
    return family


def real_catalog():
    """The shipped lesson catalog (loaded once per process)."""
    from lessons.catalog import shipped_catalog

    return shipped_catalog()


def give_learner_history(session: Session, family: Family):
    """A quiz attempt, a privacy setup, a brand profile with a photo and a proposed
    family agreement for the family's teen (committed); returns the attempt and agreement."""
    now = utc_now()
    module = real_catalog().get("public-by-default")
    answers = {q.id: q.correct_ids for q in module.quiz}
    attempt = progress.submit_quiz(
        session=session, user=family.teen, module=module, result=score(module, answers), now=now
    )
    choices = {s.id: s.options[0].value for s in privacy.SETTINGS}
    profile.save_privacy(session=session, user=family.teen, choices=choices, now=now)
    profile.save_brand(
        session=session,
        user=family.teen,
        handle="leo_r",
        display_name="Leo",
        bio="I make music.",
        avatar=clean_image(png_bytes()),
        now=now,
    )
    agreement = agreements.propose(
        session=session,
        membership=family.teen_membership,
        proposer=family.parent,
        terms={t: "We talk first." for t in agreements.REQUIRED_TERMS},
        now=now,
    )
    session.commit()
    return attempt, agreement


def png_bytes(size: tuple[int, int] = (8, 8), *, gps: bool = False, fmt: str = "PNG") -> bytes:
    """A small real image, optionally carrying GPS metadata."""
    image = Image.new("RGB", size, (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def set_level(session: Session, membership: Membership, level, *, since=None) -> Membership:
    """Put a learner at a level (committed), as if signed off `since` (default now)."""
    membership.level = level
    membership.level_since = since or utc_now()
    session.add(membership)
    session.commit()
    return membership


def make_post(
    session: Session,
    group: Group,
    membership: Membership,
    body: str = "Practising a kind post about my weekend hike.",
    *,
    submit: bool = True,
    audience=None,
    members: tuple[int, ...] = (),
    parent=None,
):
    """A practice post by a learner through the real service (committed)."""
    post, _created = practice.compose(
        session=session,
        group=group,
        author=membership,
        draft=practice.Draft(body=body, audience=audience or Audience.PUBLIC, member_ids=members),
        submit=submit,
        client_token=None,
        parent=parent,
        now=utc_now(),
    )
    session.commit()
    return post


def fresh(session: Session) -> Session:
    """The test's session, reading what the app committed since."""
    session.rollback()
    return session


@dataclass
class Classroom:
    """A class with its teacher and students (each a user and their membership)."""

    teacher: User
    group: Group
    students: list[tuple[User, Membership]] = field(default_factory=list)


def make_classroom(session: Session, *, students: int = 3) -> Classroom:
    """A class owned by a teacher, with `students` learner accounts the teacher made."""
    teacher = make_supervisor(session, kind=AccountKind.TEACHER)
    group = make_group(session, teacher, kind=GroupKind.CLASSROOM)
    return Classroom(teacher, group, [make_learner(session, group) for _ in range(students)])


@dataclass
class Workplace:
    """A workplace with its admin, a manager and staff; `policy` once one is published."""

    admin: User
    group: Group
    manager: User
    manager_membership: Membership
    staff: list[tuple[User, Membership]] = field(default_factory=list)
    policy: object | None = None


def make_workplace(session: Session, *, staff: int = 2, policy: str | None = None) -> Workplace:
    """A workplace (admin Priya Shah, manager Tom Becker) with `staff` staff accounts, and a
    published policy with the text `policy` when one is given."""
    admin = make_supervisor(session, kind=AccountKind.ORG_ADMIN, name="Priya Shah")
    group = make_group(session, admin, kind=GroupKind.WORKPLACE)
    manager = make_supervisor(session, kind=AccountKind.ORG_ADMIN, name="Tom Becker")
    manager_membership = add_supervisor(session, group, manager)
    people = [make_learner(session, group) for _ in range(staff)]
    made = Workplace(admin, group, manager, manager_membership, people)
    if policy is not None:
        made.policy = publish_policy(session, group, admin, body=policy)
    return made


def cosign(session: Session, membership: Membership, *, by: User) -> None:
    """A supervisor co-signs the learner's current privacy setup (committed)."""
    setup = profile.privacy_setup(session, membership.user_id)
    profile.cosign_privacy(
        session=session,
        membership=membership,
        supervisor=by,
        revision=setup.revision,
        now=utc_now(),
    )
    session.commit()


def publish_policy(
    session: Session,
    group: Group,
    admin: User,
    *,
    title: str = "Policy",
    body: str = "Be kind.",
    acknowledge_by=None,
):
    """Write and publish a policy version through the real services (committed); returns it."""
    draft = workplace_service.save_draft(
        session=session, group=group, editor=admin, title=title, body=body, now=utc_now()
    )
    workplace_service.publish(
        session=session,
        group=group,
        version=draft,
        admin=admin,
        now=utc_now(),
        acknowledge_by=acknowledge_by,
    )
    session.commit()
    return draft


def decide(
    session: Session,
    post: PracticePost,
    *,
    by: User,
    decision: EventKind,
    note: str = "",
    reasons: tuple[str, ...] = (),
    when: datetime | None = None,
):
    """A supervisor's decision on the post's current revision (committed)."""
    event = practice.decide(
        session=session,
        post=post,
        supervisor=by,
        decision=decision,
        revision=post.revision,
        reasons=list(reasons),
        note=note,
        now=when or utc_now(),
    )
    session.commit()
    return event


def approve(session: Session, post: PracticePost, *, by: User, note: str = "", when=None):
    """Approve the post's current revision (committed)."""
    return decide(session, post, by=by, decision=EventKind.APPROVED, note=note, when=when)


def request_changes(
    session: Session, post: PracticePost, *, by: User, note: str = "Please change this.", when=None
):
    """Ask for changes to the post's current revision (committed)."""
    return decide(session, post, by=by, decision=EventKind.CHANGES_REQUESTED, note=note, when=when)


def answer_quiz(
    session: Session,
    user: User,
    module_id: str,
    picks: dict[str, set[str]] | None = None,
    *,
    when: datetime | None = None,
) -> QuizAttempt:
    """Submit a module's quiz: every answer right, except the `picks` given (committed)."""
    module = real_catalog().get(module_id)
    answers = {q.id: set(q.correct_ids) for q in module.quiz}
    answers.update(picks or {})
    attempt = progress.submit_quiz(
        session=session,
        user=user,
        module=module,
        result=score(module, answers),
        now=when or utc_now(),
    )
    session.commit()
    return attempt


def complete_stage(
    session: Session, user: User, *, kind: GroupKind, stage: str = "instruction"
) -> None:
    """Pass every lesson of `stage` that a learner in a group of `kind` studies (committed)."""
    for module in real_catalog().modules(tracks=progress.tracks_for([kind])):
        if module.stage == stage:
            answer_quiz(session, user, module.id)


def take_pretest(
    session: Session,
    user: User,
    module_id: str,
    *,
    right: int | None = None,
    skip: bool = False,
    when: datetime | None = None,
):
    """Answer a module's pre-test: the first `right` items right, the rest "I don't know
    yet" (all right when `right` is None); or skip it (committed)."""
    from learner import learning
    from lessons.catalog import DONT_KNOW
    from lessons.pretest import read_pretest

    module = real_catalog().get(module_id)
    form = {
        f"p-{q.id}": sorted(q.correct_ids) if right is None or i < right else [DONT_KNOW]
        for i, q in enumerate(module.pretest)
    }
    attempt = learning.record_pretest(
        session=session,
        user=user,
        module=module,
        result=None if skip else read_pretest(module, form),
        now=when or utc_now(),
    )
    session.commit()
    return attempt


def test_scenarios():
    """The tests' own scenarios (tests/data/scenarios), checked against the real catalog."""
    from lessons.scenarios import shipped_scenarios
    from tests.conftest import SCENARIOS_FOR_TESTS

    return shipped_scenarios(str(SCENARIOS_FOR_TESTS), real_catalog())


test_scenarios.__test__ = False  # a helper, not a test


def play_scenario(
    session: Session,
    user: User,
    scenario_id: str,
    acts: list | None = None,
    *,
    when: datetime | None = None,
):
    """A finished run of a test scenario with these engine Acts (stored as its actions),
    scored by the engine like a real run (committed). No acts: a perfect run."""
    from learner.models import ScenarioAction, ScenarioRun
    from learner.scenario_engine import Act
    from learner.scenario_engine import score as score_run

    scenario = test_scenarios().get(scenario_id)
    if acts is None:
        acts = [
            Act(e.match.action, e.match.target, second=i)
            for i, e in enumerate(scenario.expected)
            if not e.negate
        ]
    result = score_run(scenario, acts)
    at = when or utc_now()
    run = ScenarioRun(
        user_id=user.id,
        scenario_id=scenario.id,
        lang=scenario.lang,
        started_at=at,
        clock=max([a.second for a in acts] or [0]),
        clock_at=at,
        finished_at=at,
        score=result.points,
        passed=result.passed,
    )
    session.add(run)
    session.flush()
    session.add_all(
        ScenarioAction(
            run_id=run.id,
            position=i,
            kind=a.kind,
            target=a.target,
            text=a.text,
            reason=a.reason,
            value=a.value,
            categories=",".join(sorted(a.categories)),
            second=a.second,
            created_at=at,
        )
        for i, a in enumerate(acts)
    )
    session.commit()
    return run


def pass_scenarios(session: Session, user: User, *, kind: GroupKind) -> int:
    """Pass every instruction scenario suited to the learner in a group of `kind`; how many."""
    band = user.age_band.value if user.age_band else None
    chosen = [
        s
        for s in test_scenarios().suited(age_band=band, tracks=progress.tracks_for([kind]))
        if s.stage == "instruction"
    ]
    for scenario in chosen:
        play_scenario(session, user, scenario.id)
    return len(chosen)
