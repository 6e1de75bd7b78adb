"""The coach's machinery: a rule is data (pattern, context, counter-context, validator,
score and threshold); the engine runs every rule of the registry over a normalised post.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from re import _constants as _c
from re import _parser

from learner.coach.text import Text

SEVERITIES = ("high", "medium", "low")
MAX_LENGTH = 1000
DIGIT = re.compile(r"\d")
MAX_SEARCH = sys.maxsize  # what re searches to when given no end
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

    @classmethod
    def made(cls, rule, category, severity, start, end, excerpt, message, lesson, suggestion):
        """A finding from its fields in order, equal to Finding(...), made without the
        frozen dataclass's __init__ (one object.__setattr__ per field: most of the cost of
        a finding). Equality, hashing and the rest are the dataclass's."""
        finding = object.__new__(cls)
        _SET_ATTRIBUTE(
            finding,
            "__dict__",
            {
                "rule": rule,
                "category": category,
                "severity": severity,
                "start": start,
                "end": end,
                "excerpt": excerpt,
                "message": message,
                "lesson": lesson,
                "suggestion": suggestion,
            },
        )
        return finding


_SET_ATTRIBUTE = object.__setattr__
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
    # How many digits any match of the pattern (and of the trigger) holds at least: a post
    # with fewer has none (set from the patterns, see min_digits()).
    min_digits: int = 0

    def __post_init__(self) -> None:
        least = max(min_digits(p) for p in (self.pattern, self.trigger) if p is not None)
        object.__setattr__(self, "min_digits", max(self.min_digits, least))
        if least:
            object.__setattr__(self, "needs_digit", True)
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
        for name in ("anchor",):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, quick_start(getattr(self, name)))
        # The pattern and the trigger read the whole post (or its regions): split and
        # gated on their literals (FastPattern).
        for name in ("pattern", "trigger", "context", "counter"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, fast(getattr(self, name)))

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
        return self.trigger is None or occurs(self.trigger, haystack)

    def score(self, text: str, start: int, end: int) -> float:
        """How strongly the surroundings of a match support it (exact when it reaches the
        threshold; a score below it may leave the counter-context out)."""
        around = text[max(0, start - self.window) : end + self.window]
        value = self.base
        if self.context is not None and occurs(self.context, around, text):
            value += self.context_weight
        # Counter-context only lowers the score: below the threshold already, it cannot
        # change the verdict, so it is not searched for.
        if self.counter is not None and value >= self.threshold:
            scope = text[max(0, start - self.window) : start] if self.counter_before else around
            if occurs(self.counter, scope, text):
                value -= self.counter_weight
        return value


def _digit_class(items) -> bool:
    """Whether every character of a class (parsed) is a digit."""
    for kind, value in items:
        if kind is _c.LITERAL and chr(value) in "0123456789":
            continue
        if kind is _c.RANGE and 48 <= value[0] <= value[1] <= 57:
            continue
        if kind is _c.CATEGORY and value is _c.CATEGORY_DIGIT:
            continue
        return False
    return True


def _least_digits(items) -> int:
    """How many digits any match of a parsed pattern consumes at least (lookarounds and
    backreferences count none: a lower bound)."""
    total = 0
    for op, av in items:
        if op is _c.LITERAL:
            total += chr(av) in "0123456789"
        elif op is _c.IN:
            total += _digit_class(av)
        elif op is _c.BRANCH:
            total += min(_least_digits(alternative.data) for alternative in av[1])
        elif op is _c.SUBPATTERN:
            total += _least_digits(av[3].data)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            total += av[0] * _least_digits(av[2].data)
        elif op is _c.ATOMIC_GROUP:
            total += _least_digits(av.data)
    return total


def min_digits(pattern: re.Pattern) -> int:
    """How many digits (\\d, so any script's) every match of a pattern holds at least."""
    if pattern.flags & ~re.UNICODE:
        return 0
    try:
        return _least_digits(_parser.parse(pattern.pattern).data)
    except (re.error, AttributeError, TypeError):
        return 0


