"""Learning that shows: pre-tests, learning gain, confidence and spaced refreshers.

The figures are pure functions of plain records (table-driven tests check them); a few
queries gather the records of one learner or one group in a fixed number of queries.

- pre: the pre-test score (a skipped pre-test has no score, never a zero);
- post: the first quiz attempt's score (the lesson comes between the two);
- normalised gain g = (post - pre) / (100 - pre); undefined at pre = 100 (nothing left to
  gain), so such learners are counted but left out of the average gain;
- a group figure needs MIN_N paired learners, else it says "not enough data";
- drop-outs (a pre-test but no quiz yet) are counted and shown, never silently left out;
- retention: the refresher score at +7 and +30 days against the same learners' post score.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import Select, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import groupdata
from learner.core.numbers import percent
from learner.models import (
    ConfidenceMoment,
    ConfidenceRating,
    Group,
    ItemOutcome,
    LessonProgress,
    Membership,
    PretestAnswer,
    PretestAttempt,
    PretestStatus,
    QuizAttempt,
    RefresherItem,
    Role,
    User,
)
from learner.progress import tracks_for
from lessons import get_catalog
from lessons.catalog import DONT_KNOW, Module, Question
from lessons.pretest import PretestResult

MIN_N = 5
ROUNDS = (7, 30)
REFRESHER_ITEMS = 3
# A job that did not run for up to this many days after a round fell due still makes it.
CATCH_UP_DAYS = 60
# Gain distribution buckets (lower bound inclusive; the last includes 1.0).
GAIN_BUCKETS = ((-1.0, 0.0), (0.0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))


# ---- pure figures -------------------------------------------------------------------------


def normalised_gain(pre: int | None, post: int | None) -> float | None:
    """g = (post - pre) / (100 - pre); None without both scores or at pre = 100."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


@dataclass(slots=True)
class LearnerModule:
    """One learner's record for one module (what the queries gather). Not frozen: a
    company's figures make thousands of these a page, and a frozen dataclass costs more
    than twice as much to make; nothing changes one once it is read."""

    user_id: int
    module_id: str
    pretest: PretestStatus | None = None
    pre: int | None = None
    post: int | None = None
    confidence_before: int | None = None
    confidence_after: int | None = None
    # Refresher score per round (7, 30) among the items answered; absent when none were.
    refreshers: dict[int, int] = field(default_factory=dict)

    @property
    def paired(self) -> bool:
        """Both a pre-test score and a post score."""
        return self.pre is not None and self.post is not None

    @property
    def dropped_out(self) -> bool:
        """A pre-test taken, no quiz yet."""
        return self.pretest is PretestStatus.TAKEN and self.post is None

    @property
    def gain(self) -> float | None:
        return normalised_gain(self.pre, self.post)

    @property
    def at_ceiling(self) -> bool:
        """Knew it all before the lesson: no gain to measure."""
        return self.pre is not None and self.pre >= 100

    @property
    def improved(self) -> bool:
        return self.paired and self.post > self.pre


@dataclass(frozen=True)
class Retention:
    """Refresher score against post score, over the learners who answered that round."""

    round: int
    n: int
    post: float | None
    refresher: float | None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N


@dataclass(frozen=True)
class ModuleFigures:
    """A group's figures for one module; the averages are None below MIN_N paired learners."""

    module_id: str
    learners: int
    pretested: int
    skipped: int
    no_pretest: int
    paired: int
    dropouts: int
    at_ceiling: int
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    improved_share: int | None
    gain_counts: tuple[int, ...] | None
    confidence_n: int
    confidence_before: float | None
    confidence_after: float | None
    retention: tuple[Retention, ...]

    @property
    def enough(self) -> bool:
        return self.paired >= MIN_N


def gain_bucket(gain: float) -> int:
    """The index of the GAIN_BUCKETS bucket a gain falls in (below 0 is the first)."""
    for index, (_low, high) in enumerate(GAIN_BUCKETS):
        if gain < high:
            return index
    return len(GAIN_BUCKETS) - 1


