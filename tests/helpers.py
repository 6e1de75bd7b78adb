"""Client helpers: logging in as someone, posting forms with CSRF, reading what was written."""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable

from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlmodel import Session, SQLModel
from werkzeug.datastructures import MultiDict

from learner.models import User


def login(client: FlaskClient, user: User) -> None:
    """Log the client in as `user` directly, replacing whoever was logged in before."""
    now = int(time.time())
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["auth_at"] = now
        session["seen_at"] = now
    forget_request_caches()


def forget_request_caches() -> None:
    """Forget what Flask-Login and Flask-Babel cache in `g` (the user, the language): the
    test keeps one app context, where a real server has one per request (a test without
    one has nothing to forget)."""
    if has_app_context():
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)


def logout(client: FlaskClient) -> None:
    """Forget the client's session without telling the server (an anonymous visitor)."""
    with client.session_transaction() as session:
        session.clear()
    forget_request_caches()


def csrf_token(client: FlaskClient) -> str:
    """A valid CSRF token for the client's session (read off a real form)."""
    page = client.get("/join").get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "no CSRF token on /join"
    return match.group(1)


def post(client: FlaskClient, url: str, data: dict | MultiDict | None = None, **kwargs):
    """POST a form with a valid CSRF token, like a browser would (repeated keys kept)."""
    # A plain dict's tuple values are files (stream, name), not repeated keys.
    form = data.copy() if isinstance(data, MultiDict) else MultiDict(list((data or {}).items()))
    form["csrf_token"] = csrf_token(client)
    if has_app_context():
        g.pop("_flask_babel", None)
    return client.post(url, data=form, **kwargs)


def reload(session: Session, obj: SQLModel) -> SQLModel:
    """Read an object again as the app left it (a new transaction sees the app's commits)."""
    session.rollback()
    session.refresh(obj)
    return obj


def count_rows(session: Session, model: type[SQLModel]) -> int:
    """How many rows a table has, as committed."""
    session.rollback()
    return session.exec(select(func.count()).select_from(model)).one()[0]


def snapshot(session: Session) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a denied request wrote nothing."""
    session.rollback()
    result = {}
    for table in SQLModel.metadata.sorted_tables:
        rows = session.connection().execute(select(table).order_by(*table.primary_key)).all()
        result[table.name] = [tuple(row) for row in rows]
    session.rollback()
    return result


class QueryCounter:
    """Counts the SQL statements an engine runs inside a `with` block."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)


def least_cpu_seconds(work: Callable[[], object], runs: int = 3) -> float:
    """The least CPU time of `runs` calls of `work`, with the garbage collector held off:
    a guard against runaway regular expressions needs the cost of the work itself, which is
    the same on every run, not a collection of the whole test process's heap that happened
    to fall inside one of them."""
    gc.collect()
    gc.disable()
    try:
        times = []
        for _ in range(runs):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)
    finally:
        gc.enable()
