"""Demo data for a first look: a family, a classroom and a workplace, with printed logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlmodel import Session, select

from learner import accounts, groups, practice, workplace
from learner.core import passwords
from learner.core.db import get_engine, utc_now, write_transactions
from learner.models import (
    AccountKind,
    AgeBand,
    Assignment,
    Audience,
    GroupKind,
    Level,
    Membership,
    Role,
    User,
)


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
    learner("Teen (family)", family, "leo", "Leo", AgeBand.AGE_13_15)

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