def aggregate(module_id: str, records: Sequence[LearnerModule], learners: int) -> ModuleFigures:
    """A group's figures for one module from its learners' records (absent ones count as
    'no pre-test'); averages only from MIN_N paired learners on. The counts and sums are
    the ones the database adds up for a group (`_module_sums`); `_figures_of` turns either
    into the figures."""
    records = [r for r in records if r.module_id == module_id]
    paired = [r for r in records if r.paired]
    gains = [r.gain for r in paired if r.gain is not None]
    buckets = [0] * len(GAIN_BUCKETS)
    for gain in gains:
        buckets[gain_bucket(gain)] += 1
    confident = [
        r for r in records if r.confidence_before is not None and r.confidence_after is not None
    ]
    sums = {
        "pre": (
            sum(r.pretest is PretestStatus.TAKEN for r in records),
            sum(r.pretest is PretestStatus.SKIPPED for r in records),
            sum(r.dropped_out for r in records),
            len(paired),
            sum(r.at_ceiling for r in paired),
            sum(r.pre for r in paired),
            sum(r.post for r in paired),
            sum(r.improved for r in paired),
            len(gains),
            sum(gains),
            *buckets,
        ),
        "confidence": (
            len(confident),
            sum(r.confidence_before for r in confident),
            sum(r.confidence_after for r in confident),
        ),
    }
    for round_ in ROUNDS:
        both = [r for r in records if r.post is not None and r.refreshers.get(round_) is not None]
        sums[f"round{round_}"] = (
            len(both),
            sum(r.post for r in both),
            sum(r.refreshers[round_] for r in both),
        )
    return _figures_of(module_id, sums, learners)


def refresher_score(outcomes: Iterable[ItemOutcome | None]) -> int | None:
    """Percent right of the answered items of one round; None when none was answered."""
    answered = [o for o in outcomes if o is not None]
    if not answered:
        return None
    return percent(sum(o is ItemOutcome.RIGHT for o in answered), len(answered))


# ---- records from the database (a fixed number of queries) ---------------------------------


def _first_quiz_ids(users: Sequence[int] | Select) -> Select:
    """The id of each learner's first quiz attempt per module (the post score's)."""
    return (
        select(func.min(QuizAttempt.id))
        .where(QuizAttempt.user_id.in_(users))
        .group_by(QuizAttempt.user_id, QuizAttempt.module_id)
    )


def _refresher_counts() -> tuple[sa.ColumnElement, sa.ColumnElement]:
    """A refresher round's answered and right items, counted in a GROUP BY."""
    return (
        func.count(RefresherItem.outcome),
        func.sum(sa.case((RefresherItem.outcome == ItemOutcome.RIGHT, 1), else_=0)),
    )


