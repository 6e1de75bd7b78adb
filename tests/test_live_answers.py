"""A live answer the app did not save is never reported as saved: the page the student
lands on says it was not saved and why, and the load tool (bench/load.py) counts only the
answers the app acknowledged. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bench.load import answer_saved
from learner import live
from learner.core.db import utc_now
from learner.models import GroupKind, LiveAnswer, LiveSession
from tests.factories import make_group, make_learner, make_supervisor, real_catalog
from tests.helpers import login, post

MODULE = "public-by-default"
NOT_SAVED = "not saved"


@pytest.fixture
def lesson(db):
    """A class with one student and a live session on its first quiz question."""
    teacher = make_supervisor(db)
    group = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    student, membership = make_learner(db, group)
    module = real_catalog().get(MODULE)
    steps = live.steps(module)
    current = live.start(session=db, group=group, module=module, teacher=teacher, now=utc_now())
    current.step = next(i for i, s in enumerate(steps) if s.kind == "quiz")
    db.add(current)
    live.join(session=db, live=current, membership=membership, now=utc_now())
    db.commit()
    return group, student, current, steps


def _move(db, current, action: str, steps) -> None:
    """The teacher's click, as the control route makes it."""
    db.rollback()
    session = db.get(LiveSession, current.id)
    db.refresh(session)
    assert live.control(
        session=db,
        live=session,
        action=action,
        version=session.version,
        total_steps=len(steps),
        now=utc_now(),
    )
    db.commit()


def _answer(client, url: str, step: int, choice: str):
    """Send an answer and follow the redirect like a browser: (status, landed page)."""
    response = post(client, url + "/answer", {"step": str(step), "choice": choice})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url)
    landed = client.get(url)
    return landed.status_code, landed.get_data(as_text=True)


def _saved(db) -> list[tuple[int, str]]:
    db.rollback()
    return [(a.step, a.choice_ids) for a in db.exec(select(LiveAnswer)).all()]


def test_an_answer_to_a_step_that_just_moved_on_is_not_reported_as_saved(client, db, lesson):
    group, student, current, steps = lesson
    url = f"/groups/{group.id}/live/{current.id}"
    asked = current.step
    login(client, student)
    page = client.get(url).get_data(as_text=True)
    assert f'name="step" value="{asked}"' in page  # the student reads the question ...
    _move(db, current, "next", steps)  # ... and the teacher moves on before it arrives
    status, landed = _answer(client, url, asked, "b")
    assert _saved(db) == []
    assert "Your teacher moved on" in landed and NOT_SAVED in landed
    assert "Your answer is in" not in landed
    assert answer_saved(status, landed) is False
    # The student can answer the step the class is on now, and that one is saved.
    question = steps[asked + 1].question
    status, landed = _answer(client, url, asked + 1, question.choices[0].id)
    assert _saved(db) == [(asked + 1, question.choices[0].id)]
    assert "Your answer is in" in landed and NOT_SAVED not in landed
    assert answer_saved(status, landed) is True


def test_a_poll_answer_after_the_session_ended_is_not_reported_as_saved(client, db, lesson):
    group, student, current, steps = lesson
    url = f"/groups/{group.id}/live/{current.id}"
    poll = len(steps) - 1
    db.get(LiveSession, current.id).step = poll
    db.commit()
    login(client, student)
    assert "How sure do you feel" in client.get(url).get_data(as_text=True)
    _move(db, current, "next", steps)  # next at the last step ends the session
    status, landed = _answer(client, url, poll, "sure")
    assert _saved(db) == []
    assert "The session has ended" in landed and NOT_SAVED in landed
    assert answer_saved(status, landed) is False


@pytest.mark.parametrize("step", ["-1", "999"])
def test_an_answer_to_a_step_the_lesson_does_not_have_says_it_was_not_saved(
    client, db, lesson, step
):
    group, student, current, _steps = lesson
    url = f"/groups/{group.id}/live/{current.id}"
    login(client, student)
    status, landed = _answer(client, url, int(step), "a")
    assert _saved(db) == []
    assert NOT_SAVED in landed and answer_saved(status, landed) is False


def test_answering_twice_keeps_the_first_answer_and_acknowledges_it(client, db, lesson):
    group, student, current, steps = lesson
    url = f"/groups/{group.id}/live/{current.id}"
    first, second = (c.id for c in steps[current.step].question.choices[:2])
    login(client, student)
    assert answer_saved(*_answer(client, url, current.step, first)) is True
    status, landed = _answer(client, url, current.step, second)
    assert "your first answer counts" in landed and answer_saved(status, landed) is True
    assert _saved(db) == [(current.step, first)]


def test_the_load_tool_goes_by_the_page_not_the_redirect():
    assert answer_saved(200, '<p class="flash flash-success">Your answer is in.</p>') is True
    assert answer_saved(200, '<p class="flash flash-error">Your teacher moved on</p>') is False
    # No page, no acknowledgement either way (a lost link is counted elsewhere).
    assert answer_saved(503, "") is None
