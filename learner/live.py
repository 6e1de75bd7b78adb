"""Live class sessions: a teacher leads the class through a lesson step by step.

All state is in the database (the session row and one row per answer), so any worker on
any host serves the same session; devices learn about changes by polling a version.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner.core.numbers import percent
from learner.errors import DomainError
from learner.models import (
    Group,
    LiveAnswer,
    LiveParticipant,
    LiveSession,
    LiveStatus,
    Membership,
    User,
)
from lessons.catalog import Choice, Module, Question

ACTIONS = ("next", "back", "reveal", "end")
# The times a teacher may give each question (0: no timer).
TIMER_SECONDS = (0, 20, 30, 60)
# An answer sent in the last moment may arrive a little late over a school's network.
GRACE = timedelta(seconds=2)


class LiveError(DomainError):
    """A live-session action that cannot happen now (the message says why)."""


@dataclass(frozen=True)
class Step:
    """One step of a live session: the lesson's intro, a section, a question or the poll."""

    kind: str  # intro, read, quiz or poll
    title: str
    text: str = ""
    question: Question | None = None

    @property
    def asks(self) -> bool:
        """Students answer at this step."""
        return self.question is not None


def confidence_poll() -> Question:
    """The closing poll: how sure the class feels (no right answer)."""
    return Question(
        id="confidence",
        type="single",
        scenario=False,
        question=str(_l("How sure do you feel about this now?")),
        choices=(
            Choice("sure", str(_l("I could explain it to a friend")), False, ""),
            Choice("mostly", str(_l("Mostly, with a few questions")), False, ""),
            Choice("not_yet", str(_l("Not yet: let's go over it again")), False, ""),
        ),
    )


def steps(module: Module) -> list[Step]:
    """The steps of a lesson: intro, each section, each quiz question, then the poll."""
    result = [Step("intro", module.title, module.summary)]
    result += [Step("read", heading or module.title, text) for heading, text in module.sections]
    result += [Step("quiz", module.title, question=q) for q in module.quiz]
    result.append(Step("poll", str(_l("Quick poll")), question=confidence_poll()))
    return result


def running(session: Session, group: Group) -> LiveSession | None:
    """The group's live session that is on, if any."""
    return session.exec(
        select(LiveSession)
        .where(LiveSession.group_id == group.id, LiveSession.status == LiveStatus.RUNNING)
        .order_by(LiveSession.id.desc())
    ).first()


def start(
    *,
    session: Session,
    group: Group,
    module: Module,
    teacher: User,
    now: datetime,
    seconds_per_question: int = 0,
    scenario_id: str | None = None,
) -> LiveSession:
    """Start a session on a lesson (ending any other session of the class), with a timer
    for each question when `seconds_per_question` is one of TIMER_SECONDS but 0; with a
    `scenario_id`, on a scenario that practises the lesson (`module`)."""
    if seconds_per_question not in TIMER_SECONDS:
        raise LiveError(_l("Choose one of the times offered."), field="seconds")
    session.execute(
        update(LiveSession)
        .where(LiveSession.group_id == group.id, LiveSession.status == LiveStatus.RUNNING)
        .values(status=LiveStatus.ENDED, ended_at=now, version=LiveSession.version + 1)
    )
    live = LiveSession(
        group_id=group.id,
        module_id=module.id,
        scenario_id=scenario_id,
        started_by_id=teacher.id,
        status=LiveStatus.RUNNING,
        started_at=now,
        seconds_per_question=seconds_per_question or None,
        step_started_at=now,
    )
    session.add(live)
    session.flush()
    return live


