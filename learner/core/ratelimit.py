"""Rate-limit counters in the app's own database, so Flask-Limiter's limits hold across
every gunicorn worker and every host without a Redis to run.

`RATELIMIT_STORAGE_URI = "database://"` (the default) selects this storage; a Redis or
memcached URI still works for installs that have one. Each hit is one upsert in its own
short transaction on its own connection, so a request that later fails or rolls back
still counts, and the request's own session is never involved.
"""

from __future__ import annotations

import time

from flask import current_app
from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from learner.models import RateCounter

TABLE = RateCounter.__table__


class DatabaseStorage(Storage):
    """A `limits` storage over the `rate_counter` table (fixed windows only)."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _engine() -> Engine:
        return current_app.extensions["engine"]

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits; a window that has run out starts again from them."""
        now = time.time()
        engine = self._engine()
        insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert
        expired = TABLE.c.expires_at <= now
        statement = insert(TABLE).values(key=key, count=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(
            index_elements=[TABLE.c.key],
            set_={
                "count": _case(expired, amount, TABLE.c.count + amount),
                "expires_at": _case(expired, now + expiry, TABLE.c.expires_at),
            },
        ).returning(TABLE.c.count)
        with engine.begin() as connection:
            return connection.execute(statement).scalar_one()

    def _row(self, key: str):
        with self._engine().connect() as connection:
            return connection.execute(
                select(TABLE.c.count, TABLE.c.expires_at).where(TABLE.c.key == key)
            ).first()

    def get(self, key: str) -> int:
        """The hits in the key's current window (0 once it has run out)."""
        row = self._row(key)
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends, in seconds since the epoch."""
        row = self._row(key)
        return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with self._engine().begin() as connection:
            return connection.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self._engine().begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == key))


def _case(condition, when_true, otherwise):
    return case((condition, when_true), else_=otherwise)


def prune(engine: Engine, *, now: float | None = None) -> int:
    """Delete counters whose window has run out (run daily; they would restart anyway)."""
    now = time.time() if now is None else now
    with engine.begin() as connection:
        return connection.execute(delete(TABLE).where(TABLE.c.expires_at <= now)).rowcount
