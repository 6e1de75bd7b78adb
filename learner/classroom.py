"""A teacher's class: assigned lessons with due dates, the class dashboard, the
misconception view of quiz answers, and CSV exports safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from learner import groupdata, groups
from learner import progress as progress_module
from learner.core.numbers import percent
from learner.errors import DomainError
from learner.models import (
    Assignment,
    Group,
    LessonProgress,
    Membership,
    PostStatus,
    PracticePost,
    QuizAnswer,
    QuizAttempt,
    Role,
    User,
)
from lessons.catalog import Module

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class AssignmentError(DomainError):
    """An assignment the rules refuse."""


def assignments(session: Session, group: Group) -> list[Assignment]:
    """The class's assigned lessons, soonest due first."""
    return list(
        session.exec(
            select(Assignment)
            .where(Assignment.group_id == group.id)
            .order_by(Assignment.due_on, Assignment.id)
        ).all()
    )


def assign(
    *,
    session: Session,
    group: Group,
    module: Module,
    due_on: date,
    teacher: User,
    today: date,
) -> Assignment:
    """Assign a lesson (or move its due date). Raises AssignmentError for a date in the past."""
    if due_on < today:
        raise AssignmentError(_l("Choose today or a later date."), field="due_on")
    row = session.exec(
        select(Assignment).where(Assignment.group_id == group.id, Assignment.module_id == module.id)
    ).first() or Assignment(
        group_id=group.id, module_id=module.id, assigned_by_id=teacher.id, due_on=due_on
    )
    row.due_on = due_on
    row.assigned_by_id = teacher.id
    session.add(row)
    session.flush()
    return row


def unassign(*, session: Session, assignment: Assignment) -> None:
    """Take a lesson off the class's list (progress stays with the students)."""
    session.delete(assignment)
    session.flush()


@dataclass(frozen=True)
class Cell:
    """One student's state in one assigned lesson."""

    done: bool
    late: bool
    score: int | None
    started: bool

    @property
    def key(self) -> str:
        """done, done_late, late, started or todo: for labels and styles."""
        if self.done:
            return "done_late" if self.late else "done"
        if self.late:
            return "late"
        return "started" if self.started else "todo"


def cell(row: LessonProgress | None, due_on: date, today: date) -> Cell:
    """Where a student stands in an assigned lesson: done (maybe late), late, or to do."""
    if row is not None and row.completed_at is not None:
        return Cell(True, row.completed_at.date() > due_on, row.best_score, True)
    return Cell(False, today > due_on, row.best_score if row else None, row is not None)


@dataclass(frozen=True)
class StudentRow:
    """One line of the class dashboard."""

    membership: Membership
    user: User
    cells: list[Cell]
    waiting_posts: int
    # The lessons loaded for the page that this student has completed.
    completed: frozenset[str] = frozenset()

    @property
    def done(self) -> int:
        """Assigned lessons completed."""
        return sum(1 for c in self.cells if c.done)

    @property
    def late(self) -> int:
        """Assigned lessons not done after their due date."""
        return sum(1 for c in self.cells if c.late and not c.done)


def students(session: Session, group: Group) -> list[tuple[Membership, User]]:
    """The class's current students, by name."""
    return list(
        session.exec(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(
                groups.current_members(group.id, role=Role.LEARNER),
            )
            .order_by(func.lower(User.display_name), Membership.id)
        ).all()
    )


def _cell_facts(session: Session, group: Group, user_ids: list[int], module_ids: list[str]):
    """The students' progress in these lessons by (user id, module id), their waiting posts
    by membership id, and the lessons each has completed by user id (three plain dicts)."""
    # The four columns a cell needs, not whole progress objects (a row has the same names).
    progress: dict[tuple[int, str], LessonProgress] = {}
    if user_ids and module_ids:
        rows = session.exec(
            select(
                LessonProgress.user_id,
                LessonProgress.module_id,
                LessonProgress.completed_at,
                LessonProgress.best_score,
            ).where(LessonProgress.user_id.in_(user_ids), LessonProgress.module_id.in_(module_ids))
        ).all()
        progress = {(r.user_id, r.module_id): r for r in rows}
    waiting = dict(
        session.exec(
            select(PracticePost.membership_id, func.count(PracticePost.id))
            .where(PracticePost.group_id == group.id, PracticePost.status == PostStatus.PENDING)
            .group_by(PracticePost.membership_id)
        ).all()
    )
    done: dict[int, frozenset[str]] = {}
    for (user_id, module_id), row in progress.items():
        if progress_module.completed(row):
            done[user_id] = done.get(user_id, frozenset()) | {module_id}
    return progress, waiting, done


