"""Quiz answers: reading a submission strictly, and scoring it."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from learner.core.numbers import percent
from lessons.catalog import PASS_SCORE, Choice, Module, Question

FIELD_PREFIX = "q-"


class QuizInputError(ValueError):
    """A submission that does not fit the quiz (tampered or incomplete): nothing is stored.

    `missing` names the questions left unanswered, so the page can mark them.
    """

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(str(message))
        self.message = message
        self.missing = missing


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered."""

    question: Question
    chosen: frozenset[str]

    @property
    def correct(self) -> bool:
        """Right only when exactly the correct choices were picked."""
        return self.chosen == self.question.correct_ids

    @property
    def wrong_picks(self) -> frozenset[str]:
        """The chosen choices that are not right: their feedback says why."""
        return self.chosen - self.question.correct_ids


@dataclass(frozen=True)
class QuizResult:
    """A scored quiz."""

    results: tuple[QuestionResult, ...]

    @property
    def score(self) -> int:
        """Percentage of questions answered right, rounded down."""
        right = sum(r.correct for r in self.results)
        return percent(right, len(self.results))

    @property
    def passed(self) -> bool:
        """A module counts as complete at 80 % or more."""
        return self.score >= PASS_SCORE


def field_name(question: Question) -> str:
    """The form field that carries a question's answer."""
    return FIELD_PREFIX + question.id


def choice_order(question: Question, *, user_id: int, attempts_before: int) -> list[Choice]:
    """The choices as one attempt shows them: the same on a reload, shuffled anew for the
    learner's next attempt, so neither position nor a copied retake gives an answer away."""
    order = list(question.choices)
    seed = f"{user_id}:{question.id}:{attempts_before}"
    random.Random(seed).shuffle(order)  # noqa: S311  (not for security)
    return order


def choice_orders(module: Module, *, user_id: int, attempts_before: int) -> dict[str, list[Choice]]:
    """choice_order for every question of a module, by question id."""
    return {
        q.id: choice_order(q, user_id=user_id, attempts_before=attempts_before) for q in module.quiz
    }


def read_answers(module: Module, form: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """The chosen choice ids per question; QuizInputError for anything that does not fit."""
    for key in form:
        if key.startswith(FIELD_PREFIX) and module.question(key[len(FIELD_PREFIX) :]) is None:
            raise QuizInputError(_l("This quiz has no such question. Reload the page."))
    answers: dict[str, frozenset[str]] = {}
    missing: list[tuple[int, str]] = []
    for number, question in enumerate(module.quiz, start=1):
        chosen = frozenset(form.get(field_name(question), ()))
        if not chosen:
            missing.append((number, question.id))
            continue
        if chosen - {c.id for c in question.choices}:
            raise QuizInputError(_l("Question %(n)s has an answer that does not exist.", n=number))
        if question.type == "single" and len(chosen) > 1:
            raise QuizInputError(_l("Question %(n)s takes only one answer.", n=number))
        answers[question.id] = chosen
    if missing:
        numbers = ", ".join(str(n) for n, _id in missing)
        raise QuizInputError(
            _l("Answer every question first. Not answered yet: %(numbers)s.", numbers=numbers),
            missing=tuple(question_id for _n, question_id in missing),
        )
    return answers


def score(module: Module, answers: Mapping[str, frozenset[str]]) -> QuizResult:
    """Score answers that read_answers accepted."""
    return QuizResult(
        tuple(
            QuestionResult(question=q, chosen=answers.get(q.id, frozenset())) for q in module.quiz
        )
    )
