"""Time the main pages through the app on demo-sized data: p50/p95 and SQL queries per page.

Run with `make bench` (or `python bench/pages.py --requests 200`). It builds its own
SQLite database in a temporary folder, so it never touches instance/. Prints one JSON
line per page, then a table for people.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from learner import cli, demo
from learner.models import Group, User


def measure(client, engine, url: str, requests: int) -> dict:
    """Time `requests` GETs of one page and count the queries of one of them."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    timings = []
    for i in range(requests):
        if i == 0:
            event.listen(engine, "before_cursor_execute", count)
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if i == 0:
            event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "page": url,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "queries": len(statements),
        "database": "sqlite",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        cli.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
        demo.load(app)
        engine = app.extensions["engine"]
        with Session(engine) as session:
            teacher = session.exec(select(User).where(User.email == "teacher@example.com")).one()
            classroom = session.exec(select(Group).where(Group.kind == "classroom")).one()
            teacher_token, group_id = teacher.get_id(), classroom.id
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie.update(
                {
                    "_user_id": teacher_token,
                    "_fresh": True,
                    "auth_at": int(time.time()),
                    "seen_at": int(time.time()),
                }
            )
        results = [
            measure(client, engine, page, args.requests)
            for page in ("/", "/dashboard", f"/groups/{group_id}", "/account")
        ]
        engine.dispose()
    for row in results:
        print(json.dumps(row))
    print(f"\n{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for row in results:
        print(f"{row['page']:<14} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8}")


if __name__ == "__main__":
    main()
