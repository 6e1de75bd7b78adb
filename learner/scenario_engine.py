"""The scenario engine, as pure functions (no database, no clock of its own).

Given a scenario, the learner's actions so far (each with the scenario second it happened)
and the scenario clock, it says which events have happened (and how), which is next, and
the score (docs/SCENARIOS.md). The services in `learner.scenarios` store runs and actions
and call these; the visitor's try-out keeps the same data in its session cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import gettext as _

from learner.core.numbers import percent
from learner.errors import DomainError
from lessons.scenarios import (
    ACTIONS,
    REPORT_REASONS,
    REQUEST_TYPES,
    TARGET_KINDS,
    TARGET_OPTIONAL,
    Event,
    Expected,
    Match,
    Mistake,
    Scenario,
)


@dataclass(frozen=True)
class Act:
    """One thing the learner did: `kind` is an action of docs/SCENARIOS.md, `second` the
    scenario second it happened, `categories` the coach categories found in `text`."""

    kind: str
    target: str | None = None
    second: int = 0
    text: str | None = None
    reason: str | None = None
    value: str | None = None
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Happened:
    """An event that has happened: at which second, and silently (its actor was muted)."""

    event: Event
    second: int
    silent: bool


@dataclass(frozen=True)
class Score:
    """The result: the score (0..100), each expected action with whether it was met, each
    mistake made, and whether it passes."""

    points: int
    expected: tuple[tuple[Expected, bool], ...]
    mistakes: tuple[Mistake, ...]
    passed: bool


def matches(match: Match, act: Act) -> bool:
    """The act fits the match: same action, and every field the match gives holds."""
    return (
        act.kind == match.action
        and (match.target is None or act.target == match.target)
        and (match.coach is None or match.coach in act.categories)
        and (match.reason is None or act.reason == match.reason)
        and (match.value is None or act.value == match.value)
    )


def author_of(scenario: Scenario, target: str | None) -> str | None:
    """Whose post, comment or event (message, request, tag) `target` is; None for others."""
    if target is None:
        return None
    item = scenario.event(target) or scenario.post(target) or scenario.comment(target)
    return getattr(item, "actor", None)


def fits(scenario: Scenario, match: Match, act: Act) -> bool:
    """The act fits the match (`matches`), or the match reports an account and the act
    reports something of that account's (a message, a post): reporting Rio's DM is
    reporting Rio."""
    if matches(match, act):
        return True
    return (
        match.action == "report"
        and match.target is not None
        and scenario.actor(match.target) is not None
        and author_of(scenario, act.target) == match.target
        and matches(replace(match, target=None), act)
    )


# An event's place in time: (second, order). A timed event comes before any act of its
# second (order -1); a triggered one with no delay comes right after the act that set it
# off (order = that act's index + 0.5). An act at (second, index) comes before an event
# whose key is larger.
def _key_of_act(index: int, act: Act) -> tuple[float, float]:
    return (act.second, index)


def schedule(scenario: Scenario, acts: list[Act]) -> list[tuple[Event, int, tuple]]:
    """Every event that will happen given these acts, whatever the clock: (event, second,
    key), ordered by time. Triggered events are set off by the first act that fits their
    `when`; an event whose actor was blocked before it never happens."""
    planned: list[tuple[Event, int, tuple]] = []
    for event in scenario.events:
        if event.when is None:
            key = (event.after, -1.0)
            planned.append((event, event.after, key))
            continue
        for index, act in enumerate(acts):
            if matches(event.when, act):
                second = act.second + event.after
                key = (second, index + 0.5) if event.after == 0 else (second, -1.0)
                planned.append((event, second, key))
                break
    kept = [item for item in planned if not _stopped_by(scenario, acts, item, "block")]
    kept.sort(key=lambda item: item[2])
    return kept


def _stopped_by(scenario: Scenario, acts: list[Act], item: tuple, kind: str) -> bool:
    """An act of `kind` (block / mute) on the event's actor came before the event."""
    event, _second, key = item
    return any(
        act.kind == kind and act.target == event.actor and _key_of_act(i, act) < key
        for i, act in enumerate(acts)
    )


def happened(scenario: Scenario, acts: list[Act], clock: int) -> list[Happened]:
    """The events that have happened by scenario second `clock`, in order. A muted actor's
    events arrive silently (no pop-up)."""
    return [
        Happened(event, second, _stopped_by(scenario, acts, item, "mute"))
        for item in schedule(scenario, acts)
        for event, second, _key in [item]
        if second <= clock
    ]


