"""The coach's speed-ups find exactly what the plain patterns and the plain loops find: the
split and gated patterns (FastPattern), the keyword lexicon, and the normalisation."""

from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import pytest

from learner import coach
from learner.coach import engine, rules
from learner.coach.engine import FastPattern, fast
from learner.coach.rules_intl import REGISTRIES
from learner.coach.text import APOSTROPHES, ZERO_WIDTH, Text

CORPORA = Path(__file__).parent / "coach"


def _texts(lang: str, count: int = 120) -> list[str]:
    folder = CORPORA / ("writers" if lang == "en" else lang)
    posts = [
        json.loads(line)["text"]
        for path in sorted(folder.glob("writer*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    chosen = random.Random(19).sample(posts, min(count, len(posts)))
    # Longer posts too (as the benchmark reads them), and leetspeak.
    return chosen + [" ".join(chosen[i : i + 4]) for i in range(0, 40, 4)] + ["u r a l0s3r"]


def _fast_patterns(lang: str) -> list[tuple[str, FastPattern]]:
    found = []
    for rule in REGISTRIES[lang]:
        for name in ("pattern", "trigger", "context", "counter"):
            value = getattr(rule, name)
            if isinstance(value, FastPattern):
                found.append((f"{rule.id}.{name}", value))
    return found


def _same(a: re.Match | None, b: re.Match | None) -> bool:
    if a is None or b is None:
        return a is b
    groups = range(a.re.groups + 1)
    return (
        a.span() == b.span()
        and [a.span(g) for g in groups] == [b.span(g) for g in groups]
        and a.groupdict() == b.groupdict()
    )


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_split_patterns_find_the_same_matches_from_every_start(lang):
    patterns = _fast_patterns(lang)
    assert len(patterns) > 20  # the big alternations are split
    for text in _texts(lang):
        normal = Text.of(text)
        for haystack in {normal.lower, normal.leet}:
            for name, pattern in patterns:
                size = len(haystack)
                for pos, end in ((0, size), (size // 3, size), (0, size // 2), (5, size - 5)):
                    got = pattern.search(haystack, pos, end)
                    want = pattern.compiled.search(haystack, pos, end)
                    assert _same(got, want), (name, haystack, pos, end)
                piece = haystack[size // 4 : size // 2]
                want = pattern.compiled.search(piece) is not None
                assert pattern.occurs(piece, haystack) is want, (name, piece)


def test_a_search_that_resumes_reuses_nothing_it_should_not():
    pattern = fast(re.compile(r"b+c|ab|x"))
    assert isinstance(pattern, FastPattern)
    text = "ab abbc x abc"
    position, found = 0, []
    while (match := pattern.search(text, position)) is not None:
        found.append(match.span())
        position = match.start() + 1
    expected, position = [], 0
    while (match := pattern.compiled.search(text, position)) is not None:
        expected.append(match.span())
        position = match.start() + 1
    assert found == expected


def test_patterns_with_groups_keep_their_groups_when_split():
    pattern = fast(re.compile(r"(?P<a>\d+)-x|y(?P<b>\d+)"))
    assert isinstance(pattern, FastPattern)
    match = pattern.search("hey y12 and 3-x")
    assert match.group("b") == "12" and match.group("a") is None
    assert pattern.search("hey 3-x y12").group("a") == "3"


def test_every_literal_is_known_before_a_post_is_read():
    """The lexicon is filled at import: a literal added later could miss in a post whose
    words were looked at before it."""
    coach.analyze("warm up", "en")
    size = len(engine.LEXICON.ids)
    for lang in ("en", "es", "de"):
        for text in _texts(lang, 40):
            coach.analyze(text, lang)
            coach.analyze(text)
    rules._said(rules.WARNING, Text.of("beware of scams"))
    assert len(engine.LEXICON.ids) == size


def _reference_text(original: str) -> Text:
    """The normalisation as it was written first: one character at a time."""
    if original.isascii():
        return Text(original, original.replace("`", "'"), ())
    if unicodedata.is_normalized("NFKC", original) and not ZERO_WIDTH.intersection(original):
        return Text(original, original.translate(APOSTROPHES), ())
    chars, origin = [], []
    for index, char in enumerate(original.translate(APOSTROPHES)):
        if char in ZERO_WIDTH:
            continue
        folded = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        for piece in folded:
            chars.append(piece)
            origin.append(index)
    origin.append(len(original))
    return Text(original, "".join(chars), tuple(origin))


@pytest.mark.parametrize(
    "text",
    [
        "ran 5 km 🏃\u200d♀️ personal best",
        "call me ０１７６ ５５８１２０９３ ok",  # fullwidth digits
        "the ﬁle is there\u200b!",  # a ligature and a zero-width space
        "cafe\u0301 at noon",  # a combining accent
        "I\u2019m home alone \u00bd the week\u200d",
        "só\u00adlo hoy",  # a soft hyphen
        "\u200b\u200b",
        "ä\u200cö ü ß ñ ¿ ¡",
    ],
)
def test_normalising_fast_gives_the_same_text_and_offsets(text):
    got, want = Text.of(text), _reference_text(text)
    assert (got.normal, got.origin) == (want.normal, want.origin)
    assert got.lower == want.lower and got.leet == want.leet
    assert got.lower_tokens == want.lower_tokens and got.leet_tokens == want.leet_tokens


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_the_words_are_the_word_pattern_s_matches(lang):
    """Text.lower_tokens reads the learned layer's tokens in ASCII text: the same words as
    a pass of WORD over the text, apostrophes, marks and digits included."""
    from learner.coach.text import WORD

    extra = ["don't 'quoted' '' x'y'z @me #tag $5 a_b 1st", "I'M HOME", "l0s3r, u r", "''"]
    extra += ["İstanbul ABC def", "Straße über 5€ ¿qué? l'été dónde'stá ñandú 🎉ok", "ÉCOLE"]
    for text in [*_texts(lang), *extra]:
        normal = Text.of(text)
        assert normal.lower_tokens == frozenset(WORD.findall(normal.lower)), text


def test_a_finding_made_fast_is_the_dataclass_s_finding():
    values = ("r", "privacy.phone", "high", 1, 5, "x", "message", "lesson", None)
    made = engine.Finding.made(*values)
    names = ("rule", "category", "severity", "start", "end", "excerpt", "message", "lesson")
    plain = engine.Finding(**dict(zip(names, values, strict=False)))
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert made.as_dict() == plain.as_dict()
    with pytest.raises(AttributeError):
        made.start = 2  # still frozen


@pytest.mark.parametrize("lang", ["en", "es", "de"])
def test_a_rule_s_digit_count_holds_for_every_match(lang):
    """A rule counted to need n digits never matches text with fewer (so posts with
    fewer digits skip it)."""
    counted = [rule for rule in REGISTRIES[lang] if rule.min_digits > 1]
    assert counted
    for text in _texts(lang):
        haystack = Text.of(text).lower
        for rule in counted:
            for match in re.finditer(rule.pattern.pattern, haystack):
                assert len(re.findall(r"\d", match.group(0))) >= rule.min_digits, rule.id
    assert engine.min_digits(re.compile(r"\d{3}(?:-\d{4}|\d)[0-9]?")) == 4
    assert engine.min_digits(re.compile(r"(?=\d{5})x|\d")) == 0
