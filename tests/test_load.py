"""The short version of `make load`: real gunicorn servers with 2 workers on SQLite and
PostgreSQL, simulated users, faults, two instances, and a reconciliation with the database."""

from __future__ import annotations

import pytest

from bench import load

pytestmark = pytest.mark.slow
SECONDS = 9
USERS = 14


def _healthy(line: dict) -> None:
    assert line["problem_count"] == 0, line["problems"]
    assert line["unfriendly_5xx"] == 0, line["status"]
    assert line["posts_acknowledged"] > 0 and line["decisions_acknowledged"] > 0, line


def test_load_and_faults_on_sqlite(tmp_path):
    lines = load.run(
        "sqlite",
        lambda name: f"sqlite:///{tmp_path}/{name}.db",
        tmp_path,
        seconds=SECONDS,
        users=USERS,
        kinds=[None, "kill", "db"],
    )
    plain, killed, locked = lines
    for line in lines:
        _healthy(line)
    assert plain["answers_acknowledged"] > 0 and plain["connection_errors"] == 0
    # A write waiting past the busy timeout gets the friendly page, and saving works after.
    assert locked["lock_probe_friendly"] or locked["friendly_503"] > 0
    assert locked["writes_after_lock"]
    assert killed["saved_after_fault"] > 0


def test_load_faults_and_two_instances_on_postgresql(pg_server, tmp_path):
    names = iter(range(100))
    lines = load.run(
        "postgresql",
        lambda name: pg_server.create_database(f"load_{name}_{next(names)}"),
        tmp_path,
        seconds=SECONDS,
        users=USERS,
        kinds=[None, "kill", "db"],
        pg=pg_server,
    )
    for line in lines:
        _healthy(line)
    restarted = lines[2]
    # The app recovers from a database restart without being restarted (pool pre-ping).
    assert restarted["saved_after_fault"] > 0
    both = load.scale_out(
        pg_server.create_database("load_scale_out"), tmp_path, seconds=SECONDS, users=USERS
    )
    _healthy(both)
    assert both["throttle_shared"] and both["answers_acknowledged"] > 0
