"""Scenario practice: runs, the learner's actions, reflections and what supervisors read.

The scenario files are loaded by `lessons.scenarios` (get them with `get_scenarios()`);
the rules of play are the pure functions of `learner.scenario_engine`. This module stores
runs and actions and turns them into the engine's input. Writers take `*, session` and
never commit (the view does); readers take the session positionally.

A person may replay a scenario: each play is a ScenarioRun, and the latest finished run
is the one that counts (`latest_finished`, `passed_ids`). A person's first run of a
scenario is guided (hints to acknowledge); later runs are free. `passed` is stored for
every finished run; `passed_ids` counts free runs and guided ones alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from learner import coach, groupdata, groups, notifications
from learner.errors import DomainError
from learner.models import (
    EventKind,
    Group,
    Membership,
    NotificationKind,
    ScenarioAction,
    ScenarioReflection,
    ScenarioRun,
    SupervisionEvent,
    User,
)
from learner.scenario_engine import (
    Act,
    Happened,
    Score,
    check_act,
    happened,
    hints_due,
    next_second,
    score,
    settings_now,
)
from lessons.scenarios import Actor, Link, Scenario, Scenarios

# Time away from the page counts this much at most: a run resumed tomorrow goes on where
# it was (give or take two minutes), not with every event long past.
IDLE_SECONDS = 120
# A supervisor reading the same result again within this time is not logged again.
VIEWED_QUIET = timedelta(hours=1)
MAX_REFLECTION = 2000


class ScenarioError(DomainError):
    """A run action the rules refuse (finished run, bad reflection); `field` where it is."""


def get_scenarios() -> Scenarios:
    """The current app's scenarios (loaded and checked at start-up)."""
    return current_app.extensions["scenarios"]


# --- The clock --------------------------------------------------------------------------


def clock_of(run: ScenarioRun, now: datetime) -> int:
    """The run's scenario second now: `clock` plus the time since `clock_at` (at most
    IDLE_SECONDS of it). A finished run's clock stands still."""
    if run.finished_at is not None:
        return run.clock
    elapsed = int((now - run.clock_at).total_seconds())
    return run.clock + max(0, min(elapsed, IDLE_SECONDS))


def acts_of(actions: Iterable[ScenarioAction]) -> list[Act]:
    """Stored actions as the engine's Acts, in order."""
    return [
        Act(
            kind=a.kind,
            target=a.target,
            second=a.second,
            text=a.text,
            reason=a.reason,
            value=a.value,
            categories=frozenset(c for c in a.categories.split(",") if c),
        )
        for a in sorted(actions, key=lambda a: a.position)
    ]


def hints_seen(run: ScenarioRun) -> set[str]:
    """The `at` of every guided hint the learner acknowledged in this run."""
    return {h for h in run.hints_seen.split(",") if h}


@dataclass
class PlayState:
    """Everything the play page and the state endpoint show, computed from one run."""

    scenario: Scenario
    clock: int
    acts: list[Act]
    events: list[Happened]
    next_at: int | None
    hints: list[str]  # guided hints due and not yet acknowledged (their `at`)
    finished: bool
    blocked: set[str] = field(default_factory=set)
    muted: set[str] = field(default_factory=set)


def play_state(
    scenario: Scenario, *, acts: list[Act], clock: int, guided: bool, seen: set[str], finished
) -> PlayState:
    """The state of a run (pure: the visitor's try-out calls it with its cookie's data)."""
    events = happened(scenario, acts, clock)
    due = hints_due(scenario, events) if guided else []
    return PlayState(
        scenario=scenario,
        clock=clock,
        acts=acts,
        events=events,
        next_at=next_second(scenario, acts, clock),
        hints=[h for h in due if h not in seen],
        finished=bool(finished),
        blocked={a.target for a in acts if a.kind == "block" and a.target},
        muted={a.target for a in acts if a.kind == "mute" and a.target},
    )


def state_of(
    scenario: Scenario, run: ScenarioRun, actions: list[ScenarioAction], now: datetime
) -> PlayState:
    """The state of a stored run now."""
    return play_state(
        scenario,
        acts=acts_of(actions),
        clock=clock_of(run, now),
        guided=run.guided,
        seen=hints_seen(run),
        finished=run.finished_at is not None,
    )


# --- Reading ----------------------------------------------------------------------------


