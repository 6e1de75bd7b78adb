"""The posts everybody tries first, and their whole class: every apostrophe, any school's
proper name, any trip announced with a duration or a departure."""

from __future__ import annotations

import pytest

from learner import coach

APOSTROPHES = ["'"]
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