def control(
    *,
    session: Session,
    live: LiveSession,
    action: str,
    version: int,
    total_steps: int,
    now: datetime,
) -> bool:
    """Move the session on (next, back, reveal, end) from the version the teacher saw;
    False when it had already changed (a double click moves it once)."""
    if action not in ACTIONS:
        raise LiveError(_l("Unknown action."))
    if action == "next" and live.step + 1 >= total_steps:
        action = "end"
    if action == "back" and live.step == 0:
        return False
    values: dict = {"version": LiveSession.version + 1}
    if action == "next":
        values |= {"step": LiveSession.step + 1, "revealed": False, "step_started_at": now}
    elif action == "back":
        values |= {"step": LiveSession.step - 1, "revealed": False, "step_started_at": now}
    elif action == "reveal":
        values |= {"revealed": True}
    else:
        values |= {"status": LiveStatus.ENDED, "ended_at": now}
    changed = session.execute(
        update(LiveSession)
        .where(
            LiveSession.id == live.id,
            LiveSession.version == version,
            LiveSession.status == LiveStatus.RUNNING,
        )
        .values(**values)
    ).rowcount
    session.flush()
    session.refresh(live)
    return changed == 1


def answer(
    *,
    session: Session,
    live: LiveSession,
    membership: Membership,
    step_number: int,
    steps: list[Step],
    choice_ids: set[str],
    now: datetime,
) -> bool:
    """Record a student's answer to the current step; False if they had answered already
    (their first answer stays). Raises LiveError, whose message tells the student that
    their answer was not saved and why, when the session ended, the step moved on (or is
    not a step of the lesson), answers are closed, or the choice is unknown."""
    if live.status is not LiveStatus.RUNNING:
        raise LiveError(_l("Your answer was not saved: the session has ended."))
    # A step number that is not the session's step is an old page (or a made-up one).
    step = steps[step_number] if live.step == step_number < len(steps) else None
    if step is None or not step.asks:
        raise LiveError(
            _l(
                "Your teacher moved on before your answer arrived, so it was not saved. "
                "Here is the current step."
            )
        )
    if live.revealed:
        raise LiveError(
            _l("Your answer was not saved: the answer is shown already, so answers are closed.")
        )
    if _deadline(live) is not None and now > _deadline(live) + GRACE:
        raise LiveError(
            _l(
                "Time was up for this question, so your answer was not saved. "
                "No problem: the answer comes next."
            )
        )
    valid = {c.id for c in step.question.choices}
    if not choice_ids or not choice_ids <= valid:
        raise LiveError(_l("Choose an answer."), field="choice")
    if step.question.type == "single" and len(choice_ids) != 1:
        raise LiveError(_l("Choose one answer."), field="choice")
    join(session=session, live=live, membership=membership, now=now)
    try:
        with session.begin_nested():
            session.add(
                LiveAnswer(
                    session_id=live.id,
                    step=step_number,
                    membership_id=membership.id,
                    choice_ids=",".join(sorted(choice_ids)),
                    answered_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


def _deadline(live: LiveSession) -> datetime | None:
    if not live.seconds_per_question or live.step_started_at is None:
        return None
    return live.step_started_at + timedelta(seconds=live.seconds_per_question)


def seconds_left(live: LiveSession, step: Step, now: datetime) -> int | None:
    """Seconds left to answer the current step (None when it has no timer or asks
    nothing; 0 when time is up)."""
    deadline = _deadline(live)
    if deadline is None or not step.asks or live.revealed:
        return None
    return max(0, int((deadline - now).total_seconds() + 0.999))


def join(*, session: Session, live: LiveSession, membership: Membership, now: datetime) -> bool:
    """A student joins the session (once; answering joins too). False if already in."""
    if session.exec(
        select(LiveParticipant.id).where(
            LiveParticipant.session_id == live.id,
            LiveParticipant.membership_id == membership.id,
        )
    ).first():
        return False
    try:
        with session.begin_nested():
            session.add(
                LiveParticipant(session_id=live.id, membership_id=membership.id, joined_at=now)
            )
    except IntegrityError:  # the same student on two devices at the same moment
        return False
    return True


def joined(session: Session, live: LiveSession, membership: Membership) -> bool:
    """The student has joined this session."""
    return (
        session.exec(
            select(LiveParticipant.id).where(
                LiveParticipant.session_id == live.id,
                LiveParticipant.membership_id == membership.id,
            )
        ).first()
        is not None
    )


def joined_count(session: Session, live: LiveSession) -> int:
    """How many students joined (one query)."""
    return session.exec(
        select(func.count(LiveParticipant.id)).where(LiveParticipant.session_id == live.id)
    ).one()


def roll(session: Session, live: LiveSession, step_number: int) -> list[tuple[str, bool]]:
    """Who joined, by name, and whether they answered the step: for the presenter's own
    screen when the teacher asks for names (one query)."""
    rows = session.exec(
        select(User.display_name, LiveAnswer.id)
        .select_from(LiveParticipant)
        .join(Membership, Membership.id == LiveParticipant.membership_id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            LiveAnswer,
            (LiveAnswer.session_id == LiveParticipant.session_id)
            & (LiveAnswer.membership_id == LiveParticipant.membership_id)
            & (LiveAnswer.step == step_number),
        )
        .where(LiveParticipant.session_id == live.id)
        .order_by(func.lower(User.display_name), LiveParticipant.id)
    ).all()
    return [(name, answer_id is not None) for name, answer_id in rows]


@dataclass(frozen=True)
class Tally:
    """The class's answers to one step, without names."""

    answered: int
    counts: dict[str, int]

    def percent(self, choice_id: str) -> int:
        """Share of the answers that picked a choice."""
        return percent(self.counts.get(choice_id, 0), self.answered)


def tally(session: Session, live: LiveSession, step_number: int) -> Tally:
    """How many answered, and how often each choice was picked (one query)."""
    rows = session.exec(
        select(LiveAnswer.choice_ids, func.count(LiveAnswer.id))
        .where(LiveAnswer.session_id == live.id, LiveAnswer.step == step_number)
        .group_by(LiveAnswer.choice_ids)
    ).all()
    counts: Counter = Counter()
    answered = 0
    for choice_ids, n in rows:
        answered += n
        for choice_id in choice_ids.split(","):
            counts[choice_id] += n
    return Tally(answered=answered, counts=dict(counts))


def my_answer(
    session: Session, live: LiveSession, membership: Membership, step_number: int
) -> set[str] | None:
    """The student's answer to a step, if they gave one."""
    row = session.exec(
        select(LiveAnswer.choice_ids).where(
            LiveAnswer.session_id == live.id,
            LiveAnswer.step == step_number,
            LiveAnswer.membership_id == membership.id,
        )
    ).first()
    return set(row.split(",")) if row else None


def latest(session: Session, group: Group) -> LiveSession | None:
    """The class's most recent session, running or ended."""
    return session.exec(
        select(LiveSession).where(LiveSession.group_id == group.id).order_by(LiveSession.id.desc())
    ).first()


def results(session: Session, live: LiveSession, all_steps: list[Step]) -> list[tuple[Step, Tally]]:
    """Every answered step of a session with the class's tally (one query)."""
    rows = session.exec(
        select(LiveAnswer.step, LiveAnswer.choice_ids, func.count(LiveAnswer.id))
        .where(LiveAnswer.session_id == live.id)
        .group_by(LiveAnswer.step, LiveAnswer.choice_ids)
    ).all()
    per_step: dict[int, Counter] = {}
    answered: Counter = Counter()
    for number, choice_ids, n in rows:
        answered[number] += n
        counter = per_step.setdefault(number, Counter())
        for choice_id in choice_ids.split(","):
            counter[choice_id] += n
    # Only the steps the class answered: a session may end before its last question.
    return [
        (all_steps[n], Tally(answered=answered[n], counts=dict(per_step.get(n, {}))))
        for n, step in enumerate(all_steps)
        if step.asks and answered[n]
    ]