def runs_of(session: Session, user_id: int, scenario_id: str) -> list[ScenarioRun]:
    """Every run of one scenario by one person, newest first (one query)."""
    return list(
        session.exec(
            select(ScenarioRun)
            .where(ScenarioRun.user_id == user_id, ScenarioRun.scenario_id == scenario_id)
            .order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc())
        ).all()
    )


def current_run(session: Session, user_id: int, scenario_id: str) -> ScenarioRun | None:
    """The person's latest run of a scenario (finished or not), if any (one query)."""
    return session.exec(
        select(ScenarioRun)
        .where(ScenarioRun.user_id == user_id, ScenarioRun.scenario_id == scenario_id)
        .order_by(ScenarioRun.started_at.desc(), ScenarioRun.id.desc())
        .limit(1)
    ).first()


def actions_of(session: Session, run_id: int) -> list[ScenarioAction]:
    """A run's actions in order (one query)."""
    return list(
        session.exec(
            select(ScenarioAction)
            .where(ScenarioAction.run_id == run_id)
            .order_by(ScenarioAction.position)
        ).all()
    )


def latest_runs(session: Session, user_id: int) -> dict[str, ScenarioRun]:
    """Each scenario's latest run by this person, by scenario id (one query)."""
    newest = (
        select(ScenarioRun.scenario_id, func.max(ScenarioRun.id).label("run_id"))
        .where(ScenarioRun.user_id == user_id)
        .group_by(ScenarioRun.scenario_id)
        .subquery()
    )
    rows = session.exec(select(ScenarioRun).join(newest, newest.c.run_id == ScenarioRun.id))
    return {run.scenario_id: run for run in rows.all()}


def latest_finished(session: Session, user_ids: list[int]) -> dict[tuple[int, str], ScenarioRun]:
    """Each person's latest finished run of each scenario, by (user id, scenario id): the
    result that counts (one query, for any number of people)."""
    if not user_ids:
        return {}
    rows = session.exec(_LATEST_FINISHED, params={"user_ids": list(user_ids)})
    return {(run.user_id, run.scenario_id): run for run in rows.all()}


def _latest_finished_statement():
    newest = (
        select(ScenarioRun.user_id, ScenarioRun.scenario_id, func.max(ScenarioRun.id).label("rid"))
        .where(
            ScenarioRun.user_id.in_(bindparam("user_ids", expanding=True)),
            ScenarioRun.finished_at.is_not(None),
        )
        .group_by(ScenarioRun.user_id, ScenarioRun.scenario_id)
        .subquery()
    )
    return select(ScenarioRun).join(newest, newest.c.rid == ScenarioRun.id)


# Built once at import: a fresh subquery each request makes SQLAlchemy build and adapt the
# statement again before its cache can answer.
_LATEST_FINISHED = _latest_finished_statement()


class Outcome(NamedTuple):
    """What a group's pages need of a finished run: its id and whether it passed."""

    id: int
    passed: bool | None


def latest_outcomes(
    session: Session, group: Group, user_ids: list[int]
) -> dict[tuple[int, str], Outcome]:
    """`latest_finished` of some of a group's people, as Outcomes, kept against the group's
    data version (learner/groupdata.py): a class's dashboard reads them on every view."""
    return groupdata.kept(
        group,
        "scenarios.latest_outcomes",
        tuple(user_ids),
        lambda: {
            key: Outcome(run.id, run.passed)
            for key, run in latest_finished(session, user_ids).items()
        },
    )


def latest_finished_ids(session: Session, user_ids: list[int]) -> dict[tuple[int, str], int]:
    """The ids of latest_finished's runs, by (user id, scenario id), for a page that only
    counts their actions (one query of three columns, no run loaded)."""
    if not user_ids:
        return {}
    rows = session.exec(
        select(ScenarioRun.user_id, ScenarioRun.scenario_id, func.max(ScenarioRun.id))
        .where(ScenarioRun.user_id.in_(user_ids), ScenarioRun.finished_at.is_not(None))
        .group_by(ScenarioRun.user_id, ScenarioRun.scenario_id)
    ).all()
    return {(user_id, scenario_id): run_id for user_id, scenario_id, run_id in rows}


def passed_ids(session: Session, user_id: int) -> set[str]:
    """The scenarios whose latest finished run by this person passed (one query)."""
    return {sid for (_uid, sid), run in latest_finished(session, [user_id]).items() if run.passed}


