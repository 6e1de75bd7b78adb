"""Throttling of guesses (passwords, join codes) kept in the database, so it holds across
workers and hosts. Only failures count: a class of 35 joining with the right code from
one school router is never slowed down, a script trying codes is."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, text
from sqlmodel import Session, select

from learner.models import AuthFailure

# Per account: a few tries, then a short wait that ends by itself. An attacker can slow
# an account down for a few minutes, never lock its owner out for good.
ACCOUNT_LIMIT = 5
# Per address: room for a classroom behind one school router, not for a guessing script.
ADDRESS_LIMIT = 30
WINDOW = timedelta(minutes=10)
# Per address: wrong join codes. Right codes never count, so whole classes can join.
JOIN_CODE_LIMIT = 30
JOIN_CODE_WINDOW = timedelta(hours=1)
# Failures are kept as long as the longest window.
LONGEST_WINDOW = max(WINDOW, JOIN_CODE_WINDOW)


@dataclass(frozen=True)
class Throttled:
    """Why logging in must wait, and for how many seconds."""

    scope: str
    retry_after: int


def _account_key(login: str) -> str:
    return login.strip().lower()[:254]


def _one_at_a_time(session: Session, scope: str, key: str) -> None:
    """Count and record a key's failures one request at a time, so two guesses at once
    cannot both pass as the 30th. SQLite's write transactions are serial already; on
    PostgreSQL a transaction-level advisory lock on the key does it (released at commit)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"{scope}:{key}".encode(), digest_size=8).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:key)"),
        {"key": int.from_bytes(digest, "big", signed=True)},
    )


def _over_limit(
    session: Session, *, scope: str, key: str, limit: int, window: timedelta, now: datetime
) -> Throttled | None:
    _one_at_a_time(session, scope, key)
    count, oldest = session.exec(
        select(func.count(AuthFailure.id), func.min(AuthFailure.created_at)).where(
            AuthFailure.scope == scope,
            AuthFailure.key == key,
            AuthFailure.created_at > now - window,
        )
    ).one()
    if count < limit:
        return None
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
    wait = (oldest + window - now).total_seconds()
    return Throttled(scope=scope, retry_after=max(1, math.ceil(wait)))


def check(*, session: Session, login: str, address: str, now: datetime) -> Throttled | None:
    """Whether a login attempt for this account from this address must wait."""
    for scope, key, limit in (
        ("account", _account_key(login), ACCOUNT_LIMIT),
        ("address", address, ADDRESS_LIMIT),
    ):
        limited = _over_limit(session, scope=scope, key=key, limit=limit, window=WINDOW, now=now)
        if limited is not None:
            return limited
    return None


def check_join_code(session: Session, *, address: str, now: datetime) -> Throttled | None:
    """Whether this address has guessed too many wrong join codes lately."""
    return _over_limit(
        session,
        scope="join_code",
        key=address,
        limit=JOIN_CODE_LIMIT,
        window=JOIN_CODE_WINDOW,
        now=now,
    )


def record_wrong_join_code(*, session: Session, address: str, now: datetime) -> None:
    """Count a wrong join code against the address it came from."""
    session.add(AuthFailure(scope="join_code", key=address[:254], created_at=now))
    session.flush()


def record_failure(*, session: Session, login: str, address: str, now: datetime) -> None:
    """Count a failed attempt against the account and the address."""
    session.add(AuthFailure(scope="account", key=_account_key(login), created_at=now))
    session.add(AuthFailure(scope="address", key=address, created_at=now))
    session.flush()


def clear_account(*, session: Session, login: str) -> None:
    """Forget an account's failures after its owner logs in."""
    session.exec(
        delete(AuthFailure).where(
            AuthFailure.scope == "account", AuthFailure.key == _account_key(login)
        )
    )


def prune(*, session: Session, now: datetime) -> int:
    """Delete failures too old to count in any window; returns how many went."""
    result = session.exec(delete(AuthFailure).where(AuthFailure.created_at <= now - LONGEST_WINDOW))
    return result.rowcount
