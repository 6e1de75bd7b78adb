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


NAMED_SCHOOLS = [
    ("Big game Friday at Roosevelt Middle School", "Roosevelt Middle School"),
    ("Go Lincoln High Tigers!", "Lincoln High"),
    ("Big game Friday at Roosevelt Middle School, come cheer for us!", "Roosevelt Middle School"),
    ("Maplewood Prep wins again", "Maplewood Prep"),
    ("so cold at St. Mary's Academy this morning", "St. Mary's Academy"),
    ("Lincoln HS class of 2027 🎓", "Lincoln HS"),
    ("Proud of Westfield Middle School robotics", "Westfield Middle School"),
    ("GO LINCOLN HIGH TIGERS", "LINCOLN HIGH"),
    ("Cedar Valley High School band concert tonight 🎺", "Cedar Valley High School"),
    ("rain delay at Greenfield Junior High, typical", "Greenfield Junior High"),
    ("Lincoln Senior High School homecoming pics", "Lincoln Senior High School"),
    ("pep rally at Oak Ridge Elementary", "Oak Ridge Elementary"),
    ("our greenfield junior high robotics club won", "greenfield junior high"),
    ("i go to lincoln senior high school", "lincoln senior high school"),
]


@pytest.mark.parametrize(("text", "name"), NAMED_SCHOOLS)
def test_a_named_school_is_flagged_whatever_the_words_around_it(text, name):
    findings = [f for f in coach.analyze(text) if f.category == "privacy.school"]
    assert [f.excerpt for f in findings] == [name]
    assert all(text[f.start : f.end] == f.excerpt for f in findings)


GENERIC_SCHOOL = [
    "my high school",
    "high school is hard",
    "High school is hard",
    "Middle School memories 😭",
    "school starts tomorrow",
    "First Day Of High School",
    "I HATE MIDDLE SCHOOL",
    "Khan Academy saved my math grade",
    "Sunday Meal Prep ideas",
    "Kensington High Street was packed",
    "Sky High was such a good film",
    "Loved High School Musical",
    "Harvard Law School is my dream",
    "the Academy Awards were boring",
    "my cousin goes to Ridgeview High",
    "Went to Spain. High school starts soon",
]


@pytest.mark.parametrize("text", GENERIC_SCHOOL)
def test_generic_school_words_stay_clean(text):
    assert coach.analyze(text) == []


TRIPS = [
    "We're going on vacation to Spain for two weeks, leaving tomorrow!",
    "We\u2019re going on vacation to Spain for two weeks, leaving tomorrow!",
    "going on vacation to Spain for two weeks",
    "leaving tomorrow!",
    "we're away all week",
    "I'm away all week",
    "we're leaving tomorrow for Florida!",
    "heading to Paris tomorrow, back on the 20th",
    "family trip to Disney, flying out Friday morning",
    "on a cruise till next Sunday 🛳",
    "we fly to Tokyo tonight for 3 weeks",
    "we leave for Italy on Saturday, won't be back till August",
    "my parents are taking us to Hawaii for the whole summer, leaving Monday",
    "road trip!! gone all weekend",
    "our flight leaves at 6am tomorrow 🛫",
    "off to Spain till the 20th!",
]


@pytest.mark.parametrize("text", TRIPS)
def test_a_trip_with_a_duration_or_departure_is_flagged_as_away(text):
    assert coach.categories(coach.analyze(text)) == ["privacy.away"]


CLEAN = [
    "I'm home now",
    "I\u2019m home now, finally",
    "home alone movie night with the family?",
    "back from vacation, missed you all",
    "the away game went well",
    "Away game tomorrow!",
    "school starts tomorrow",
    "going to the mall tomorrow",
    "going to bed for the night",
    "off to the library till 5",
    "going to study till midnight",
    "wish I was going on vacation for two weeks",
    "we went on vacation to Spain for two weeks last summer",
    "my friend is going on vacation for two weeks",
    "I'm leaving the group chat tomorrow",
    "leaving for school at 7 tomorrow",
    "we're going on a field trip tomorrow",
    "just got back from two weeks in Spain",
    "I'm off tomorrow",
    "heading to practice, back at 6",
    "can't wait for summer vacation",
    "Gone are the days of dial-up",
]


@pytest.mark.parametrize("text", CLEAN)
def test_hard_clean_negatives_stay_clean(text):
    assert coach.analyze(text) == []
