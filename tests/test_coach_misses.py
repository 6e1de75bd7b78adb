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


# Meanness without swear words that the writers share (pile-ons, leaving a named person out,
# rankings of the worst, veiled threats), each rule by its own id, in each language.
PILE_ONS = [
    ("en", "everyone go spam maya's new video with clown emojis"),
    ("en", "so Jordan isn't invited to the sleepover, agreed?"),
    ("en", "we made a new gc without priya lol"),
    ("en", "stop trying to sit with us Leo, it's awkward"),
    ("en", "leaderboard of the worst dressed in our year, go"),
    ("en", "imagine being 16 and still scared of the dark, couldn't be me"),
    ("en", "would be a shame if something happened to your locker, sam"),
    ("es", "no inviten a la Sofi, siempre arruina todo"),
    ("es", "vamos todos a comentarle 'ridícula' a su foto"),
    ("es", "top 3 de las más falsas del curso, empiezo yo"),
    ("es", "sería una lástima que tu mochila aparezca en la basura"),
    ("de", "keiner will mit dir in die gruppe, echt jetzt"),
    ("de", "ranking der hässlichsten aus der 8a, platz 1 ist klar"),
    ("de", "hast du eigentlich einen spiegel zu hause? scheinbar nicht"),
    ("de", "kommt alle, schreibt ihm was er für ein weichei ist"),
]
KIND_OR_PLAIN = [
    ("en", "is it rude to leave a group chat without saying bye?"),
    ("en", "before you post photos, crop them out of the background"),
    ("en", "imagine being this happy on a monday"),
    ("en", "not inviting anyone this year, small family dinner"),
    ("es", "no inviten a nadie más, ya somos muchos"),
    ("es", "quedan 12 días para las vacaciones"),
    ("es", "el rumor de que cierran el cole es falso, lo dijo la directora"),
    ("de", "Screenshot von meinem Spielstand, endlich Level 100"),
    ("de", "Gerüchte verbreiten macht Leute kaputt, lasst das"),
]


@pytest.mark.parametrize(("lang", "text"), PILE_ONS)
def test_pile_ons_and_leaving_someone_out_are_hurtful(lang, text):
    found = [f for f in coach.rule_findings(text, lang) if f.category == "tone.hurtful"]
    assert found, text
    assert all(f.excerpt and f.lesson and f.message for f in found)


def test_the_pile_on_rules_find_what_the_others_miss():
    for lang, text in PILE_ONS:
        rules = {f.rule for f in coach.rule_findings(text, lang)}
        if text.startswith(("keiner will", "ranking der")):
            continue  # found by the older German rules first
        assert any(rule.startswith("tone.hurtful.pile_on") for rule in rules), (text, rules)


@pytest.mark.parametrize(("lang", "text"), KIND_OR_PLAIN)
def test_plain_posts_near_those_shapes_stay_clean(lang, text):
    assert coach.rule_findings(text, lang) == []


def test_alone_somewhere_that_is_not_home_is_no_empty_home():
    assert "privacy.away" not in coach.categories(
        coach.rule_findings("me quedo sola en la biblioteca hasta las 7", "es")
    )
    assert "privacy.away" in coach.categories(
        coach.rule_findings("este finde me quedo sola en casa", "es")
    )
    assert "privacy.away" not in coach.categories(
        coach.rule_findings("walking home alone from practice", "en")
    )
