"""The database settings the app relies on: SQLite pragmas, write transactions, UTC times."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import event, text

from learner import groups
from learner.core.db import make_engine, utc_now, write_transactions
from tests.factories import make_family, make_invite, make_supervisor
from tests.helpers import login, post


def test_sqlite_connections_enforce_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_sqlite_write_transactions_begin_immediate(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    with engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    with write_transactions(), engine.begin() as connection:
        connection.execute(text("SELECT 1"))
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE"]
    engine.dispose()


def _statements(engine, action) -> list[str]:
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def test_read_then_write_is_locked_on_each_database(app, client, db):
    """SQLite: write requests BEGIN IMMEDIATE. PostgreSQL: the invite row is locked FOR UPDATE."""
    family = make_family(db)
    engine = app.extensions["engine"]
    if app.config["DATABASE_URL"].startswith("sqlite"):
        login(client, family.parent)
        reads = _statements(engine, lambda: client.get("/dashboard"))
        writes = _statements(engine, lambda: post(client, "/account", {"display_name": "Mum"}))
        assert [s for s in reads if s.startswith("BEGIN")] == ["BEGIN"]
        assert "BEGIN IMMEDIATE" in writes
        return
    _invite, token = make_invite(db, family.group, family.parent)
    newcomer = make_supervisor(db)
    seen = _statements(
        engine, lambda: groups.accept_invite(session=db, token=token, user=newcomer, now=utc_now())
    )
    assert any("FROM invite" in s and "FOR UPDATE" in s for s in seen)


def test_timestamps_come_back_in_utc_on_both_databases(db):
    family = make_family(db)
    db.expire_all()
    assert family.parent.created_at.tzinfo == UTC
