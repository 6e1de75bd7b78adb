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

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func
from sqlmodel import Session, select

from learner import coach, groups, notifications
from learner.errors import DomainError
from learner.models import (
    EventKind,
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
)
from lessons.scenarios import Scenario, Scenarios

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
    newest = (
        select(ScenarioRun.user_id, ScenarioRun.scenario_id, func.max(ScenarioRun.id).label("rid"))
        .where(ScenarioRun.user_id.in_(user_ids), ScenarioRun.finished_at.is_not(None))
        .group_by(ScenarioRun.user_id, ScenarioRun.scenario_id)
        .subquery()
    )
    rows = session.exec(select(ScenarioRun).join(newest, newest.c.rid == ScenarioRun.id))
    return {(run.user_id, run.scenario_id): run for run in rows.all()}


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
