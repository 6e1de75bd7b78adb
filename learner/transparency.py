"""The learner's transparency log: every supervisor action about them, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from learner.models import (
    Membership,
    ModuleDiscussion,
    PostRevision,
    PracticePost,
    PrivacySignoff,
    ScenarioRun,
    SupervisionEvent,
    User,
)
from learner.notifications import excerpt

LIMIT = 200


@dataclass(frozen=True)
class Entry:
    """One line of the log: when, who, what (an event kind or 'discussed'/'cosigned')."""

    at: datetime
    actor: User
    kind: str
    event: SupervisionEvent | None = None
    module_id: str | None = None
    note: str | None = None
    # The first words of the post an event is about, so the log says which one.
    excerpt: str | None = None
    # The scenario whose result a supervisor read.
    scenario_id: str | None = None


def log(session: Session, membership: Membership) -> list[Entry]:
    """Decisions, comments, flags, dismissals, openings, level changes, discussed modules and
    privacy co-signatures about one learner in one group (three queries)."""
    events = session.exec(
        select(SupervisionEvent, User, PostRevision.body, ScenarioRun.scenario_id)
        .join(User, User.id == SupervisionEvent.actor_id)
        .outerjoin(ScenarioRun, ScenarioRun.id == SupervisionEvent.scenario_run_id)
        .outerjoin(PracticePost, PracticePost.id == SupervisionEvent.post_id)
        .outerjoin(
            PostRevision,
            (PostRevision.post_id == PracticePost.id)
            & (PostRevision.number == PracticePost.revision),
        )
        .where(SupervisionEvent.membership_id == membership.id)
        .order_by(SupervisionEvent.created_at.desc(), SupervisionEvent.id.desc())
        .limit(LIMIT)
    ).all()
    discussed = session.exec(
        select(ModuleDiscussion, User)
        .join(User, User.id == ModuleDiscussion.supervisor_id)
        .where(ModuleDiscussion.membership_id == membership.id)
    ).all()
    cosigned = session.exec(
        select(PrivacySignoff, User)
        .join(User, User.id == PrivacySignoff.supervisor_id)
        .where(PrivacySignoff.membership_id == membership.id)
    ).all()
    entries = [
        Entry(
            e.created_at,
            actor,
            e.kind.value,
            event=e,
            note=e.note,
            excerpt=excerpt(body),
            scenario_id=scenario_id,
        )
        for e, actor, body, scenario_id in events
    ]
    entries += [
        Entry(d.discussed_at, actor, "discussed", module_id=d.module_id, note=d.note)
        for d, actor in discussed
    ]
    entries += [Entry(s.signed_at, actor, "cosigned") for s, actor in cosigned]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:LIMIT]
