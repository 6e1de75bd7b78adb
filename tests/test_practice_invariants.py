"""The practice invariants, kept by the database and checked after a random walk of
posts, revisions, decisions, withdrawals, flags and dismissals."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from learner import practice
from learner.core.db import utc_now
from learner.models import (
    EventKind,
    LadderRules,
    Level,
    PostFinding,
    PostRevision,
    PostStatus,
    PracticePost,
    SupervisionEvent,
)
from tests.factories import (
    add_supervisor,
    make_family,
    make_learner,
    make_post,
    make_supervisor,
    set_level,
)


def _refused(db, statement: str, **params) -> None:
    with pytest.raises(IntegrityError):
        db.execute(text(statement), params)
        db.flush()
    db.rollback()


def test_the_database_refuses_a_permit_post_published_without_approval(db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership)
    _refused(
        db,
        "UPDATE practice_post SET status = 'published', published_at = submitted_at WHERE id = :id",
        id=made.id,
    )
    _refused(db, "UPDATE practice_post SET high_findings = -1 WHERE id = :id", id=made.id)
    _refused(db, "UPDATE practice_post SET status = 'published' WHERE id = :id", id=made.id)


def test_the_database_refuses_level_changes_without_levels_and_insane_numbers(db):
    family = make_family(db)
    _refused(
        db,
        "INSERT INTO supervision_event (membership_id, actor_id, kind, created_at) "
        "VALUES (:m, :a, 'signed_off', CURRENT_TIMESTAMP)",
        m=family.teen_membership.id,
        a=family.parent.id,
    )
    db.add(
        LadderRules(
            group_id=family.group.id,
            permit_approved=3,
            permit_clean_streak=5,
            provisional_days=14,
            provisional_posts=10,
            updated_by_id=family.parent.id,
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


BODIES = [
    "Great practice today, the team played well",
    "my password is Sunflower2009",
    "Call me at 555-201-0147 tonight",
    "Loved the museum trip with my class",
    "you are such an idiot loser",
]


def _random_walk(db, seed: int, steps: int = 120):
    rng = random.Random(seed)
    family = make_family(db)
    second = make_supervisor(db)
    add_supervisor(db, family.group, second)
    learners = [family.teen_membership] + [make_learner(db, family.group)[1] for _ in range(2)]
    for membership, level in zip(
        learners, (Level.PERMIT, Level.PROVISIONAL, Level.LICENSED), strict=True
    ):
        set_level(db, membership, level)
    supervisors = [family.parent, second]
    for _ in range(steps):
        action = rng.choice(
            ["post", "post", "decide", "decide", "revise", "withdraw", "flag", "dismiss", "reply"]
        )
        posts = db.exec(select(PracticePost).where(PracticePost.group_id == family.group.id)).all()
        target = rng.choice(posts) if posts else None
        try:
            if action == "post" or target is None:
                make_post(
                    db,
                    family.group,
                    rng.choice(learners),
                    rng.choice(BODIES),
                    submit=rng.random() > 0.1,
                )
            elif action == "decide":
                practice.decide(
                    session=db,
                    post=target,
                    supervisor=rng.choice(supervisors),
                    decision=rng.choice(
                        [EventKind.APPROVED, EventKind.CHANGES_REQUESTED, EventKind.COMMENTED]
                    ),
                    revision=target.revision if rng.random() > 0.2 else target.revision + 1,
                    reasons=[],
                    note="a note",
                    now=utc_now(),
                )
            elif action == "revise":
                author = next(m for m in learners if m.id == target.membership_id)
                practice.revise(
                    session=db,
                    group=family.group,
                    author=author,
                    post=target,
                    draft=practice.Draft(body=rng.choice(BODIES), audience=target.audience),
                    base_revision=target.revision,
                    submit=True,
                    now=utc_now(),
                )
            elif action == "withdraw":
                practice.withdraw(session=db, post=target, now=utc_now())
            elif action == "flag":
                practice.flag(
                    session=db,
                    post=target,
                    supervisor=rng.choice(supervisors),
                    note="talk",
                    now=utc_now(),
                )
            elif action == "dismiss":
                revision = practice.current_revision(db, target)
                rule = db.exec(
                    select(PostFinding.rule).where(PostFinding.revision_id == revision.id)
                ).first()
                practice.dismiss_rule(
                    session=db,
                    post=target,
                    supervisor=family.parent,
                    rule=rule or "none",
                    reason="fine",
                    now=utc_now(),
                )
            elif (
                action == "reply"
                and target.status is PostStatus.PUBLISHED
                and target.parent_id is None
            ):
                make_post(db, family.group, rng.choice(learners), rng.choice(BODIES), parent=target)
            db.commit()
        except practice.PracticeError:
            db.rollback()
    return family


@pytest.mark.parametrize("seed", [1, 2])
def test_invariants_hold_after_a_random_walk(db, seed):
    family = _random_walk(db, seed)
    posts = db.exec(select(PracticePost).where(PracticePost.group_id == family.group.id)).all()
    assert len(posts) > 20
    statuses = {p.status for p in posts}
    assert {PostStatus.PENDING, PostStatus.PUBLISHED} <= statuses
    for made in posts:
        numbers = db.exec(
            select(PostRevision.number)
            .where(PostRevision.post_id == made.id)
            .order_by(PostRevision.number)
        ).all()
        # Every revision is kept, numbered without gaps up to the current one.
        assert numbers == list(range(1, made.revision + 1))
        decisions = db.exec(
            select(SupervisionEvent.kind, SupervisionEvent.revision).where(
                SupervisionEvent.post_id == made.id,
                SupervisionEvent.kind.in_([EventKind.APPROVED, EventKind.CHANGES_REQUESTED]),
            )
        ).all()
        # At most one decision per revision, and approval is final.
        assert len({r for _k, r in decisions}) == len(decisions)
        approvals = [k for k, _r in decisions if k is EventKind.APPROVED]
        assert len(approvals) <= 1
        if made.level is Level.PERMIT and made.status in (PostStatus.PUBLISHED, PostStatus.REMOVED):
            assert approvals and made.approved_at is not None
        assert made.changes_requested == sum(
            k is EventKind.CHANGES_REQUESTED for k, _r in decisions
        )
        # The count of open serious findings matches the findings table.
        if made.status is not PostStatus.DRAFT:
            current = practice.current_revision(db, made)
            high = db.exec(
                select(func.count(PostFinding.id)).where(
                    PostFinding.revision_id == current.id,
                    PostFinding.severity == "high",
                    PostFinding.dismissed_at.is_(None),
                )
            ).one()
            assert made.high_findings == high
