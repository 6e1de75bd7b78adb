"""Time the key pages on district-scale data: p50/p95, SQL queries, and the ratio to a floor.

Run with `make bench` (or `python bench/pages.py --database sqlite --requests 200`). It
builds its own database in a temporary folder (SQLite) or its own PostgreSQL server, fills
it with `seed-scale` data (seed 1), and for each key page makes the requests through the
app. The floor is the same app rendering a static template of the same size in the same
run, one floor request after each page request, so the ratio says what the page's own
work costs even when the machine's load changes during the run. Query counts are taken
on the small and the full data set: they must be equal (no N+1) and at most 15.

Prints one JSON line per page, then a table for people.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from flask import render_template_string
from sqlalchemy import event, update
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from learner import class_scenarios, cli, live, scenarios
from learner.core.db import utc_now
from learner.models import Group, GroupKind, Membership, Role, User, new_data_version
from learner.seeds import scale
from lessons import get_catalog

ROOT = Path(__file__).resolve().parent.parent
# The shipped scenarios; until some ship, the tests' own (the pages need one to measure).
SHIPPED_SCENARIOS = ROOT / "lessons" / "scenarios"
TEST_SCENARIOS = ROOT / "tests" / "data" / "scenarios"
FLOOR_TEMPLATE = '{% extends "base.html" %}{% block content %}<p>{{ filler }}</p>{% endblock %}'


def _login(client, user: User) -> None:
    now = int(time.time())
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.update({"_user_id": user.get_id(), "_fresh": True, "auth_at": now, "seen_at": now})


def _queries(client, engine, url: str) -> int:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def _timings(client, url: str, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(timings)


def _paired_timings(
    client, url: str, requests: int, before=None
) -> tuple[list[float], list[float]]:
    """The page's and the floor's timings, one request of each in turn: on a shared
    machine whose load comes and goes, both see the same load, so their ratio holds.
    `before`: run ahead of each page request, untimed."""
    page, floor = [], []
    for _ in range(requests):
        if before is not None:
            before()
        page += _timings(client, url, 1)
        floor += _timings(client, "/bench/floor", 1)
    return sorted(page), sorted(floor)


def _written(engine, group_id: int):
    """What a write to the group's data does to the pages: its data version moves, so
    nothing kept for it serves (learner/groupdata.py). For the pages "after a write"."""

    def move() -> None:
        with engine.begin() as connection:
            connection.execute(
                update(Group).where(Group.id == group_id).values(data_version=new_data_version())
            )

    return move


def _p95(timings: list[float]) -> float:
    return timings[max(0, int(len(timings) * 0.95) - 1)]


def _build(url: str, size: scale.Size):
    """An app on a fresh database filled with scale data; the pages to measure, by user."""
    cli.upgrade(url)
    shipped = any(SHIPPED_SCENARIOS.rglob("*.yaml")) if SHIPPED_SCENARIOS.is_dir() else False
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "SCENARIOS_DIR": str(SHIPPED_SCENARIOS if shipped else TEST_SCENARIOS),
        }
    )
    floor_sizes: dict[str, int] = {}
    app.add_url_rule(
        "/bench/floor",
        "bench_floor",
        lambda: render_template_string(FLOOR_TEMPLATE, filler="x" * floor_sizes.get("n", 0)),
    )
    engine = app.extensions["engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        scale.seed(session=session, catalog=get_catalog(), seed=1, size=size)
        session.commit()
        big_class = session.exec(
            select(Group).where(Group.kind == GroupKind.CLASSROOM).order_by(Group.id)
        ).first()
        company = session.exec(select(Group).where(Group.kind == GroupKind.WORKPLACE)).one()

        def member(group: Group, role: Role) -> User:
            return session.exec(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.group_id == group.id, Membership.role == role)
                .order_by(Membership.id)
            ).first()

        teacher, student = member(big_class, Role.SUPERVISOR), member(big_class, Role.LEARNER)
        admin = member(company, Role.SUPERVISOR)
        family = session.exec(
            select(Group).where(Group.kind == GroupKind.FAMILY).order_by(Group.id)
        ).first()
        parent = member(family, Role.SUPERVISOR)
        teen = session.exec(
            select(Membership)
            .where(Membership.group_id == family.id, Membership.role == Role.LEARNER)
            .order_by(Membership.id)
        ).first()
        running = live.start(
            session=session,
            group=big_class,
            module=get_catalog().get("public-by-default"),
            teacher=teacher,
            now=utc_now(),
        )
        # The student plays the class's first scenario now: its play page and state.
        scenario = class_scenarios.class_scenarios(scenarios.get_scenarios())[0]
        scenarios.start_run(session=session, user=student, scenario=scenario, now=utc_now())
        session.commit()
    g, c, s, f = big_class.id, company.id, scenario.id, family.id
    pages = [
        ("learner dashboard", student, "/dashboard"),
        ("a lesson", student, "/lessons/public-by-default"),
        ("review queue", teacher, f"/groups/{g}/review"),
        ("class dashboard (40)", teacher, f"/groups/{g}/dashboard"),
        ("class dashboard, after a write", teacher, f"/groups/{g}/dashboard", g),
        ("workplace report (500)", admin, f"/groups/{c}/report"),
        ("workplace report, after a write", admin, f"/groups/{c}/report", c),
        ("practice feed", student, f"/groups/{g}/feed"),
        ("live-session poll", student, f"/groups/{g}/live/{running.id}/state"),
        ("scenario play page", student, f"/scenarios/{s}"),
        ("scenario state", student, f"/scenarios/{s}/state"),
        ("supervisor's to-do", teacher, "/dashboard"),
        ("class scenario figures", teacher, f"/groups/{g}/dashboard/scenarios.csv"),
        ("family progress page", parent, f"/groups/{f}/members/{teen.id}/progress"),
        ("learner's own figures", student, "/lessons"),
        ("class learning figures", teacher, f"/groups/{g}/learning.csv"),
    ]
    return app, engine, pages, floor_sizes


def _chosen(pages: list, only: list[str] | None) -> list:
    """The pages whose name contains one of `only` (every page when it is empty)."""
    return [p for p in pages if not only or any(s in p[0] for s in only)]


def run(database: str, url_for_size, requests: int, only: list[str] | None = None) -> list[dict]:
    """Measure every page on one database kind; query counts on the small data set too."""
    small_app, small_engine, small_pages, _ = _build(url_for_size("small"), scale.SMALL)
    small_client = small_app.test_client()
    small_counts = {}
    for name, user, url, *written in _chosen(small_pages, only):
        _login(small_client, user)
        small_client.get(url)  # the first opening may write (the learner's log)
        if written:
            _written(small_engine, written[0])()
        small_counts[name] = _queries(small_client, small_engine, url)
    small_engine.dispose()

    app, engine, pages, floor_sizes = _build(url_for_size("full"), scale.FULL)
    client = app.test_client()
    empty = len(client.get("/bench/floor").get_data())
    results = []
    for name, user, url, *written in _chosen(pages, only):
        _login(client, user)
        page = client.get(url)
        before = _written(engine, written[0]) if written else None
        if before:
            before()
        queries = _queries(client, engine, url)
        floor_sizes["n"] = max(0, len(page.get_data()) - empty)
        timings, floor = _paired_timings(client, url, requests, before)
        results.append(
            {
                "page": name,
                "url": url,
                "requests": requests,
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(_p95(timings), 2),
                "queries": queries,
                "queries_small_data": small_counts[name],
                "floor_p95_ms": round(_p95(floor), 2),
                "floor_ratio": round(_p95(timings) / _p95(floor), 2),
                "database": database,
            }
        )
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--pages",
        action="append",
        metavar="SUBSTRING",
        help="bench only the pages whose name contains this (may be given more than once)",
    )
    args = parser.parse_args()
    results = []
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        if args.database in ("sqlite", "both"):
            results += run(
                "sqlite", lambda name: f"sqlite:///{folder}/{name}.db", args.requests, args.pages
            )
        if args.database in ("postgresql", "both"):
            from tests.pgserver import PostgresServer

            server = PostgresServer()
            server.start()
            stack.callback(server.stop)
            results += run(
                "postgresql",
                lambda name: server.create_database(f"bench_{name}"),
                args.requests,
                args.pages,
            )
    for row in results:
        print(json.dumps(row))
    print(
        f"\n{'page':<24} {'db':<10} {'p50 ms':>7} {'p95 ms':>7} {'floor':>6} {'ratio':>6}"
        f" {'queries':>8} {'(small)':>8}"
    )
    for r in results:
        print(
            f"{r['page']:<24} {r['database']:<10} {r['p50_ms']:>7} {r['p95_ms']:>7}"
            f" {r['floor_p95_ms']:>6} {r['floor_ratio']:>6} {r['queries']:>8}"
            f" {r['queries_small_data']:>8}"
        )
    print("\n" + markdown_table(results))


def markdown_table(results: list[dict]) -> str:
    """One line per page, the databases side by side (for the README)."""
    databases = list(dict.fromkeys(r["database"] for r in results))
    by_page: dict[str, dict[str, dict]] = {}
    for r in results:
        by_page.setdefault(r["page"], {})[r["database"]] = r
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    head = "| page | " + " | ".join(f"{names[d]} p95 ms | ratio | queries" for d in databases)
    lines = [head + " |", "|---" * (1 + 3 * len(databases)) + "|"]
    for page, rows in by_page.items():
        cells = []
        for d in databases:
            r = rows.get(d)
            cells += (
                [str(r["p95_ms"]), str(r["floor_ratio"]), str(r["queries"])] if r else ["", "", ""]
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
