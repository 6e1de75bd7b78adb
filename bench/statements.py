"""Each SQL statement of one request of a key page: its time, and its plan on PostgreSQL.

    python bench/statements.py --pages "to-do" [--explain] [--url URL --seeded]

Builds the same district-scale data as bench/pages.py (its own PostgreSQL server unless
--url is given; --seeded reuses a database bench/statements.py or bench/pages.py already
filled), makes one warm request of each chosen page, and prints each statement with its
time in the database driver; with --explain, PostgreSQL's EXPLAIN ANALYZE of it too.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import event, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pages as bench

from learner.models import LiveSession
from learner.seeds import scale


def _reuse_seeded(url: str) -> None:
    """Build the pages over a database already filled: no seeding, no new live session."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as conn:
        running = conn.execute(select(LiveSession.id).order_by(LiveSession.id.desc())).first()
    engine.dispose()
    scale.seed = lambda **_kw: None
    bench.cli.upgrade = lambda _url: None
    bench.live.start = lambda **_kw: type("Running", (), {"id": running[0] if running else 0})()
    bench.scenarios.start_run = lambda **_kw: None


def statements_of(client, engine, url: str) -> list[tuple[str, object, float]]:
    """Every statement of one request, with its parameters and its time in ms."""
    seen: list[tuple[str, object, float]] = []
    started: list[float] = []

    def before(_conn, _cursor, statement, parameters, *_args) -> None:
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, parameters, *_args) -> None:
        seen.append((statement, parameters, (time.perf_counter() - started.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return [s for s in seen if not s[0].lstrip().upper().startswith(("BEGIN", "PRAGMA"))]


def explain(engine, statement: str, parameters) -> str:
    """PostgreSQL's plan of one statement, run (EXPLAIN ANALYZE), as text."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        raw.rollback()
        return plan
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", action="append", metavar="SUBSTRING")
    parser.add_argument("--url", help="a PostgreSQL or SQLite database URL to use")
    parser.add_argument("--seeded", action="store_true", help="the database is already filled")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement")
    parser.add_argument("--repeat", type=int, default=5, help="requests timed; the fastest shown")
    args = parser.parse_args()
    with ExitStack() as stack:
        url = args.url
        if url is None:
            from tests.pgserver import PostgresServer

            server = PostgresServer()
            server.start()
            stack.callback(server.stop)
            url = server.create_database("bench_statements")
        if args.seeded:
            _reuse_seeded(url)
        app, engine, pages, _sizes = bench._build(url, scale.FULL)
        client = app.test_client()
        for name, user, page_url, *_written in bench._chosen(pages, args.pages):
            bench._login(client, user)
            client.get(page_url)
            runs = [statements_of(client, engine, page_url) for _ in range(args.repeat)]
            best = [min(column, key=lambda s: s[2]) for column in zip(*runs, strict=True)]
            total = sum(s[2] for s in best)
            print(f"===== {name} {page_url}: {len(best)} statements, {total:.1f} ms in SQL")
            for number, (statement, parameters, ms) in enumerate(best, 1):
                print(f"--- {number}: {ms:.2f} ms\n{statement}\n{parameters!r}")
                if args.explain and engine.dialect.name == "postgresql":
                    print(explain(engine, statement, parameters))
        engine.dispose()


if __name__ == "__main__":
    main()