def records(session: Session, users: Sequence[int] | Select, module_ids: Sequence[str]):
    """Every learner-module record with anything in it, for these users (ids, or a query
    of ids) and modules: one query (a UNION ALL of the four sources), whatever the number
    of users."""
    if not module_ids or (not isinstance(users, Select) and not users):
        return []
    mods = list(module_ids)
    text = sa.String(20)
    # The last two columns count a refresher round's answered and right items: grouped
    # in the database, one row per learner, module and round (not one per item).
    none = sa.literal(0, sa.Integer)
    first_quiz = _first_quiz_ids(users).where(QuizAttempt.module_id.in_(mods))
    union = sa.union_all(
        select(
            sa.literal("pre", text),
            PretestAttempt.user_id,
            PretestAttempt.module_id,
            sa.cast(PretestAttempt.status, text),
            PretestAttempt.score,
            none,
            none,
        ).where(PretestAttempt.user_id.in_(users), PretestAttempt.module_id.in_(mods)),
        select(
            sa.literal("post", text),
            QuizAttempt.user_id,
            QuizAttempt.module_id,
            sa.literal("", text),
            QuizAttempt.score,
            none,
            none,
        ).where(QuizAttempt.id.in_(first_quiz)),
        select(
            sa.literal("sure", text),
            ConfidenceRating.user_id,
            ConfidenceRating.module_id,
            sa.cast(ConfidenceRating.moment, text),
            ConfidenceRating.value,
            none,
            none,
        ).where(ConfidenceRating.user_id.in_(users), ConfidenceRating.module_id.in_(mods)),
        select(
            sa.literal("refresh", text),
            RefresherItem.user_id,
            RefresherItem.module_id,
            sa.literal("", text),
            RefresherItem.round,
            *_refresher_counts(),
        )
        .where(
            RefresherItem.user_id.in_(users),
            RefresherItem.module_id.in_(mods),
            RefresherItem.answered_at.is_not(None),
        )
        .group_by(RefresherItem.user_id, RefresherItem.module_id, RefresherItem.round),
    )
    # A company's figures read thousands of these rows: each record is made once and
    # filled in place (the commonest source first), with no dict of keywords between.
    data: dict[tuple[int, str], LearnerModule] = {}
    for source, user_id, module_id, word, number, answered, right in session.connection().execute(
        union
    ):
        record = data.get((user_id, module_id))
        if record is None:
            record = data[user_id, module_id] = LearnerModule(user_id=user_id, module_id=module_id)
        if source == "post":
            record.post = number
        elif source == "pre":
            record.pretest, record.pre = PretestStatus(word), number
        elif source == "sure":
            if ConfidenceMoment(word) is ConfidenceMoment.BEFORE:
                record.confidence_before = number
            else:
                record.confidence_after = number
        else:
            # refresher_score of the round's answered items, counted by the database.
            record.refreshers[number] = percent(int(right), answered) if answered else None
    return [data[key] for key in sorted(data)]


def group_learners(group: Group) -> Select:
    """The query of a group's current learners' ids."""
    return select(Membership.user_id).where(
        Membership.group_id == group.id,
        Membership.role == Role.LEARNER,
        Membership.removed_at.is_(None),
    )


@dataclass(frozen=True)
class GroupFigures:
    """Everything the charts and the CSV of one group show."""

    modules: list[Module]
    figures: list[ModuleFigures]
    learners: int
    min_n: int = MIN_N

    def by_module(self) -> list[tuple[Module, ModuleFigures]]:
        return list(zip(self.modules, self.figures, strict=True))


def group_figures(
    session: Session, group: Group, modules: Sequence[Module], *, learners: int | None = None
) -> GroupFigures:
    """A group's figures per module (two queries, whatever the group's size; one when the
    caller knows how many current `learners` the group has)."""
    # The sums change only when the group's data does: kept against its data version.
    sums, counted = groupdata.kept(
        group,
        "learning.sums",
        learners is None,
        lambda: _sums_of(session, group, count=learners is None),
    )
    learners = counted if learners is None else learners
    return GroupFigures(
        modules=list(modules),
        figures=[_figures_of(m.id, sums.get(m.id, {}), learners) for m in modules],
        learners=learners,
    )


def _sums_of(session: Session, group: Group, *, count: bool) -> tuple[dict, int | None]:
    """The group's `_module_sums` by module and part, and (`count`) its current learners."""
    learners = None
    if count:
        learners = session.exec(
            select(func.count()).select_from(group_learners(group).subquery())
        ).one()
    sums: dict[str, dict[str, tuple]] = {}
    for part, module_id, *numbers in session.execute(_group_sums(), {"group_id": group.id}):
        sums.setdefault(module_id, {})[part] = tuple(numbers)
    return sums, learners


# ---- a group's figures, added up by the database --------------------------------------------
#
# A company of 500 has some 25,000 learning rows; reading them into records costs far more
# than the database takes to add them up. `_module_sums` is one query: each part of the
# figures per module, from the sources joined on learner and module, with the same rules
# as `aggregate` (tests/test_learning.py holds the two to the same figures). Integer tests
# stand in for the gain's buckets (gain < 1/4 is 4 * (post - pre) < 100 - pre), so no
# float decides a bucket. Every module of the learners is added up; the caller keeps the
# ones it shows (filtering by module in each source made the database probe every learner
# and module pair, which cost more than the few extra modules).
SUM_WIDTH = 15


