"""Scenarios: short scripted situations on a simulated feed (docs/SCENARIOS.md), loaded and
checked like the lesson catalog.

A file that breaks a rule stops start-up with a ScenarioError that names the file and the
field, so a typo in a scenario can never reach a learner as a half-working feed. The
rules are the ones docs/SCENARIOS.md lists; `flask --app app scenarios check` prints every
problem of every file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lessons.catalog import SLUG, STAGES, TRACKS, Catalog, current_lang
from lessons.translation import differences

SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"
AGES = ("under_13", "13_15", "16_17", "18_plus")
YAML_NUMBER_AGES = {1315: "13_15", 1617: "16_17"}
COLORS = ("teal", "coral", "violet", "amber", "blue", "green", "rose", "slate")
EVENT_TYPES = ("dm", "notification", "follow_request", "friend_request", "tag", "comment")
REQUEST_TYPES = ("follow_request", "friend_request")
ACTIONS = (
    "like",
    "reply",
    "report",
    "block",
    "mute",
    "hide",
    "ignore",
    "accept",
    "decline",
    "tell_adult",
    "open_link",
    "setting",
)
REPORT_REASONS = ("spam", "scam", "harassment", "impersonation", "inappropriate", "other")
REFLECTION_TYPES = ("text", "single")
MAX_AFTER = 600
MAX_ACTORS = 6
DEFAULT_PASS_SCORE = 70
AGO = re.compile(r"^-(\d+)([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
AVATARS_DIR = Path(__file__).resolve().parent.parent / "static" / "avatars"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What each action may point at: kinds of things in the scenario ("actor", "post",
# "comment", "event", "request", "link", "setting"); None: no target at all.
TARGET_KINDS: dict[str, tuple[str, ...]] = {
    "like": ("post", "comment"),
    "reply": ("post", "comment", "event"),
    "report": ("actor", "post", "comment", "event"),
    "block": ("actor",),
    "mute": ("actor",),
    "hide": ("post", "comment"),
    "ignore": ("event",),
    "accept": ("request",),
    "decline": ("request",),
    "tell_adult": ("actor", "post", "comment", "event"),
    "open_link": ("link",),
    "setting": ("setting",),
}
# Actions whose target may be left out (tell_adult: "about nothing in particular").
TARGET_OPTIONAL = frozenset({"tell_adult"})


class ScenarioError(ValueError):
    """A scenario file that breaks a rule: names the file and the field."""

    def __init__(self, path: Path | str, field_name: str, message: str) -> None:
        self.path = Path(path)
        self.field = field_name
        self.message = message
        super().__init__(f"{self.path.parent.name}/{self.path.name}: {field_name}: {message}")


@dataclass(frozen=True)
class Avatar:
    """A picture drawn locally: initials on a color, or a bundled SVG (static/avatars/)."""

    initials: str | None
    color: str
    image: str | None = None


@dataclass(frozen=True)
class Actor:
    """A scripted person (or the learner, id "me")."""

    id: str
    name: str
    handle: str
    bio: str
    avatar: Avatar
    verified: bool = False


@dataclass(frozen=True)
class Link:
    """A link the learner may open; opening it shows `explain` on a safe page."""

    label: str
    explain: str


@dataclass(frozen=True)
class Comment:
    """A comment under a post of the opening feed; `at` is seconds before the start."""

    id: str
    actor: str
    at: int
    text: str
    link: Link | None = None


@dataclass(frozen=True)
class Post:
    """A post of the opening feed; `at` is seconds before the start (0 or negative)."""

    id: str
    actor: str
    at: int
    text: str
    likes: int
    comments: tuple[Comment, ...]
    link: Link | None = None


@dataclass(frozen=True)
class Match:
    """What a learner's action must be: every field that is not None must hold."""

    action: str
    target: str | None = None
    coach: str | None = None
    reason: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Event:
    """Something that happens while the learner plays: timed (`when` is None, `after`
    seconds from the start) or triggered (`after` seconds after the action `when` matches).
    """

    id: str
    type: str
    actor: str
    after: int
    when: Match | None
    text: str
    post: str | None = None
    link: Link | None = None

    @property
    def timed(self) -> bool:
        """Happens at a fixed second, whatever the learner does."""
        return self.when is None

    @property
    def is_request(self) -> bool:
        """A follow or friend request (accept / decline / ignore)."""
        return self.type in REQUEST_TYPES


