"""The coach's machinery: a rule is data (pattern, context, counter-context, validator,
score and threshold); the engine runs every rule of the registry over a normalised post.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from re import _constants as _c
from re import _parser

from learner.coach.text import Text

SEVERITIES = ("high", "medium", "low")
MAX_LENGTH = 1000
DIGIT = re.compile(r"\d")
ANCHOR_WORDS = re.compile(r"\\b\(\?:([a-z0-9|]+)\)\\b")


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
    counter_before: bool = False  # look for counter-context only before the match
    threshold: float = 1.0
    validator: Validator | None = None
    group: int | str = 0
    # A cheap gate: the pattern runs only if one keyword occurs in the text (or the
    # trigger pattern matches). Most posts pass few gates, which keeps the coach fast.
    keywords: tuple[str, ...] = ()
    trigger: re.Pattern | None = None
    # Whole words, one of which must be in the text (checked against a set: cheapest).
    tokens: frozenset[str] = frozenset()
    # Where to look: when set, the pattern runs only in the `reach` characters before each
    # anchor match (and over it), instead of over the whole post.
    anchor: re.Pattern | None = None
    # ...or before each occurrence of one of these words (found through the token set).
    anchor_tokens: frozenset[str] = frozenset()
    reach: int = 80
    after: int = 15
    # The validator judges the whole post, so the first match decides for all of them.
    once: bool = False
    # Where the finding is, when neither the match nor one group says it well.
    span: Callable[[re.Match, Text], tuple[int, int]] | None = None
    # Whether a match needs a digit in the post (set for triggers that open with one).
    needs_digit: bool = False

    def __post_init__(self) -> None:
        # A trigger that opens with a digit (and alternates nothing) needs one in the
        # post: most posts have none, and this test is cheaper than the trigger's scan.
        needs = self.trigger is not None and "|" not in self.trigger.pattern
        needs = needs and re.match(r"(?:\\b\[a-z\]\{2\})?\\d", self.trigger.pattern)
        object.__setattr__(self, "needs_digit", self.needs_digit or bool(needs))
        # An anchor that is a list of whole words is found through the post's word set:
        # the search then alternates only the words the post has.
        listed = self.anchor is not None and ANCHOR_WORDS.fullmatch(self.anchor.pattern)
        if listed and not self.anchor_tokens:
            object.__setattr__(self, "anchor_tokens", frozenset(listed.group(1).split("|")))
            object.__setattr__(self, "anchor", None)
        for name in ("pattern", "context", "counter", "trigger", "anchor"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, quick_start(getattr(self, name)))

    def may_match(self, haystack: str, words: frozenset[str]) -> bool:
        """Whether the text could hold a match at all. (A substring test per keyword is
        several times faster than one regular expression alternating them.)"""
        if self.tokens and self.tokens.isdisjoint(words):
            return False
        if self.keywords:
            for word in self.keywords:  # a plain loop: no generator to set up per post
                if word in haystack:
                    break
            else:
                return False
        return self.trigger is None or self.trigger.search(haystack) is not None

    def score(self, text: str, start: int, end: int) -> float:
        """How strongly the surroundings of a match support it (exact when it reaches the
        threshold; a score below it may leave the counter-context out)."""
        around = text[max(0, start - self.window) : end + self.window]
        value = self.base
        if self.context is not None and self.context.search(around):
            value += self.context_weight
        # Counter-context only lowers the score: below the threshold already, it cannot
        # change the verdict, so it is not searched for.
        if self.counter is not None and value >= self.threshold:
            scope = text[max(0, start - self.window) : start] if self.counter_before else around
            if self.counter.search(scope):
                value -= self.counter_weight
        return value


# A pattern whose matches can only start with a few characters ("\\brn\\b|right now|...")
# is tried at every position of the post, each alternative in turn; a lookahead on those
# characters first turns most positions down in one step. Same matches, found faster.
QUICK_START_MAX = 12


def _first_characters(items) -> set[str] | None:
    """The characters a parsed pattern's match can start with; None when any could."""
    out: set[str] = set()
    for op, av in items:
        if op is _c.AT or op is _c.ASSERT_NOT or (op is _c.ASSERT and av[0] < 0):
            continue  # zero width, before the first character: look further
        if op is _c.LITERAL:
            return out | {chr(av)}
        if op is _c.IN:
            for kind, value in av:
                if kind is _c.LITERAL:
                    out.add(chr(value))
                elif kind is _c.RANGE and value[1] - value[0] <= QUICK_START_MAX:
                    out.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None
            return out
        if op is _c.BRANCH:
            for alternative in av[1]:
                found = _first_characters(alternative.data)
                if found is None:
                    return None
                out |= found
            return out
        if op is _c.SUBPATTERN:
            found = _first_characters(av[3].data)
            return None if found is None else out | found
        if op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
            low, _high, sub = av
            found = _first_characters(sub.data)
            if found is None:
                return None
            out |= found
            if low >= 1:
                return out
            continue  # it may repeat no time: what follows may start the match too
        return None
    return None  # the pattern may match the empty string


