"""Quiz scoring and lesson progress, without and with HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from learner import progress
from learner.core.db import utc_now
from learner.models import GroupKind, LessonProgress, QuizAnswer, QuizAttempt
from lessons.quiz import QuizInputError, read_answers, score
from tests.factories import make_family, make_group, make_learner, make_supervisor, real_catalog
from tests.helpers import count_rows, login, post

MODULE = real_catalog().get("public-by-default")


def right_answers(module=MODULE) -> dict[str, list[str]]:
    return {f"q-{q.id}": sorted(q.correct_ids) for q in module.quiz}


def wrong_choice(question) -> str:
    return next(c.id for c in question.choices if not c.correct)


def test_all_right_scores_100():
    answers = read_answers(MODULE, right_answers())
    result = score(MODULE, answers)
    assert result.score == 100 and result.passed


def test_a_multiple_answer_question_needs_exactly_the_right_set():
    question = next(q for q in MODULE.quiz if q.type == "multiple")
    partial = {**right_answers(), f"q-{question.id}": sorted(question.correct_ids)[:1]}
    result = score(MODULE, read_answers(MODULE, partial))
    assert result.score == (len(MODULE.quiz) - 1) * 100 // len(MODULE.quiz)
    assert not next(r for r in result.results if r.question.id == question.id).correct


def test_pass_mark_is_80_percent():
    answers = right_answers()
    first, second = MODULE.quiz[0], MODULE.quiz[1]
    answers[f"q-{first.id}"] = [wrong_choice(first)]
    one_wrong = score(MODULE, read_answers(MODULE, answers))
    answers[f"q-{second.id}"] = [wrong_choice(second)]
    two_wrong = score(MODULE, read_answers(MODULE, answers))
    assert one_wrong.passed == (one_wrong.score >= 80)
    assert not two_wrong.passed


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda a: a.update({"q-made-up": ["a"]}), "no such question"),
        (lambda a: a.pop(next(iter(a))), "Not answered yet: 1"),
        (lambda a: a.update({next(iter(a)): ["z"]}), "does not exist"),
    ],
)
def test_tampered_submissions_are_refused(tamper, message):
    answers = right_answers()
    tamper(answers)
    with pytest.raises(QuizInputError, match=message):
        read_answers(MODULE, answers)


def test_two_answers_to_a_single_answer_question_are_refused():
    question = next(q for q in MODULE.quiz if q.type == "single")
    answers = {**right_answers(), f"q-{question.id}": [c.id for c in question.choices[:2]]}
    with pytest.raises(QuizInputError, match="only one"):
        read_answers(MODULE, answers)


def test_tracks_follow_the_learners_groups():
    assert progress.tracks_for([]) == {"core"}
    assert progress.tracks_for([GroupKind.FAMILY, GroupKind.WORKPLACE]) == {
        "core",
        "family",
        "workplace",
    }


# Through the app


def submit(client, answers: dict[str, list[str]], module_id: str = MODULE.id):
    return post(
        client,
        f"/lessons/{module_id}/quiz",
        MultiDict([(k, v) for k, values in answers.items() for v in values]),
    )


def test_taking_a_lesson_records_progress_and_every_answer(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    assert MODULE.title in page and "Talk about it" in page
    response = submit(client, right_answers())
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your result: 100%" in result
    assert str(escape(MODULE.quiz[0].choices[0].feedback)) in result
    row = db.exec(LessonProgress.__table__.select()).one()
    assert row.completed_at is not None and row.best_score == 100 and row.attempts == 1
    assert count_rows(db, QuizAnswer) == len(MODULE.quiz)


def test_a_failed_attempt_does_not_complete_and_a_retake_can(client, db):
    family = make_family(db)
    login(client, family.teen)
    client.get(f"/lessons/{MODULE.id}")
    wrong = {f"q-{q.id}": [wrong_choice(q)] for q in MODULE.quiz}
    submit(client, wrong)
    row = db.exec(LessonProgress.__table__.select()).one()
    assert row.completed_at is None and row.best_score == 0
    submit(client, right_answers())
    db.rollback()
    row = db.exec(LessonProgress.__table__.select()).one()
    assert row.completed_at is not None and row.best_score == 100 and row.attempts == 2


def test_tampered_quiz_is_a_400_and_stores_nothing(client, db):
    family = make_family(db)
    login(client, family.teen)
    answers = right_answers()
    answers.pop(next(iter(answers)))
    response = submit(client, answers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not answered yet: 1." in page and 'class="question has-error"' in page
    assert count_rows(db, QuizAttempt) == 0 and count_rows(db, QuizAnswer) == 0


def test_unknown_module_is_a_404(client, db):
    login(client, make_family(db).teen)
    assert client.get("/lessons/no-such-lesson").status_code == 404
    assert submit(client, {}, module_id="no-such-lesson").status_code == 404


def test_someone_elses_attempt_is_a_404(client, db):
    family = make_family(db)
    other, _membership = make_learner(db, family.group)
    login(client, family.teen)
    location = submit(client, right_answers()).headers["Location"]
    login(client, other)
    assert client.get(location).status_code == 404


def test_time_spent_counts_each_sitting_up_to_a_limit(client, db):
    family = make_family(db)
    login(client, family.teen)
    client.get(f"/lessons/{MODULE.id}")
    row = db.exec(LessonProgress.__table__.select()).one()
    db.execute(
        LessonProgress.__table__.update().values(opened_at=row.opened_at - timedelta(minutes=7))
    )
    db.commit()
    submit(client, right_answers())
    client.get(f"/lessons/{MODULE.id}")
    db.execute(LessonProgress.__table__.update().values(opened_at=utc_now() - timedelta(hours=5)))
    db.commit()
    submit(client, right_answers())
    db.rollback()
    seconds = db.exec(LessonProgress.__table__.select()).one().seconds_spent
    assert 7 * 60 <= seconds <= 7 * 60 + 5 + progress.MAX_SITTING_SECONDS


def test_lesson_list_shows_the_tracks_of_the_learners_groups(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get("/lessons").get_data(as_text=True)
    assert "The family agreement" in page or "family agreement" in page.lower()
    assert "social-selling-not-spamming" not in page
    workplace = make_group(db, make_supervisor(db), kind=GroupKind.WORKPLACE)
    staff, _membership = make_learner(db, workplace)
    login(client, staff)
    page = client.get("/lessons").get_data(as_text=True)
    assert (
        "/lessons/social-selling-not-spamming" in page and "/lessons/family-agreement" not in page
    )


def test_dashboard_shows_progress_bars_and_the_next_lesson(client, db):
    family = make_family(db)
    login(client, family.teen)
    submit(client, right_answers())
    page = client.get("/dashboard").get_data(as_text=True)
    assert "1 of" in page and "<progress" in page
    second = real_catalog().modules(tracks={"core", "family"})[1]
    assert f"/lessons/{second.id}" in page


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (4, 6, 67),
        (1, 3, 33),
        (2, 3, 67),
        (1, 8, 13),
        (5, 5, 100),
        (0, 7, 0),
        (3, 0, 0),
        (1, 200, 1),
    ],
)
def test_percentages_round_half_up(part, whole, shown):
    from learner.core.numbers import percent

    assert percent(part, whole) == shown
