"""The database engine and the one-session-per-request rule, for SQLite and PostgreSQL alike."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, create_engine

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SQLITE_BUSY_TIMEOUT_MS = 5000

# SQLite's deferred transactions take the write lock only at the first write, so two
# workers that read and then write the same row can lose an update or fail with
# "database is locked". Requests that may write begin with BEGIN IMMEDIATE instead.
_immediate: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


def utc_now() -> datetime:
    """The current time, timezone-aware, for timestamps stored in the database."""
    return datetime.now(UTC)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create the engine for a database URL with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    # Error messages and logs never show the values of a statement (passwords, posts).
    return create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling
        # would begin deferred transactions behind our back).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextlib.contextmanager
def write_transactions() -> Iterator[None]:
    """Make every transaction begun inside the block a write transaction (CLI, scripts)."""
    token = _immediate.set(True)
    try:
        yield
    finally:
        _immediate.reset(token)


def init_app(app: Flask) -> None:
    """Create the engine for the app and close the request's session after each request."""
    app.extensions["engine"] = make_engine(
        app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False)
    )
    app.teardown_request(_close_session)
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    """The engine of the current app."""
    return current_app.extensions["engine"]


def reads_only(view):
    """Mark a POST view that never writes (a JSON check): its session begins a plain read
    transaction, so it holds no write lock on SQLite while a rate limit counts the hit."""
    view.reads_only = True
    return view


def _may_write() -> bool:
    if not has_request_context() or request.method not in WRITE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "reads_only", False)


def get_session() -> Session:
    """The request's (or app context's) session, opened on first use; writes begin IMMEDIATE."""
    if "db_session" not in g:
        writes = _may_write()
        g.db_begin_token = _immediate.set(writes)
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


@contextlib.contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """Run the block in its own write transaction (BEGIN IMMEDIATE), then commit.

    The request's read transaction ends first; reads after the block are reads again.
    """
    session.commit()
    token = _immediate.set(True)
    try:
        yield
        session.commit()
    finally:
        _immediate.reset(token)


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is not None:
            session.rollback()
        session.close()
    except DBAPIError:
        # The database went away under the request (a restart): drop the connection
        # instead of failing the response; the pool's pre-ping makes a new one next time.
        session.invalidate()
    finally:
        _immediate.reset(g.pop("db_begin_token"))