def quick_start(pattern: re.Pattern) -> re.Pattern:
    """The pattern, behind a lookahead on the characters its matches start with when they
    are few (the same matches and groups)."""
    if pattern.flags & ~re.UNICODE or pattern.pattern.startswith(("(?=[", "(?i")):
        return pattern
    try:
        first = _first_characters(_parser.parse(pattern.pattern).data)
    except (re.error, AttributeError, TypeError):
        return pattern
    if not first or len(first) > QUICK_START_MAX:
        return pattern
    characters = "".join(re.escape(c) for c in sorted(first))
    return re.compile(f"(?=[{characters}])(?:{pattern.pattern})")


def run(
    rules: Iterable[Rule], original: str, model=None, text: Text | None = None
) -> list[Finding]:
    """Every finding of the rules in a post, in reading order, one per category and span.

    `model` (optional) is the learned layer: it names the categories it finds in the
    normalised text and where, and adds a finding for each one the rules did not find.
    `text` is the post already normalised, when the caller has it (the language guess).
    """
    if not isinstance(original, str):
        raise CoachInputError("The coach reads text only.")
    if len(original) > MAX_LENGTH:
        raise CoachInputError(f"Posts are at most {MAX_LENGTH} characters.")
    if not original.strip():
        return []
    if text is None:
        text = Text.of(original)
    findings: list[Finding] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    digits = DIGIT.search(text.lower) is not None
    lower_tokens = text.lower_tokens
    for rule in rules:
        if rule.needs_digit and not digits:
            continue
        words = text.leet_tokens if rule.view == "leet" else lower_tokens
        # The word gate first, here: most rules stop at it, and a method call costs more.
        if rule.tokens and rule.tokens.isdisjoint(words):
            continue
        haystack = text.leet if rule.view == "leet" else text.lower
        if not rule.may_match(haystack, words):
            continue
        for match in _matches(rule, haystack, text, words):
            start, end = rule.span(match, text) if rule.span else match.span(rule.group)
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
    if model is not None:
        for category, start, end, advice in model(text, taken):
            first, last = text.span(start, end)
            findings.append(
                Finding(
                    rule="model." + category,
                    category=category,
                    severity=advice["severity"],
                    start=first,
                    end=last,
                    excerpt=original[first:last],
                    message=advice["message"],
                    lesson=advice["lesson"],
                    suggestion=advice.get("suggestion"),
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings


@functools.lru_cache(maxsize=4096)
def _word_pattern(words: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")


def _regions(rule: Rule, haystack: str, words: frozenset[str]):
    if rule.anchor_tokens:
        anchor = _word_pattern(frozenset(rule.anchor_tokens & words))
    elif rule.anchor is not None:
        anchor = rule.anchor
    else:
        yield 0, len(haystack)
        return
    # Overlapping regions ("high school" anchors twice) are searched once, as one.
    begin = finish = -1
    for found in anchor.finditer(haystack):
        start = max(0, found.start() - rule.reach)
        end = min(len(haystack), found.end() + rule.after)
        if start <= finish:
            finish = max(finish, end)
            continue
        if finish >= 0:
            yield begin, finish
        begin, finish = start, end
    if finish >= 0:
        yield begin, finish


def _matches(rule: Rule, haystack: str, text: Text, words: frozenset[str]):
    """The rule's accepted matches; after a refused one the search resumes one character
    later, so a longer false start cannot hide a real finding inside it."""
    for begin, finish in _regions(rule, haystack, words):
        position = begin
        while (match := rule.pattern.search(haystack, position, finish)) is not None:
            start, end = match.span(rule.group)
            accepted = (
                start != end
                and rule.score(haystack, start, end) >= rule.threshold
                and (rule.validator is None or rule.validator(match, text))
            )
            if accepted:
                yield match
            if rule.once:
                return
            position = max(match.end(), match.start() + 1) if accepted else match.start() + 1


def words(*items: str) -> re.Pattern:
    """A pattern matching any of the words or phrases (whole words, lower case)."""
    body = "|".join(sorted(items, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
