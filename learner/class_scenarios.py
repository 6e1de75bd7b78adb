"""Scenarios in a class: assigned with a due date like a lesson (on the students' to-do
lists, reminded when overdue), stepped through in a live session, and the class's figures
per scenario (who took each expected action, the most common mistake) with a CSV.

The figures are pure functions over the engine's Acts; the readers take a fixed number of
queries whatever the size of the class and the number of scenarios.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from learner import classroom, groups, live, progress, scenarios
from learner.core.numbers import percent
from learner.models import (
    Group,
    GroupKind,
    Membership,
    Role,
    ScenarioAssignment,
    ScenarioRun,
    User,
)
from learner.scenario_engine import Act, score
from lessons.catalog import Choice, Module, Question
from lessons.scenarios import Event, Match, Scenario, Scenarios


def class_scenarios(library: Scenarios, lang: str = "en") -> list[Scenario]:
    """The scenarios a class may use (every age band, the core and classroom tracks)."""
    return library.suited(
        lang=lang, age_band=None, tracks=progress.tracks_for([GroupKind.CLASSROOM])
    )


# --- Assigning --------------------------------------------------------------------------


def assignments(session: Session, group: Group) -> list[ScenarioAssignment]:
    """The class's assigned scenarios, soonest due first (one query)."""
    return list(
        session.exec(
            select(ScenarioAssignment)
            .where(ScenarioAssignment.group_id == group.id)
            .order_by(ScenarioAssignment.due_on, ScenarioAssignment.id)
        ).all()
    )


def assign(
    *,
    session: Session,
    group: Group,
    scenario: Scenario,
    due_on: date,
    teacher: User,
    today: date,
) -> ScenarioAssignment:
    """Assign a scenario (or move its due date). Raises AssignmentError for a past date."""
    if due_on < today:
        raise classroom.AssignmentError(_l("Choose today or a later date."), field="due_on")
    row = session.exec(
        select(ScenarioAssignment).where(
            ScenarioAssignment.group_id == group.id,
            ScenarioAssignment.scenario_id == scenario.id,
        )
    ).first() or ScenarioAssignment(
        group_id=group.id, scenario_id=scenario.id, assigned_by_id=teacher.id, due_on=due_on
    )
    row.due_on = due_on
    row.assigned_by_id = teacher.id
    session.add(row)
    session.flush()
    return row


def unassign(*, session: Session, assignment: ScenarioAssignment) -> None:
    """Take a scenario off the class's list (the students' runs stay theirs)."""
    session.delete(assignment)
    session.flush()


def cell(run: ScenarioRun | None, due_on: date, today: date) -> classroom.Cell:
    """Where a student stands in an assigned scenario: done once they finished a run (its
    score shows; maybe late), else late after the due date, or to do."""
    if run is not None:
        return finished_cell(run.finished_at, run.score, due_on, today)
    return classroom.Cell(False, today > due_on, None, False)


def finished_cell(
    finished_at: datetime | None, score: int | None, due_on: date, today: date
) -> classroom.Cell:
    """cell() from the latest finished run's finish time and score (None: no such run)."""
    if finished_at is not None:
        return classroom.Cell(True, finished_at.date() > due_on, score, True)
    return classroom.Cell(False, today > due_on, None, False)


@dataclass(frozen=True)
class Todo:
    """An assigned scenario on a student's to-do list (shaped like classroom.Todo)."""

    assignment: ScenarioAssignment
    scenario: Scenario
    group: Group
    cell: classroom.Cell


def _scenario_todos_statement():
    """The user's (`:user_id`) assigned scenarios, each with their latest finished run's
    finish time and score, built once at import."""
    latest = aliased(ScenarioRun)
    newest = (
        select(func.max(ScenarioRun.id))
        .where(
            ScenarioRun.user_id == bindparam("user_id"),
            ScenarioRun.scenario_id == ScenarioAssignment.scenario_id,
            ScenarioRun.finished_at.is_not(None),
        )
        .correlate(ScenarioAssignment)
        .scalar_subquery()
    )
    return (
        select(ScenarioAssignment, Group, latest.finished_at, latest.score)
        .join(Group, Group.id == ScenarioAssignment.group_id)
        .join(Membership, Membership.group_id == ScenarioAssignment.group_id)
        .outerjoin(latest, latest.id == newest)
        .where(groups.current_members(user_id=bindparam("user_id"), role=Role.LEARNER))
        .order_by(ScenarioAssignment.due_on, ScenarioAssignment.id)
    )


