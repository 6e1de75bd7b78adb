"""The `flask --app app ...` commands, one module per group (FlaskBB's `cli/` layout).

- `database`: `db upgrade`, `db downgrade` (Alembic), and `upgrade(url)` for tests and tools
- `content`: `lessons check`, `coach check`, `coach evaluate`
- `jobs`: the daily cron jobs: `notifications digest`, `reminders send`, `retention purge`
- `admin`: `create-admin`
- `data`: `demo`, `seed-scale`
- `lti`: `lti register`, `lti show`, `lti rotate-key` (learning platforms)
- `oneroster`: `oneroster import FILE.zip` (district rosters)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from flask import Flask
from sqlmodel import Session

from learner.cli.database import alembic_config, upgrade
from learner.core.db import get_engine, write_transactions

__all__ = ["alembic_config", "command_session", "register", "upgrade"]


@contextlib.contextmanager
def command_session() -> Iterator[Session]:
    """A session for one command: write transactions, committed when the block ends well
    (rolled back and closed otherwise)."""
    with write_transactions(), Session(get_engine()) as session:
        yield session
        session.commit()


def register(app: Flask) -> None:
    """Attach every command to the app."""
    from learner.cli import admin, content, data, database, jobs, lti, oneroster

    for module in (database, content, jobs, admin, data, lti, oneroster):
        for command in module.COMMANDS:
            app.cli.add_command(command)
