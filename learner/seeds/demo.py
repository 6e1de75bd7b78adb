"""Demo data for a first look: a family, a classroom and a workplace, with printed logins.

The family's second teen, Mia, already holds a license: she went up the whole ladder in
the weeks before the demo was loaded, through the same services a real family uses, so a
newcomer sees a certificate (and `/verify`) at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlmodel import Session, select

from learner import (
    accounts,
    agreements,
    groups,
    ladder,
    notifications,
    practice,
    privacy,
    profile,
    progress,
    scenarios,
    workplace,
)
from learner.core import passwords
from learner.core.db import get_engine, utc_now, write_transactions
from learner.errors import DomainError
from learner.models import (
    AccountKind,
    AgeBand,
    Assignment,
    Audience,
    EventKind,
    GroupKind,
    Level,
    Membership,
    Role,
    User,
)
from lessons import get_catalog
from lessons.catalog import Module
from lessons.quiz import score


@dataclass(frozen=True)
class DemoLogin:
    """One demo account's login, as printed for the person trying the app."""

    who: str
    login: str
    password: str


def load(app: Flask) -> list[DemoLogin] | None:
    """Fill an empty database with demo groups; None when it already has accounts."""
    with app.app_context(), write_transactions(), Session(get_engine()) as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
        logins = _build(session)
        session.commit()
    return logins


def _waiting_for_the_parent(session: Session, membership: Membership, teen: User) -> None:
    """Leo has saved his privacy setup and proposed the family agreement: the parent's
    dashboard opens on what waits for her, as a real family's would."""
    now = utc_now()
    choices = {s.id: s.recommended_for(AgeBand.AGE_13_15).value for s in privacy.SETTINGS}
    profile.save_privacy(session=session, user=teen, choices=choices, now=now)
    agreements.propose(
        session=session,
        membership=membership,
        proposer=teen,
        terms={
            "passwords": "Mum keeps a copy of my passwords in the notebook in the kitchen.",
            "checks": "We look at my accounts together on Sunday evenings.",
            "after_mistake": "I tell Mum straight away; we fix it together, no shouting.",
            "lighter_checks": "After a month without problems we check every two weeks.",
        },
        now=now,
    )


def _build(session: Session) -> list[DemoLogin]:
    logins: list[DemoLogin] = []

    def adult(who: str, email: str, name: str, kind: AccountKind) -> User:
        password = passwords.generate_password()
        user = accounts.create_supervisor_account(
            session=session, email=email, display_name=name, password=password, kind=kind
        )
        logins.append(DemoLogin(who, email, password))
        return user

    def learner(who: str, group, username: str, name: str, band: AgeBand) -> User:
        password = passwords.generate_password()
        user, membership = accounts.create_learner_account(
            session=session,
            group=group,
            username=username,
            display_name=name,
            age_band=band,
            password=password,
        )
        logins.append(DemoLogin(who, username, password))
        students[username] = membership
        return user

    students: dict[str, Membership] = {}
    admin = adult("Site admin", "admin@example.com", "Sam Admin", AccountKind.ORG_ADMIN)
    admin.is_site_admin = True

    parent = adult("Parent", "parent@example.com", "Maria Rivera", AccountKind.PARENT)
    family = groups.create_group(
        session=session, owner=parent, kind=GroupKind.FAMILY, name="The Rivera family"
    )
    leo = learner("Teen (family)", family, "leo", "Leo", AgeBand.AGE_13_15)
    _waiting_for_the_parent(session, students["leo"], leo)
    mia = learner("Teen, licensed (family)", family, "mia", "Mia", AgeBand.AGE_16_17)
    _licensed_road(session, family, parent, students["mia"], mia)

    teacher = adult("Teacher", "teacher@example.com", "Dana Okafor", AccountKind.TEACHER)
    classroom = groups.create_group(
        session=session,
        owner=teacher,
        kind=GroupKind.CLASSROOM,
        name="Year 8 Digital Life",
        school_year="2026-27",
    )
    for username, name in (("ava.k", "Ava"), ("ben.t", "Ben"), ("chloe.m", "Chloe")):
        learner(f"Student ({name})", classroom, username, name, AgeBand.AGE_13_15)

    _classroom_practice(session, classroom, students)
    # Two assigned lessons: one already late, one due next week.
    today = utc_now().date()
    for module_id, due_on in (
        ("public-by-default", today - timedelta(days=1)),
        ("personal-information", today + timedelta(days=7)),
    ):
        session.add(
            Assignment(
                group_id=classroom.id, module_id=module_id, due_on=due_on, assigned_by_id=teacher.id
            )
        )

    org_admin = adult("Organisation admin", "hr@example.com", "Priya Shah", AccountKind.ORG_ADMIN)
    company = groups.create_group(
        session=session, owner=org_admin, kind=GroupKind.WORKPLACE, name="Northwind onboarding"
    )
    manager = adult("Manager", "manager@example.com", "Tom Becker", AccountKind.ORG_ADMIN)
    manager_membership = Membership(group_id=company.id, user_id=manager.id, role=Role.SUPERVISOR)
    session.add(manager_membership)
    staff = [
        learner(f"Staff member ({name})", company, username, name, AgeBand.ADULT)
        for username, name in (("jordan.staff", "Jordan"), ("kim.staff", "Kim"))
    ]
    session.flush()
    _workplace_policy(session, company, org_admin, manager_membership, staff, students)
    session.flush()
    return logins