_SCENARIO_TODOS = _scenario_todos_statement()


def scenario_todos(session: Session, user: User, library: Scenarios, today: date) -> list[Todo]:
    """Scenarios assigned to the user in all their classes, each with the finish time and
    score of the user's latest finished run of it (one query)."""
    rows = session.exec(_SCENARIO_TODOS, params={"user_id": user.id}).all()
    lang = user.locale or "en"
    items = []
    for a, g, finished_at, score_ in rows:
        scenario = library.get(a.scenario_id, lang)
        if scenario is not None:
            items.append(Todo(a, scenario, g, finished_cell(finished_at, score_, a.due_on, today)))
    return items


def todo_list(
    session: Session, user: User, modules: dict[str, Module], today: date
) -> list[classroom.Todo | Todo]:
    """The student's to-do list: assigned lessons and scenarios together, late first,
    then by due date."""
    items = [
        *classroom.todo_list(session, user, modules, today),
        *scenario_todos(session, user, scenarios.get_scenarios(), today),
    ]
    return sorted(items, key=lambda t: (t.cell.done, not t.cell.late, t.assignment.due_on))


def overdue(session: Session, today: date) -> list[tuple[Membership, ScenarioAssignment]]:
    """Assigned scenarios past their due date that a student has not finished a run of
    (for reminders; one query)."""
    finished = exists().where(
        and_(
            ScenarioRun.user_id == Membership.user_id,
            ScenarioRun.scenario_id == ScenarioAssignment.scenario_id,
            ScenarioRun.finished_at.is_not(None),
        )
    )
    rows = session.exec(
        select(Membership, ScenarioAssignment)
        .join(ScenarioAssignment, ScenarioAssignment.group_id == Membership.group_id)
        .where(
            groups.current_members(role=Role.LEARNER),
            ScenarioAssignment.due_on < today,
            ~finished,
        )
    ).all()
    return list(rows)


def class_run_ids(
    session: Session,
    user_ids: list[int],
    assigned: list[ScenarioAssignment],
    latest_runs: Callable[[], dict[tuple[int, str], scenarios.Outcome]] | None = None,
) -> dict[tuple[int, str], int]:
    """The id of the latest finished run of each student in each assigned scenario (one
    query of three columns, none when the page's `latest_runs` has read the runs already)."""
    if not user_ids or not assigned:
        return {}
    wanted = {a.scenario_id for a in assigned}
    if latest_runs is not None:
        ids = {key: run.id for key, run in latest_runs().items()}
    else:
        ids = scenarios.latest_finished_ids(session, user_ids)
    return {key: run_id for key, run_id in ids.items() if key[1] in wanted}


def student_ids(session: Session, group: Group) -> list[int]:
    """The user ids of the class's current students (one query of one column)."""
    return list(
        session.exec(
            select(Membership.user_id).where(groups.current_members(group.id, role=Role.LEARNER))
        ).all()
    )


# --- The class's figures ----------------------------------------------------------------

ACTION_WORDS = {
    "like": _l("Like"),
    "reply": _l("Reply"),
    "report": _l("Report"),
    "block": _l("Block"),
    "mute": _l("Mute"),
    "hide": _l("Hide"),
    "ignore": _l("Ignore"),
    "accept": _l("Accept"),
    "decline": _l("Decline"),
    "tell_adult": _l("Tell a trusted adult"),
    "open_link": _l("Open the link"),
    "setting": _l("Change a setting"),
}