DIGITS = re.compile(r"\d")


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


# What a match must contain: a set of literal strings, one of which is in every match of
# a (parsed) pattern, or None when nothing is sure. Only characters the match consumes
# count (never what a lookaround asserts), so a literal missing from the post rules out
# every match, wherever the search starts and ends.
def _factors(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def better(found: frozenset[str] | None) -> None:
        nonlocal best
        if not found:
            return
        shortest = min(map(len, found))
        if best is None or (shortest, -len(found)) > (min(map(len, best)), -len(best)):
            best = found

    run_ = ""
    for op, av in items:
        if op is _c.LITERAL:
            run_ += chr(av)
            continue
        better(frozenset({run_}) if run_ else None)
        run_ = ""
        if op is _c.BRANCH:
            found: set[str] = set()
            for alternative in av[1]:
                sub = _factors(alternative.data)
                if sub is None:
                    found = set()
                    break
                found |= sub
            better(frozenset(found) or None)
        elif op is _c.SUBPATTERN:
            better(_factors(av[3].data))
        elif (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] >= 1:
            better(_factors(av[2].data))
    better(frozenset({run_}) if run_ else None)
    return best


def _alternatives(source: str) -> list[str]:
    """A pattern's source split at its top-level bars (one piece when it has none)."""
    pieces, depth, start, index, in_class = [], 0, 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A "]" right after "[" or "[^" is a member, not the end of the class.
            if source[index + 1 : index + 2] == "^":
                index += 1
            if source[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(source[start:index])
            start = index + 1
        index += 1
    pieces.append(source[start:])
    return pieces


# Which literals (of the patterns' alternatives, and of the rules' keywords) a post holds
# is found through its words: a literal's longest run of letters and digits lies inside one
# word of any text holding the literal, so each distinct word is looked up once (kept) for
# the runs inside it, and a post costs one look-up per word instead of a substring test
# per literal. A literal made of that one run is then present for sure; another is
# tested on the text only when its run is there.
ALNUM = re.compile(r"[a-z0-9]+")


class Lexicon:
    """Runs of letters and digits, each with an id, found inside words (kept per word)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.lengths: list[int] = []
        self._words: dict[str, frozenset[int]] = {}
        # The words looked at that hold some run (most hold none).
        self._holding: dict[str, frozenset[int]] = {}

    def key(self, literal: str) -> int | None:
        """The id of a literal's longest run of letters and digits (None if it has none)."""
        runs = ALNUM.findall(literal)
        if not runs:
            return None
        run_ = max(runs, key=len)
        known = self.ids.get(run_)
        if known is None:
            known = self.ids[run_] = len(self.ids)
            self.lengths = sorted({len(k) for k in self.ids})
            # A new run may be inside words already looked at: forget what they held.
            self._words.clear()
            self._holding.clear()
            _SEEN.clear()
        return known

    def _inside(self, word: str) -> frozenset[int]:
        ids = self.ids
        size = len(word)
        found = set()
        if size * len(self.lengths) > len(ids):
            found.update(i for k, i in ids.items() if k in word)
        else:
            for length in self.lengths:
                if length > size:
                    break
                for start in range(size - length + 1):
                    known = ids.get(word[start : start + length])
                    if known is not None:
                        found.add(known)
        return frozenset(found)

    def present(self, words: frozenset[str]) -> set[int]:
        """The ids of the runs inside these words."""
        known = self._words
        new = words.difference(known)  # (a dict here: one look-up per word)
        if new:
            if len(known) > 100_000:  # bounded: posts bring new words forever
                known.clear()
                self._holding.clear()
                new = words
            for word in new:
                inside = known[word] = self._inside(word)
                if inside:
                    self._holding[word] = inside
        holding = self._holding
        # (keys() & words walks the words and looks each up; the union is one C call)
        return set().union(*map(holding.__getitem__, holding.keys() & words))


LEXICON = Lexicon()
# The last texts searched and the ids their words hold (run() gives their word sets).
_SEEN: list[tuple[str, frozenset[str] | None, set[int] | None]] = []


def words_known(string: str, words: frozenset[str]) -> None:
    """The word set of a text about to be searched (so it is not split again)."""
    _SEEN[:] = [(string, words, None), *_SEEN[:3]]


def present(string: str) -> set[int]:
    """The lexicon ids a text holds (kept for the last few texts)."""
    for index, (seen, words, ids) in enumerate(_SEEN):
        if seen is string:
            if ids is None:
                ids = LEXICON.present(words)
                _SEEN[index] = (seen, words, ids)
            return ids
    words = frozenset(ALNUM.findall(string))
    ids = LEXICON.present(words)
    _SEEN[:] = [(string, words, ids), *_SEEN[:3]]
    return ids


class Needs:
    """What one of a pattern's alternatives (or a rule's keyword gate) needs: one of some
    literals, sorted by how they are checked (see Lexicon)."""

    __slots__ = ("likely", "plain", "sure")

    def __init__(self, literals) -> None:
        sure, likely, plain = set(), [], []
        for literal in sorted(literals):
            key = LEXICON.key(literal)
            if key is None:
                plain.append(literal)
            elif ALNUM.fullmatch(literal):
                sure.add(key)
            else:
                likely.append((key, literal))
        self.sure = frozenset(sure)
        self.likely = tuple(likely)
        self.plain = tuple(plain)


class FastPattern:
    """A compiled pattern's `search`, the same matches found with less work.

    A pattern that alternates many phrases at its top level tries every phrase at every
    position of the post. Here each alternative is searched on its own, and only when a
    literal it cannot match without (`_factors`) is in the text; the leftmost match wins,
    the earlier alternative on a tie, as in the alternation. A match found from one
    position is still the answer from any later position up to its start (lookbehinds
    and word boundaries read the whole text whatever the start), so a search that resumes
    after a refused match reuses the alternatives' earlier answers. Patterns with groups
    keep their groups: each alternative is searched as the whole pattern with the other
    alternatives turned off. Other methods than `search` are the compiled pattern's own."""

    __slots__ = (
        "_always",
        "_by_key",
        "_gate",
        "_keys",
        "_likely",
        "_likely_keys",
        "_memo",
        "_plain",
        "compiled",
        "parts",
    )

    def __init__(self, compiled: re.Pattern, parts: list[tuple[re.Pattern, Needs | None]]):
        self.compiled = compiled
        self.parts = parts
        self._gate: tuple = (None, ())
        self._memo: tuple = (None, -1, [])
        # The alternatives each sure literal opens, those that need nothing, and those
        # with literals to test on the text (see Needs).
        by_key: dict[int, list[int]] = {}
        for index, (_part, needs) in enumerate(parts):
            for key in needs.sure if needs is not None else ():
                by_key.setdefault(key, []).append(index)
        self._by_key = {key: tuple(indices) for key, indices in by_key.items()}
        self._keys = frozenset(by_key)
        self._always = frozenset(i for i, (_p, needs) in enumerate(parts) if needs is None)
        # Literals tested on the text: by the run that must be there first, and those
        # without one (tested always).
        likely: dict[int, list[tuple[int, str]]] = {}
        plain: list[tuple[int, str]] = []
        for index, (_part, needs) in enumerate(parts):
            for key, literal in needs.likely if needs is not None else ():
                likely.setdefault(key, []).append((index, literal))
            plain += [(index, literal) for literal in (needs.plain if needs else ())]
        self._likely = {key: tuple(found) for key, found in likely.items()}
        self._likely_keys = frozenset(likely)
        self._plain = tuple(plain)

    def __getattr__(self, name):
        return getattr(self.compiled, name)

    def _alive(self, string: str) -> tuple[int, ...] | list[int]:
        gate = self._gate
        if gate[0] is string:
            return gate[1]
        ids = present(string)
        hit = self._keys.intersection(ids)
        by_key = self._by_key
        if not (self._always or self._likely_keys or self._plain):
            # Sure literals only (the usual case): no set to build for none or one.
            if not hit:
                alive: tuple[int, ...] | list[int] = ()
            elif len(hit) == 1:
                (key,) = hit
                alive = by_key[key]
            else:
                alive = sorted({index for key in hit for index in by_key[key]})
            self._gate = (string, alive)
            return alive
        opened = set(self._always)
        for key in hit:
            opened.update(by_key[key])
        if self._likely_keys:
            likely = self._likely
            for key in self._likely_keys.intersection(ids):
                for index, literal in likely[key]:
                    if literal in string:
                        opened.add(index)
        for index, literal in self._plain:
            if literal in string:
                opened.add(index)
        # In the alternation's order: the earlier alternative wins a tie.
        alive = sorted(opened)
        self._gate = (string, alive)
        return alive

    def occurs(self, string: str, whole: str | None = None) -> bool:
        """Whether the pattern matches somewhere in `string` (a piece of `whole`, whose
        literals rule alternatives out once for all its pieces)."""
        parts = self.parts
        for index in self._alive(string if whole is None else whole):
            if parts[index][0].search(string) is not None:
                return True
        return False

    def search(self, string: str, pos: int = 0, endpos: int = MAX_SEARCH) -> re.Match | None:
        alive = self._alive(string)
        if not alive:
            return None
        if len(alive) == 1:
            # One alternative left: nothing to choose between, nothing to remember.
            return self.parts[alive[0]][0].search(string, pos, endpos)
        memo = self._memo
        if memo[0] is not string or memo[1] != endpos:
            memo = self._memo = (string, endpos, [None] * len(self.parts))
        known = memo[2]
        best = None
        for index in alive:
            seen = known[index]
            if seen is not None and seen[0] <= pos and (seen[1] is None or seen[1].start() >= pos):
                found = seen[1]
            else:
                found = self.parts[index][0].search(string, pos, endpos)
                known[index] = (pos, found)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best


def occurs(pattern: re.Pattern | FastPattern, string: str, whole: str | None = None) -> bool:
    """Whether a pattern matches somewhere in `string`, a piece of `whole` (or all of it)."""
    if type(pattern) is FastPattern:
        return pattern.occurs(string, whole)
    return pattern.search(string) is not None


def _needs(literals: frozenset[str] | None) -> Needs | None:
    return None if literals is None else Needs(literals)


def _quick_started(source: str, piece: str) -> re.Pattern:
    """A pattern behind a lookahead on the characters that `piece` (the one alternative
    of it that can match) starts with, when they are few."""
    try:
        first = _first_characters(_parser.parse(piece).data)
    except (re.error, AttributeError, TypeError):
        first = None
    if not first or len(first) > QUICK_START_MAX:
        return re.compile(source)
    characters = "".join(re.escape(c) for c in sorted(first))
    return re.compile(f"(?=[{characters}])(?:{source})")


def fast(pattern: re.Pattern) -> re.Pattern | FastPattern:
    """The pattern split and gated as FastPattern does, or quick-started when that gains
    nothing (same matches either way)."""
    if isinstance(pattern, FastPattern) or pattern.flags & ~re.UNICODE:
        return pattern
    pieces = _alternatives(pattern.pattern)
    if len(pieces) > 1:
        parts = []
        for index, piece in enumerate(pieces):
            if pattern.groups:
                # The other alternatives stay, turned off, so that the groups keep their
                # numbers and names (a turned-off group reads None, as it would).
                source = "|".join(p if i == index else "(?!)" + p for i, p in enumerate(pieces))
                compiled = _quick_started(source, piece)
                if compiled.groupindex != pattern.groupindex or compiled.groups != pattern.groups:
                    return quick_start(pattern)
            else:
                compiled = quick_start(re.compile(piece))
            parts.append((compiled, _needs(_factors(_parser.parse(piece).data))))
    else:
        parts = [(quick_start(pattern), _needs(_factors(_parser.parse(pattern.pattern).data)))]
    if all(needs is None for _part, needs in parts) and len(parts) == 1:
        return parts[0][0]
    return FastPattern(pattern, parts)


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
    plan = _plan(rules)
    lower_tokens = text.lower_tokens
    words_known(text.lower, lower_tokens)
    if plan.has_leet and text.leet is not text.lower:
        words_known(text.leet, text.leet_tokens)
    entries = plan.entries
    for index in plan.candidates(text, digits):
        rule, leet, trigger = entries[index]
        words = text.leet_tokens if leet else lower_tokens
        haystack = text.leet if leet else text.lower
        if trigger is not None and not occurs(trigger, haystack):
            continue
        for match in _matches(rule, haystack, text, words):
            start, end = rule.span(match, text) if rule.span else match.span(rule.group)
            spans = taken.setdefault(rule.category, [])
            if any(start < e and s < end for s, e in spans):
                continue
            spans.append((start, end))
            first, last = text.span(start, end)
            findings.append(
                Finding.made(
                    rule.id,
                    rule.category,
                    rule.severity,
                    first,
                    last,
                    original[first:last],
                    rule.message,
                    rule.lesson,
                    rule.suggestion,
                )
            )
    if model is not None:
        for category, start, end, advice in model(text, taken):
            first, last = text.span(start, end)
            findings.append(
                Finding.made(
                    "model." + category,
                    category,
                    advice["severity"],
                    first,
                    last,
                    original[first:last],
                    advice["message"],
                    advice["lesson"],
                    advice.get("suggestion"),
                )
            )
    findings.sort(key=lambda f: (f.start, f.end, f.category))
    return findings


class Plan:
    """A registry's rules prepared for run(): which of them a post's words, keywords and
    digits let through, found for all the rules at once (the gates are tests on the post
    alone, so their order does not matter); the rules then run in the registry's order."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.entries = [(rule, rule.view == "leet", rule.trigger) for rule in rules]
        self.has_leet = any(leet for _rule, leet, _trigger in self.entries)
        self.needs_digit = frozenset(i for i, rule in enumerate(rules) if rule.needs_digit)
        # The rules that need more than one digit, most digits first.
        self.digit_counts = sorted(
            ((rule.min_digits, i) for i, rule in enumerate(rules) if rule.min_digits > 1),
            reverse=True,
        )
        self.no_tokens = frozenset(i for i, rule in enumerate(rules) if not rule.tokens)
        self.no_keywords = frozenset(i for i, rule in enumerate(rules) if not rule.keywords)
        # Per view (False: lower case, True: leetspeak undone): the rules each word opens;
        # the rules each sure keyword run opens, the keywords to test once their run is
        # there, and those to test always (see Needs).
        self.by_word: dict[bool, dict[str, frozenset[int]]] = {False: {}, True: {}}
        self.sure: dict[bool, dict[int, frozenset[int]]] = {False: {}, True: {}}
        self.likely: dict[bool, dict[int, tuple[tuple[int, str], ...]]] = {False: {}, True: {}}
        self.plain: dict[bool, tuple[tuple[int, str], ...]] = {False: (), True: ()}
        by_word: dict[bool, dict[str, set[int]]] = {False: {}, True: {}}
        sure: dict[bool, dict[int, set[int]]] = {False: {}, True: {}}
        likely: dict[bool, dict[int, list[tuple[int, str]]]] = {False: {}, True: {}}
        plain: dict[bool, list[tuple[int, str]]] = {False: [], True: []}
        for index, (rule, leet, _trigger) in enumerate(self.entries):
            for word in rule.tokens:
                by_word[leet].setdefault(word, set()).add(index)
            if rule.keywords:
                needs = Needs(rule.keywords)
                for key in needs.sure:
                    sure[leet].setdefault(key, set()).add(index)
                for key, literal in needs.likely:
                    likely[leet].setdefault(key, []).append((index, literal))
                plain[leet] += [(index, literal) for literal in needs.plain]
        for view in (False, True):
            self.by_word[view] = {w: frozenset(i) for w, i in by_word[view].items()}
            self.sure[view] = {k: frozenset(i) for k, i in sure[view].items()}
            self.likely[view] = {k: tuple(found) for k, found in likely[view].items()}
            self.plain[view] = tuple(plain[view])
        # Both views' words at once, for the posts where they are the same words.
        both: dict[str, frozenset[int]] = dict(self.by_word[False])
        for word, found in self.by_word[True].items():
            both[word] = both.get(word, frozenset()) | found
        self.by_word_both = both
        self.sure_keys = {view: frozenset(self.sure[view]) for view in (False, True)}
        self.in_view = {
            view: frozenset(i for i, (_r, leet, _t) in enumerate(self.entries) if leet is view)
            for view in (False, True)
        }
        self.plain_of: dict[bool, dict[int, tuple[str, ...]]] = {False: {}, True: {}}
        for view in (False, True):
            for index, literal in self.plain[view]:
                self.plain_of[view][index] = (*self.plain_of[view].get(index, ()), literal)
        self.likely_keys = {view: frozenset(self.likely[view]) for view in (False, True)}
        self.plain_keys = {view: frozenset(self.plain_of[view]) for view in (False, True)}

    def candidates(self, text: Text, digits: bool) -> list[int]:
        """The rules (their indices, in order) whose gates let the post through; all but
        the trigger, which run() tests."""
        views = [(False, text.lower, text.lower_tokens)]
        if self.has_leet:
            views.append((True, text.leet, text.leet_tokens))
        opened = set(self.no_tokens)
        if len(views) == 1 or views[1][2] is views[0][2]:
            walks = [(self.by_word_both if self.has_leet else self.by_word[False], views[0][2])]
        else:
            walks = [(self.by_word[view], words) for view, _haystack, words in views]
        for by_word, words in walks:
            opened.update(*map(by_word.__getitem__, by_word.keys() & words))
        if not digits:
            opened -= self.needs_digit
        elif self.digit_counts and not opened.isdisjoint(self.needs_digit):
            count = len(DIGITS.findall(text.lower))
            for least, index in self.digit_counts:
                if least <= count:
                    break
                opened.discard(index)
        passed = opened & self.no_keywords
        pending = opened - passed
        for view, haystack, _words in views if pending else ():
            waiting = pending & self.in_view[view]
            if not waiting:
                continue
            ids = present(haystack)
            sure = self.sure[view]
            for key in self.sure_keys[view].intersection(ids):
                waiting -= sure[key]
            likely = self.likely[view]
            for key in self.likely_keys[view].intersection(ids) if waiting else ():
                for index, literal in likely[key]:
                    if index in waiting and literal in haystack:
                        waiting.discard(index)
            plain = self.plain_of[view]
            for index in self.plain_keys[view].intersection(waiting) if waiting else ():
                for literal in plain[index]:
                    if literal in haystack:
                        waiting.discard(index)
                        break
            passed |= pending & self.in_view[view]
            passed -= waiting
        return sorted(passed)


_PLANS: dict[int, Plan] = {}


def prepare(rules: tuple[Rule, ...]) -> Plan:
    """A registry's plan, made now (run() makes one on first use otherwise)."""
    return _plan(rules)


def _plan(rules) -> Plan:
    plan = _PLANS.get(id(rules))
    if plan is None or plan.rules is not rules:
        rules = rules if isinstance(rules, tuple) else tuple(rules)
        plan = Plan(rules)
        if len(_PLANS) > 64:
            _PLANS.clear()
        _PLANS[id(rules)] = plan
    return plan


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
    regions = (
        _regions(rule, haystack, words)
        if rule.anchor_tokens or rule.anchor is not None
        else ((0, len(haystack)),)
    )
    for begin, finish in regions:
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
