"""Pre-test answers: reading a submission strictly, and scoring it.

Every item gets an "I don't know yet" choice (DONT_KNOW), added here rather than in the
content, so that a learner who does not know has an honest answer and the baseline is not
inflated by guessing. A blank item is allowed too (the pre-test never blocks anyone) and
counts as not known, kept apart from "I don't know yet".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from learner.core.numbers import percent
from learner.models import ItemOutcome
from lessons.catalog import DONT_KNOW, Module, Question

FIELD_PREFIX = "p-"
CONFIDENCE_FIELD = "confidence"
# "How sure are you?" from 1 to 4; the words are the page's.
CONFIDENCE_LEVELS = (1, 2, 3, 4)
CONFIDENCE_TEXT = {
    1: _l("Not sure at all"),
    2: _l("A little sure"),
    3: _l("Fairly sure"),
    4: _l("Very sure"),
}


class PretestInputError(ValueError):
    """A submission that does not fit the pre-test (tampered): nothing is stored."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ItemResult:
    """How one pre-test item was answered."""

    question: Question
    chosen: frozenset[str]
    outcome: ItemOutcome


@dataclass(frozen=True)
class PretestResult:
    """A scored pre-test: every item counts; "I don't know yet" and blanks count as not known."""

    results: tuple[ItemResult, ...]

    @property
    def right(self) -> int:
        return sum(r.outcome is ItemOutcome.RIGHT for r in self.results)

    @property
    def score(self) -> int:
        return percent(self.right, len(self.results))


def field_name(question: Question) -> str:
    """The form field that carries a pre-test item's answer."""
    return FIELD_PREFIX + question.id


def outcome_of(question: Question, chosen: frozenset[str]) -> ItemOutcome:
    """Right, wrong, "I don't know yet" or blank, for one item's chosen ids."""
    if not chosen:
        return ItemOutcome.SKIPPED
    if chosen == {DONT_KNOW}:
        return ItemOutcome.DONT_KNOW
    return ItemOutcome.RIGHT if chosen == question.correct_ids else ItemOutcome.WRONG


def read_pretest(module: Module, form: Mapping[str, Sequence[str]]) -> PretestResult:
    """Score a pre-test submission; PretestInputError for anything that does not fit."""
    for key in form:
        if (
            key.startswith(FIELD_PREFIX)
            and module.pretest_question(key[len(FIELD_PREFIX) :]) is None
        ):
            raise PretestInputError(_l("This check has no such question. Reload the page."))
    results = []
    for number, question in enumerate(module.pretest, start=1):
        chosen = frozenset(form.get(field_name(question), ()))
        known = {c.id for c in question.choices} | {DONT_KNOW}
        if chosen - known:
            raise PretestInputError(
                _l("Question %(n)s has an answer that does not exist.", n=number)
            )
        if DONT_KNOW in chosen and len(chosen) > 1:
            raise PretestInputError(
                _l("Question %(n)s: choose answers or “I don't know yet”, not both.", n=number)
            )
        if question.type == "single" and len(chosen) > 1:
            raise PretestInputError(_l("Question %(n)s takes only one answer.", n=number))
        results.append(ItemResult(question, chosen, outcome_of(question, chosen)))
    return PretestResult(tuple(results))


def read_confidence(form: Mapping[str, Sequence[str]]) -> int | None:
    """The optional "how sure are you?" answer: None when blank, ValueError when not 1-4."""
    values = [v for v in form.get(CONFIDENCE_FIELD, ()) if v != ""]
    if not values:
        return None
    if len(values) > 1 or values[0] not in {str(v) for v in CONFIDENCE_LEVELS}:
        raise ValueError("confidence must be 1 to 4")
    return int(values[0])
