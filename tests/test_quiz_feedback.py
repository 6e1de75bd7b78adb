"""Quiz feedback that teaches instead of giving a retake to copy: a failed attempt says why
the learner's own wrong choices are not right without naming the right ones, and every
attempt shows the choices in a new order."""

from __future__ import annotations

import re
from datetime import timedelta

from markupsafe import escape
from werkzeug.datastructures import MultiDict

from learner import progress
from learner.core.db import utc_now
from lessons.quiz import choice_orders
from tests.factories import answer_quiz, make_family, real_catalog
from tests.helpers import login, post

MODULE = real_catalog().get("public-by-default")
INPUT = re.compile(r'<input type="(?:radio|checkbox)" name="q-([^"]+)" value="([^"]+)"[^>]*>')


def wrong_answers(module=MODULE) -> dict[str, list[str]]:
    """One wrong choice for every question (a 0 % attempt)."""
    return {f"q-{q.id}": [next(c.id for c in q.choices if not c.correct)] for q in module.quiz}


def right_answers(module=MODULE) -> dict[str, list[str]]:
    return {f"q-{q.id}": sorted(q.correct_ids) for q in module.quiz}


def submit(client, answers: dict[str, list[str]]):
    form = MultiDict([(k, v) for k, values in answers.items() for v in values])
    return post(client, f"/lessons/{MODULE.id}/quiz", form)


def result_page(client, answers: dict[str, list[str]]) -> str:
    response = submit(client, answers)
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


def shown_order(page: str) -> dict[str, list[str]]:
    """The choice ids of each question in the order the quiz form shows them."""
    order: dict[str, list[str]] = {}
    for question_id, choice_id in INPUT.findall(page):
        order.setdefault(question_id, []).append(choice_id)
    return order


def expected_order(user_id: int, attempts_before: int) -> dict[str, list[str]]:
    orders = choice_orders(MODULE, user_id=user_id, attempts_before=attempts_before)
    return {qid: [c.id for c in choices] for qid, choices in orders.items()}


def assert_right_answers_hidden(page: str) -> None:
    assert "a right answer" not in page and 'class="correct' not in page
    for question in MODULE.quiz:
        for choice in question.choices:
            if choice.correct:
                assert str(escape(choice.feedback)) not in page, (question.id, choice.id)
                assert str(escape(choice.text)) not in page, (question.id, choice.id)


def assert_right_answers_shown(page: str) -> None:
    assert page.count("(a right answer)") == sum(len(q.correct_ids) for q in MODULE.quiz)
    for question in MODULE.quiz:
        for choice in question.choices:
            assert str(escape(choice.feedback)) in page, (question.id, choice.id)


def test_a_failed_attempt_says_why_a_wrong_choice_is_wrong_but_not_what_is_right(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = result_page(client, wrong_answers())
    assert "Your result: 0%" in page and "Attempt 1" in page
    for question in MODULE.quiz:
        (picked,) = wrong_answers()[f"q-{question.id}"]
        assert str(escape(question.choice(picked).feedback)) in page
    assert page.count('class="picked not-right"') == len(MODULE.quiz)
    assert_right_answers_hidden(page)


def test_a_right_pick_in_a_wrong_multiple_answer_is_not_confirmed(client, db):
    family = make_family(db)
    login(client, family.teen)
    question = next(q for q in MODULE.quiz if q.type == "multiple" and len(q.correct_ids) > 1)
    one_right = sorted(question.correct_ids)[0]
    answers = {**wrong_answers(), f"q-{question.id}": [one_right]}
    page = result_page(client, answers)
    assert str(escape(question.choice(one_right).text)) in page  # the learner's own pick
    assert str(escape(question.choice(one_right).feedback)) not in page
    assert "More choices apply than the ones you picked." in page
    assert "a right answer" not in page


def test_the_third_attempt_reveals_the_right_answers(client, db):
    family = make_family(db)
    login(client, family.teen)
    first = submit(client, wrong_answers()).headers["Location"]
    second = result_page(client, wrong_answers())
    assert "Attempt 2" in second
    assert_right_answers_hidden(second)
    third = result_page(client, wrong_answers())
    assert "Attempt 3" in third and "Your result: 0%" in third
    assert_right_answers_shown(third)
    # Once revealed, the earlier results may show them too: there is nothing left to hide.
    assert_right_answers_shown(client.get(first).get_data(as_text=True))


def test_a_pass_reveals_the_right_answers_even_to_a_wrong_one(client, db):
    family = make_family(db)
    login(client, family.teen)
    answers = {**right_answers(), **dict([next(iter(wrong_answers().items()))])}
    page = result_page(client, answers)
    assert "this lesson is complete" in page and "Attempt 1" in page
    assert_right_answers_shown(page)
    assert page.count('class="picked not-right"') == 1


def test_answers_are_revealed_after_a_pass_or_three_attempts(db):
    family = make_family(db)
    teen = family.teen
    assert not progress.answers_revealed(db, teen.id, MODULE.id)
    wrong = {q.id: {next(c.id for c in q.choices if not c.correct)} for q in MODULE.quiz}
    for _ in range(progress.REVEAL_FROM_ATTEMPT - 1):
        answer_quiz(db, teen, MODULE.id, wrong)
    assert not progress.answers_revealed(db, teen.id, MODULE.id)
    answer_quiz(db, teen, MODULE.id, wrong)
    assert progress.answers_revealed(db, teen.id, MODULE.id)
    other = make_family(db).teen
    answer_quiz(db, other, MODULE.id)
    assert progress.answers_revealed(db, other.id, MODULE.id)


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


def test_a_result_lists_choices_in_the_order_that_attempt_showed_them(client, db):
    family = make_family(db)
    login(client, family.teen)
    for _ in range(progress.REVEAL_FROM_ATTEMPT):
        page = result_page(client, wrong_answers())
    seen = expected_order(family.teen.id, progress.REVEAL_FROM_ATTEMPT - 1)
    for question in MODULE.quiz:
        texts = [str(escape(question.choice(cid).text)) for cid in seen[question.id]]
        positions = [page.index(text) for text in texts]
        assert positions == sorted(positions), question.id


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


def test_the_supervisor_still_sees_the_time_spent(client, db):
    family = make_family(db)
    login(client, family.teen)
    client.get(f"/lessons/{MODULE.id}")
    answer_quiz(db, family.teen, MODULE.id, when=utc_now() + timedelta(minutes=7, seconds=5))
    login(client, family.parent)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress"
    page = client.get(url).get_data(as_text=True)
    article = page[page.index(f'id="module-{MODULE.id}"') :]
    article = article[: article.index("</article>")]
    assert "Attempts: 1" in article and "Time: 7 min" in article