def reflections_of(session: Session, run_ids: list[int]) -> dict[int, list[ScenarioReflection]]:
    """The reflection answers of some runs, by run id (one query)."""
    found: dict[int, list[ScenarioReflection]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        rows = session.exec(
            select(ScenarioReflection)
            .where(ScenarioReflection.run_id.in_(run_ids))
            .order_by(ScenarioReflection.id)
        )
        for row in rows.all():
            found[row.run_id].append(row)
    return found


def actions_of_runs(session: Session, run_ids: list[int]) -> dict[int, list[ScenarioAction]]:
    """The actions of some runs, by run id, in order (one query)."""
    found: dict[int, list[ScenarioAction]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        rows = session.exec(
            select(ScenarioAction)
            .where(ScenarioAction.run_id.in_(run_ids))
            .order_by(ScenarioAction.run_id, ScenarioAction.position)
        )
        for row in rows.all():
            found[row.run_id].append(row)
    return found


def acts_of_runs(session: Session, run_ids: list[int]) -> dict[int, list[Act]]:
    """The actions of some runs as the engine's Acts, by run id, in order (one query of
    the few columns the engine reads: a class's runs may have thousands of actions)."""
    found: dict[int, list[Act]] = {run_id: [] for run_id in run_ids}
    if run_ids:
        rows = session.exec(
            select(
                ScenarioAction.run_id,
                ScenarioAction.kind,
                ScenarioAction.target,
                ScenarioAction.second,
                ScenarioAction.text,
                ScenarioAction.reason,
                ScenarioAction.value,
                ScenarioAction.categories,
            )
            .where(ScenarioAction.run_id.in_(run_ids))
            .order_by(ScenarioAction.run_id, ScenarioAction.position)
        )
        for run_id, kind, target, second, text, reason, value, categories in rows.all():
            found[run_id].append(
                Act(
                    kind=kind,
                    target=target,
                    second=second,
                    text=text,
                    reason=reason,
                    value=value,
                    categories=frozenset(c for c in categories.split(",") if c),
                )
            )
    return found


@dataclass(frozen=True)
class Result:
    """A finished run as a supervisor reads it: the score, each action, the reflection."""

    scenario: Scenario
    run: ScenarioRun
    actions: list[ScenarioAction]
    reflection: list[ScenarioReflection]
    score: Score


def results_for(session: Session, user_id: int, scenarios: Scenarios) -> list[Result]:
    """A person's latest finished run of each scenario, with actions and reflection, in
    the scenarios' order (three queries whatever the number of runs and actions)."""
    latest = latest_finished(session, [user_id])
    run_ids = [run.id for run in latest.values()]
    actions = actions_of_runs(session, run_ids)
    answers = reflections_of(session, run_ids)
    results = []
    for scenario in scenarios.all():
        run = latest.get((user_id, scenario.id))
        if run is None or scenario.lang != run.lang:
            continue
        results.append(
            Result(
                scenario,
                run,
                actions[run.id],
                answers[run.id],
                score(scenario, acts_of(actions[run.id])),
            )
        )
    return results


HELP_LIMIT = 20


def help_asked(session: Session, user_id: int) -> list[tuple[ScenarioAction, ScenarioRun]]:
    """The person's latest "tell a trusted adult" messages, in any run (finished or not),
    newest first, with their runs (one query)."""
    return list(session.exec(_HELP_ASKED, params={"user_id": user_id}).all())


_HELP_ASKED = (
    select(ScenarioAction, ScenarioRun)
    .join(ScenarioRun, ScenarioRun.id == ScenarioAction.run_id)
    .where(ScenarioRun.user_id == bindparam("user_id"), ScenarioAction.kind == "tell_adult")
    .order_by(ScenarioAction.created_at.desc(), ScenarioAction.id.desc())
    .limit(HELP_LIMIT)
)


# --- Writing ----------------------------------------------------------------------------


def start_run(*, session: Session, user: User, scenario: Scenario, now: datetime) -> ScenarioRun:
    """Start a new run (a replay keeps the earlier ones). The first run of a scenario is
    guided; an unfinished earlier run is simply left behind."""
    played = session.exec(
        select(func.count())
        .select_from(ScenarioRun)
        .where(
            ScenarioRun.user_id == user.id,
            ScenarioRun.scenario_id == scenario.id,
            ScenarioRun.finished_at.is_not(None),
        )
    ).one()
    run = ScenarioRun(
        user_id=user.id,
        scenario_id=scenario.id,
        lang=scenario.lang,
        guided=played == 0 and bool(scenario.guided),
        started_at=now,
        clock=0,
        clock_at=now,
    )
    session.add(run)
    session.flush()
    return run


def _open(run: ScenarioRun) -> None:
    if run.finished_at is not None:
        raise ScenarioError(_("This run is over: start it again to play once more."))


def coach_categories(text: str | None) -> tuple[list[str], list[str]]:
    """The coach's categories and rule ids for a text (empty when there is no text)."""
    if not text:
        return [], []
    try:
        findings = coach.analyze(text)
    except coach.CoachInputError as error:
        raise ScenarioError(str(error), field="text") from error
    return coach.categories(findings), sorted({f.rule for f in findings})


def record_action(
    *,
    session: Session,
    run: ScenarioRun,
    scenario: Scenario,
    actions: list[ScenarioAction],
    kind: str,
    target: str | None,
    now: datetime,
    text: str | None = None,
    reason: str | None = None,
    value: str | None = None,
) -> ScenarioAction:
    """Record what the learner did, at the run's clock now, with the coach's findings on
    its text. Refuses (ScenarioActionError / ScenarioError, with a field) an action that
    does not fit the scenario as the learner sees it. `actions` are the run's so far.
    The clock is pinned at the action's second (time away counts from here)."""
    _open(run)
    text = text.strip() if isinstance(text, str) and text.strip() else None
    second = clock_of(run, now)
    categories, rules = coach_categories(text)
    act = Act(kind, target or None, second, text, reason, value, frozenset(categories))
    check_act(scenario, happened(scenario, acts_of(actions), second), act)
    action = ScenarioAction(
        run_id=run.id,
        position=len(actions),
        kind=kind,
        target=act.target,
        text=text,
        reason=reason if kind == "report" else None,
        value=value if kind == "setting" else None,
        categories=",".join(categories),
        rules=",".join(rules),
        second=second,
        created_at=now,
    )
    run.clock, run.clock_at = second, now
    session.add_all([action, run])
    session.flush()
    return action


def continue_clock(
    *, session: Session, run: ScenarioRun, scenario: Scenario, acts: list[Act], now: datetime
) -> int | None:
    """ "Continue": move the clock to the next event that will happen (nothing when none is
    coming). Returns the new second, or None."""
    _open(run)
    clock = clock_of(run, now)
    upcoming = next_second(scenario, acts, clock)
    if upcoming is None:
        return None
    run.clock, run.clock_at = upcoming, now
    session.add(run)
    session.flush()
    return upcoming


def acknowledge_hint(*, session: Session, run: ScenarioRun, scenario: Scenario, at: str) -> None:
    """The learner read a guided hint (`at`: 'start' or an event id)."""
    _open(run)
    if not any(h.at == at for h in scenario.guided):
        raise ScenarioError(_("There is no such hint."), field="at")
    seen = hints_seen(run) | {at}
    run.hints_seen = ",".join(h.at for h in scenario.guided if h.at in seen)
    session.add(run)
    session.flush()


def finish(
    *, session: Session, run: ScenarioRun, scenario: Scenario, acts: list[Act], now: datetime
) -> Score:
    """End the run: its score and whether it passed are kept."""
    _open(run)
    result = score(scenario, acts)
    run.clock = clock_of(run, now)
    run.finished_at = now
    run.score = result.points
    run.passed = result.passed
    session.add(run)
    session.flush()
    return result


def read_reflection(
    scenario: Scenario, form: dict[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    """The answers of a reflection form (`r-<prompt id>` fields) as {prompt id: (choice id,
    text)}; every prompt needs an answer. Raises ScenarioError naming the field."""
    answers: dict[str, tuple[str | None, str | None]] = {}
    problems: dict[str, str] = {}
    for prompt in scenario.reflection:
        name = f"r-{prompt.id}"
        raw = (form.get(name) or "").strip()
        if not raw:
            problems[name] = _("Answer this one, please.")
        elif prompt.type == "single":
            if prompt.choice(raw) is None:
                problems[name] = _("Choose one of the answers.")
            else:
                answers[prompt.id] = (raw, None)
        elif len(raw) > MAX_REFLECTION:
            problems[name] = _("Keep it under %(n)s characters.", n=MAX_REFLECTION)
        else:
            answers[prompt.id] = (None, raw)
    if problems:
        raise ScenarioError(next(iter(problems.values())), fields=problems)
    return answers


def save_reflection(
    *,
    session: Session,
    run: ScenarioRun,
    answers: dict[str, tuple[str | None, str | None]],
    now: datetime,
) -> None:
    """Keep the reflection of a finished run (answered once; a second time replaces it)."""
    if run.finished_at is None:
        raise ScenarioError(_("Finish the scenario first."))
    old = session.exec(select(ScenarioReflection).where(ScenarioReflection.run_id == run.id)).all()
    for row in old:
        session.delete(row)
    session.flush()
    session.add_all(
        ScenarioReflection(run_id=run.id, prompt_id=pid, choice_id=c, text=t, answered_at=now)
        for pid, (c, t) in answers.items()
    )
    run.reflected_at = now
    session.add(run)
    session.flush()


def tell_supervisors(*, session: Session, user: User, now: datetime) -> int:
    """ "Tell a trusted adult": notify the supervisors of every group the person learns in.
    Returns how many groups were told (0: the person has no group)."""
    learning = groups.learner_memberships(session, user.id)
    for membership, group in learning:
        notifications.notify_supervisors(
            session=session,
            group=group,
            kind=NotificationKind.SCENARIO_HELP,
            membership=membership,
            actor_id=user.id,
            now=now,
        )
    session.flush()
    return len(learning)


def record_viewed(
    *,
    session: Session,
    target: Membership,
    supervisor: User,
    runs: list[ScenarioRun],
    now: datetime,
) -> None:
    """Log in the learner's transparency log that a supervisor read these results (once an
    hour per result at most; two queries)."""
    if not runs or supervisor.id == target.user_id:
        return
    recent = set(
        session.exec(
            select(SupervisionEvent.scenario_run_id).where(
                SupervisionEvent.membership_id == target.id,
                SupervisionEvent.actor_id == supervisor.id,
                SupervisionEvent.kind == EventKind.SCENARIO_VIEWED,
                SupervisionEvent.created_at > now - VIEWED_QUIET,
            )
        ).all()
    )
    session.add_all(
        SupervisionEvent(
            membership_id=target.id,
            actor_id=supervisor.id,
            kind=EventKind.SCENARIO_VIEWED,
            scenario_run_id=run.id,
            created_at=now,
        )
        for run in runs
        if run.id not in recent
    )
    session.flush()


# --- Words ------------------------------------------------------------------------------

REPORT_REASON = {
    "spam": _l("spam"),
    "scam": _l("a scam"),
    "harassment": _l("harassment"),
    "impersonation": _l("pretending to be someone"),
    "inappropriate": _l("inappropriate"),
    "other": _l("something else"),
}
DONE_TEXT = {
    "like": _l("Liked %(what)s."),
    "reply": _l("Replied to %(what)s."),
    "report": _l("Reported %(what)s as %(reason)s."),
    "block": _l("Blocked %(what)s."),
    "mute": _l("Muted %(what)s."),
    "hide": _l("Hid %(what)s."),
    "ignore": _l("Ignored %(what)s."),
    "accept": _l("Accepted %(what)s."),
    "decline": _l("Declined %(what)s."),
    "tell_adult": _l("Told a trusted adult."),
    "open_link": _l("Opened the link in %(what)s."),
    "setting": _l("Set %(what)s to %(value)s."),
}
TODO_TEXT = {
    "like": _l("Like %(what)s"),
    "reply": _l("Reply to %(what)s"),
    "report": _l("Report %(what)s"),
    "block": _l("Block %(what)s"),
    "mute": _l("Mute %(what)s"),
    "hide": _l("Hide %(what)s"),
    "ignore": _l("Ignore %(what)s"),
    "accept": _l("Accept %(what)s"),
    "decline": _l("Decline %(what)s"),
    "tell_adult": _l("Tell a trusted adult"),
    "open_link": _l("Open the link in %(what)s"),
    "setting": _l("Set %(what)s to %(value)s"),
}
THING_TEXT = {
    "post": _l("%(name)s's post"),
    "comment": _l("%(name)s's comment"),
    "dm": _l("%(name)s's message"),
    "follow_request": _l("%(name)s's follow request"),
    "friend_request": _l("%(name)s's friend request"),
    "notification": _l("a notification from %(name)s"),
    "tag": _l("%(name)s's tag"),
}
ANY_THING = _l("anything")
TODO_ANY = {
    "like": _l("Like something"),
    "reply": _l("Write a reply"),
    "report": _l("Report something"),
    "block": _l("Block someone"),
    "mute": _l("Mute someone"),
    "hide": _l("Hide something"),
    "ignore": _l("Ignore a message or request"),
    "accept": _l("Accept a request"),
    "decline": _l("Decline a request"),
    "open_link": _l("Open a link"),
}


def name_of(scenario: Scenario, target: str | None, *, about_them: bool = False) -> str:
    """What a target is, in words: "Rio", "Rio's message", "your post", "account"."""
    if not target:
        return str(ANY_THING)
    actor = scenario.actor(target) if target != "me" else None
    if actor is not None:
        return actor.name
    if target in dict(scenario.me.settings):
        return target
    post, comment, event = scenario.post(target), scenario.comment(target), scenario.event(target)
    thing = post or comment or event
    if thing is None:
        return target
    kind = "post" if post else "comment" if comment else event.type
    if thing.actor == "me":
        if about_them:
            return str(_("their own post") if post else _("their own comment"))
        return str(_("your post") if post else _("your comment"))
    who = scenario.actor(thing.actor)
    return str(THING_TEXT.get(kind, THING_TEXT["post"])) % {"name": who.name if who else "?"}


def describe_done(
    scenario: Scenario, kind: str, target: str | None, reason=None, value=None, about_them=False
):
    """One of the learner's actions, in words that read for them and their supervisors
    alike ("Blocked Rio.")."""
    text = DONE_TEXT.get(kind)
    if text is None:
        return kind
    return str(text) % {
        "what": name_of(scenario, target, about_them=about_them),
        "reason": str(REPORT_REASON.get(reason or "", reason or "")),
        "value": value or "",
    }


def describe_match(scenario: Scenario, match, *, negate: bool = False) -> str:
    """What an expected action or a mistake asks for, in words ("Block Rio", "Never: reply
    with a phone number")."""
    if match.target is None and match.action in TODO_ANY:
        text = str(TODO_ANY[match.action])
    else:
        text = str(TODO_TEXT.get(match.action, match.action)) % {
            "what": name_of(scenario, match.target),
            "value": match.value or "",
        }
    if match.coach:
        text = _(
            "%(action)s that the coach flags: %(category)s",
            action=text,
            category=_category(match.coach),
        )
    if match.reason:
        text = _("%(action)s as %(reason)s", action=text, reason=REPORT_REASON[match.reason])
    return _("Never: %(action)s", action=text[:1].lower() + text[1:]) if negate else text


def _category(category: str) -> str:
    from learner.core.labels import COACH_CATEGORY

    return str(COACH_CATEGORY.get(category, category)).lower()


# --- The screen -------------------------------------------------------------------------


def ago(seconds: int) -> str:
    """How long ago, the way apps write it: now, 30s, 5m, 14h, 2d."""
    seconds = max(0, seconds)
    if seconds < 10:
        return str(_("now"))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass
class Item:
    """A post, comment or message on the screen, with what the learner did to it."""

    id: str | None
    actor: Actor
    text: str
    when: str
    mine: bool = False
    liked: bool = False
    hidden: bool = False
    reported: bool = False
    link: Link | None = None
    likes: int = 0
    kind: str = "post"
    comments: list[Item] = field(default_factory=list)
    new: bool = False
    status: str | None = None  # a request: accepted, declined, ignored


@dataclass
class Thread:
    """The DMs with one actor, and the learner's replies, in order."""

    actor: Actor
    messages: list[Item]
    reply_to: str  # the id of the latest DM (a reply answers it)
    ignored: bool = False  # the learner ignored the latest DM


@dataclass
class Screen:
    """What the play page shows: the feed, the DMs, notifications, requests, people."""

    posts: list[Item]
    threads: list[Thread]
    notes: list[Item]
    requests: list[Item]
    people: list[tuple[Actor, bool, bool, bool]]  # actor, blocked, muted, reported
    settings: list[tuple[str, str, tuple[str, ...]]]
    popups: list[Item]
    unread_dms: int


def build_screen(state: PlayState, *, fresh_after: int | None = None) -> Screen:
    """Turn a run's state into the page's parts (pure). Events after `fresh_after`
    seconds that are not silent are the pop-ups."""
    s = state.scenario
    clock = state.clock
    done: dict[str, set[str]] = {}
    for act in state.acts:
        if act.target:
            done.setdefault(act.kind, set()).add(act.target)
    me = s.actor("me")

    def actor(actor_id: str) -> Actor:
        return s.actor(actor_id) or me

    def item(thing_id, who, text, second, **extra) -> Item:
        return Item(
            id=thing_id,
            actor=actor(who),
            text=text,
            when=ago(clock - second),
            mine=who == "me",
            liked=thing_id in done.get("like", ()),
            hidden=thing_id in done.get("hide", ()),
            reported=thing_id in done.get("report", ()),
            **extra,
        )

    posts = {p.id: item(p.id, p.actor, p.text, p.at, link=p.link, likes=p.likes) for p in s.feed}
    for p in s.feed:
        posts[p.id].comments = [
            item(c.id, c.actor, c.text, c.at, link=c.link, kind="comment") for c in p.comments
        ]
    comment_ids = {c.id: p.id for p in s.feed for c in p.comments}
    threads: dict[str, Thread] = {}
    notes: list[Item] = []
    requests: list[Item] = []
    popups: list[Item] = []
    by_event: dict[str, str] = {}
    for h in state.events:
        e = h.event
        fresh = fresh_after is not None and h.second > fresh_after and not h.silent
        if e.type == "dm":
            msg = item(e.id, e.actor, e.text, h.second, link=e.link, kind="dm", new=fresh)
            thread = threads.setdefault(e.actor, Thread(actor(e.actor), [], e.id))
            thread.messages.append(msg)
            thread.reply_to = e.id
            by_event[e.id] = e.actor
            shown = msg
        elif e.type in ("comment", "tag") and e.post in posts:
            shown = item(e.id, e.actor, e.text, h.second, link=e.link, kind=e.type, new=fresh)
            posts[e.post].comments.append(shown)
            comment_ids[e.id] = e.post
            if e.type == "tag":
                notes.append(shown)
        elif e.is_request:
            status = next(
                (k for k in ("accept", "decline", "ignore") if e.id in done.get(k, ())), None
            )
            shown = item(e.id, e.actor, e.text, h.second, kind=e.type, new=fresh, status=status)
            requests.append(shown)
        else:
            shown = item(e.id, e.actor, e.text, h.second, link=e.link, kind=e.type, new=fresh)
            notes.append(shown)
        if fresh:
            popups.append(shown)
    # The learner's replies: under the post (a post or comment) or in the DM thread.
    for act in state.acts:
        if act.kind != "reply" or not act.target:
            continue
        mine = item(None, "me", act.text or "", act.second, kind="reply")
        if act.target in by_event:
            threads[by_event[act.target]].messages.append(mine)
        elif act.target in posts:
            posts[act.target].comments.append(mine)
        elif act.target in comment_ids:
            posts[comment_ids[act.target]].comments.append(mine)
    for thread in threads.values():
        thread.ignored = thread.reply_to in done.get("ignore", ())
    blocked, muted = state.blocked, state.muted
    reported = done.get("report", set())
    return Screen(
        posts=sorted(posts.values(), key=lambda p: s.post(p.id).at, reverse=True),
        threads=list(threads.values()),
        notes=list(reversed(notes)),
        requests=requests,
        people=[(a, a.id in blocked, a.id in muted, a.id in reported) for a in s.actors],
        settings=[
            (key, value, s.me.choices_for(key))
            for key, value in settings_now(s, state.acts).items()
        ],
        popups=popups,
        unread_dms=sum(1 for t in threads.values() for m in t.messages if m.new),
    )


def state_json(state: PlayState, screen: Screen) -> dict:
    """The state endpoint's answer: the clock, what is next, a version that changes with
    every event, action and hint, and the events that happened (text as text)."""
    return {
        "clock": state.clock,
        "next_at": state.next_at,
        "finished": state.finished,
        "version": f"{len(state.events)}.{len(state.acts)}.{len(state.hints)}",
        "events": [
            {
                "id": h.event.id,
                "type": h.event.type,
                "second": h.second,
                "silent": h.silent,
                "actor": (state.scenario.actor(h.event.actor) or state.scenario.actor("me")).name,
                "text": h.event.text,
            }
            for h in state.events
        ],
        "hints": state.hints,
    }
