"""Fixtures: the app on SQLite and on a real PostgreSQL server, a client and a db session.

Every test that takes `app` (or `client`, `db`) runs twice: once on a SQLite file made
from the migrations, once on a PostgreSQL database the suite starts itself.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from app import create_app
from learner import cli
from tests.pgserver import PostgresServer


def pytest_configure(config) -> None:
    """Compile the catalogues that are newer than their .mo (as `make translations` does),
    so the suite reads what the .po files say even when run without make."""
    from learner.core.catalogues import compile_all

    compile_all()


CHEAP_HASHER = {"memory_cost": 8, "time_cost": 1, "parallelism": 1}
BACKENDS = ("sqlite", "postgresql")


SCENARIOS_FOR_TESTS = Path(__file__).resolve().parent / "data" / "scenarios"


def test_config(database_url: str, **overrides) -> dict:
    """The configuration every test app uses, with overrides."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "tests-only-secret-key",
        "PASSWORD_HASHER": CHEAP_HASHER,
        "RATELIMIT_ENABLED": False,
        # The tests' own small scenarios: stable whatever the shipped content says.
        "SCENARIOS_DIR": str(SCENARIOS_FOR_TESTS),
        **overrides,
    }


test_config.__test__ = False  # a helper, not a test


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the whole run, removed afterwards."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    """A PostgreSQL database with the migrations applied."""
    url = pg_server.create_database("app_test")
    cli.upgrade(url)
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    """A SQLite file with the migrations applied, copied for each test."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    cli.upgrade(f"sqlite:///{path}")
    return str(path)


def _empty_postgres(url: str) -> None:
    from learner.core.db import make_engine

    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _sqlite_copy(request, path) -> str:
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A fresh, migrated, empty database on each backend."""
    if request.param == "sqlite":
        return _sqlite_copy(request, tmp_path / "app.db")
    url = request.getfixturevalue("pg_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on a fresh database."""
    app = create_app(test_config(database_url))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session to arrange data and to check what the app wrote."""
    with Session(app.extensions["engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture(params=BACKENDS)
def server_database_url(request, tmp_path) -> str:
    """A fresh, migrated database (on each backend) for a real server process to use."""
    if request.param == "sqlite":
        return _sqlite_copy(request, tmp_path / "server.db")
    server = request.getfixturevalue("pg_server")
    url = server.create_database(f"srv_{request.node.name.split('[')[0][-40:]}_{id(tmp_path)}")
    cli.upgrade(url)
    return url


# --- Nothing personal in logs -------------------------------------------------------------
# Every log line the app writes during the whole suite is kept and checked at the end:
# passwords, post text and single-use tokens must never reach a log.
LOG_LINES: list[str] = []
SECRETS_IN_TESTS = (
    "correct horse battery staple",  # tests.helpers.PASSWORD
    "Sunflower2009",  # a password typed into practice posts
    "555-201-0147",  # a phone number typed into practice posts
    "$argon2",
)
TOKEN_IN_LINK = re.compile(r"/invite/[A-Za-z0-9_-]{20,}")


class _LogCollector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        LOG_LINES.append(self.format(record))


def pytest_sessionstart(session) -> None:
    collector = _LogCollector(level=logging.INFO)
    collector.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(exc_text)s"))
    logging.getLogger().addHandler(collector)
    for name in ("learner", "app", "werkzeug", "flask.app"):
        logging.getLogger(name).setLevel(logging.INFO)


def personal_data_in_logs(lines: list[str]) -> list[str]:
    """The log lines that carry a secret of the test suite."""
    return [
        line
        for line in lines
        if any(secret in line for secret in SECRETS_IN_TESTS) or TOKEN_IN_LINK.search(line)
    ]


@pytest.fixture(autouse=True)
def _no_personal_data_in_this_tests_logs() -> Iterator[None]:
    """Each test's own log lines are checked as it ends, so the check holds however the
    suite is split across processes (pytest-xdist runs it in two)."""
    start = len(LOG_LINES)
    yield
    leaks = personal_data_in_logs(LOG_LINES[start:])
    assert leaks == [], "personal data reached the logs"


def pytest_sessionfinish(session, exitstatus) -> None:
    leaks = personal_data_in_logs(LOG_LINES)
    if leaks:
        print("\nPersonal data reached the logs:\n" + "\n".join(leaks[:20]))
        session.exitstatus = 1