def dashboard(
    session: Session,
    group: Group,
    assigned: list[Assignment],
    today: date,
    *,
    also_modules: Iterable[str] = (),
) -> list[StudentRow]:
    """Every student by every assigned lesson, with their waiting posts (three queries).
    Each row's `completed` covers the assigned lessons and `also_modules`."""
    people = students(session, group)
    module_ids = sorted({a.module_id for a in assigned} | set(also_modules))
    # Kept against the group's data version: they change only when someone writes.
    progress, waiting, done = groupdata.kept(
        group,
        "classroom.cells",
        tuple(module_ids),
        lambda: _cell_facts(session, group, [u.id for _m, u in people], module_ids),
    )
    return [
        StudentRow(
            membership=m,
            user=u,
            cells=[cell(progress.get((u.id, a.module_id)), a.due_on, today) for a in assigned],
            waiting_posts=waiting.get(m.id, 0),
            completed=done.get(u.id, frozenset()),
        )
        for m, u in people
    ]


@dataclass(frozen=True)
class ChoiceCount:
    """How many students picked one choice of a question (first attempts)."""

    choice_id: str
    text: str
    correct: bool
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionStats:
    """The class's answers to one quiz question, and the wrong answer chosen most."""

    module: Module
    question_id: str
    question: str
    answered: int
    choices: list[ChoiceCount]

    @property
    def misconception(self) -> ChoiceCount | None:
        """The wrong choice picked most, if anyone picked a wrong one."""
        wrong = [c for c in self.choices if not c.correct and c.count]
        return max(wrong, key=lambda c: c.count) if wrong else None