@dataclass(frozen=True)
class Hint:
    """A guided-run hint, shown at the start or when event `at` happens."""

    at: str
    text: str


@dataclass(frozen=True)
class Expected:
    """What a careful person would do. `negate`: met when no action fits `match`."""

    id: str
    match: Match
    negate: bool
    weight: int
    why: str
    lesson: str


@dataclass(frozen=True)
class Mistake:
    """Something that makes it worse; its weight is subtracted when an action fits it."""

    id: str
    match: Match
    weight: int
    why: str
    lesson: str


@dataclass(frozen=True)
class ReflectionChoice:
    """One answer of a single-choice reflection prompt."""

    id: str
    text: str


@dataclass(frozen=True)
class Prompt:
    """A reflection prompt: free text or one choice."""

    id: str
    type: str
    prompt: str
    choices: tuple[ReflectionChoice, ...] = ()

    def choice(self, choice_id: str) -> ReflectionChoice | None:
        """The choice with this id, if any."""
        return next((c for c in self.choices if c.id == choice_id), None)


@dataclass(frozen=True)
class Me:
    """The learner's own account inside the scenario, with the settings they may change."""

    name: str
    handle: str
    settings: tuple[tuple[str, str], ...]
    setting_choices: tuple[tuple[str, tuple[str, ...]], ...]
    avatar: Avatar = Avatar(initials=None, color="slate", image="me")

    def choices_for(self, key: str) -> tuple[str, ...]:
        """The allowed values of one setting (empty for an unknown key)."""
        return dict(self.setting_choices).get(key, ())


