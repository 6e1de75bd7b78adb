"""Demo data for a first look: a family, a classroom and a workplace, with printed logins."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlmodel import Session, select

from learner import accounts, groups, passwords
from learner.db import get_engine, write_transactions
from learner.models import AccountKind, AgeBand, GroupKind, Membership, Role, User


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
        user, _membership = accounts.create_learner_account(
            session=session,
            group=group,
            username=username,
            display_name=name,
            age_band=band,
            password=password,
        )
        logins.append(DemoLogin(who, username, password))
        return user

    admin = adult("Site admin", "admin@example.com", "Sam Admin", AccountKind.ORG_ADMIN)
    admin.is_site_admin = True

    parent = adult("Parent", "parent@example.com", "Maria Rivera", AccountKind.PARENT)
    family = groups.create_group(
        session=session, owner=parent, kind=GroupKind.FAMILY, name="The Rivera family"
    )
    learner("Teen (family)", family, "leo", "Leo", AgeBand.AGE_13_15)

    teacher = adult("Teacher", "teacher@example.com", "Dana Okafor", AccountKind.TEACHER)
    classroom = groups.create_group(
        session=session, owner=teacher, kind=GroupKind.CLASSROOM, name="Year 8 Digital Life"
    )
    for username, name in (("ava.k", "Ava"), ("ben.t", "Ben"), ("chloe.m", "Chloe")):
        learner(f"Student ({name})", classroom, username, name, AgeBand.AGE_13_15)

    org_admin = adult("Organisation admin", "hr@example.com", "Priya Shah", AccountKind.ORG_ADMIN)
    workplace = groups.create_group(
        session=session, owner=org_admin, kind=GroupKind.WORKPLACE, name="Northwind onboarding"
    )
    manager = adult("Manager", "manager@example.com", "Tom Becker", AccountKind.ORG_ADMIN)
    session.add(Membership(group_id=workplace.id, user_id=manager.id, role=Role.SUPERVISOR))
    for username, name in (("jordan.staff", "Jordan"), ("kim.staff", "Kim")):
        learner(f"Staff member ({name})", workplace, username, name, AgeBand.ADULT)
    session.flush()
    return logins


def format_logins(logins: list[DemoLogin]) -> str:
    """The logins as a small table for the terminal."""
    width = max(len(item.who) for item in logins)
    login_width = max(len(item.login) for item in logins)
    lines = ["Demo logins:"]
    lines += [f"  {i.who:<{width}}  {i.login:<{login_width}}  {i.password}" for i in logins]
    return "\n".join(lines)
