"""Login throttling kept in the database, so it holds across workers and hosts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from learner.models import AuthFailure

# Per account: a few tries, then a short wait that ends by itself. An attacker can slow
# an account down for a few minutes, never lock its owner out for good.
ACCOUNT_LIMIT = 5
# Per address: room for a classroom behind one school router, not for a guessing script.
ADDRESS_LIMIT = 30
WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class Throttled:
    """Why logging in must wait, and for how many seconds."""

    scope: str
    retry_after: int


def _account_key(login: str) -> str:
    return login.strip().lower()[:254]


def check(*, session: Session, login: str, address: str, now: datetime) -> Throttled | None:
    """Whether a login attempt for this account from this address must wait."""
    since = now - WINDOW
    for scope, key, limit in (
        ("account", _account_key(login), ACCOUNT_LIMIT),
        ("address", address, ADDRESS_LIMIT),
    ):
        count, oldest = session.exec(
            select(func.count(AuthFailure.id), func.min(AuthFailure.created_at)).where(
                AuthFailure.scope == scope,
                AuthFailure.key == key,
                AuthFailure.created_at > since,
            )
        ).one()
        if count >= limit:
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
            wait = (oldest + WINDOW - now).total_seconds()
            return Throttled(scope=scope, retry_after=max(1, math.ceil(wait)))
    return None


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
    """Delete failures older than the window; returns how many went."""
    result = session.exec(delete(AuthFailure).where(AuthFailure.created_at <= now - WINDOW))
    return result.rowcount