# Mia's practice posts: none trips the coach, so none is held at provisional.
_PERMIT_POSTS = (
    "First practice post! I am learning how posting works before I get a real account.",
    "Made banana bread with my grandma today. The recipe is older than my mum.",
    "Finished a 500-piece puzzle of a lighthouse. The sky part took forever.",
    "Our choir sang at the spring concert. I was nervous, but it went well.",
    "Reading a great book about octopuses. They have three hearts!",
    "Tried painting with watercolours for the first time. It is harder than it looks.",
    "Helped clean up the beach with the youth club this morning.",
    "Learning to play a song on the ukulele. Only four chords so far.",
    "Planted sunflower seeds in the garden. I will post when they come up.",
    "Our team lost the match but we played our best. Next time!",
)
_PROVISIONAL_POSTS = (
    "The sunflowers are up! Tiny green shoots everywhere.",
    "Watched a documentary about the ocean with my family tonight.",
    "Made a playlist for studying: calm piano and rain sounds.",
    "Baked cookies for the school bake sale. They sold out in an hour.",
    "Drew a comic about my cat pretending to be a lion.",
    "Went for a long walk in the park and saw a heron by the pond.",
    "Started learning some basic Spanish with an app. Hola!",
    "Our choir is practising a new song for the summer.",
    "Fixed my bike chain by myself with a video tutorial.",
    "Thank you to everyone who came to the bake sale!",
)


def _pass_stage(session: Session, user: User, modules: list[Module], stage: str, when) -> None:
    """Open and pass every lesson of one stage, all answers right."""
    for i, module in enumerate(m for m in modules if m.stage == stage):
        at = when + timedelta(minutes=20 * i)
        progress.open_module(session=session, user=user, module=module, now=at)
        answers = {q.id: frozenset(q.correct_ids) for q in module.quiz}
        result = score(module, answers)
        progress.submit_quiz(
            session=session, user=user, module=module, result=result, now=at + timedelta(minutes=8)
        )


def _pass_scenarios(session: Session, user: User, group, when) -> None:
    """Play every instruction scenario the permit asks of the learner, through the real
    services: the clock past every timed event, then what a careful person would do."""
    for scenario in ladder.instruction_scenarios(scenarios.get_scenarios(), user=user, group=group):
        run = scenarios.start_run(session=session, user=user, scenario=scenario, now=when)
        run.clock = scenario.last_timed_second
        actions = []
        for i, item in enumerate(e for e in scenario.expected if not e.negate):
            try:
                actions.append(
                    scenarios.record_action(
                        session=session,
                        run=run,
                        scenario=scenario,
                        actions=actions,
                        kind=item.match.action,
                        target=item.match.target,
                        reason=item.match.reason,
                        value=item.match.value,
                        now=when + timedelta(seconds=i),
                    )
                )
            except DomainError:
                continue  # needs something the demo does not set off: leave it out
        scenarios.finish(
            session=session,
            run=run,
            scenario=scenario,
            acts=scenarios.acts_of(actions),
            now=when + timedelta(minutes=5),
        )


def _post(session, group, membership, body: str, when):
    post, _made = practice.compose(
        session=session,
        group=group,
        author=membership,
        draft=practice.Draft(body=body, audience=Audience.PUBLIC),
        submit=True,
        client_token=None,
        now=when,
    )
    return post


