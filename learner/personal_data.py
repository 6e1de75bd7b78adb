"""A person's rights over their data: everything about them as JSON, erasing them, and
purging old drafts.

Erasing keeps the rows that give other people's records their meaning (memberships,
decisions, quiz answers counted in a class's figures) but without the person: the
account becomes an anonymous tombstone, and what they wrote or chose is deleted.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, SQLModel, select

from learner import groups
from learner.models import (
    AgreementSignature,
    AuthFailure,
    BrandProfile,
    FamilyAgreement,
    Group,
    Invite,
    LessonProgress,
    LicenseCertificate,
    LiveAnswer,
    Membership,
    ModuleDiscussion,
    Notification,
    PolicyAcknowledgement,
    PostAudience,
    PostFinding,
    PostRevision,
    PostStatus,
    PracticePost,
    PrivacySetup,
    PrivacySignoff,
    QuizAnswer,
    QuizAttempt,
    Reminder,
    SupervisionEvent,
    User,
)

ERASED_NAME = "Deleted account"


@dataclass(frozen=True)
class _Rows:
    """The rows about one person: their account, memberships and groups, and one list of
    rows a section, named as in the JSON."""

    user: User
    memberships: list[Membership]
    groups: dict[int, Group]
    sections: dict[str, list]


def _plain(row: SQLModel, *, leave_out: tuple[str, ...] = ()) -> dict:
    """A row as JSON-ready data (times as ISO strings, bytes as base64)."""
    data = {}
    for key, value in row.model_dump().items():
        if key in leave_out:
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, bytes):
            value = base64.b64encode(value).decode()
        elif hasattr(value, "value"):
            value = value.value
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[key] = value
    return data


def _gather(session: Session, user: User) -> _Rows:
    """Every row about one person, one query a table: what both the JSON and the readable
    page are made of, so the two always hold the same data."""
    memberships = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    member_ids = [m.id for m in memberships] or [0]
    groups = {
        g.id: g
        for g in session.exec(
            select(Group).where(Group.id.in_([m.group_id for m in memberships] or [0]))
        ).all()
    }
    posts = session.exec(
        select(PracticePost).where(PracticePost.author_id == user.id).order_by(PracticePost.id)
    ).all()
    revisions = session.exec(
        select(PostRevision)
        .where(PostRevision.post_id.in_([p.id for p in posts] or [0]))
        .order_by(PostRevision.post_id, PostRevision.number)
    ).all()
    findings = session.exec(
        select(PostFinding)
        .where(PostFinding.revision_id.in_([r.id for r in revisions] or [0]))
        .order_by(PostFinding.id)
    ).all()
    attempts = session.exec(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id).order_by(QuizAttempt.id)
    ).all()

    def mine(model: type[SQLModel], column, order) -> list:
        return list(session.exec(select(model).where(column).order_by(order)).all())

    def about_me(model: type[SQLModel]) -> list:
        return mine(model, model.membership_id.in_(member_ids), model.id)

    def of_user(model: type[SQLModel]) -> list:
        return mine(model, model.user_id == user.id, model.id)

    sections = {
        "lesson_progress": of_user(LessonProgress),
        "quiz_attempts": list(attempts),
        "quiz_answers": mine(
            QuizAnswer, QuizAnswer.attempt_id.in_([a.id for a in attempts] or [0]), QuizAnswer.id
        ),
        "privacy_setup": of_user(PrivacySetup),
        "practice_profile": of_user(BrandProfile),
        "family_agreements": about_me(FamilyAgreement),
        "agreement_signatures": of_user(AgreementSignature),
        "posts": list(posts),
        "post_revisions": list(revisions),
        "coach_findings": list(findings),
        "supervisor_actions_about_me": about_me(SupervisionEvent),
        "supervisor_notes_on_lessons": about_me(ModuleDiscussion),
        "privacy_cosignatures": about_me(PrivacySignoff),
        "live_session_answers": about_me(LiveAnswer),
        "license_certificates": about_me(LicenseCertificate),
        "policy_acknowledgements": of_user(PolicyAcknowledgement),
        "notifications": of_user(Notification),
    }
    return _Rows(user=user, memberships=list(memberships), groups=groups, sections=sections)


def export(session: Session, user: User) -> dict:
    """Everything the platform keeps about one person, as JSON-ready data."""
    rows = _gather(session, user)
    return {
        "account": _plain(user, leave_out=("password_hash", "session_version")),
        "groups": [
            {
                "group": {
                    "id": m.group_id,
                    "name": rows.groups[m.group_id].name,
                    "kind": rows.groups[m.group_id].kind.value,
                },
                "membership": _plain(m),
            }
            for m in rows.memberships
        ],
        **{name: [_plain(row) for row in items] for name, items in rows.sections.items()},
    }


def _delete_posts(session: Session, post_ids: list[int]) -> None:
    """Delete posts with their revisions, findings, audiences and notifications; decisions
    about them stay, without the post."""
    if not post_ids:
        return
    revision_ids = select(PostRevision.id).where(PostRevision.post_id.in_(post_ids))
    session.execute(delete(PostFinding).where(PostFinding.revision_id.in_(revision_ids)))
    session.execute(delete(PostRevision).where(PostRevision.post_id.in_(post_ids)))
    session.execute(delete(PostAudience).where(PostAudience.post_id.in_(post_ids)))
    session.execute(delete(Notification).where(Notification.post_id.in_(post_ids)))
    session.execute(
        update(SupervisionEvent).where(SupervisionEvent.post_id.in_(post_ids)).values(post_id=None)
    )
    # Replies first: they point at the posts they answer.
    session.execute(
        delete(PracticePost).where(
            PracticePost.id.in_(post_ids), PracticePost.parent_id.is_not(None)
        )
    )
    session.execute(delete(PracticePost).where(PracticePost.id.in_(post_ids)))


def erase(*, session: Session, user: User, now: datetime) -> None:
    """Erase a person: their posts and personal records go, the account becomes an
    anonymous tombstone that can never log in, and events stay without them."""
    member_ids = session.exec(select(Membership.id).where(Membership.user_id == user.id)).all() or [
        0
    ]
    own = session.exec(select(PracticePost.id).where(PracticePost.author_id == user.id)).all()
    # Replies to their posts answer something that no longer exists: they go too.
    replies = session.exec(
        select(PracticePost.id).where(PracticePost.parent_id.in_(own or [0]))
    ).all()
    _delete_posts(session, sorted(set(own) | set(replies)))
    session.execute(delete(PostAudience).where(PostAudience.membership_id.in_(member_ids)))
    agreements = select(FamilyAgreement.id).where(FamilyAgreement.membership_id.in_(member_ids))
    session.execute(
        delete(AgreementSignature).where(
            or_(
                AgreementSignature.user_id == user.id,
                AgreementSignature.agreement_id.in_(agreements),
            )
        )
    )
    session.execute(delete(FamilyAgreement).where(FamilyAgreement.membership_id.in_(member_ids)))
    for model in (LessonProgress, PrivacySetup, BrandProfile, Reminder, Notification):
        session.execute(delete(model).where(model.user_id == user.id))
    session.execute(delete(ModuleDiscussion).where(ModuleDiscussion.membership_id.in_(member_ids)))
    session.execute(
        delete(LicenseCertificate).where(LicenseCertificate.membership_id.in_(member_ids))
    )
    session.execute(
        update(Notification).where(Notification.actor_id == user.id).values(actor_id=None)
    )
    logins = [name for name in (user.email, user.username) if name]
    if logins:
        session.execute(delete(AuthFailure).where(AuthFailure.key.in_(logins)))
    if user.email:
        session.execute(update(Invite).where(Invite.email == user.email).values(email=None))
    session.execute(
        update(Membership).where(groups.current_members(user_id=user.id)).values(removed_at=now)
    )
    user.email = None
    user.username = f"erased-{user.id}"
    user.display_name = ERASED_NAME
    user.password_hash = "!" + secrets.token_hex(16)  # matches no password, ever
    user.locale = None
    user.age_band = None
    user.active = False
    user.deactivated_at = user.deactivated_at or now
    user.erased_at = now
    user.session_version = User.session_version + 1
    session.add(user)
    session.flush()
    session.refresh(user)


def purge_old_drafts(*, session: Session, now: datetime, days: int) -> int:
    """Delete drafts and withdrawn posts untouched for `days` days; how many."""
    cutoff = now - timedelta(days=days)
    old = session.exec(
        select(PracticePost.id).where(
            or_(
                (PracticePost.status == PostStatus.DRAFT) & (PracticePost.created_at < cutoff),
                (PracticePost.status == PostStatus.WITHDRAWN) & (PracticePost.closed_at < cutoff),
            )
        )
    ).all()
    _delete_posts(session, list(old))
    session.flush()
    return len(old)
