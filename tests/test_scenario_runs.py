"""Scenario runs in the database: actions with the coach's findings, the clock, replays,
the reflection, telling the supervisors, and the supervisors' readings in the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from learner import scenarios, transparency
from learner.core.db import utc_now
from learner.models import EventKind, Notification, NotificationKind, ScenarioRun
from learner.scenario_engine import ScenarioActionError
from tests import factories


@pytest.fixture
def family(db):
    return factories.make_family(db)


def _scenario(app):
    return app.extensions["scenarios"].get("new-follower-dm")


def test_a_run_records_actions_with_the_coach_and_scores_at_the_end(app, db, family):
    scenario = _scenario(app)
    start = utc_now()
    with app.test_request_context():
        run = scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=start)
        assert run.guided  # the first run is guided
        assert (
            scenarios.continue_clock(session=db, run=run, scenario=scenario, acts=[], now=start)
            == 10
        )
        actions = []
        reply = scenarios.record_action(
            session=db,
            run=run,
            scenario=scenario,
            actions=actions,
            kind="reply",
            target="dm1",
            text="call me 555-201-3344",
            now=start + timedelta(seconds=2),
        )
        actions.append(reply)
        assert reply.second == 12 and reply.position == 0
        assert "privacy.phone" in reply.categories.split(",")
        assert reply.rules
        with pytest.raises(ScenarioActionError):
            scenarios.record_action(
                session=db,
                run=run,
                scenario=scenario,
                actions=actions,
                kind="accept",
                target="req1",
                now=start + timedelta(seconds=3),  # req1 is at 30 s
            )
        result = scenarios.finish(
            session=db,
            run=run,
            scenario=scenario,
            acts=scenarios.acts_of(actions),
            now=start + timedelta(seconds=5),
        )
        db.commit()
    assert (run.score, run.passed) == (result.points, False) == (0, False)
    assert scenarios.passed_ids(db, family.teen.id) == set()


def test_the_clock_counts_time_away_two_minutes_at_most(app, db, family):
    start = utc_now()
    run = ScenarioRun(user_id=family.teen.id, scenario_id="x", clock=40, clock_at=start)
    assert scenarios.clock_of(run, start + timedelta(seconds=30)) == 70
    assert scenarios.clock_of(run, start + timedelta(days=1)) == 40 + scenarios.IDLE_SECONDS


def test_a_replay_is_free_and_the_latest_finished_run_counts(app, db, family):
    scenario = _scenario(app)
    now = utc_now()
    with app.test_request_context():
        first = scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
        scenarios.finish(session=db, run=first, scenario=scenario, acts=[], now=now)
        second = scenarios.start_run(
            session=db, user=family.teen, scenario=scenario, now=now + timedelta(seconds=1)
        )
        assert not second.guided
        block = scenarios.record_action(
            session=db,
            run=second,
            scenario=scenario,
            actions=[],
            kind="block",
            target="rio",
            now=now + timedelta(seconds=2),
        )
        scenarios.finish(
            session=db,
            run=second,
            scenario=scenario,
            acts=scenarios.acts_of([block]),
            now=now + timedelta(seconds=3),
        )
        db.commit()
    assert scenarios.passed_ids(db, family.teen.id) == {"new-follower-dm"}
    assert [r.id for r in scenarios.runs_of(db, family.teen.id, scenario.id)] == [
        second.id,
        first.id,
    ]
    results = scenarios.results_for(db, family.teen.id, app.extensions["scenarios"])
    assert [(r.run.id, r.score.points) for r in results] == [(second.id, 71)]


def test_the_reflection_needs_every_answer(app, db, family):
    scenario = _scenario(app)
    with app.test_request_context():
        with pytest.raises(scenarios.ScenarioError) as raised:
            scenarios.read_reflection(scenario, {"r-feel": "hm", "r-next-time": "z"})
        assert set(raised.value.fields) == {"r-next-time"}
        answers = scenarios.read_reflection(scenario, {"r-feel": " too nice ", "r-next-time": "b"})
    assert answers == {"feel": (None, "too nice"), "next-time": ("b", None)}


def test_telling_notifies_each_group_s_supervisors(app, db, family):
    with app.test_request_context():
        told = scenarios.tell_supervisors(session=db, user=family.teen, now=utc_now())
        db.commit()
    assert told == 1
    notes = db.exec(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in notes] == [
        (family.parent.id, NotificationKind.SCENARIO_HELP)
    ]


def test_a_supervisor_reading_a_result_is_logged_once_an_hour(app, db, family):
    scenario = _scenario(app)
    now = utc_now()
    with app.test_request_context():
        run = scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
        scenarios.finish(session=db, run=run, scenario=scenario, acts=[], now=now)
        for minutes in (0, 5, 61):
            scenarios.record_viewed(
                session=db,
                target=family.teen_membership,
                supervisor=family.parent,
                runs=[run],
                now=now + timedelta(minutes=minutes),
            )
        db.commit()
    log = transparency.log(db, family.teen_membership)
    assert [e.kind for e in log] == [EventKind.SCENARIO_VIEWED.value] * 2