@functools.cache
def _group_sums():
    """`_module_sums` of a group's current learners, for any group (`group_id`): the
    statement is large, so it is made once, not once a page."""
    return _module_sums(
        select(Membership.user_id).where(
            Membership.group_id == sa.bindparam("group_id"),
            Membership.role == Role.LEARNER,
            Membership.removed_at.is_(None),
        )
    )


def _count(condition) -> sa.ColumnElement:
    return func.sum(sa.case((condition, 1), else_=0))


def _part(name: str, module_id, *columns) -> Select:
    """One part of `_module_sums`: its name, the module and SUM_WIDTH numbers (0-padded)."""
    padding = [sa.literal(0, sa.Integer)] * (SUM_WIDTH - len(columns))
    return select(sa.literal(name, sa.String(20)), module_id, *columns, *padding)


def _module_sums(users: Select):
    first = (
        select(QuizAttempt.user_id, QuizAttempt.module_id, QuizAttempt.score)
        .where(QuizAttempt.id.in_(_first_quiz_ids(users)))
        .cte("first_quiz")
        .prefix_with("MATERIALIZED")
    )
    pre = (
        select(
            PretestAttempt.user_id,
            PretestAttempt.module_id,
            PretestAttempt.status,
            PretestAttempt.score,
        )
        .where(PretestAttempt.user_id.in_(users))
        .cte("pre")
        .prefix_with("MATERIALIZED")
    )
    answered, right = _refresher_counts()
    fresh = (
        select(
            RefresherItem.user_id,
            RefresherItem.module_id,
            RefresherItem.round,
            ((right * 200 + answered) // (2 * answered)).label("score"),  # percent()
        )
        .where(RefresherItem.user_id.in_(users), RefresherItem.answered_at.is_not(None))
        .group_by(RefresherItem.user_id, RefresherItem.module_id, RefresherItem.round)
        .having(answered > 0)
        .cte("fresh")
        .prefix_with("MATERIALIZED")
    )

    def same(a, b):
        return (a.c.user_id == b.c.user_id) & (a.c.module_id == b.c.module_id)

    # Each pre-test beside the first quiz after it (if any): one join, read by one part.
    pre_post = (
        select(pre.c.module_id, pre.c.status, pre.c.score.label("pre"), first.c.score.label("post"))
        .select_from(pre.outerjoin(first, same(pre, first)))
        .cte("pre_post")
        .prefix_with("MATERIALIZED")
    )
    pre_score, post = pre_post.c.pre, pre_post.c.post
    taken = pre_post.c.status == PretestStatus.TAKEN
    paired = pre_score.is_not(None) & post.is_not(None)
    gained = paired & (pre_score < 100)
    rise, room = post - pre_score, 100 - pre_score

    def total(condition, value):
        return func.sum(sa.case((condition, value)))

    before, after = sa.orm.aliased(ConfidenceRating), sa.orm.aliased(ConfidenceRating)
    parts = [
        _part(
            "pre",
            pre_post.c.module_id,
            _count(taken),
            _count(pre_post.c.status == PretestStatus.SKIPPED),
            _count(taken & post.is_(None)),
            _count(paired),
            _count(paired & (pre_score >= 100)),
            total(paired, pre_score),
            total(paired, post),
            _count(paired & (post > pre_score)),
            _count(gained),
            total(gained, sa.cast(rise, sa.Float) / sa.cast(room, sa.Float)),
            _count(gained & (rise < 0)),
            _count(gained & (rise >= 0) & (4 * rise < room)),
            _count(gained & (4 * rise >= room) & (2 * rise < room)),
            _count(gained & (2 * rise >= room) & (4 * rise < 3 * room)),
            _count(gained & (4 * rise >= 3 * room)),
        ).group_by(pre_post.c.module_id),
        _part(
            "confidence",
            before.module_id,
            func.count(),
            func.sum(before.value),
            func.sum(after.value),
        )
        .select_from(before)
        .join(
            after,
            (after.user_id == before.user_id)
            & (after.module_id == before.module_id)
            & (after.moment == ConfidenceMoment.AFTER),
        )
        .where(before.user_id.in_(users), before.moment == ConfidenceMoment.BEFORE)
        .group_by(before.module_id),
    ]
    # Retention: each round's refresher score beside the first quiz's, one join.
    kept = fresh.join(first, same(fresh, first))
    for round_ in ROUNDS:
        this = fresh.c.round == round_
        parts.append(
            _part(
                f"round{round_}",
                fresh.c.module_id,
                _count(this),
                total(this, first.c.score),
                total(this, fresh.c.score),
            )
            .select_from(kept)
            .group_by(fresh.c.module_id)
        )
    return sa.union_all(*parts)


def _figures_of(module_id: str, sums: dict[str, tuple], learners: int) -> ModuleFigures:
    """A module's figures from its counts and sums, by part (`_module_sums`' rows, or
    `aggregate`'s from records; a part is absent when no row made it): the rules for
    MIN_N and the averages live here only."""

    def numbers(part: str, n: int) -> list:
        found = sums.get(part) or (0,) * n
        return [0 if value is None else value for value in found[:n]]

    (
        pretested,
        skipped,
        dropouts,
        paired,
        at_ceiling,
        sum_pre,
        sum_post,
        improved,
        gained,
        sum_gain,
        *buckets,
    ) = numbers("pre", 15)
    pretested, skipped, dropouts, paired = int(pretested), int(skipped), int(dropouts), int(paired)
    confident, sum_before, sum_after = (int(v) for v in numbers("confidence", 3))
    enough = paired >= MIN_N
    confident_enough = confident >= MIN_N
    retention = []
    for round_ in ROUNDS:
        n, round_post, round_refresher = (int(v) for v in numbers(f"round{round_}", 3))
        kept = n >= MIN_N
        retention.append(
            Retention(
                round=round_,
                n=n,
                post=round_post / n if kept else None,
                refresher=round_refresher / n if kept else None,
            )
        )
    return ModuleFigures(
        module_id=module_id,
        learners=learners,
        pretested=pretested,
        skipped=skipped,
        no_pretest=max(0, learners - pretested - skipped),
        paired=paired,
        dropouts=dropouts,
        at_ceiling=int(at_ceiling),
        mean_pre=int(sum_pre) / paired if enough else None,
        mean_post=int(sum_post) / paired if enough else None,
        mean_gain=float(sum_gain) / int(gained) if enough and gained else None,
        improved_share=percent(int(improved), paired) if enough else None,
        gain_counts=tuple(int(v) for v in buckets) if enough else None,
        confidence_n=confident,
        confidence_before=sum_before / confident if confident_enough else None,
        confidence_after=sum_after / confident if confident_enough else None,
        retention=tuple(retention),
    )


def learner_records(
    session: Session, user_id: int, modules: Sequence[Module]
) -> list[tuple[Module, LearnerModule]]:
    """One learner's own record per module, empty ones included (one query)."""
    found = {r.module_id: r for r in records(session, [user_id], [m.id for m in modules])}
    return [(m, found.get(m.id) or LearnerModule(user_id=user_id, module_id=m.id)) for m in modules]


# ---- pre-test and confidence: writers ------------------------------------------------------


def baseline(session: Session, user_id: int, module_id: str) -> PretestAttempt | None:
    """The learner's pre-test of a module, taken or skipped."""
    return session.exec(
        select(PretestAttempt).where(
            PretestAttempt.user_id == user_id, PretestAttempt.module_id == module_id
        )
    ).first()


def pretest_offered(session: Session, user_id: int, module: Module) -> bool:
    """Whether the pre-test is still a baseline: it exists, and the learner has neither
    answered nor skipped it, nor taken the module's quiz."""
    if not module.pretest or baseline(session, user_id, module.id) is not None:
        return False
    quizzed = session.exec(
        select(QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.module_id == module.id)
        .limit(1)
    ).first()
    return quizzed is None


class PretestClosed(Exception):
    """The pre-test is no longer a baseline (already answered, skipped, or quiz taken)."""


def record_pretest(
    *,
    session: Session,
    user: User,
    module: Module,
    result: PretestResult | None,
    now: datetime,
) -> PretestAttempt:
    """Store the pre-test taken (`result`) or skipped (None); PretestClosed if it is no
    longer offered (a second tab, a reload): the first baseline stands."""
    if not pretest_offered(session, user.id, module):
        raise PretestClosed
    attempt = PretestAttempt(
        user_id=user.id,
        module_id=module.id,
        status=PretestStatus.SKIPPED if result is None else PretestStatus.TAKEN,
        score=None if result is None else result.score,
        submitted_at=now,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError as error:
        raise PretestClosed from error
    for item in result.results if result is not None else ():
        session.add(
            PretestAnswer(
                attempt_id=attempt.id,
                question_id=item.question.id,
                choice_ids=",".join(sorted(item.chosen - {DONT_KNOW})),
                outcome=item.outcome,
            )
        )
    session.flush()
    return attempt


def confidence(session: Session, user_id: int, module_id: str) -> dict[ConfidenceMoment, int]:
    """The learner's confidence ratings of a module, by moment."""
    rows = session.exec(
        select(ConfidenceRating).where(
            ConfidenceRating.user_id == user_id, ConfidenceRating.module_id == module_id
        )
    ).all()
    return {row.moment: row.value for row in rows}


def record_confidence(
    *,
    session: Session,
    user: User,
    module: Module,
    moment: ConfidenceMoment,
    value: int,
    now: datetime,
) -> bool:
    """Keep the first rating of a moment (a retake does not overwrite it); whether stored."""
    try:
        with session.begin_nested():
            session.add(
                ConfidenceRating(
                    user_id=user.id,
                    module_id=module.id,
                    moment=moment,
                    value=value,
                    answered_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


# ---- spaced refreshers ---------------------------------------------------------------------


def refresher_questions(module: Module, *, user_id: int, round_: int) -> list[Question]:
    """The quiz items of one round: REFRESHER_ITEMS of the module's quiz, drawn the same way
    every time for a learner and round (so a rerun picks the same), the +30 round starting
    from the items +7 did not ask."""
    order = list(module.quiz)
    random.Random(f"{user_id}:{module.id}").shuffle(order)  # noqa: S311  (not for security)
    count = min(REFRESHER_ITEMS, len(order))
    start = 0 if round_ == ROUNDS[0] else count % len(order)
    return [order[(start + i) % len(order)] for i in range(count)]


def due_rounds(completed_at: datetime, now: datetime) -> list[int]:
    """The rounds due at `now` for a module completed at `completed_at`: instants compared
    (aware datetimes), so the server's and the learner's time zones change nothing."""
    if completed_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("aware datetimes only")
    return [r for r in ROUNDS if now >= completed_at + timedelta(days=r)]


def schedule_refreshers(
    *, session: Session, now: datetime, modules: dict[str, Module]
) -> list[tuple[int, str, int]]:
    """Make the refresher items that have come due; returns (user, module, round) of the
    rounds made now. Idempotent: a round that exists is never made again, so cron may run
    it as often as it likes. Only the latest round due is made (a learner back after two
    months gets the +30 round, not both at once)."""
    oldest = now - timedelta(days=ROUNDS[0])
    # Completions older than the last round plus a catch-up allowance get nothing: the job
    # reads only recent completions (an index), however long the history grows.
    newest_missed = now - timedelta(days=ROUNDS[-1] + CATCH_UP_DAYS)
    done = session.exec(
        select(LessonProgress.user_id, LessonProgress.module_id, LessonProgress.completed_at)
        .join(User, User.id == LessonProgress.user_id)
        .where(
            LessonProgress.completed_at.is_not(None),
            LessonProgress.completed_at <= oldest,
            LessonProgress.completed_at > newest_missed,
            LessonProgress.module_id.in_(list(modules)),
            User.active.is_(True),
        )
    ).all()
    if not done:
        return []
    users = sorted({row[0] for row in done})
    have = {
        (u, m, r)
        for u, m, r in session.exec(
            select(RefresherItem.user_id, RefresherItem.module_id, RefresherItem.round)
            .where(RefresherItem.user_id.in_(users))
            .distinct()
        ).all()
    }
    made = []
    for user_id, module_id, completed_at in done:
        rounds = due_rounds(completed_at, now)
        if not rounds:
            continue
        latest = rounds[-1]
        if any((user_id, module_id, r) in have for r in ROUNDS if r >= latest):
            continue
        module = modules[module_id]
        try:
            with session.begin_nested():
                for question in refresher_questions(module, user_id=user_id, round_=latest):
                    session.add(
                        RefresherItem(
                            user_id=user_id,
                            module_id=module_id,
                            round=latest,
                            question_id=question.id,
                            due_at=completed_at + timedelta(days=latest),
                            created_at=now,
                        )
                    )
                session.flush()
        except IntegrityError:
            continue  # made by a run at the same moment
        made.append((user_id, module_id, latest))
    session.flush()
    return made


def open_refreshers(session: Session, user_id: int) -> list[RefresherItem]:
    """The learner's refresher items neither answered nor dismissed, oldest first."""
    return list(
        session.exec(
            select(RefresherItem)
            .where(
                RefresherItem.user_id == user_id,
                RefresherItem.answered_at.is_(None),
                RefresherItem.dismissed_at.is_(None),
            )
            .order_by(RefresherItem.due_at, RefresherItem.id)
        ).all()
    )


def answer_refresher(
    *,
    session: Session,
    item: RefresherItem,
    question: Question,
    chosen: frozenset[str],
    now: datetime,
) -> ItemOutcome:
    """Store a refresher answer (the first one counts: a second submit changes nothing)."""
    if item.answered_at is not None or item.dismissed_at is not None:
        return item.outcome or ItemOutcome.SKIPPED
    outcome = ItemOutcome.RIGHT if chosen == question.correct_ids else ItemOutcome.WRONG
    item.choice_ids = ",".join(sorted(chosen))
    item.outcome = outcome
    item.answered_at = now
    session.add(item)
    session.flush()
    return outcome


def dismiss_refreshers(
    *, session: Session, user_id: int, module_id: str, round_: int, now: datetime
) -> int:
    """Dismiss a round's open items; how many (0 when already done)."""
    items = [
        i
        for i in open_refreshers(session, user_id)
        if i.module_id == module_id and i.round == round_
    ]
    for item in items:
        item.dismissed_at = now
        session.add(item)
    session.flush()
    return len(items)


# ---- for the pages and the spreadsheets -----------------------------------------------------


def group_modules(group: Group) -> list[Module]:
    """The modules a group's learners study (core and the group's own track)."""
    return get_catalog().modules(tracks=tracks_for([group.kind]))


def for_group(session: Session, group: Group, *, learners: int | None = None) -> GroupFigures:
    """The figures a supervisor's page shows for a group (one call from the view;
    `learners`: the number of its current learners, when the page has counted them)."""
    return group_figures(session, group, group_modules(group), learners=learners)


def for_learner(session: Session, user_id: int, group: Group | None = None):
    """A learner's own figures per module, for their page or their supervisor's."""
    if group is not None:
        modules = group_modules(group)
    else:
        kinds = session.exec(
            select(Group.kind)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.user_id == user_id,
                Membership.role == Role.LEARNER,
                Membership.removed_at.is_(None),
            )
        ).all()
        modules = get_catalog().modules(tracks=tracks_for(kinds))
    return learner_records(session, user_id, modules)


def _num(value: float | None, digits: int = 0) -> object:
    return "" if value is None else round(value, digits) if digits else round(value)


def group_csv_rows(figures: GroupFigures) -> tuple[list[str], list[list[object]]]:
    """Per module: the group's counts and figures (blank where fewer than MIN_N learners)."""
    header = [
        _("Module"),
        _("Learners"),
        _("Pre-test taken"),
        _("Pre-test skipped"),
        _("No pre-test"),
        _("Pre and post (n)"),
        _("Drop-outs (pre-test, no quiz)"),
        _("Knew it all before (pre = 100 %)"),
        _("Average pre %"),
        _("Average post %"),
        _("Average normalised gain"),
        _("Improved %"),
        _("Confidence before and after (n)"),
        _("Average confidence before (1-4)"),
        _("Average confidence after (1-4)"),
        _("Refresher after 7 days (n)"),
        _("Post % of those"),
        _("Refresher after 7 days %"),
        _("Refresher after 30 days (n)"),
        _("Post % of those"),
        _("Refresher after 30 days %"),
        _("Enough data (n >= %(n)d)", n=MIN_N),
    ]
    rows = []
    for module, f in figures.by_module():
        week, month = f.retention
        rows.append(
            [
                module.title,
                f.learners,
                f.pretested,
                f.skipped,
                f.no_pretest,
                f.paired,
                f.dropouts,
                f.at_ceiling,
                _num(f.mean_pre),
                _num(f.mean_post),
                _num(f.mean_gain, 2),
                "" if f.improved_share is None else f.improved_share,
                f.confidence_n,
                _num(f.confidence_before, 1),
                _num(f.confidence_after, 1),
                week.n,
                _num(week.post),
                _num(week.refresher),
                month.n,
                _num(month.post),
                _num(month.refresher),
                _("yes") if f.enough else _("not enough data"),
            ]
        )
    return header, rows


def learner_rows(
    session: Session, group: Group, modules: Sequence[Module]
) -> list[tuple[User, LearnerModule, Module]]:
    """Every learner of a group with their record per module (two queries)."""
    found = {
        (r.user_id, r.module_id): r
        for r in records(session, group_learners(group), [m.id for m in modules])
    }
    users = session.exec(
        select(User).where(User.id.in_(group_learners(group))).order_by(User.display_name, User.id)
    ).all()
    return [
        (user, found.get((user.id, m.id)) or LearnerModule(user_id=user.id, module_id=m.id), m)
        for user in users
        for m in modules
    ]


def learners_csv_rows(rows) -> tuple[list[str], list[list[object]]]:
    """One line per learner and module: their own numbers (a supervisor's spreadsheet)."""
    status = {PretestStatus.TAKEN: _("taken"), PretestStatus.SKIPPED: _("skipped"), None: ""}
    header = [
        _("Learner"),
        _("Username"),
        _("Module"),
        _("Pre-test"),
        _("Pre %"),
        _("Post % (first quiz)"),
        _("Normalised gain"),
        _("Confidence before (1-4)"),
        _("Confidence after (1-4)"),
        _("Refresher after 7 days %"),
        _("Refresher after 30 days %"),
    ]
    lines = []
    for user, r, module in rows:
        lines.append(
            [
                user.display_name,
                user.login_name,
                module.title,
                status[r.pretest],
                "" if r.pre is None else r.pre,
                "" if r.post is None else r.post,
                _num(r.gain, 2),
                r.confidence_before or "",
                r.confidence_after or "",
                r.refreshers.get(7, ""),
                r.refreshers.get(30, ""),
            ]
        )
    return header, lines


@dataclass(frozen=True)
class RefresherRound:
    """One round of refresher questions on the learner's dashboard."""

    module: Module
    round: int
    items: list[tuple[RefresherItem, Question]]


def dashboard_refreshers(session: Session, user_id: int) -> list[RefresherRound]:
    """The learner's open refresher rounds, oldest first (one query)."""
    catalog = get_catalog()
    rounds: dict[tuple[str, int], RefresherRound] = {}
    for item in open_refreshers(session, user_id):
        module = catalog.get(item.module_id)
        question = module.question(item.question_id) if module else None
        if question is None:
            continue  # a question a later release took out
        key = (item.module_id, item.round)
        if key not in rounds:
            rounds[key] = RefresherRound(module=module, round=item.round, items=[])
        rounds[key].items.append((item, question))
    return list(rounds.values())