def _thing(scenario: Scenario, target: str) -> str:
    """A target as a person reads it: an actor's name, or the start of a post or message."""
    actor = scenario.actor(target)
    if actor is not None:
        return actor.name
    event = scenario.event(target)
    if event is not None and not event.text:
        sender = scenario.actor(event.actor)
        return str(_l("the request from %(name)s", name=sender.name if sender else event.actor))
    for thing in (event, scenario.post(target), scenario.comment(target)):
        if thing is not None:
            words = thing.text if len(thing.text) <= 40 else thing.text[:39] + "…"
            return f"“{words}”"
    return target


def describe(scenario: Scenario, match: Match, negate: bool = False) -> str:
    """What a match asks for, in the words the supervisors' pages use ("Block Rio")."""
    return scenarios.describe_match(scenario, match, negate=negate)


@dataclass(frozen=True)
class Share:
    """How many of the students who finished a scenario did one thing."""

    id: str
    what: str
    why: str
    count: int
    percent: int


@dataclass(frozen=True)
class Figures:
    """One scenario's figures in a class: the students who finished it, the share who took
    each expected action, and the share who made each mistake."""

    scenario: Scenario
    finished: int
    passed: int
    expected: tuple[Share, ...]
    mistakes: tuple[Share, ...]

    @property
    def top_mistake(self) -> Share | None:
        """The mistake made most often, if anyone made one (the first listed on a tie)."""
        made = [m for m in self.mistakes if m.count]
        return max(made, key=lambda m: m.count) if made else None


def figures(scenario: Scenario, runs: list[list[Act]]) -> Figures:
    """The figures of a scenario from each student's finished run (their acts)."""
    results = [score(scenario, acts) for acts in runs]
    total = len(results)
    met = {
        e.id: sum(1 for r in results for item, ok in r.expected if ok and item.id == e.id)
        for e in scenario.expected
    }
    made = {
        m.id: sum(1 for r in results if any(x.id == m.id for x in r.mistakes))
        for m in scenario.mistakes
    }
    return Figures(
        scenario=scenario,
        finished=total,
        passed=sum(1 for r in results if r.passed),
        expected=tuple(
            Share(
                e.id,
                describe(scenario, e.match, e.negate),
                e.why,
                met[e.id],
                percent(met[e.id], total),
            )
            for e in scenario.expected
        ),
        mistakes=tuple(
            Share(m.id, describe(scenario, m.match), m.why, made[m.id], percent(made[m.id], total))
            for m in scenario.mistakes
        ),
    )


def class_figures(
    session: Session,
    user_ids: list[int],
    assigned: list[ScenarioAssignment],
    library: Scenarios,
    lang: str = "en",
    latest_runs: Callable[[], dict[tuple[int, str], scenarios.Outcome]] | None = None,
) -> list[Figures]:
    """The figures of every assigned scenario in a class (two queries, one when the page's
    `latest_runs` has read the runs already, none without students or assignments)."""
    runs = class_run_ids(session, user_ids, assigned, latest_runs)
    acts_by_run = scenarios.acts_of_runs(session, list(runs.values())) if runs else {}
    result = []
    for a in assigned:
        scenario = library.get(a.scenario_id, lang)
        if scenario is None:
            continue
        acts = [acts_by_run[run_id] for (_uid, sid), run_id in runs.items() if sid == a.scenario_id]
        result.append(figures(scenario, acts))
    return result


def figures_csv(all_figures: list[Figures]) -> str:
    """The class's figures per scenario, one line per expected action and mistake."""
    header = [
        str(_l("Scenario")),
        str(_l("Kind")),
        str(_l("What")),
        str(_l("Students")),
        str(_l("Finished")),
        str(_l("Share")),
        str(_l("Why")),
    ]
    rows: list[list[object]] = []
    # The kinds' words translated once for the file, not once a line.
    expected, mistake = str(_l("expected")), str(_l("mistake"))
    for f in all_figures:
        for kind, shares in ((expected, f.expected), (mistake, f.mistakes)):
            rows += [
                [f.scenario.title, kind, s.what, s.count, f.finished, f"{s.percent}%", s.why]
                for s in shares
            ]
    return classroom.to_csv(header, rows)


