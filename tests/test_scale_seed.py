"""The scale seed (`flask seed-scale --small`): the rows it writes, and the same rows again."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from app import create_app
from learner.models import Level, Membership
from learner.seeds import scale
from lessons import get_catalog
from tests.conftest import _empty_postgres, _sqlite_copy, test_config

SMALL = scale.SMALL
PEOPLE = (
    SMALL.classrooms  # teachers
    + SMALL.students
    + 2 * SMALL.families  # a parent and a teen each
    + 1  # the workplace admin
    + SMALL.managers
    + SMALL.staff
)
# What SMALL implies, table by table; every other table stays empty.
EXPECTED = {
    "user_account": PEOPLE,
    "learning_group": SMALL.classrooms + SMALL.families + 1,
    "membership": PEOPLE,  # everyone is in exactly one group
    "assignment": 4 * SMALL.classrooms,
    "policy_version": 1,
    "policy_acknowledgement": SMALL.staff - len(range(0, SMALL.staff, 5)),  # 4 staff in 5
    "practice_post": SMALL.posts,
    "post_revision": SMALL.posts,
    # Drawn from the seeded random numbers (seed 1) and the lesson catalog: observed figures.
    "supervision_event": 1_350,  # the posts not left pending
    "lesson_progress": 1_301,
    "quiz_attempt": 1_301,  # one per lesson progress
    "quiz_answer": 8_274,
    "license_certificate": 36,  # one per licensed learner
    "scenario_assignment": 2 * SMALL.classrooms,  # two of the tests' scenarios per class
    "scenario_run": 142,  # seven runs in ten (seed 1)
    "scenario_action": 212,
    "pretest_attempt": 1_052,  # eight lessons in ten with a pre-test, taken or skipped
    "confidence_rating": 1_828,  # before and after, for seven lessons in ten
    "refresher_item": 2_211,  # three items a round, answered
}
STEPS = [
    "people",
    "groups",
    "memberships",
    "assignments and policy",
    "lessons",
    "posts",
    "certificates",
    "scenarios",
    "learning",
]


def _seed(app: Flask, seed: int = 1) -> tuple[scale.Counts, list[str]]:
    steps: list[str] = []
    with app.app_context(), Session(app.extensions["engine"]) as session:
        counts = scale.seed(
            session=session, catalog=get_catalog(), seed=seed, size=SMALL, progress=steps.append
        )
        session.commit()
    return counts, steps


def _table_counts(session: Session) -> dict[str, int]:
    counts = {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }
    return {name: n for name, n in counts.items() if n}


def _rows(session: Session) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (password hashes are salted and groups'
    data versions random: left out)."""
    rows = {}
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name not in ("password_hash", "data_version")]
        query = select(*columns).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in session.execute(query)]
    return rows


def test_small_seed_writes_the_rows_small_implies(app, db):
    counts, steps = _seed(app)

    assert steps == STEPS
    assert counts.rows == EXPECTED
    assert _table_counts(db) == EXPECTED
    licensed = db.execute(
        select(func.count()).where(Membership.level == Level.LICENSED)
    ).scalar_one()
    assert licensed == EXPECTED["license_certificate"]


def test_same_seed_same_rows_on_a_fresh_database(request, app, db, database_url, tmp_path):
    _seed(app)
    first = _rows(db)
    db.close()
    app.extensions["engine"].dispose()
    if database_url.startswith("sqlite"):
        again_url = _sqlite_copy(request, tmp_path / "again.db")
    else:
        _empty_postgres(database_url)  # the way each test gets a fresh PostgreSQL database
        again_url = database_url
    again = create_app(test_config(again_url))
    try:
        with Session(again.extensions["engine"]) as session:
            assert _table_counts(session) == {}
        counts, _steps = _seed(again)
        with Session(again.extensions["engine"]) as session:
            assert _table_counts(session) == counts.rows == EXPECTED
            assert _rows(session) == first
    finally:
        again.extensions["engine"].dispose()