def _licensed_road(session: Session, family, parent: User, membership: Membership, mia) -> None:
    """Mia's road to her license over the last six weeks, through the real services: the
    lessons, the privacy setup her mother co-signed, ten approved posts on her permit, ten
    at provisional, and three sign-offs (the last one issues her certificate)."""
    start = utc_now() - timedelta(days=42)
    modules = get_catalog().modules(tracks=progress.tracks_for([family.kind]))
    _pass_stage(session, mia, modules, "instruction", start)
    _pass_scenarios(session, mia, family, start + timedelta(hours=3))
    choices = {s.id: s.recommended_for(mia.age_band).value for s in privacy.SETTINGS}
    setup = profile.save_privacy(session=session, user=mia, choices=choices, now=start)
    profile.cosign_privacy(
        session=session,
        membership=membership,
        supervisor=parent,
        revision=setup.revision,
        now=start + timedelta(hours=20),
    )

    def sign_off(level: Level, when) -> None:
        ladder.sign_off(
            session=session,
            membership=membership,
            group=family,
            supervisor=parent,
            learner=mia,
            expected_level=level,
            modules=modules,
            now=when,
        )

    sign_off(Level.INSTRUCTION, start + timedelta(days=1))
    _pass_stage(session, mia, modules, "permit", start + timedelta(days=1, hours=2))
    notes = {2: "Lovely! Ask Grandma before you share her photo, though.", 9: "Good sport."}
    for i, body in enumerate(_PERMIT_POSTS):
        sent = start + timedelta(days=2 + i, hours=17)
        post = _post(session, family, membership, body, sent)
        practice.decide(
            session=session,
            post=post,
            supervisor=parent,
            decision=EventKind.APPROVED,
            revision=post.revision,
            reasons=[],
            note=notes.get(i, ""),
            now=sent + timedelta(hours=2),
        )
    sign_off(Level.PERMIT, start + timedelta(days=13))
    _pass_stage(session, mia, modules, "license", start + timedelta(days=14))
    for i, body in enumerate(_PROVISIONAL_POSTS):
        _post(session, family, membership, body, start + timedelta(days=14 + i, hours=18))
    notifications.mark_read(session=session, user=mia, now=start + timedelta(days=28))
    sign_off(Level.PROVISIONAL, start + timedelta(days=30))


def _classroom_practice(session: Session, classroom, students: dict[str, Membership]) -> None:
    """Something in the class's review queue and feed: Ava is on her permit with a post
    waiting (the coach has a finding), Ben is provisional with a published post."""
    now = utc_now()
    ava, ben = students["ava.k"], students["ben.t"]
    for membership, level in ((ava, Level.PERMIT), (ben, Level.PROVISIONAL)):
        membership.level, membership.level_since = level, now
        session.add(membership)
    session.flush()
    for membership, body in (
        (ava, "Big game on Saturday! Text me at 555-201-0147 if you want a ride."),
        (ben, "Our class garden has its first tomatoes. Who wants to help water them next week?"),
    ):
        practice.compose(
            session=session,
            group=classroom,
            author=membership,
            draft=practice.Draft(body=body, audience=Audience.PUBLIC),
            submit=True,
            client_token=None,
            now=now,
        )


def _workplace_policy(session, workplace_group, admin, manager, staff, memberships) -> None:
    """The starter policy in force; Jordan has acknowledged it, Kim not yet; both report
    to the manager."""
    now = utc_now()
    version = workplace.save_draft(
        session=session,
        group=workplace_group,
        title=workplace.STARTER_TITLE,
        body=workplace.STARTER_POLICY,
        editor=admin,
        now=now,
    )
    workplace.publish(session=session, group=workplace_group, version=version, admin=admin, now=now)
    jordan = staff[0]
    workplace.acknowledge(
        session=session,
        version=version,
        user=jordan,
        typed_name=f"{jordan.display_name} Lee",
        now=now,
    )
    for username in ("jordan.staff", "kim.staff"):
        memberships[username].manager_id = manager.id
        session.add(memberships[username])


def format_logins(logins: list[DemoLogin]) -> str:
    """The logins as a small table for the terminal."""
    width = max(len(item.who) for item in logins)
    login_width = max(len(item.login) for item in logins)
    lines = ["Demo logins:"]
    lines += [f"  {i.who:<{width}}  {i.login:<{login_width}}  {i.password}" for i in logins]
    return "\n".join(lines)
