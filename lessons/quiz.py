"""Quiz answers: reading a submission strictly, and scoring it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lessons.catalog import PASS_SCORE, Module, Question

FIELD_PREFIX = "q-"


class QuizInputError(ValueError):
    """A submission that does not fit the quiz (tampered or incomplete): nothing is stored."""


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered."""

    question: Question
    chosen: frozenset[str]

    @property
    def correct(self) -> bool:
        """Right only when exactly the correct choices were picked."""
        return self.chosen == self.question.correct_ids


@dataclass(frozen=True)
class QuizResult:
    """A scored quiz."""

    results: tuple[QuestionResult, ...]

    @property
    def score(self) -> int:
        """Percentage of questions answered right, rounded down."""
        right = sum(r.correct for r in self.results)
        return right * 100 // len(self.results)

    @property
    def passed(self) -> bool:
        """A module counts as complete at 80 % or more."""
        return self.score >= PASS_SCORE


def field_name(question: Question) -> str:
    """The form field that carries a question's answer."""
    return FIELD_PREFIX + question.id


def read_answers(module: Module, form: Mapping[str, Sequence[str]]) -> dict[str, frozenset[str]]:
    """The chosen choice ids per question; QuizInputError for anything that does not fit."""
    answers: dict[str, frozenset[str]] = {}
    for key in form:
        if key.startswith(FIELD_PREFIX) and module.question(key[len(FIELD_PREFIX) :]) is None:
            raise QuizInputError(f"There is no question '{key[len(FIELD_PREFIX) :]}' here.")
    for number, question in enumerate(module.quiz, start=1):
        chosen = frozenset(form.get(field_name(question), ()))
        if not chosen:
            raise QuizInputError(f"Question {number} has no answer.")
        unknown = chosen - {c.id for c in question.choices}
        if unknown:
            raise QuizInputError(f"Question {number} has an answer that does not exist.")
        if question.type == "single" and len(chosen) > 1:
            raise QuizInputError(f"Question {number} takes only one answer.")
        answers[question.id] = chosen
    return answers


def score(module: Module, answers: Mapping[str, frozenset[str]]) -> QuizResult:
    """Score answers that read_answers accepted."""
    return QuizResult(
        tuple(
            QuestionResult(question=q, chosen=answers.get(q.id, frozenset())) for q in module.quiz
        )
    )
