"""Scenarios in a class: assigned with a due date (the students' to-do list, late,
reminders), stepped through in a live session, and the class's figures per scenario on the
dashboard and in a CSV that a spreadsheet cannot run."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlmodel import select

from learner import class_scenarios, live, notifications, reminders
from learner.core.db import utc_now
from learner.models import (
    LiveAnswer,
    LiveSession,
    Notification,
    NotificationKind,
    Reminder,
    ScenarioAssignment,
)
from learner.scenario_engine import Act
from tests.factories import (
    fresh,
    make_classroom,
    make_supervisor,
    play_scenario,
    real_catalog,
    test_scenarios,
)
from tests.helpers import login, post

SCENARIO = "new-follower-dm"
TITLE = "A new follower slides into your DMs"
PHONE = frozenset({"privacy.phone"})
# What students did in the tests' scenario (expected: no-number 3, block rio 2, tell 2;
# mistakes: gave-number 3, accepted req1 2).
PERFECT = [Act("block", "rio", 10), Act("tell_adult", None, 11)]
GAVE_NUMBER = [Act("reply", "dm1", 12, text="555-201-3344", categories=PHONE)]
ACCEPTED = [Act("accept", "req1", 31), Act("block", "rio", 40)]


def _scenario():
    return test_scenarios().get(SCENARIO)


# --- The figures (pure) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "runs", "finished", "passed", "expected", "mistakes", "top"),
    [
        ("nobody finished", [], 0, 0, {"no-number": 0, "block": 0, "tell": 0}, {}, None),
        (
            "one perfect run",
            [PERFECT],
            1,
            1,
            {"no-number": 100, "block": 100, "tell": 100},
            {"gave-number": 0, "accepted": 0},
            None,
        ),
        (
            "a mixed class",
            [PERFECT, GAVE_NUMBER, GAVE_NUMBER, ACCEPTED],
            4,
            1,
            {"no-number": 50, "block": 50, "tell": 25},
            {"gave-number": 50, "accepted": 25},
            "gave-number",
        ),
        (
            "a tie goes to the first listed",
            [GAVE_NUMBER, ACCEPTED],
            2,
            0,
            {"no-number": 50, "block": 50, "tell": 0},
            {"gave-number": 50, "accepted": 50},
            "gave-number",
        ),
    ],
)
def test_the_figures_count_each_expected_action_and_mistake(
    app, case, runs, finished, passed, expected, mistakes, top
):
    with app.test_request_context():
        figures = class_scenarios.figures(_scenario(), runs)
    assert (figures.finished, figures.passed) == (finished, passed), case
    assert {s.id: s.percent for s in figures.expected} == expected, case
    if mistakes:
        assert {s.id: s.percent for s in figures.mistakes} == mistakes, case
    assert (figures.top_mistake.id if figures.top_mistake else None) == top, case


def test_the_figures_describe_the_actions_in_words(app):
    with app.test_request_context():
        figures = class_scenarios.figures(_scenario(), [PERFECT])
    assert [s.what for s in figures.expected] == [
        "Never: write a reply that the coach flags: phone number",
        "Block Rio",
        "Tell a trusted adult",
    ]
    assert figures.expected[1].why.startswith("Blocking stops the messages")


# --- Assigning, the to-do list, lateness and reminders ------------------------------------


@pytest.fixture
def room(db):
    return make_classroom(db, students=2)


def test_a_teacher_assigns_a_scenario_and_it_reaches_the_students_list(client, db, room):
    login(client, room.teacher)
    url = f"/groups/{room.group.id}/scenario-assignments"
    page = client.get(f"/groups/{room.group.id}/assignments").get_data(as_text=True)
    assert "Assign a scenario" in page and TITLE in page  # offered in the form
    due = (date.today() + timedelta(days=3)).isoformat()
    response = post(client, url, {"scenario-scenario_id": SCENARIO, "scenario-due_on": due})
    assert response.status_code == 302
    (row,) = fresh(db).exec(select(ScenarioAssignment)).all()
    assert (row.group_id, row.scenario_id, row.due_on.isoformat()) == (room.group.id, SCENARIO, due)
    student, _m = room.students[0]
    login(client, student)
    todo_page = client.get("/dashboard").get_data(as_text=True)
    assert TITLE in todo_page and "scenario" in todo_page
    assert "late" not in todo_page.split('id="todo-heading"')[1].split("</section>")[0]
    play_scenario(db, student, SCENARIO, PERFECT)
    done = client.get(f"/groups/{room.group.id}").get_data(as_text=True)
    assert "score 100" in done


def test_assigning_refuses_a_past_date_and_an_unknown_scenario(client, db, room):
    login(client, room.teacher)
    url = f"/groups/{room.group.id}/scenario-assignments"
    past = (date.today() - timedelta(days=1)).isoformat()
    refused = post(client, url, {"scenario-scenario_id": SCENARIO, "scenario-due_on": past})
    assert refused.status_code == 400
    assert "Choose today or a later date." in refused.get_data(as_text=True)
    unknown = post(client, url, {"scenario-scenario_id": "nope", "scenario-due_on": past})
    assert unknown.status_code == 400
    assert fresh(db).exec(select(ScenarioAssignment)).all() == []


def test_assigning_again_moves_the_date_and_remove_takes_it_off(client, db, room):
    login(client, room.teacher)
    url = f"/groups/{room.group.id}/scenario-assignments"
    for days in (3, 5):
        due = (date.today() + timedelta(days=days)).isoformat()
        post(client, url, {"scenario-scenario_id": SCENARIO, "scenario-due_on": due})
    (row,) = fresh(db).exec(select(ScenarioAssignment)).all()
    assert row.due_on == date.today() + timedelta(days=5)
    assert post(client, f"{url}/{row.id}/remove").status_code == 302
    assert fresh(db).exec(select(ScenarioAssignment)).all() == []


def test_an_overdue_scenario_is_late_and_reminded_once_until_finished(app, client, db, room):
    teacher_id = room.teacher.id
    assigned = ScenarioAssignment(
        group_id=room.group.id,
        scenario_id=SCENARIO,
        due_on=date.today() - timedelta(days=2),
        assigned_by_id=teacher_id,
    )
    db.add(assigned)
    db.commit()
    (late_student, _m), (done_student, _m2) = room.students
    play_scenario(db, done_student, SCENARIO, GAVE_NUMBER)  # finished, even without passing
    with app.test_request_context():
        overdue = class_scenarios.overdue(db, date.today())
        assert [m.user_id for m, _a in overdue] == [late_student.id]
        now = utc_now()
        assert reminders.send(session=db, now=now, modules={}, link="http://x") == 1
        assert reminders.send(session=db, now=now, modules={}, link="http://x") == 0
        db.commit()
    (sent,) = db.exec(select(Reminder)).all()
    # The schedule's "the day after" reminder (two days late: the week-after one waits).
    assert (sent.user_id, sent.subject) == (late_student.id, f"scenario:{assigned.id}:after")
    (note,) = db.exec(
        select(Notification).where(Notification.kind == NotificationKind.REMINDER)
    ).all()
    assert note.detail == "scenario"
    with app.test_request_context():
        assert notifications.text_of(note, None) == ("Reminder: an assigned scenario is due")
    login(client, late_student)
    page = client.get("/dashboard").get_data(as_text=True)
    todo_part = page.split('id="todo-heading"')[1].split("</section>")[0]
    assert TITLE in todo_part and "late" in todo_part


def test_a_students_scenario_todo_shows_their_latest_finished_run(app, db, room):
    """The to-do line of an assigned scenario: done with the score of the latest finished
    run (not an earlier one, not a run still going), late if finished after the due date;
    to do, or late, without a finished run."""
    from learner.models import ScenarioRun
    from learner.scenarios import get_scenarios

    (player, _m), (idle, _m2) = room.students
    due = date.today() - timedelta(days=3)
    db.add(
        ScenarioAssignment(
            group_id=room.group.id, scenario_id=SCENARIO, due_on=due, assigned_by_id=room.teacher.id
        )
    )
    db.commit()
    earlier = utc_now() - timedelta(days=5)
    play_scenario(db, player, SCENARIO, PERFECT, when=earlier)
    play_scenario(db, player, SCENARIO, GAVE_NUMBER)
    db.add(ScenarioRun(user_id=player.id, scenario_id=SCENARIO, started_at=utc_now()))
    db.commit()
    with app.test_request_context():
        (line,) = class_scenarios.scenario_todos(db, player, get_scenarios(), date.today())
        assert line.scenario.id == SCENARIO and line.group.id == room.group.id
        assert (line.cell.done, line.cell.late, line.cell.score) == (True, True, 0)
        (line,) = class_scenarios.scenario_todos(db, idle, get_scenarios(), date.today())
        assert (line.cell.done, line.cell.late, line.cell.score) == (False, True, None)
        (line,) = class_scenarios.scenario_todos(db, idle, get_scenarios(), due)
        assert (line.cell.done, line.cell.late) == (False, False)


# --- The dashboard and the CSV ------------------------------------------------------------


def _assigned(db, room):
    db.add(
        ScenarioAssignment(
            group_id=room.group.id,
            scenario_id=SCENARIO,
            due_on=date.today(),
            assigned_by_id=room.teacher.id,
        )
    )
    db.commit()


def test_the_dashboard_shows_the_share_per_action_and_the_top_mistake(client, db, room):
    _assigned(db, room)
    login(client, room.teacher)
    url = f"/groups/{room.group.id}/dashboard"
    assert "Nobody has finished this scenario yet." in client.get(url).get_data(as_text=True)
    (first, _m), (second, _m2) = room.students
    play_scenario(db, first, SCENARIO, PERFECT)
    play_scenario(db, second, SCENARIO, GAVE_NUMBER)
    page = client.get(url).get_data(as_text=True)
    part = page.split('id="scenario-figures-heading"')[1]
    assert "2 students finished it" in part and "1 passed" in part
    assert "Block Rio" in part and "1 (50 %)" in part
    assert "most common mistake" in part and "Your number is now with someone" in part


def test_the_csv_has_a_line_per_action_and_neutralises_formulas(app, client, db, room):
    _assigned(db, room)
    (first, _m), _second = room.students
    play_scenario(db, first, SCENARIO, GAVE_NUMBER)
    login(client, room.teacher)
    response = client.get(f"/groups/{room.group.id}/dashboard/scenarios.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Scenario", "Kind", "What", "Students", "Finished", "Share", "Why"]
    assert [[*r[1:4], r[5]] for r in rows[1:]] == [
        ["expected", "Never: write a reply that the coach flags: phone number", "0", "0%"],
        ["expected", "Block Rio", "0", "0%"],
        ["expected", "Tell a trusted adult", "0", "0%"],
        ["mistake", "Write a reply that the coach flags: phone number", "1", "100%"],
        ["mistake", "Accept Rio's follow request", "0", "0%"],
    ]
    with app.test_request_context():
        evil = replace(_scenario(), title='=HYPERLINK("http://x")')
        text = class_scenarios.figures_csv([class_scenarios.figures(evil, [GAVE_NUMBER])]).lstrip(
            "\ufeff"
        )
    assert all(r[0] == '\'=HYPERLINK("http://x")' for r in list(csv.reader(io.StringIO(text)))[1:])


def test_the_csv_counts_each_current_students_latest_finished_run_only(client, db, room):
    """The file counts the latest finished run of each current student: not an earlier
    run, not a run still going, not a student who left the class."""
    from learner.models import ScenarioRun

    _assigned(db, room)
    (first, _m), (second, second_m) = room.students
    play_scenario(db, first, SCENARIO, GAVE_NUMBER)
    play_scenario(db, first, SCENARIO, PERFECT)
    db.add(ScenarioRun(user_id=first.id, scenario_id=SCENARIO, started_at=utc_now()))
    play_scenario(db, second, SCENARIO, GAVE_NUMBER)
    second_m.removed_at = utc_now()
    db.add(second_m)
    db.commit()
    login(client, room.teacher)
    response = client.get(f"/groups/{room.group.id}/dashboard/scenarios.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [[r[2], *r[3:6]] for r in rows[1:]] == [
        ["Never: write a reply that the coach flags: phone number", "1", "1", "100%"],
        ["Block Rio", "1", "1", "100%"],
        ["Tell a trusted adult", "1", "1", "100%"],
        ["Write a reply that the coach flags: phone number", "0", "1", "0%"],
        ["Accept Rio's follow request", "0", "1", "0%"],
    ]


# --- A live session on a scenario ---------------------------------------------------------


def test_a_live_scenario_steps_through_its_events_and_reveals_why(client, db, room):
    login(client, room.teacher)
    started = post(
        client, f"/groups/{room.group.id}/live/scenario", {"scenario-scenario_id": SCENARIO}
    )
    assert started.status_code == 302
    current = fresh(db).exec(select(LiveSession)).one()
    assert (current.scenario_id, current.module_id) == (SCENARIO, "strangers-and-followers")
    url = f"/groups/{room.group.id}/live/{current.id}"
    presenter = client.get(url).get_data(as_text=True)
    assert TITLE in presenter and "You posted a clip of your bike jump" in presenter
    steps = class_scenarios.live_steps(_scenario())
    assert [s.kind for s in steps] == [
        "intro",
        "quiz",
        "quiz",
        "quiz",
        "quiz",
        "quiz",
        "read",
        "poll",
    ]
    first_event = steps[1].question
    assert first_event.question.startswith("Rio sends you a message: “hey! loved ur jump.")
    right = {c.text for c in first_event.choices if c.correct}
    assert right == {"Block Rio", "Tell a trusted adult"}
    # The class moves to the first event; a student picks "Reply".
    post(client, url + "/control", {"action": "next", "version": str(current.version)})
    student, _m = room.students[0]
    login(client, student)
    assert post(client, url + "/join").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "What would you do?" in page and "Block Rio" in page
    reply = next(c for c in first_event.choices if c.text == "Reply")
    answered = post(client, url + "/answer", {"step": "1", "choice": reply.id})
    assert answered.status_code == 302
    assert [a.choice_ids for a in fresh(db).exec(select(LiveAnswer)).all()] == [reply.id]
    # The reveal: what a careful person would do, and why.
    login(client, room.teacher)
    db.refresh(current)
    post(client, url + "/control", {"action": "reveal", "version": str(current.version)})
    login(client, student)
    revealed = client.get(url).get_data(as_text=True)
    assert "Blocking stops the messages" in revealed
    assert "Someone you trust can help you check" in revealed


def test_a_live_scenario_is_only_for_the_class(client, db, room):
    teacher = room.teacher
    module = real_catalog().get("strangers-and-followers")
    current = live.start(
        session=db,
        group=room.group,
        module=module,
        teacher=teacher,
        now=utc_now(),
        scenario_id=SCENARIO,
    )
    db.commit()
    url = f"/groups/{room.group.id}/live/{current.id}"
    outsider = make_supervisor(db)
    login(client, outsider)
    assert client.get(url).status_code == 404
    assert client.get(url + "/state").status_code == 404
    student, _m = room.students[0]
    login(client, student)
    assert client.get(url).status_code == 200
    assert client.get(url + "/state").get_json()["step"] == 0
    # A student cannot start one.
    assert (
        post(
            client, f"/groups/{room.group.id}/live/scenario", {"scenario-scenario_id": SCENARIO}
        ).status_code
        == 403
    )
