"""The posts everybody tries first, and their whole class: every apostrophe, any school's
proper name, any trip announced with a duration or a departure."""

from __future__ import annotations

from pathlib import Path

import pytest

from learner import coach
from learner.coach.evaluate import load_corpus
from learner.coach.text import Text

APOSTROPHES = ["'", "\u2019", "\u02bc", "`", "\u2018", "\u00b4"]
CONTRACTED_AWAY = [
    "I'm home alone this weekend",
    "I'm home alone",
    "I'm staying home alone all weekend",
    "we're home alone till Sunday",
    "parents' car is gone, they're away all week and I'm home alone",
]


@pytest.mark.parametrize("apostrophe", APOSTROPHES, ids=repr)
@pytest.mark.parametrize("text", CONTRACTED_AWAY)
def test_home_alone_is_flagged_whatever_the_apostrophe(text, apostrophe):
    assert "privacy.away" in coach.categories(coach.analyze(text.replace("'", apostrophe)))


@pytest.mark.parametrize("text", ["I am home alone this weekend", "Im home alone this weekend"])
def test_home_alone_is_flagged_without_an_apostrophe(text):
    assert coach.categories(coach.analyze(text)) == ["privacy.away"]


@pytest.mark.parametrize(
    "text",
    ["I'm home now", "home alone movie night with the family?", "Home Alone 2 is the best"],
)
def test_being_home_and_the_film_stay_clean(text):
    assert coach.analyze(text) == []


def test_a_curly_apostrophe_keeps_the_highlight_on_what_was_typed():
    text = "I\u2019m home alone this weekend"
    [finding] = coach.analyze(text)
    assert text[finding.start : finding.end] == finding.excerpt == "home alone"


@pytest.mark.parametrize(
    "original",
    ["it`s mine", "it\u2019s mine", "\uff49t\u00b4s mine", "it\u02bcs\u200b mine"],
)
def test_the_text_view_writes_every_apostrophe_straight_and_keeps_offsets(original):
    text = Text.of(original)
    assert text.lower == "it's mine"
    start, end = text.span(text.lower.index("mine"), len(text.lower))
    assert original[start:end] == "mine"


CORPORA = Path(__file__).resolve().parent / "coach"


@pytest.mark.parametrize("apostrophe", APOSTROPHES[1:], ids=repr)
@pytest.mark.parametrize("name", ["corpus.jsonl", "holdout.jsonl"])
def test_every_rule_reads_each_apostrophe_as_the_straight_one(name, apostrophe):
    """The whole class: no rule may depend on which apostrophe a keyboard types."""
    posts = [text for text, _labels in load_corpus(CORPORA / name) if "'" in text]
    differ = [
        text
        for text in posts
        if coach.categories(coach.analyze(text))
        != coach.categories(coach.analyze(text.replace("'", apostrophe)))
    ]
    assert len(posts) > 50 and differ == []
