"""Quiz feedback that teaches instead of giving a retake to copy: every attempt shows the
choices in a new order."""

from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from lessons.quiz import choice_orders
from tests.factories import make_family, real_catalog
from tests.helpers import login, post

MODULE = real_catalog().get("public-by-default")
INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="q-([^"]+)" value="([^"]+)"[^>]*>')


def wrong_answers(module=MODULE) -> dict[str, list[str]]:
    """One wrong choice for every question (a 0 % attempt)."""
    return {f"q-{q.id}": [next(c.id for c in q.choices if not c.correct)] for q in module.quiz}


def submit(client, answers: dict[str, list[str]]):
    form = MultiDict([(k, v) for k, values in answers.items() for v in values])
    return post(client, f"/lessons/{MODULE.id}/quiz", form)


def shown_order(page: str) -> dict[str, list[str]]:
    """The choice ids of each question in the order the quiz form shows them."""
    order: dict[str, list[str]] = {}
    for question_id, choice_id in INPUT.findall(page):
        order.setdefault(question_id, []).append(choice_id)
    return order


def expected_order(user_id: int, attempts_before: int) -> dict[str, list[str]]:
    orders = choice_orders(MODULE, user_id=user_id, attempts_before=attempts_before)
    return {qid: [c.id for c in choices] for qid, choices in orders.items()}


def test_choices_keep_their_order_on_a_reload_and_change_with_the_next_attempt(client, db):
    family = make_family(db)
    login(client, family.teen)
    url = f"/lessons/{MODULE.id}"
    first = shown_order(client.get(url).get_data(as_text=True))
    assert first == expected_order(family.teen.id, 0)
    assert shown_order(client.get(url).get_data(as_text=True)) == first
    submit(client, wrong_answers())
    second = shown_order(client.get(url).get_data(as_text=True))
    assert second == expected_order(family.teen.id, 1)
    assert shown_order(client.get(url).get_data(as_text=True)) == second
    changed = [qid for qid in first if first[qid] != second[qid]]
    assert changed, "no question's choices moved between attempt 1 and 2"
    assert all(sorted(first[qid]) == sorted(second[qid]) for qid in first)


def test_an_incomplete_submission_shows_the_same_order_again(client, db):
    family = make_family(db)
    login(client, family.teen)
    submit(client, wrong_answers())
    answers = wrong_answers()
    answers.pop(next(iter(answers)))
    response = submit(client, answers)
    assert response.status_code == 400
    assert shown_order(response.get_data(as_text=True)) == expected_order(family.teen.id, 1)


def test_the_quiz_form_marks_every_choice_alike(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    quiz = page[page.index('id="quiz-heading"') :]
    assert "correct" not in quiz.lower() and "data-" not in quiz
    for question in MODULE.quiz:
        tags = [m.group(0) for m in INPUT.finditer(quiz) if m.group(1) == question.id]
        assert len(tags) == len(question.choices)
        # Apart from the value (the choice's id) every input of a question is the same.
        shapes = {re.sub(r'value="[^"]*"', 'value=""', tag) for tag in tags}
        assert len(shapes) == 1, shapes
        assert {v for _q, v in INPUT.findall("".join(tags))} == {c.id for c in question.choices}
