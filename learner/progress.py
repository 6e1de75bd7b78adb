"""Lesson progress: which modules a learner needs, what they opened, scored and completed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner.core.numbers import percent
from learner.models import (
    GroupKind,
    LessonProgress,
    Membership,
    ModuleDiscussion,
    QuizAnswer,
    QuizAttempt,
    User,
)
from lessons.catalog import STAGES, Module
from lessons.quiz import QuizResult

# Time counted for one sitting at most: a lesson left open overnight is not study time.
MAX_SITTING_SECONDS = 30 * 60
# A failed quiz names the right answers only from this attempt on: before that the learner
# works them out from the feedback on their own choices, so a retake is not a copy.
REVEAL_FROM_ATTEMPT = 3
TRACK_FOR_KIND = {
    GroupKind.FAMILY: "family",
    GroupKind.CLASSROOM: "classroom",
    GroupKind.WORKPLACE: "workplace",
}


def tracks_for(kinds: Iterable[GroupKind]) -> set[str]:
    """The tracks a learner in groups of these kinds studies: core plus each setting's own."""
    return {"core"} | {TRACK_FOR_KIND[GroupKind(kind)] for kind in kinds}


def progress_map(session: Session, user_id: int) -> dict[str, LessonProgress]:
    """The user's progress rows by module id (one query)."""
    rows = session.exec(select(LessonProgress).where(LessonProgress.user_id == user_id)).all()
    return {row.module_id: row for row in rows}


def _locked_row(session: Session, user_id: int, module_id: str) -> LessonProgress | None:
    return session.exec(
        select(LessonProgress)
        .where(LessonProgress.user_id == user_id, LessonProgress.module_id == module_id)
        .with_for_update()
    ).first()


def _row_for_update(session: Session, user: User, module: Module, now: datetime):
    row = _locked_row(session, user.id, module.id)
    if row is not None:
        return row
    row = LessonProgress(user_id=user.id, module_id=module.id, started_at=now, opened_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Opened at the same moment in another tab or worker: use the row it made.
        row = _locked_row(session, user.id, module.id)
    return row


def open_module(*, session: Session, user: User, module: Module, now: datetime) -> None:
    """Note that the learner opened a module (it counts as started)."""
    row = _row_for_update(session, user, module, now)
    # A reload in the same sitting keeps the sitting's start; time counts from there.
    if (now - row.opened_at).total_seconds() > MAX_SITTING_SECONDS:
        row.opened_at = now
    session.add(row)
    session.flush()


def submit_quiz(
    *, session: Session, user: User, module: Module, result: QuizResult, now: datetime
) -> QuizAttempt:
    """Store a scored attempt with every answer and update the learner's progress."""
    row = _row_for_update(session, user, module, now)
    attempt = QuizAttempt(
        user_id=user.id,
        module_id=module.id,
        score=result.score,
        passed=result.passed,
        submitted_at=now,
    )
    session.add(attempt)
    session.flush()
    for answer in result.results:
        session.add(
            QuizAnswer(
                attempt_id=attempt.id,
                question_id=answer.question.id,
                choice_ids=",".join(sorted(answer.chosen)),
                correct=answer.correct,
            )
        )
    sitting = int((now - row.opened_at).total_seconds())
    row.seconds_spent += max(0, min(sitting, MAX_SITTING_SECONDS))
    row.opened_at = now
    row.attempts += 1
    row.best_score = max(row.best_score or 0, result.score)
    if result.passed and row.completed_at is None:
        row.completed_at = now
    session.add(row)
    session.flush()
    return attempt


def attempt_answers(session: Session, attempt: QuizAttempt) -> dict[str, frozenset[str]]:
    """The choices stored for an attempt, by question id."""
    rows = session.exec(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id)).all()
    return {r.question_id: frozenset(filter(None, r.choice_ids.split(","))) for r in rows}


def attempts_made(session: Session, user_id: int, module_id: str) -> int:
    """How many quiz attempts the learner has made on a module (the next one's seed)."""
    return session.exec(
        select(func.count())
        .select_from(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
    ).one()


def attempt_number(session: Session, attempt: QuizAttempt) -> int:
    """The attempt's place among its author's attempts on its module (1 for the first)."""
    return session.exec(
        select(func.count())
        .select_from(QuizAttempt)
        .where(
            QuizAttempt.user_id == attempt.user_id,
            QuizAttempt.module_id == attempt.module_id,
            QuizAttempt.id <= attempt.id,
        )
    ).one()


def answers_revealed(session: Session, user_id: int, module_id: str) -> bool:
    """Whether results may name the right answers: the quiz is passed, or tried often enough."""
    made, passed = session.exec(
        select(func.count(), func.coalesce(func.sum(case((QuizAttempt.passed, 1), else_=0)), 0))
        .select_from(QuizAttempt)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id)
    ).one()
    return passed > 0 or made >= REVEAL_FROM_ATTEMPT


@dataclass(frozen=True)
class StageProgress:
    """How far a learner is through one stage's modules."""

    stage: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Share of the stage's modules completed."""
        return percent(self.done, self.total)


def stage_progress(
    modules: list[Module], progress: dict[str, LessonProgress]
) -> list[StageProgress]:
    """Completed modules per stage, in ladder order (stages without modules left out)."""
    result = []
    for stage in STAGES:
        in_stage = [m for m in modules if m.stage == stage]
        if in_stage:
            done = sum(1 for m in in_stage if completed(progress.get(m.id)))
            result.append(StageProgress(stage=stage, done=done, total=len(in_stage)))
    return result


def completed(row: LessonProgress | None) -> bool:
    """A progress row that marks its module complete."""
    return row is not None and row.completed_at is not None


def next_module(modules: list[Module], progress: dict[str, LessonProgress]) -> Module | None:
    """The first module not yet completed, in teaching order."""
    return next((m for m in modules if not completed(progress.get(m.id))), None)


def discussions(session: Session, membership: Membership) -> dict[str, ModuleDiscussion]:
    """The modules a supervisor has marked discussed with this learner, by module id."""
    rows = session.exec(
        select(ModuleDiscussion).where(ModuleDiscussion.membership_id == membership.id)
    ).all()
    return {row.module_id: row for row in rows}


def mark_discussed(
    *,
    session: Session,
    membership: Membership,
    module: Module,
    supervisor: User,
    note: str | None,
    now: datetime,
) -> ModuleDiscussion:
    """Record (or update) that a module was talked through with the learner."""
    row = session.exec(
        select(ModuleDiscussion)
        .where(
            ModuleDiscussion.membership_id == membership.id, ModuleDiscussion.module_id == module.id
        )
        .with_for_update()
    ).first()
    if row is None:
        row = ModuleDiscussion(
            membership_id=membership.id, module_id=module.id, supervisor_id=supervisor.id
        )
    row.supervisor_id = supervisor.id
    row.note = (note or "").strip() or None
    row.discussed_at = now
    session.add(row)
    session.flush()
    return row
