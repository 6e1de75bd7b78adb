"""The coach's machinery: a rule is data (pattern, context, counter-context, validator,
score and threshold); the engine runs every rule of the registry over a normalised post.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from learner.coach.text import Text

SEVERITIES = ("high", "medium", "low")
MAX_LENGTH = 1000


class CoachInputError(ValueError):
    """Text the coach cannot take (too long, not text); the message says why."""


@dataclass(frozen=True)
class Finding:
    """One risk in a post, with where it is and what to do about it."""

    rule: str
    category: str
    severity: str
    start: int
    end: int
    excerpt: str
    message: str
    lesson: str
    suggestion: str | None = None

    def as_dict(self) -> dict:
        """The finding as JSON-ready data (the shape of the public contract)."""
        return asdict(self)


Validator = Callable[[re.Match, Text], bool]


@dataclass(frozen=True)
class Rule:
    """A pattern that may mean a risk, and what makes it count.

    A match scores `base`; a `context` pattern within `window` characters adds
    `context_weight`; a `counter` pattern there subtracts `counter_weight`. The rule
    fires when the score reaches `threshold` and the `validator` (if any) agrees.
    """

    id: str
    category: str
    severity: str
    pattern: re.Pattern
    message: str
    lesson: str
    suggestion: str | None = None
    view: str = "lower"  # "lower" or "leet": which normalised text the pattern reads
    context: re.Pattern | None = None
    counter: re.Pattern | None = None
    window: int = 40
    base: float = 1.0
    context_weight: float = 0.5
    counter_weight: float = 1.0
    threshold: float = 1.0
    validator: Validator | None = None
    group: int | str = 0
    # A cheap gate: the pattern runs only if one keyword occurs in the text (or the
    # trigger pattern matches). Most posts pass few gates, which keeps the coach fast.
    keywords: tuple[str, ...] = ()
    trigger: re.Pattern | None = None

    def may_match(self, haystack: str) -> bool:
        """Whether the text could hold a match at all."""
        if self.keywords and not any(word in haystack for word in self.keywords):
            return False
        return self.trigger is None or self.trigger.search(haystack) is not None

    def score(self, text: str, start: int, end: int) -> float:
        """How strongly the surroundings of a match support it."""
        around = text[max(0, start - self.window) : end + self.window]
        value = self.base
        if self.context is not None and self.context.search(around):
            value += self.context_weight
        if self.counter is not None and self.counter.search(around):
            value -= self.counter_weight
        return value


def _views(text: Text) -> dict[str, str]:
    return {"lower": text.lower, "leet": text.leet}


def run(rules: Iterable[Rule], original: str) -> list[Finding]:
    """Every finding of the rules in a post, in reading order, one per category and span."""
    if not isinstance(original, str):
        raise CoachInputError("The coach reads text only.")
    if len(original) > MAX_LENGTH:
        raise CoachInputError(f"Posts are at most {MAX_LENGTH} characters.")
    if not original.strip():
        return []
    text = Text.of(original)
    views = _views(text)
    findings: list[Finding] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for rule in rules:
        haystack = views[rule.view]
        if not rule.may_match(haystack):
            continue
        for match in rule.pattern.finditer(haystack):
            start, end = match.span(rule.group)
            if start == end or rule.score(haystack, start, end) < rule.threshold:
                continue
            if rule.validator is not None and not rule.validator(match, text):
                continue
            spans = taken.setdefault(rule.category, [])
            if any(start < e and s < end for s, e in spans):
                continue
            spans.append((start, end))
            first, last = text.span(start, end)
            findings.append(
                Finding(
                    rule=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    start=first,
                    end=last,
                    excerpt=original[first:last],
                    message=rule.message,
                    lesson=rule.lesson,
                    suggestion=rule.suggestion,
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings


def words(*items: str) -> re.Pattern:
    """A pattern matching any of the words or phrases (whole words, lower case)."""
    body = "|".join(sorted(items, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