@dataclass(frozen=True)
class Scenario:
    """One scenario file, checked."""

    id: str
    lang: str
    track: str
    stage: str
    lessons: tuple[str, ...]
    ages: tuple[str, ...]
    title: str
    summary: str
    minutes: int
    pass_score: int
    backstory: str
    me: Me
    actors: tuple[Actor, ...]
    feed: tuple[Post, ...]
    events: tuple[Event, ...]
    guided: tuple[Hint, ...]
    expected: tuple[Expected, ...]
    mistakes: tuple[Mistake, ...]
    reflection: tuple[Prompt, ...]
    path: Path = field(compare=False)

    # Lookups by id (the lists are short: a scan is as fast as a dict and stays frozen).
    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id ("me" is the learner), if any."""
        if actor_id == "me":
            return Actor("me", self.me.name, self.me.handle, "", self.me.avatar)
        return next((a for a in self.actors if a.id == actor_id), None)

    def event(self, event_id: str) -> Event | None:
        """The event with this id, if any."""
        return next((e for e in self.events if e.id == event_id), None)

    def post(self, post_id: str) -> Post | None:
        """The feed post with this id, if any."""
        return next((p for p in self.feed if p.id == post_id), None)

    def comment(self, comment_id: str) -> Comment | None:
        """The feed comment with this id, if any."""
        return next((c for p in self.feed for c in p.comments if c.id == comment_id), None)

    def prompt(self, prompt_id: str) -> Prompt | None:
        """The reflection prompt with this id, if any."""
        return next((p for p in self.reflection if p.id == prompt_id), None)

    def kinds_of(self, target: str) -> set[str]:
        """What a target id names: 'actor', 'post', 'comment', 'event', 'request', 'link'
        (it has a link), 'setting' (empty when nothing)."""
        kinds: set[str] = set()
        if any(a.id == target for a in self.actors):
            kinds.add("actor")
        post, comment, event = self.post(target), self.comment(target), self.event(target)
        if post is not None:
            kinds.add("post")
        if comment is not None:
            kinds.add("comment")
        if event is not None:
            kinds.add("event")
            if event.is_request:
                kinds.add("request")
            if event.type in ("comment", "tag"):
                kinds.add("comment")  # a comment under a post: liked, hidden like one
        if any(x is not None and x.link is not None for x in (post, comment, event)):
            kinds.add("link")
        if target in dict(self.me.settings):
            kinds.add("setting")
        return kinds

    def link_of(self, target: str) -> Link | None:
        """The link of a post, comment or event, if it has one."""
        for thing in (self.post(target), self.comment(target), self.event(target)):
            if thing is not None and thing.link is not None:
                return thing.link
        return None

    @property
    def total_weight(self) -> int:
        """The weights of every expected action (the score's denominator)."""
        return sum(e.weight for e in self.expected)

    @property
    def last_timed_second(self) -> int:
        """When the last timed event happens."""
        return max(e.after for e in self.events if e.timed)


# --- Parsing ---------------------------------------------------------------------------


class _Reader:
    """Reads one file's fields, raising ScenarioError with the file and the dotted field."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, name: str, message: str) -> ScenarioError:
        return ScenarioError(self.path, name, message)

    def mapping(self, raw: object, name: str) -> dict:
        if not isinstance(raw, dict):
            raise self.fail(name, "must be a mapping")
        return raw

    def text(self, data: dict, key: str, where: str = "", *, optional: bool = False) -> str | None:
        name = f"{where}{key}"
        value = data.get(key)
        if value is None:
            if optional:
                return None
            raise self.fail(name, "is missing")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(name, "must be text")
        value = str(value).strip()
        if not value:
            raise self.fail(name, "is empty")
        if HTML_TAG.search(value):
            raise self.fail(name, "must be plain text (no HTML)")
        return value

    def integer(
        self, data: dict, key: str, where: str = "", *, low: int, high: int, default=None
    ) -> int:
        name = f"{where}{key}"
        value = data.get(key, default)
        if value is None:
            raise self.fail(name, "is missing")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "must be a whole number")
        if not low <= value <= high:
            raise self.fail(name, f"must be between {low} and {high}")
        return value

    def ident(self, data: dict, key: str, where: str = "") -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "is missing")
        if not SLUG.match(value) or len(value) > 60:
            raise self.fail(
                f"{where}{key}", "must be at most 60 lowercase letters, digits and dashes"
            )
        return value

    def items(self, data: dict, key: str, *, required: bool = True) -> list:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "is missing")
            return []
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        return value

    def ago(self, data: dict, key: str, where: str) -> int:
        """`at`: 0, or -Ns / -Nm / -Nh / -Nd, as (non-positive) seconds."""
        value = data.get(key)
        if value is None:
            raise self.fail(f"{where}{key}", "is missing")
        if value == 0 and not isinstance(value, bool):
            return 0
        match = AGO.match(str(value).strip())
        if not match:
            raise self.fail(f"{where}{key}", "must be 0 or written like -30s, -5m, -14h, -2d")
        return -int(match.group(1)) * UNIT_SECONDS[match.group(2)]

    def unique(self, ids: list[str], name: str) -> None:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                raise self.fail(f"{name}[{i}].id", f"'{item_id}' is used twice")
            seen.add(item_id)


def _avatar(r: _Reader, raw: object, where: str) -> Avatar:
    data = r.mapping(raw, f"{where}avatar")
    image = data.get("image")
    if image is not None:
        if not isinstance(image, str) or not SLUG.match(image):
            raise r.fail(f"{where}avatar.image", "must be the name of a bundled SVG")
        if not (AVATARS_DIR / f"{image}.svg").is_file():
            raise r.fail(f"{where}avatar.image", f"no static/avatars/{image}.svg")
        color = data.get("color", "slate")
        if color not in COLORS:
            raise r.fail(f"{where}avatar.color", f"must be one of {', '.join(COLORS)}")
        return Avatar(initials=None, color=color, image=image)
    initials = r.text(data, "initials", f"{where}avatar.")
    if len(initials) > 2:
        raise r.fail(f"{where}avatar.initials", "is at most 2 letters")
    color = data.get("color")
    if color not in COLORS:
        raise r.fail(f"{where}avatar.color", f"must be one of {', '.join(COLORS)}")
    return Avatar(initials=initials, color=color)


def _link(r: _Reader, raw: object, where: str) -> Link | None:
    if raw is None:
        return None
    data = r.mapping(raw, f"{where}link")
    return Link(
        label=r.text(data, "label", f"{where}link."),
        explain=r.text(data, "explain", f"{where}link."),
    )


def _match(r: _Reader, raw: object, where: str) -> Match:
    data = r.mapping(raw, where.rstrip("."))
    action = data.get("action")
    if action not in ACTIONS:
        raise r.fail(f"{where}action", f"must be one of {', '.join(ACTIONS)}")
    return _match_fields(r, data, action, where)


def _match_fields(r: _Reader, data: dict, action: str, where: str) -> Match:
    for extra in ("coach", "reason", "value", "target"):
        if extra in data and data[extra] is not None and not isinstance(data[extra], str):
            raise r.fail(f"{where}{extra}", "must be text")
    match = Match(
        action=action,
        target=data.get("target"),
        coach=data.get("coach"),
        reason=data.get("reason"),
        value=data.get("value"),
    )
    if match.coach is not None:
        from learner.coach import CATEGORIES

        if match.coach not in CATEGORIES:
            raise r.fail(f"{where}coach", f"'{match.coach}' is not a coach category")
        if action not in ("reply", "tell_adult"):
            raise r.fail(f"{where}coach", "only actions with text (reply, tell_adult) have one")
    if match.reason is not None:
        if action != "report":
            raise r.fail(f"{where}reason", "only a report has a reason")
        if match.reason not in REPORT_REASONS:
            raise r.fail(f"{where}reason", f"must be one of {', '.join(REPORT_REASONS)}")
    if match.value is not None and action != "setting":
        raise r.fail(f"{where}value", "only a setting has a value")
    return match


def _check_match_refs(r: _Reader, scenario_parts: dict, match: Match, where: str) -> None:
    """The match's target is something its action can point at; a setting value allowed."""
    probe: Scenario = scenario_parts["probe"]
    if match.target is not None:
        kinds = probe.kinds_of(match.target)
        if not kinds:
            raise r.fail(f"{where}target", f"'{match.target}' is not in the scenario")
        if not kinds & set(TARGET_KINDS[match.action]):
            wanted = " or ".join(TARGET_KINDS[match.action])
            raise r.fail(f"{where}target", f"'{match.target}' is not a {wanted} ({match.action})")
        if match.action == "ignore" and probe.event(match.target).type not in (
            "dm",
            *REQUEST_TYPES,
        ):
            raise r.fail(f"{where}target", "only a DM or a request can be ignored")
    if match.action == "setting":
        if match.target is None:
            raise r.fail(f"{where}target", "a setting match names the setting")
        if match.value is not None and match.value not in probe.me.choices_for(match.target):
            raise r.fail(f"{where}value", f"'{match.value}' is not one of its setting_choices")


def _me(r: _Reader, raw: object) -> Me:
    data = r.mapping(raw, "me")
    settings_raw = r.mapping(data.get("settings") or {}, "me.settings")
    choices_raw = r.mapping(data.get("setting_choices") or {}, "me.setting_choices")
    settings: list[tuple[str, str]] = []
    choices: list[tuple[str, tuple[str, ...]]] = []
    for key, start in settings_raw.items():
        if not isinstance(key, str) or not SLUG.match(key.replace("_", "-")):
            raise r.fail(f"me.settings.{key}", "setting names are lowercase words")
        allowed = choices_raw.get(key)
        if not isinstance(allowed, list) or len(allowed) < 2:
            raise r.fail(f"me.setting_choices.{key}", "needs two or more allowed values")
        allowed = tuple(str(a) for a in allowed)
        if str(start) not in allowed:
            raise r.fail(f"me.settings.{key}", f"'{start}' is not one of its setting_choices")
        settings.append((key, str(start)))
        choices.append((key, allowed))
    for key in choices_raw:
        if key not in settings_raw:
            raise r.fail(f"me.setting_choices.{key}", "has no starting value in me.settings")
    return Me(
        name=r.text(data, "name", "me."),
        handle=r.text(data, "handle", "me."),
        settings=tuple(settings),
        setting_choices=tuple(choices),
    )


def _actor(r: _Reader, raw: object, where: str) -> Actor:
    data = r.mapping(raw, where.rstrip("."))
    actor_id = r.ident(data, "id", where)
    if actor_id == "me":
        raise r.fail(f"{where}id", "'me' is the learner; pick another id")
    verified = data.get("verified", False)
    if not isinstance(verified, bool):
        raise r.fail(f"{where}verified", "must be true or false")
    return Actor(
        id=actor_id,
        name=r.text(data, "name", where),
        handle=r.text(data, "handle", where),
        bio=r.text(data, "bio", where, optional=True) or "",
        avatar=_avatar(r, data.get("avatar"), where),
        verified=verified,
    )


def _comment(r: _Reader, raw: object, where: str) -> Comment:
    data = r.mapping(raw, where.rstrip("."))
    return Comment(
        id=r.ident(data, "id", where),
        actor=r.text(data, "actor", where),
        at=r.ago(data, "at", where),
        text=r.text(data, "text", where),
        link=_link(r, data.get("link"), where),
    )


def _post(r: _Reader, raw: object, where: str) -> Post:
    data = r.mapping(raw, where.rstrip("."))
    comments_raw = data.get("comments") or []
    if not isinstance(comments_raw, list):
        raise r.fail(f"{where}comments", "must be a list")
    return Post(
        id=r.ident(data, "id", where),
        actor=r.text(data, "actor", where),
        at=r.ago(data, "at", where),
        text=r.text(data, "text", where),
        likes=r.integer(data, "likes", where, low=0, high=1_000_000, default=0),
        comments=tuple(
            _comment(r, c, f"{where}comments[{i}].") for i, c in enumerate(comments_raw)
        ),
        link=_link(r, data.get("link"), where),
    )


def _event(r: _Reader, raw: object, where: str) -> Event:
    data = r.mapping(raw, where.rstrip("."))
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise r.fail(f"{where}type", f"must be one of {', '.join(EVENT_TYPES)}")
    when = data.get("when")
    if when is None and "after" not in data:
        raise r.fail(f"{where}after", "a timed event needs `after` (or give it a `when`)")
    text = r.text(data, "text", where, optional=kind in REQUEST_TYPES)
    post = data.get("post")
    if kind in ("tag", "comment") and post is None:
        raise r.fail(f"{where}post", f"a {kind} event points at a post")
    return Event(
        id=r.ident(data, "id", where),
        type=kind,
        actor=r.text(data, "actor", where),
        after=r.integer(data, "after", where, low=0, high=MAX_AFTER, default=0),
        when=None if when is None else _match(r, when, f"{where}when."),
        text=text or "",
        post=post,
        link=_link(r, data.get("link"), where),
    )


def _expected(r: _Reader, raw: object, where: str, first_lesson: str) -> Expected:
    data = r.mapping(raw, where.rstrip("."))
    action = data.get("action")
    negate = action == "not"
    if negate:
        if "match" not in data:
            raise r.fail(f"{where}match", "`action: not` needs a match")
        match = _match(r, data["match"], f"{where}match.")
    else:
        if action not in ACTIONS:
            raise r.fail(f"{where}action", f"must be not or one of {', '.join(ACTIONS)}")
        if "match" in data:
            raise r.fail(f"{where}match", "only `action: not` has a match")
        match = _match_fields(r, data, action, where)
    return Expected(
        id=r.ident(data, "id", where),
        match=match,
        negate=negate,
        weight=r.integer(data, "weight", where, low=1, high=10),
        why=r.text(data, "why", where),
        lesson=r.text(data, "lesson", where, optional=True) or first_lesson,
    )


def _mistake(r: _Reader, raw: object, where: str, first_lesson: str) -> Mistake:
    data = r.mapping(raw, where.rstrip("."))
    if "match" not in data:
        raise r.fail(f"{where}match", "is missing")
    return Mistake(
        id=r.ident(data, "id", where),
        match=_match(r, data["match"], f"{where}match."),
        weight=r.integer(data, "weight", where, low=1, high=10),
        why=r.text(data, "why", where),
        lesson=r.text(data, "lesson", where, optional=True) or first_lesson,
    )


def _prompt(r: _Reader, raw: object, where: str) -> Prompt:
    data = r.mapping(raw, where.rstrip("."))
    kind = data.get("type")
    if kind not in REFLECTION_TYPES:
        raise r.fail(f"{where}type", f"must be one of {', '.join(REFLECTION_TYPES)}")
    choices: tuple[ReflectionChoice, ...] = ()
    if kind == "single":
        raw_choices = data.get("choices")
        if not isinstance(raw_choices, list) or not 2 <= len(raw_choices) <= 6:
            raise r.fail(f"{where}choices", "needs 2 to 6 choices")
        parsed = []
        for i, c in enumerate(raw_choices):
            cw = f"{where}choices[{i}]."
            c = r.mapping(c, cw.rstrip("."))
            choice_id = r.text(c, "id", cw)
            if len(choice_id) > 6:
                raise r.fail(f"{cw}id", "choice ids are at most 6 characters")
            parsed.append(ReflectionChoice(id=choice_id, text=r.text(c, "text", cw)))
        r.unique([c.id for c in parsed], f"{where}choices")
        choices = tuple(parsed)
    elif data.get("choices"):
        raise r.fail(f"{where}choices", "only a single-choice prompt has choices")
    return Prompt(
        id=r.ident(data, "id", where),
        type=kind,
        prompt=r.text(data, "prompt", where),
        choices=choices,
    )


def parse_scenario(path: Path, catalog: Catalog | None = None) -> Scenario:
    """Read and check one scenario file; raises ScenarioError naming the file and field
    (the first problem). With a catalog, the lessons it names must exist in it."""
    scenario, problems = check_scenario(path, catalog)
    if problems:
        raise problems[0]
    return scenario


def _header(r: _Reader, data: dict, path: Path) -> tuple:
    scenario_id = r.ident(data, "id")
    if scenario_id != path.stem:
        raise r.fail("id", f"must be the file name without .yaml ('{path.stem}')")
    lang = r.text(data, "lang")
    if lang != path.parent.name:
        raise r.fail("lang", f"must be the folder's language ('{path.parent.name}')")
    return scenario_id, lang


def _choice_of(r: _Reader, data: dict, key: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key)
    if value not in allowed:
        raise r.fail(key, f"must be one of {', '.join(allowed)}")
    return value


def _lessons(r: _Reader, data: dict) -> list[str]:
    lessons = r.items(data, "lessons")
    if not lessons or not all(isinstance(x, str) for x in lessons):
        raise r.fail("lessons", "must list one or more lesson ids")
    return lessons


def _ages(r: _Reader, data: dict) -> list[str]:
    ages = r.items(data, "ages")
    if not ages:
        raise r.fail("ages", "must list one or more age bands")
    # YAML 1.1 reads an unquoted 13_15 as the number 1315: take it as the band it spells.
    ages = [YAML_NUMBER_AGES.get(a, a) if isinstance(a, int) else a for a in ages]
    for i, age in enumerate(ages):
        if age not in AGES:
            raise r.fail(f"ages[{i}]", f"must be one of {', '.join(AGES)}")
    return ages


def _hint(r: _Reader, raw: object, where: str) -> Hint:
    hint = r.mapping(raw, where.rstrip("."))
    return Hint(at=r.text(hint, "at", where), text=r.text(hint, "text", where))


def check_scenario(
    path: Path, catalog: Catalog | None = None
) -> tuple[Scenario | None, list[ScenarioError]]:
    """Read and check one scenario file: the scenario, or every problem found (each part
    of the file is checked on its own, so one run of the checker lists them all; the
    rules across parts are checked once the parts are sound)."""
    r = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [r.fail("file", "is not UTF-8 text")]
    try:
        # _YAML_LOADER is a safe loader.
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506  # nosec B506
    except yaml.YAMLError as error:
        return None, [r.fail("file", f"is not valid YAML ({error})")]
    if not isinstance(data, dict):
        return None, [r.fail("file", "must be a mapping")]
    problems: list[ScenarioError] = []

    def part(read, default=None):
        try:
            return read()
        except ScenarioError as error:
            problems.append(error)
            return default

    def each(key: str, read, *, required: bool = True) -> tuple:
        raw = part(lambda: r.items(data, key, required=required), [])
        found = [part(lambda i=i, x=x: read(x, f"{key}[{i}].")) for i, x in enumerate(raw)]
        return tuple(x for x in found if x is not None)

    scenario_id, lang = part(lambda: _header(r, data, path), (None, None))
    track = part(lambda: _choice_of(r, data, "track", TRACKS))
    stage = part(lambda: _choice_of(r, data, "stage", STAGES))
    lessons = part(lambda: _lessons(r, data), [])
    ages = part(lambda: _ages(r, data), [])
    first_lesson = lessons[0] if lessons else ""
    title = part(lambda: r.text(data, "title"))
    summary = part(lambda: r.text(data, "summary"))
    minutes = part(lambda: r.integer(data, "minutes", low=3, high=12))
    pass_score = part(
        lambda: r.integer(data, "pass_score", low=0, high=100, default=DEFAULT_PASS_SCORE)
    )
    backstory = part(lambda: _backstory(r, data))
    me = part(lambda: _me(r, data.get("me")))
    count = len(data.get("actors") or []) if isinstance(data.get("actors"), list) else 0
    if not 1 <= count <= MAX_ACTORS:
        problems.append(r.fail("actors", f"needs 1 to {MAX_ACTORS} actors"))
    actors = each("actors", lambda x, w: _actor(r, x, w))
    part(lambda: r.unique([a.id for a in actors], "actors"))
    feed = each("feed", lambda x, w: _post(r, x, w))
    events = each("events", lambda x, w: _event(r, x, w))
    expected = each("expected", lambda x, w: _expected(r, x, w, first_lesson))
    mistakes = each("mistakes", lambda x, w: _mistake(r, x, w, first_lesson))
    reflection = each("reflection", lambda x, w: _prompt(r, x, w))
    guided = each("guided", lambda x, w: _hint(r, x, w), required=False)
    if problems:
        return None, problems
    scenario = Scenario(
        id=scenario_id,
        lang=lang,
        track=track,
        stage=stage,
        lessons=tuple(lessons),
        ages=tuple(ages),
        title=title,
        summary=summary,
        minutes=minutes,
        pass_score=pass_score,
        backstory=backstory,
        me=me,
        actors=actors,
        feed=feed,
        events=events,
        guided=guided,
        expected=expected,
        mistakes=mistakes,
        reflection=reflection,
        path=path,
    )
    whole = part(lambda: _check_whole(r, scenario, catalog) or True)
    return (scenario if whole else None), problems


def _backstory(r: _Reader, data: dict) -> str:
    value = data.get("backstory")
    if not isinstance(value, str) or not value.strip():
        raise r.fail("backstory", "is missing")
    if HTML_TAG.search(value):
        raise r.fail("backstory", "is Markdown (no HTML)")
    return value.strip()


def _check_whole(r: _Reader, s: Scenario, catalog: Catalog | None) -> None:
    """The rules that look across lists: ids, references, counts, lessons."""
    actor_ids = {a.id for a in s.actors} | {"me"}
    r.unique([p.id for p in s.feed], "feed")
    r.unique([e.id for e in s.events], "events")
    r.unique([e.id for e in s.expected], "expected")
    r.unique([m.id for m in s.mistakes], "mistakes")
    r.unique([p.id for p in s.reflection], "reflection")
    # Posts, comments and events share one space of ids: an action's target names one.
    seen: dict[str, str] = {}
    for name, things in (("feed", s.feed), ("events", s.events)):
        for i, thing in enumerate(things):
            if thing.id in seen or thing.id in actor_ids:
                raise r.fail(f"{name}[{i}].id", f"'{thing.id}' is already used")
            seen[thing.id] = name
    for i, post in enumerate(s.feed):
        if post.actor not in actor_ids:
            raise r.fail(f"feed[{i}].actor", f"unknown actor '{post.actor}'")
        for j, comment in enumerate(post.comments):
            where = f"feed[{i}].comments[{j}]."
            if comment.id in seen or comment.id in actor_ids:
                raise r.fail(f"{where}id", f"'{comment.id}' is already used")
            seen[comment.id] = "comment"
            if comment.actor not in actor_ids:
                raise r.fail(f"{where}actor", f"unknown actor '{comment.actor}'")
    if not any(e.timed for e in s.events):
        raise r.fail("events", "needs at least one timed event (with `after` and no `when`)")
    probe = {"probe": s}
    for i, event in enumerate(s.events):
        where = f"events[{i}]."
        if event.actor not in actor_ids - {"me"}:
            raise r.fail(f"{where}actor", f"unknown actor '{event.actor}'")
        if event.post is not None and s.post(event.post) is None:
            raise r.fail(f"{where}post", f"unknown post '{event.post}'")
        if event.when is not None:
            _check_match_refs(r, probe, event.when, f"{where}when.")
            if event.when.target == event.id:
                raise r.fail(f"{where}when.target", "an event cannot wait for itself")
    event_ids = {e.id for e in s.events}
    for i, hint in enumerate(s.guided):
        if hint.at != "start" and hint.at not in event_ids:
            raise r.fail(f"guided[{i}].at", f"must be start or an event id, not '{hint.at}'")
    if not any(not e.negate for e in s.expected):
        raise r.fail("expected", "needs at least one expected action that is not 'not'")
    if not s.mistakes:
        raise r.fail("mistakes", "needs at least one mistake")
    if not s.reflection:
        raise r.fail("reflection", "needs at least one prompt")
    for i, item in enumerate(s.expected):
        sub = "match." if item.negate else ""
        _check_match_refs(r, probe, item.match, f"expected[{i}].{sub}")
    for i, item in enumerate(s.mistakes):
        _check_match_refs(r, probe, item.match, f"mistakes[{i}].match.")
    if catalog is not None:
        for i, lesson in enumerate(s.lessons):
            if catalog.get(lesson) is None:
                raise r.fail(f"lessons[{i}]", f"unknown lesson '{lesson}'")
        for name, items in (("expected", s.expected), ("mistakes", s.mistakes)):
            for i, item in enumerate(items):
                if catalog.get(item.lesson) is None:
                    raise r.fail(f"{name}[{i}].lesson", f"unknown lesson '{item.lesson}'")


class Scenarios:
    """Every scenario, by language and id, shortest first within a stage."""

    def __init__(self, scenarios: Iterable[Scenario]) -> None:
        self._all = sorted(
            scenarios, key=lambda s: (STAGES.index(s.stage), TRACKS.index(s.track), s.minutes, s.id)
        )
        self._by_key = {(s.lang, s.id): s for s in self._all}

    def __len__(self) -> int:
        return len(self._all)

    def get(self, scenario_id: str, lang: str | None = None) -> Scenario | None:
        """A scenario in a language (by default the page's), falling back to English: its
        `lang` says which one it is, so the page can say it is not translated."""
        lang = lang or current_lang()
        return self._by_key.get((lang, scenario_id)) or self._by_key.get(("en", scenario_id))

    def suited(
        self, *, lang: str | None = None, age_band: str | None, tracks: Iterable[str]
    ) -> list[Scenario]:
        """The scenarios for an age band (None: every age) and some tracks, in order (in
        the page's language by default, English where one is not translated)."""
        lang = lang or current_lang()
        wanted = set(tracks)
        ids = dict.fromkeys(s.id for s in self._all if s.lang == "en")
        chosen = [self.get(i, lang) for i in ids]
        return [s for s in chosen if s.track in wanted and (age_band is None or age_band in s.ages)]

    def all(self) -> list[Scenario]:
        """Every scenario, every language."""
        return list(self._all)


def check_folder(
    folder: Path, catalog: Catalog | None
) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every `*.yaml` below `folder` parsed: the good ones and one error per broken file
    (duplicated ids across files count as errors too)."""
    good: list[Scenario] = []
    problems: list[ScenarioError] = []
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        scenario, found = check_scenario(path, catalog)
        if scenario is not None and scenario.lang != "en" and not found:
            found = check_translation(path, folder / "en" / path.name)
        problems += found
        if scenario is not None and not found:
            good.append(scenario)
    return good, problems


def check_translation(path: Path, english: Path) -> list[ScenarioError]:
    """A translated scenario against its English file: the same structure (ids, times,
    actions, answers), every text translated; one error per difference."""
    if not english.is_file():
        return [ScenarioError(path, "id", f"has no English scenario ({english.name}) to translate")]
    ours = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506  # nosec B506
    theirs = yaml.load(english.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506  # nosec B506
    return [ScenarioError(path, name, problem) for name, problem in differences(theirs, ours)]


def load_scenarios(folder: Path = SCENARIOS_DIR, catalog: Catalog | None = None) -> Scenarios:
    """Load every scenario below `folder`; the first broken file raises ScenarioError."""
    good, problems = check_folder(folder, catalog)
    if problems:
        raise problems[0]
    return Scenarios(good)


@functools.cache
def shipped_scenarios(folder: str, catalog: Catalog) -> Scenarios:
    """The scenarios of a folder, loaded once per process (files change with a deploy)."""
    return load_scenarios(Path(folder), catalog)