def next_second(scenario: Scenario, acts: list[Act], clock: int) -> int | None:
    """When the next event will happen after `clock` (None: nothing more is coming, unless
    the learner does something that sets an event off)."""
    later = [second for _event, second, _key in schedule(scenario, acts) if second > clock]
    return min(later) if later else None


def hints_due(scenario: Scenario, events: list[Happened]) -> list[str]:
    """The guided hints (their `at`) that are due: 'start', and each happened event's."""
    due = {"start"} | {h.event.id for h in events}
    return [hint.at for hint in scenario.guided if hint.at in due]


def score(scenario: Scenario, acts: list[Act]) -> Score:
    """score = 100 x (expected met - mistakes made) / (all expected), at least 0, rounded
    half up; passing is `pass_score` or more. A mistake counts once however often made.
    Keeping clear of something ("not" items) counts only once the learner has also done
    something careful the scenario asks for: doing nothing at all scores 0, not the half
    that the "never" items would otherwise give for free."""
    done = {item for item in scenario.expected if not item.negate and _met(scenario, item, acts)}
    met = tuple(
        (item, bool(done) and _met(scenario, item, acts) if item.negate else item in done)
        for item in scenario.expected
    )
    made = tuple(m for m in scenario.mistakes if any(fits(scenario, m.match, a) for a in acts))
    gained = sum(item.weight for item, ok in met if ok) - sum(m.weight for m in made)
    points = percent(max(gained, 0), scenario.total_weight)
    return Score(points=points, expected=met, mistakes=made, passed=points >= scenario.pass_score)


def _met(scenario: Scenario, item: Expected, acts: list[Act]) -> bool:
    done = any(fits(scenario, item.match, act) for act in acts)
    return not done if item.negate else done


def visible_ids(scenario: Scenario, events: list[Happened]) -> set[str]:
    """The ids a learner can act on now: actors, feed posts and comments, happened events,
    and the settings."""
    ids = {a.id for a in scenario.actors}
    ids |= {p.id for p in scenario.feed}
    ids |= {c.id for p in scenario.feed for c in p.comments}
    ids |= {h.event.id for h in events}
    ids |= {key for key, _start in scenario.me.settings}
    return ids


def settings_now(scenario: Scenario, acts: list[Act]) -> dict[str, str]:
    """The learner's in-scenario settings after their changes."""
    values = dict(scenario.me.settings)
    for act in acts:
        if act.kind == "setting" and act.target in values and act.value is not None:
            values[act.target] = act.value
    return values


MAX_TEXT = 1000


class ScenarioActionError(DomainError):
    """An action the scenario cannot take (unknown target, missing text...); `field` says
    which form field is wrong."""


def check_act(scenario: Scenario, events: list[Happened], act: Act) -> None:
    """Refuse an action that does not fit the scenario as it stands: the action must be
    one of docs/SCENARIOS.md's, its target something on screen it can point at, and its
    text, reason or value given where needed. Raises ScenarioActionError."""
    if act.kind not in ACTIONS:
        raise ScenarioActionError(_("That is not something you can do here."), field="kind")
    wanted = TARGET_KINDS[act.kind]
    if act.target is None:
        if act.kind not in TARGET_OPTIONAL:
            raise ScenarioActionError(_("Choose what this is about."), field="target")
    else:
        on_screen = visible_ids(scenario, events)
        kinds = scenario.kinds_of(act.target) if act.target in on_screen else set()
        if act.kind == "open_link" and act.target in on_screen:
            kinds |= {"link"} if scenario.link_of(act.target) else set()
        if not kinds & set(wanted):
            raise ScenarioActionError(_("That is not on your screen."), field="target")
        event = scenario.event(act.target)
        if act.kind == "ignore" and (event is None or event.type not in ("dm", *REQUEST_TYPES)):
            raise ScenarioActionError(
                _("Only a message or a request can be ignored."), field="target"
            )
    if act.kind == "reply" and (not act.text or not act.text.strip()):
        raise ScenarioActionError(_("Write your reply first."), field="text")
    if act.text is not None and len(act.text) > MAX_TEXT:
        raise ScenarioActionError(_("Keep it under %(n)s characters.", n=MAX_TEXT), field="text")
    if act.kind == "report" and act.reason not in REPORT_REASONS:
        raise ScenarioActionError(_("Choose why you are reporting it."), field="reason")
    if act.kind == "setting" and act.value not in scenario.me.choices_for(act.target or ""):
        raise ScenarioActionError(_("Choose one of the options."), field="value")