# --- Live sessions ----------------------------------------------------------------------


@dataclass(frozen=True)
class LiveContent:
    """What a live scenario session shows where a lesson's session shows its module: the
    scenario's title, and the lesson it practises (`id`, linked when the session ends)."""

    id: str
    title: str


def live_content(scenario: Scenario) -> LiveContent:
    """The scenario as the live pages show it."""
    return LiveContent(scenario.lessons[0], scenario.title)


# What the class may choose at each kind of event: (action, aimed at the event or actor).
OPTIONS = {
    "dm": (("reply", "event"), ("ignore", "event"), ("block", "actor"), ("report", "actor")),
    "follow_request": (("accept", "event"), ("decline", "event"), ("block", "actor")),
    "friend_request": (("accept", "event"), ("decline", "event"), ("block", "actor")),
    "tag": (("like", "event"), ("reply", "event"), ("hide", "event"), ("report", "event")),
    "comment": (("like", "event"), ("reply", "event"), ("hide", "event"), ("report", "event")),
    "notification": (("open_link", "event"), ("report", "actor"), ("block", "actor")),
}
EVENT_WORDS = {
    "dm": _l("%(name)s sends you a message: “%(text)s”"),
    "follow_request": _l("%(name)s asks to follow you: “%(text)s”"),
    "friend_request": _l("%(name)s sends you a friend request: “%(text)s”"),
    "tag": _l("%(name)s tags you: “%(text)s”"),
    "comment": _l("%(name)s comments: “%(text)s”"),
    "notification": _l("A notification about %(name)s: “%(text)s”"),
}


def _loose(match: Match, kind: str, target: str | None) -> bool:
    """A choice fits a match by action and target (text, reason and value are the
    class's talk, not something a vote can say)."""
    return match.action == kind and (match.target is None or match.target == target)


def event_question(scenario: Scenario, event: Event, number: int) -> Question:
    """ "What would you do?" at one event: the actions open there, right when a careful
    person would take them, each with the scenario's reason why."""
    actor = scenario.actor(event.actor)
    options = [
        (kind, event.id if aim == "event" else event.actor)
        for kind, aim in OPTIONS.get(event.type, ())
        if kind != "open_link" or event.link is not None
    ]
    options.append(("tell_adult", None))
    choices = []
    for index, (kind, target) in enumerate(options):
        good = next(
            (e for e in scenario.expected if not e.negate and _loose(e.match, kind, target)), None
        )
        bad = next((m for m in scenario.mistakes if _loose(m.match, kind, target)), None)
        avoid = next(
            (e for e in scenario.expected if e.negate and _loose(e.match, kind, target)), None
        )
        words = str(ACTION_WORDS[kind])
        if target is not None and kind not in ("reply", "ignore", "accept", "decline"):
            words += " " + _thing(scenario, target)
        feedback = good.why if good else bad.why if bad else avoid.why if avoid else ""
        choices.append(Choice(f"c{index + 1}", words, good is not None and bad is None, feedback))
    text = str(EVENT_WORDS[event.type] % {"name": actor.name if actor else "", "text": event.text})
    return Question(
        id=f"event-{number}",
        type="single",
        scenario=True,
        question=text + " " + str(_l("What would you do?")),
        choices=tuple(choices),
    )


def live_steps(scenario: Scenario) -> list[live.Step]:
    """A scenario's steps in a live session: the backstory, each event with "what would
    you do?", what a careful person does and why, then the poll."""
    result = [live.Step("intro", scenario.title, scenario.backstory)]
    result += [
        live.Step("quiz", scenario.title, question=event_question(scenario, event, n))
        for n, event in enumerate(scenario.events)
    ]
    careful = "\n".join(
        f"- **{describe(scenario, e.match, e.negate)}**: {e.why}" for e in scenario.expected
    )
    result.append(live.Step("read", str(_l("What a careful person does")), careful))
    result.append(live.Step("poll", str(_l("Quick poll")), question=live.confidence_poll()))
    return result
