"""The privacy setup: a simulated settings panel that mirrors real networks, with scoring.

Settings are data: each option has a risk rank (0 is the most private) and says what it
exposes; the recommendation depends on the learner's age band. The score is the share
of settings at or safer than the recommendation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from learner.core.numbers import percent
from learner.models import AgeBand


@dataclass(frozen=True)
class Option:
    """One value a setting can take."""

    value: str
    label: str
    risk: int
    exposes: str = ""


@dataclass(frozen=True)
class Setting:
    """One setting in the panel, with its recommendation per age band."""

    id: str
    label: str
    explanation: str
    options: tuple[Option, ...]
    recommended: dict[AgeBand, str]

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        return next((o for o in self.options if o.value == value), None)

    def recommended_for(self, band: AgeBand | None) -> Option:
        """The recommended option for an age band (the youngest band's when unknown)."""
        value = self.recommended[band or AgeBand.UNDER_13]
        return self.option(value)


YOUNG = (AgeBand.UNDER_13, AgeBand.AGE_13_15)


def _rec(young: str, older: str, adult: str) -> dict[AgeBand, str]:
    return {
        AgeBand.UNDER_13: young,
        AgeBand.AGE_13_15: young,
        AgeBand.AGE_16_17: older,
        AgeBand.ADULT: adult,
    }


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "profile_visibility",
        _l("Who can see your profile"),
        _l("Your profile shows your name, photo, bio and posts to whoever is allowed in."),
        (
            Option("friends", _l("Only people I accept"), 0),
            Option(
                "friends_of_friends",
                _l("Friends of friends"),
                1,
                _l("Hundreds of people you have never met can read your profile."),
            ),
            Option(
                "public",
                _l("Everyone"),
                2,
                _l("Anyone on the internet, and search engines, can read your profile."),
            ),
        ),
        _rec("friends", "friends", "friends_of_friends"),
    ),
    Setting(
        "who_can_message",
        _l("Who can send you messages"),
        _l("Messages from strangers are where most scams and unwanted contact start."),
        (
            Option("friends", _l("Only people I accept"), 0),
            Option(
                "friends_of_friends",
                _l("Friends of friends"),
                1,
                _l("People you don't know can write to you privately."),
            ),
            Option(
                "everyone",
                _l("Everyone"),
                2,
                _l("Any stranger can message you, including fake accounts."),
            ),
        ),
        _rec("friends", "friends", "friends_of_friends"),
    ),
    Setting(
        "friend_requests",
        _l("Who can send you friend requests"),
        _l("Limiting requests keeps strangers from knocking at all."),
        (
            Option("friends_of_friends", _l("Friends of friends"), 0),
            Option(
                "everyone",
                _l("Everyone"),
                1,
                _l("Any account can ask to join your circle and see more of you."),
            ),
        ),
        _rec("friends_of_friends", "friends_of_friends", "everyone"),
    ),
    Setting(
        "tag_review",
        _l("Review tags before they appear"),
        _l("Others can tag you in photos and posts; review lets you decide first."),
        (
            Option("on", _l("Yes, I review tags first"), 0),
            Option(
                "off",
                _l("No, tags appear at once"),
                1,
                _l("A photo someone else posts can show up on your profile without you."),
            ),
        ),
        _rec("on", "on", "on"),
    ),
    Setting(
        "location_sharing",
        _l("Share your location"),
        _l("Location shows where you are, and over time where you live and go to school."),
        (
            Option("off", _l("Never"), 0),
            Option(
                "when_posting",
                _l("Only when I add it to a post"),
                1,
                _l("Each tagged post tells people where you were, and often when."),
            ),
            Option("always", _l("Always, live"), 2, _l("People can see where you are right now.")),
        ),
        _rec("off", "off", "when_posting"),
    ),
    Setting(
        "birthday_shown",
        _l("Show your birthday"),
        _l("A full birth date helps others guess passwords or pretend to be you."),
        (
            Option("hidden", _l("Don't show it"), 0),
            Option(
                "day_month",
                _l("Day and month only"),
                1,
                _l("Friends see the day; combined with your age it gives away the year."),
            ),
            Option(
                "full_date",
                _l("Full date with the year"),
                2,
                _l("Your full date of birth is one of the keys to your identity."),
            ),
        ),
        _rec("hidden", "hidden", "day_month"),
    ),
    Setting(
        "found_by_contact",
        _l("Let people find you by e-mail or phone number"),
        _l("Anyone who has your number or address can look up your profile."),
        (
            Option("nobody", _l("Nobody"), 0),
            Option(
                "friends",
                _l("Only people I accept"),
                1,
                _l("Contacts who are not your friends can't find you, but friends can."),
            ),
            Option(
                "everyone",
                _l("Everyone"),
                2,
                _l("Someone who finds your number anywhere can find your profile too."),
            ),
        ),
        _rec("nobody", "nobody", "friends"),
    ),
    Setting(
        "third_party_apps",
        _l("Apps and games that use your account"),
        _l("Quizzes and games that log in with your account can read your data."),
        (
            Option("off", _l("None"), 0),
            Option(
                "ask",
                _l("Ask me each time"),
                1,
                _l("Each app you allow can read your profile and sometimes your friends'."),
            ),
            Option(
                "allowed",
                _l("Allow apps"),
                2,
                _l("Apps can collect your data without you noticing."),
            ),
        ),
        _rec("ask", "ask", "ask"),
    ),
    Setting(
        "default_audience",
        _l("Who sees your new posts"),
        _l("The audience a post gets unless you change it for that post."),
        (
            Option("close_friends", _l("Close friends"), 0),
            Option("friends", _l("Friends"), 1),
            Option(
                "public",
                _l("Everyone"),
                2,
                _l("Every post is public unless you remember to change it."),
            ),
        ),
        _rec("friends", "friends", "friends"),
    ),
    Setting(
        "friends_list",
        _l("Who sees your friends list"),
        _l("Your list of friends tells strangers who you know and trust."),
        (
            Option("only_me", _l("Only me"), 0),
            Option("friends", _l("Friends"), 1),
            Option(
                "public",
                _l("Everyone"),
                2,
                _l("Strangers can pose as someone who knows your friends."),
            ),
        ),
        _rec("friends", "friends", "friends"),
    ),
    Setting(
        "photo_downloads",
        _l("Let others download your photos"),
        _l("Downloaded photos can be shared, changed and reposted where you can't see."),
        (
            Option("off", _l("No"), 0),
            Option(
                "friends", _l("Friends only"), 1, _l("Friends can save and pass on your photos.")
            ),
            Option(
                "everyone",
                _l("Everyone"),
                2,
                _l("Anyone can save your photos and use them elsewhere."),
            ),
        ),
        _rec("off", "friends", "friends"),
    ),
    Setting(
        "activity_status",
        _l("Show when you are online"),
        _l("An 'active now' dot tells people when you are there to answer, and when not."),
        (
            Option("off", _l("Hide it"), 0),
            Option(
                "on",
                _l("Show it"),
                1,
                _l("People can see when you are online and notice your daily routine."),
            ),
        ),
        _rec("off", "off", "on"),
    ),
)

