"""Every lookup the key pages make is served by an index: on SQLite, EXPLAIN QUERY PLAN of
each statement a page runs shows no full scan of a table that grows with use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, text

from learner import classroom, live, workplace
from learner.core.db import utc_now
from learner.models import AccountKind, GroupKind, Level
from tests.factories import (
    add_supervisor,
    approve,
    make_family,
    make_group,
    make_learner,
    make_post,
    make_supervisor,
    real_catalog,
    set_level,
)
from tests.helpers import login

# Tables that grow with the number of people and posts; small lookup tables may be scanned.
BIG = {
    "user_account",
    "membership",
    "practice_post",
    "post_revision",
    "post_finding",
    "post_audience",
    "supervision_event",
    "notification",
    "lesson_progress",
    "quiz_attempt",
    "quiz_answer",
    "live_answer",
    "policy_acknowledgement",
    "invite",
    "reminder",
    "pretest_attempt",
    "pretest_answer",
    "confidence_rating",
    "refresher_item",
    "scenario_run",
    "scenario_action",
    "scenario_reflection",
}


def full_scans(connection, statement: str, parameters) -> list[str]:
    """The big tables a statement reads without an index."""
    plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    scans = []
    for row in plan:
        detail = row[-1]
        # "SCAN t" reads the whole table, "SCAN t USING (COVERING) INDEX" the whole index:
        # both grow with the data. "SEARCH" is what an indexed lookup looks like.
        if detail.startswith("SCAN "):
            table = detail.removeprefix("SCAN ").removeprefix("TABLE ").split()[0]
            if table in BIG:
                scans.append(detail)
    return scans


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_key_pages_use_indexes(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "Call me at 555-201-0147")
    done = make_post(db, family.group, family.teen_membership, "A calm post")
    approve(db, done, by=family.parent)
    teacher = make_supervisor(db, kind=AccountKind.TEACHER)
    klass = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    for _ in range(3):
        make_learner(db, klass)
    module = real_catalog().get("public-by-default")
    classroom.assign(
        session=db,
        group=klass,
        module=module,
        due_on=date.today() + timedelta(days=1),
        teacher=teacher,
        today=date.today(),
    )
    session_live = live.start(
        session=db, group=klass, module=module, teacher=teacher, now=utc_now()
    )
    admin = make_supervisor(db, kind=AccountKind.ORG_ADMIN)
    company = make_group(db, admin, kind=GroupKind.WORKPLACE)
    add_supervisor(db, company, make_supervisor(db))
    make_learner(db, company)
    version = workplace.save_draft(
        session=db, group=company, title="P", body="B", editor=admin, now=utc_now()
    )
    workplace.publish(session=db, group=company, version=version, admin=admin, now=utc_now())
    db.commit()
    done_run = _scenario_runs(app, db, family)
    pages = {
        family.teen: [
            "/dashboard",
            "/lessons",
            "/lessons/public-by-default",
            "/lessons/public-by-default/pretest",
            f"/groups/{family.group.id}/feed",
            "/scenarios",
            "/scenarios/new-follower-dm",
            "/scenarios/new-follower-dm/state",
            f"/scenarios/new-follower-dm/runs/{done_run.id}",
        ],
        family.parent: [
            f"/groups/{family.group.id}/review",
            f"/groups/{family.group.id}/posts/{made.id}",
            f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder",
            f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress",
            f"/groups/{family.group.id}/members/{family.teen_membership.id}/log",
            "/notifications",
        ],
        teacher: [
            f"/groups/{klass.id}/dashboard",
            f"/groups/{klass.id}/live/{session_live.id}/state",
            f"/groups/{klass.id}/learning.csv",
            f"/groups/{klass.id}/learning-by-learner.csv",
        ],
        admin: [f"/groups/{company.id}/report"],
    }
    engine = app.extensions["engine"]
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    problems = []
    for user, urls in pages.items():
        login(client, user)
        for url in urls:
            seen.clear()
            event.listen(engine, "before_cursor_execute", record)
            try:
                assert client.get(url).status_code == 200, url
            finally:
                event.remove(engine, "before_cursor_execute", record)
            assert seen, url
            with engine.connect() as connection:
                for statement, parameters in seen:
                    problems += [
                        (url, scan, statement[:120])
                        for scan in full_scans(connection, statement, parameters)
                    ]
    assert problems == []


def _scenario_runs(app, db, family):
    """The teen finished the scenario once (with actions and a reflection) and plays again."""
    from learner import scenarios

    scenario = app.extensions["scenarios"].get("new-follower-dm")
    now = utc_now()
    with app.test_request_context():
        done = scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
        block = scenarios.record_action(
            session=db,
            run=done,
            scenario=scenario,
            actions=[],
            kind="block",
            target="rio",
            now=now,
        )
        scenarios.finish(
            session=db, run=done, scenario=scenario, acts=scenarios.acts_of([block]), now=now
        )
        scenarios.save_reflection(
            session=db,
            run=done,
            answers={"feel": (None, "hm"), "next-time": ("b", None)},
            now=now,
        )
        scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
        db.commit()
    return done


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_plan_check_sees_a_full_scan(app):
    with app.extensions["engine"].connect() as connection:
        assert full_scans(connection, "SELECT * FROM practice_post WHERE closed_at > ?", ("2020",))
        assert not full_scans(connection, "SELECT * FROM practice_post WHERE id = ?", (1,))
        connection.execute(text("SELECT 1"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_refreshers_job_uses_indexes(app, db):
    from datetime import timedelta as days

    from learner import learning
    from tests.factories import answer_quiz

    family = make_family(db)
    answer_quiz(db, family.teen, "public-by-default", when=utc_now() - days(days=8))
    engine = app.extensions["engine"]
    seen: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        made = learning.schedule_refreshers(
            session=db, now=utc_now(), modules={m.id: m for m in real_catalog().modules()}
        )
        db.commit()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert made and seen
    with engine.connect() as connection:
        problems = [
            scan
            for statement, parameters in seen
            for scan in full_scans(connection, statement, parameters)
        ]
    assert problems == []
