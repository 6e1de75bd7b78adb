"""Account services: sign-up, learner accounts, login, passwords, sessions and deactivation."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlmodel import Session, func, select

from learner.core import passwords, throttle
from learner.core.db import utc_now
from learner.errors import AccountError, LoginFailed, LoginThrottled
from learner.models import (
    AccountKind,
    AgeBand,
    EventKind,
    Group,
    Level,
    Membership,
    Role,
    SupervisionEvent,
    User,
)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively."""
    return email.strip().lower()


def normalize_username(username: str) -> str:
    """Usernames are compared case-insensitively."""
    return username.strip().lower()


def find_by_login(session: Session, login: str) -> User | None:
    """The account whose e-mail or username is `login`, if any."""
    name = login.strip().lower()
    column = User.email if "@" in name else User.username
    return session.exec(select(User).where(column == name)).first()


def login_taken(session: Session, login: str) -> bool:
    """True when an account already uses this e-mail or username."""
    return find_by_login(session, login) is not None


def _check_new_password(password: str, *, personal: tuple[str, ...]) -> None:
    try:
        passwords.check_password_rules(password, personal=personal)
    except passwords.PasswordError as error:
        raise AccountError(str(error), field="password") from error


def create_supervisor_account(
    *,
    session: Session,
    email: str,
    display_name: str,
    password: str,
    kind: AccountKind,
    locale: str | None = None,
) -> User:
    """Sign up a parent or mentor, a teacher or an organisation admin."""
    if kind is AccountKind.LEARNER:
        raise AccountError(_l("Learners get their account from a supervisor or a code."))
    email = normalize_email(email)
    if login_taken(session, email):
        raise AccountError(_l("An account with this e-mail already exists."), field="email")
    _check_new_password(password, personal=(email.split("@")[0], display_name))
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        kind=kind,
        age_band=AgeBand.ADULT,
        locale=locale,
    )
    session.add(user)
    session.flush()
    return user


def create_learner(
    *,
    session: Session,
    username: str,
    display_name: str,
    age_band: AgeBand,
    password: str,
    email: str | None = None,
) -> User:
    """Create a learner's account: a username, and an e-mail only if they have one."""
    username = normalize_username(username)
    if not USERNAME_RE.match(username):
        raise AccountError(
            _l("Use 3 to 40 letters, digits, dots, dashes or underscores."), field="username"
        )
    if login_taken(session, username):
        raise AccountError(_l("This username is taken. Try another."), field="username")
    if email and login_taken(session, email):
        raise AccountError(_l("An account with this e-mail already exists."), field="email")
    _check_new_password(password, personal=(username, display_name))
    user = User(
        username=username,
        email=normalize_email(email) if email else None,
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        kind=AccountKind.LEARNER,
        age_band=age_band,
    )
    session.add(user)
    session.flush()
    return user


def create_learner_account(
    *,
    session: Session,
    group: Group,
    username: str,
    display_name: str,
    age_band: AgeBand,
    password: str,
) -> tuple[User, Membership]:
    """Create a learner's account in a group whose supervisors will manage it."""
    user = create_learner(
        session=session,
        username=username,
        display_name=display_name,
        age_band=age_band,
        password=password,
    )
    membership = Membership(
        group_id=group.id,
        user_id=user.id,
        role=Role.LEARNER,
        level=Level.INSTRUCTION,
        level_since=utc_now(),
        manages_account=True,
    )
    session.add(membership)
    session.flush()
    return user, membership


def authenticate(
    *, session: Session, login: str, password: str, address: str, now: datetime
) -> User:
    """The active account for these credentials; raises LoginThrottled or LoginFailed."""
    limited = throttle.check(session=session, login=login, address=address, now=now)
    if limited is not None:
        minutes = max(1, round(limited.retry_after / 60))
        raise LoginThrottled(
            _l(
                "Too many failed attempts. Wait %(minutes)s minute(s), then try again.",
                minutes=minutes,
            ),
            retry_after=limited.retry_after,
        )
    user = find_by_login(session, login)
    if user is None:
        passwords.burn_verify_time(password)
    if user is None or not passwords.verify_password(user.password_hash, password):
        throttle.record_failure(session=session, login=login, address=address, now=now)
        raise LoginFailed(_l("That login and password do not match."))
    if not user.is_active:
        raise LoginFailed(_l("This account has been deactivated. Contact your supervisor."))
    throttle.clear_account(session=session, login=login)
    return user


def end_all_sessions(*, session: Session, user: User) -> None:
    """Make every session cookie issued to this user so far stop working."""
    # Incremented in SQL, so two concurrent requests can never both write the same value.
    user.session_version = User.session_version + 1
    session.add(user)
    session.flush()
    session.refresh(user)


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    """Change a password after checking the current one; other sessions end."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_l("Your current password is not right."), field="current_password")
    _check_new_password(new, personal=(user.username or "", user.email or "", user.display_name))
    user.password_hash = passwords.hash_password(new)
    end_all_sessions(session=session, user=user)


def reset_learner_password(
    *, session: Session, learner: User, membership: Membership, supervisor: User, now: datetime
) -> str:
    """Give a learner a new generated password (returned once) and end their sessions; the
    learner's log in that group says which supervisor did it."""
    new = generated_password(learner.username or "", learner.display_name)
    learner.password_hash = passwords.hash_password(new)
    end_all_sessions(session=session, user=learner)
    session.add(
        SupervisionEvent(
            membership_id=membership.id,
            actor_id=supervisor.id,
            kind=EventKind.PASSWORD_RESET,
            created_at=now,
        )
    )
    return new


def generated_password(*personal: str) -> str:
    """A generated password that passes the rules (it must not contain the person's name)."""
    while True:
        password = passwords.generate_password()
        try:
            passwords.check_password_rules(password, personal=personal)
        except passwords.PasswordError:
            continue
        return password


def set_active(*, session: Session, user: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account; records stay."""
    user.active = active
    user.deactivated_at = None if active else utc_now()
    end_all_sessions(session=session, user=user)


def account_counts(session: Session) -> dict[str, int]:
    """How many accounts there are of each kind, and how many are deactivated."""
    rows = session.exec(
        select(User.kind, User.active, func.count(User.id)).group_by(User.kind, User.active)
    ).all()
    counts = {kind.value: 0 for kind in AccountKind} | {"deactivated": 0}
    for kind, active, count in rows:
        counts[AccountKind(kind).value] += count
        if not active:
            counts["deactivated"] += count
    return counts


def search(session: Session, query: str, *, offset: int, limit: int) -> list[User]:
    """Accounts whose name, e-mail or username contains `query`, newest first (for the
    site admin; `%` and `_` in the query are matched literally)."""
    statement = select(User).order_by(User.id.desc())
    if query:
        escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            or_(
                func.lower(User.display_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
                User.username.like(pattern, escape="\\"),
            )
        )
    return list(session.exec(statement.offset(offset).limit(limit)).all())