SETTINGS_BY_ID = {s.id: s for s in SETTINGS}


class PrivacyInputError(ValueError):
    """Choices that do not fit the panel (a missing setting or an unknown value)."""


@dataclass(frozen=True)
class Review:
    """How a set of choices compares with the recommendations."""

    score: int
    weak: tuple[tuple[Setting, Option], ...]


def check_choices(choices: dict[str, str]) -> dict[str, str]:
    """Every setting answered with a known value; raises PrivacyInputError otherwise."""
    for setting in SETTINGS:
        if setting.option(choices.get(setting.id, "")) is None:
            raise PrivacyInputError(setting.id)
    if set(choices) - set(SETTINGS_BY_ID):
        raise PrivacyInputError("unknown setting")
    return {s.id: choices[s.id] for s in SETTINGS}


def review(choices: dict[str, str], band: AgeBand | None) -> Review:
    """Score the choices for an age band and list each weaker-than-recommended one."""
    weak = []
    for setting in SETTINGS:
        chosen = setting.option(choices.get(setting.id, ""))
        if chosen is None or chosen.risk > setting.recommended_for(band).risk:
            weak.append((setting, chosen))
    good = len(SETTINGS) - len(weak)
    return Review(score=percent(good, len(SETTINGS)), weak=tuple(weak))
