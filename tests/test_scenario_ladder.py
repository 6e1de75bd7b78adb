"""The permit asks for the instruction scenarios: passed, failed, not taken, a group that
asks for fewer or none; the rules page that sets the number (logged), the road and the
checklist that link the scenarios still to pass, and the supervisor's to-do line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from learner import ladder, todo
from learner.core.db import utc_now
from learner.models import AgeBand, EventKind, GroupKind, Level, SupervisionEvent
from learner.scenario_engine import Act
from tests.factories import (
    complete_stage,
    make_family,
    make_learner,
    play_scenario,
    real_catalog,
)
from tests.helpers import login, post

SCENARIO = "new-follower-dm"  # the tests' one instruction scenario (core, 13 and up)
FAILING = [
    Act("reply", "dm1", second=12, text="555-201-3344", categories=frozenset({"privacy.phone"}))
]


def _facts(total: int, passed: int) -> ladder.Facts:
    """A learner at the first level with every lesson done and the setup co-signed."""
    now = utc_now()
    return ladder.Facts(
        level=Level.INSTRUCTION,
        level_since=now,
        lessons_done=4,
        lessons_total=4,
        privacy_cosigned=True,
        approved_posts=0,
        clean_streak=0,
        open_high_posts=0,
        unflagged_posts=0,
        scenarios_total=total,
        scenarios_passed=passed,
        scenarios_left=tuple((f"s{i}", f"S{i}") for i in range(total - passed)),
    )


def _rules(permit_scenarios):
    default = ladder.DEFAULTS[GroupKind.FAMILY]
    from dataclasses import replace

    return replace(default, numbers=replace(default.numbers, permit_scenarios=permit_scenarios))


@pytest.mark.parametrize(
    ("case", "total", "passed", "permit_scenarios", "line", "ready"),
    [
        ("passed", 1, 1, None, (1, 1, True), True),
        ("failed or not taken", 1, 0, None, (0, 1, False), False),
        ("two of three, all asked", 3, 2, None, (2, 3, False), False),
        ("two of three, two asked", 3, 2, 2, (2, 2, True), True),
        ("group set 0", 3, 0, 0, None, True),
        ("more asked than suit the learner", 1, 1, 5, (1, 1, True), True),
        ("no scenario suits the learner", 0, 0, None, None, True),
    ],
)
def test_the_permit_asks_for_the_scenarios(case, total, passed, permit_scenarios, line, ready):
    checklist = ladder.requirements(_facts(total, passed), _rules(permit_scenarios), utc_now())
    found = [r for r in checklist if r.id == "scenarios"]
    if line is None:
        assert found == [], case
    else:
        (item,) = found
        assert (item.have, item.need, item.met) == line, case
        assert len(item.scenarios) == total - passed
    assert ladder.all_met(checklist) is ready, case


def test_the_number_is_checked_within_bounds():
    numbers = ladder.DEFAULTS[GroupKind.FAMILY].numbers
    from dataclasses import replace

    assert ladder.check_numbers(replace(numbers, permit_scenarios=None)) == {}
    assert ladder.check_numbers(replace(numbers, permit_scenarios=0)) == {}
    assert "permit_scenarios" in ladder.check_numbers(replace(numbers, permit_scenarios=51))
    assert "permit_scenarios" in ladder.check_numbers(replace(numbers, permit_scenarios=-1))


@pytest.mark.parametrize(
    ("case", "plays", "age_band", "expected"),
    [
        ("passed", "pass", AgeBand.AGE_13_15, (1, 1, ())),
        ("failed", "fail", AgeBand.AGE_13_15, (1, 0, (SCENARIO,))),
        ("not taken", None, AgeBand.AGE_13_15, (1, 0, (SCENARIO,))),
        (
            "passed, then failed: the latest counts",
            "pass-fail",
            AgeBand.AGE_13_15,
            (1, 0, (SCENARIO,)),
        ),
        ("not for their age", None, AgeBand.UNDER_13, (0, 0, ())),
    ],
)
def test_the_facts_come_from_the_latest_finished_runs(app, db, case, plays, age_band, expected):
    family = make_family(db)
    teen, membership = make_learner(db, family.group, age_band=age_band)
    start = utc_now() - timedelta(hours=1)
    for i, kind in enumerate((plays or "").split("-") if plays else []):
        play_scenario(
            db,
            teen,
            SCENARIO,
            None if kind == "pass" else FAILING,
            when=start + timedelta(minutes=i),
        )
    with app.test_request_context():
        facts = ladder.facts_for(db, membership=membership, group=family.group, modules=[])
    assert (
        facts.scenarios_total,
        facts.scenarios_passed,
        tuple(i for i, _t in facts.scenarios_left),
    ) == expected, case


def test_a_group_that_sets_zero_lets_the_learner_through_and_it_is_logged(app, db):
    family = make_family(db)
    with app.test_request_context():
        rules = ladder.rules_for(db, family.group)
        from dataclasses import replace

        ladder.save_numbers(
            session=db,
            group=family.group,
            numbers=replace(rules.numbers, permit_scenarios=0),
            supervisor=family.parent,
            now=utc_now(),
        )
        db.commit()
        assert ladder.rules_for(db, family.group).numbers.permit_scenarios == 0
        standing = ladder.standing(
            db, membership=family.teen_membership, group=family.group, modules=[], now=utc_now()
        )
    assert "scenarios" not in [r.id for r in standing.checklist]
    logged = db.exec(
        select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.RULES_CHANGED)
    ).all()
    assert [e.reasons for e in logged] == ["permit_scenarios=None>0"]


def test_the_rules_page_sets_the_number_and_refuses_one_out_of_bounds(client, db):
    family = make_family(db)
    url = f"/groups/{family.group.id}/ladder"
    login(client, family.parent)
    page = client.get(url).get_data(as_text=True)
    assert "Practice scenarios to pass before the permit" in page
    assert '<option selected value="all">' in page
    numbers = {"permit_approved": "10", "permit_clean_streak": "5", "provisional_days": "14"}
    numbers["provisional_posts"] = "10"
    refused = post(client, url, numbers | {"permit_scenarios": "7"})  # only 1 is offered
    assert refused.status_code == 400
    assert ladder.rules_for(db, family.group).numbers.permit_scenarios is None
    assert post(client, url, numbers | {"permit_scenarios": "0"}).status_code == 302
    db.rollback()
    assert ladder.rules_for(db, family.group).numbers.permit_scenarios == 0
    assert '<option selected value="0">' in client.get(url).get_data(as_text=True)


def test_the_road_and_the_checklist_name_the_scenarios_still_to_pass(client, db):
    family = make_family(db)
    complete_stage(db, family.teen, kind=GroupKind.FAMILY, stage="instruction")
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    login(client, family.teen)
    page = client.get(url).get_data(as_text=True)
    assert "every practice scenario passed" in page  # the road
    assert "Practice scenarios passed: 0 of 1" in page  # the checklist
    assert page.count("A new follower slides into your DMs") == 2  # both, by title
    group_page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert "A new follower slides into your DMs" in group_page
    play_scenario(db, family.teen, SCENARIO)
    page = client.get(url).get_data(as_text=True)
    assert "Practice scenarios passed: 1 of 1" in page
    assert "A new follower slides into your DMs" not in page


def test_the_supervisor_hears_of_a_scenario_finished_without_passing(app, db, client):
    family = make_family(db)

    def lines():
        with app.test_request_context():
            return [
                (t.task.value, t.count, t.scenarios)
                for t in todo.for_supervisor(
                    db, family.parent, modules=real_catalog().modules(), now=utc_now()
                )
            ]

    assert lines() == []  # not taken yet: nothing for the parent to do
    play_scenario(db, family.teen, SCENARIO, FAILING)
    title = "A new follower slides into your DMs"
    assert lines() == [("scenarios", 1, ((SCENARIO, title),))]
    login(client, family.parent)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "finished a practice scenario without passing it" in page and title in page
    group_page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert f'<a href="/scenarios/{SCENARIO}">{title}</a>' in group_page
    play_scenario(db, family.teen, SCENARIO, when=utc_now() + timedelta(seconds=1))
    assert lines() == []