def question_stats(session: Session, group: Group, modules: list[Module]) -> list[QuestionStats]:
    """Per question of the given modules: the choices the class picked in each student's
    first attempt (before any feedback taught them). One query."""
    if not modules:
        return []
    # The class's students as a subquery: the dashboard has read them already.
    people = select(Membership.user_id).where(
        groups.current_members(group.id, role=Role.LEARNER),
    )
    first_attempts = (
        select(func.min(QuizAttempt.id))
        .where(
            QuizAttempt.user_id.in_(people),
            QuizAttempt.module_id.in_([m.id for m in modules]),
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
    )
    # Counted by the database: one row per question and set of choices picked, not one
    # per student and question.
    # Kept against the group's data version (the words below are the reader's language).
    rows = groupdata.kept(
        group,
        "classroom.first_answers",
        tuple(m.id for m in modules),
        lambda: [
            tuple(row)
            for row in session.exec(
                select(
                    QuizAttempt.module_id,
                    QuizAnswer.question_id,
                    QuizAnswer.choice_ids,
                    func.count(),
                )
                .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
                .where(QuizAttempt.id.in_(first_attempts))
                .group_by(QuizAttempt.module_id, QuizAnswer.question_id, QuizAnswer.choice_ids)
            ).all()
        ],
    )
    picked: dict[tuple[str, str], Counter] = {}
    answered: Counter = Counter()
    for module_id, question_id, choice_ids, students in rows:
        answered[(module_id, question_id)] += students
        counter = picked.setdefault((module_id, question_id), Counter())
        for choice_id in filter(None, choice_ids.split(",")):
            counter[choice_id] += students
    result = []
    for module in modules:
        for question in module.quiz:
            key = (module.id, question.id)
            total = answered[key]
            counts = picked.get(key, Counter())
            result.append(
                QuestionStats(
                    module=module,
                    question_id=question.id,
                    question=question.question,
                    answered=total,
                    choices=[
                        ChoiceCount(
                            c.id,
                            c.text,
                            c.correct,
                            counts[c.id],
                            percent(counts[c.id], total),
                        )
                        for c in question.choices
                    ],
                )
            )
    return result


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: prefix with ')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    """A CSV document with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


CELL_TEXT = {
    "done": _l("done"),
    "done_late": _l("done late"),
    "late": _l("late"),
    "started": _l("started"),
    "todo": _l("not started"),
}


def progress_csv(
    group_rows: list[StudentRow], assigned: list[Assignment], titles: dict[str, str]
) -> str:
    """The dashboard as CSV: one line per student, a status and score per lesson."""
    header = [str(_l("Student")), str(_l("Username")), str(_l("Level")), str(_l("Waiting posts"))]
    for a in assigned:
        title = titles.get(a.module_id, a.module_id)
        header += [f"{title} ({a.due_on.isoformat()})", f"{title}: {_l('score')}"]
    rows = []
    for row in group_rows:
        line: list[object] = [
            row.user.display_name,
            row.user.login_name,
            row.membership.level.value,
            row.waiting_posts,
        ]
        for c in row.cells:
            line += [str(CELL_TEXT[c.key]), "" if c.score is None else c.score]
        rows.append(line)
    return to_csv(header, rows)


def quiz_csv(stats: list[QuestionStats]) -> str:
    """The class's first-attempt answers per question and choice, as CSV."""
    header = [
        str(_l("Lesson")),
        str(_l("Question")),
        str(_l("Choice")),
        str(_l("Right answer")),
        str(_l("Students")),
        str(_l("Share")),
    ]
    rows = [
        [s.module.title, s.question, c.text, "yes" if c.correct else "no", c.count, f"{c.percent}%"]
        for s in stats
        for c in s.choices
    ]
    return to_csv(header, rows)


def student_answers(
    session: Session, group: Group, modules: list[Module]
) -> dict[tuple[int, str, str], tuple[str, bool]]:
    """Each student's first-attempt answer to each question of the given modules, by
    (user id, module id, question id): the choice ids picked and whether it was right.
    The same first attempts as `question_stats` counts; one query."""
    if not modules:
        return {}
    people = select(Membership.user_id).where(
        groups.current_members(group.id, role=Role.LEARNER),
    )
    first_attempts = (
        select(func.min(QuizAttempt.id))
        .where(
            QuizAttempt.user_id.in_(people),
            QuizAttempt.module_id.in_([m.id for m in modules]),
        )
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
    )
    rows = session.exec(
        select(
            QuizAttempt.user_id,
            QuizAttempt.module_id,
            QuizAnswer.question_id,
            QuizAnswer.choice_ids,
            QuizAnswer.correct,
        )
        .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
        .where(QuizAttempt.id.in_(first_attempts))
    ).all()
    return {(u, m, q): (picked, correct) for u, m, q, picked, correct in rows}


def answers_csv(
    group_rows: list[StudentRow],
    modules: list[Module],
    answers: dict[tuple[int, str, str], tuple[str, bool]],
) -> str:
    """One line per student and question: what they chose the first time and whether it
    was right (blank when they have not taken that quiz)."""
    header = [
        str(_l("Student")),
        str(_l("Username")),
        str(_l("Lesson")),
        str(_l("Question")),
        str(_l("Answer (first attempt)")),
        str(_l("Right")),
    ]
    rows = []
    for row in group_rows:
        for module in modules:
            for question in module.quiz:
                found = answers.get((row.user.id, module.id, question.id))
                if found is None:
                    rows.append(
                        [
                            row.user.display_name,
                            row.user.login_name,
                            module.title,
                            question.question,
                            "",
                            "",
                        ]
                    )
                    continue
                picked, correct = found
                texts = {c.id: c.text for c in question.choices}
                chosen = " | ".join(texts.get(c, c) for c in picked.split(",") if c)
                rows.append(
                    [
                        row.user.display_name,
                        row.user.login_name,
                        module.title,
                        question.question,
                        chosen,
                        "yes" if correct else "no",
                    ]
                )
    return to_csv(header, rows)


@dataclass(frozen=True)
class Todo:
    """An assigned lesson on a student's to-do list."""

    assignment: Assignment
    module: Module
    group: Group
    cell: Cell


def todo_list(session: Session, user: User, modules: dict[str, Module], today: date) -> list[Todo]:
    """Lessons assigned to the user in all their classes, late first, then by due date."""
    rows = session.exec(
        select(Assignment, Group)
        .join(Group, Group.id == Assignment.group_id)
        .join(Membership, Membership.group_id == Assignment.group_id)
        .where(
            groups.current_members(user_id=user.id, role=Role.LEARNER),
        )
        .order_by(Assignment.due_on, Assignment.id)
    ).all()
    if not rows:
        return []
    progress = {
        r.module_id: r
        for r in session.exec(
            select(LessonProgress).where(
                LessonProgress.user_id == user.id,
                LessonProgress.module_id.in_([a.module_id for a, _g in rows]),
            )
        ).all()
    }
    items = [
        Todo(a, modules[a.module_id], g, cell(progress.get(a.module_id), a.due_on, today))
        for a, g in rows
        if a.module_id in modules
    ]
    return sorted(items, key=lambda t: (t.cell.done, not t.cell.late, t.assignment.due_on))


def as_of(now: datetime) -> date:
    """The date lateness is judged on (UTC, like every stored time)."""
    return now.date()
