"""In-app notifications (new post to review, decisions, sign-off, level changes, flags) and
the daily e-mail digest of what is still unread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlmodel import Session, select

from learner import groups
from learner.core import mail
from learner.core.extensions import locale_of
from learner.models import (
    Group,
    Level,
    Membership,
    Notification,
    NotificationKind,
    PostRevision,
    PracticePost,
    Role,
    User,
)

PAGE_SIZE = 50
LEVEL_NAMES = {
    Level.INSTRUCTION.value: _l("instruction"),
    Level.PERMIT.value: _l("the learner's permit"),
    Level.PROVISIONAL.value: _l("provisional"),
}
DIGEST_INTERVAL = timedelta(hours=20)

DECISION_TEXT = {
    "approved": _l("%(actor)s approved your post"),
    "changes": _l("%(actor)s asked for changes to your post"),
    "commented": _l("%(actor)s commented on your post"),
}
LEVEL_DOWN_TEXT = _l("Your level changed: you are back at %(level)s. Your supervisor says why.")
LEVEL_TEXT = {
    Level.INSTRUCTION.value: _l("Your level changed: you are back at instruction"),
    Level.PERMIT.value: _l("Your level changed: you have your learner's permit"),
    Level.PROVISIONAL.value: _l("Your level changed: you are provisional now"),
    Level.LICENSED.value: _l("You are licensed: congratulations!"),
}
KIND_TEXT = {
    NotificationKind.TO_REVIEW: _l("%(actor)s sent a post for review"),
    NotificationKind.SIGNOFF_REQUESTED: _l("%(actor)s is ready for sign-off"),
    NotificationKind.FLAGGED: _l("%(actor)s flagged your post for a talk"),
    NotificationKind.POLICY_PUBLISHED: _l(
        "%(actor)s published a new version of the social-media policy: please read and "
        "acknowledge it"
    ),
    NotificationKind.COSIGN_REQUESTED: _l(
        "%(actor)s saved their privacy setup: walk through it together and co-sign it"
    ),
    NotificationKind.SCENARIO_HELP: _l(
        "%(actor)s asked for your help in a practice scenario: their message is on their "
        "progress page"
    ),
    NotificationKind.AGREEMENT_PROPOSED: _l(
        "%(actor)s proposed a family agreement: read it and sign it"
    ),
}
REMINDER_TEXT = {
    "policy": _l("Reminder: the social-media policy waits for your acknowledgement"),
    "lesson": _l("Reminder: an assigned lesson is due"),
    "staff": _l("%(actor)s, on your staff, is three days late with the policy or a lesson"),
    "refresher": _l("A few refresher questions from a lesson you finished wait on your dashboard"),
    "scenario": _l("Reminder: an assigned scenario is due"),
}


def notify(
    *,
    session: Session,
    user_id: int,
    kind: NotificationKind,
    group_id: int,
    now: datetime,
    membership_id: int | None = None,
    post_id: int | None = None,
    actor_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Leave one notification for one person."""
    session.add(
        Notification(
            user_id=user_id,
            kind=kind,
            group_id=group_id,
            membership_id=membership_id,
            post_id=post_id,
            actor_id=actor_id,
            detail=detail,
            created_at=now,
        )
    )


def notify_supervisors(
    *,
    session: Session,
    group: Group,
    kind: NotificationKind,
    membership: Membership,
    actor_id: int,
    now: datetime,
    post_id: int | None = None,
) -> None:
    """Leave a notification for every current supervisor of the group."""
    supervisor_ids = session.exec(
        select(Membership.user_id).where(
            groups.current_members(group.id, role=Role.SUPERVISOR),
        )
    ).all()
    for user_id in supervisor_ids:
        notify(
            session=session,
            user_id=user_id,
            kind=kind,
            group_id=group.id,
            membership_id=membership.id,
            post_id=post_id,
            actor_id=actor_id,
            now=now,
        )


def unread_count(session: Session, user: User) -> int:
    """How many notifications the user has not seen."""
    return session.exec(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).one()


@dataclass
class Item:
    """Notifications ready to show as one line: the newest of a run of alike ones (same
    kind, person and group), its text, and the first words of each post it is about."""

    notification: Notification
    text: str
    group: Group
    excerpts: list[str] = field(default_factory=list)
    count: int = 1
    unread: bool = False


EXCERPT_CHARS = 60


def excerpt(body: str | None) -> str | None:
    """The first words of a post, cut at a word boundary, to say which post is meant."""
    if not body:
        return None
    text = " ".join(body.split())
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] or text[:EXCERPT_CHARS]
    return cut + "…"


def text_of(notification: Notification, actor: User | None) -> str:
    """The sentence a notification shows."""
    name = actor.display_name if actor else _("Someone")
    if notification.kind is NotificationKind.DECISION:
        return str(DECISION_TEXT.get(notification.detail or "", DECISION_TEXT["commented"])) % {
            "actor": name
        }
    if notification.kind is NotificationKind.LEVEL_CHANGED:
        detail = notification.detail or ""
        if detail.startswith("down_"):
            return str(LEVEL_DOWN_TEXT) % {"level": LEVEL_NAMES.get(detail[5:], detail[5:])}
        return str(LEVEL_TEXT.get(detail, LEVEL_TEXT[Level.PERMIT.value]))
    if notification.kind is NotificationKind.REMINDER:
        text = REMINDER_TEXT.get(notification.detail or "", REMINDER_TEXT["lesson"])
        return str(text) % {"actor": name} if notification.detail == "staff" else str(text)
    return str(KIND_TEXT[notification.kind]) % {"actor": name}


def latest(session: Session, user: User) -> list[Item]:
    """The user's latest notifications, newest first, alike ones in a row grouped into one
    line that names each post by its first words (one query)."""
    rows = session.exec(
        select(Notification, Group, User, PostRevision.body)
        .join(Group, Group.id == Notification.group_id)
        .outerjoin(User, User.id == Notification.actor_id)
        .outerjoin(PracticePost, PracticePost.id == Notification.post_id)
        .outerjoin(
            PostRevision,
            (PostRevision.post_id == PracticePost.id)
            & (PostRevision.number == PracticePost.revision),
        )
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PAGE_SIZE)
    ).all()
    items: list[Item] = []
    for n, group, actor, body in rows:
        last = items[-1] if items else None
        alike = last is not None and (
            (last.notification.kind, last.notification.detail, last.notification.actor_id)
            == (n.kind, n.detail, n.actor_id)
            and last.group.id == group.id
            and n.kind is not NotificationKind.LEVEL_CHANGED
        )
        if alike:
            last.count += 1
            last.unread = last.unread or n.read_at is None
            words = excerpt(body)
            if words and words not in last.excerpts:
                last.excerpts.append(words)
            continue
        words = excerpt(body)
        items.append(
            Item(
                notification=n,
                text=text_of(n, actor),
                group=group,
                excerpts=[words] if words else [],
                unread=n.read_at is None,
            )
        )
    return items


def mark_read(*, session: Session, user: User, now: datetime) -> int:
    """Mark all of the user's notifications read; how many were unread."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount


def _about(user: User, post_id: int | None, membership_id: int | None):
    where = [Notification.user_id == user.id, Notification.read_at.is_(None)]
    if post_id is not None:
        where.append(Notification.post_id == post_id)
    else:
        where += [Notification.membership_id == membership_id, Notification.post_id.is_(None)]
    return where


def has_unread_about(
    session: Session, user: User, *, post_id: int | None = None, membership_id: int | None = None
) -> bool:
    """Whether the user has unread notifications about this post (or this learner's level)."""
    where = _about(user, post_id, membership_id)
    return session.exec(select(Notification.id).where(*where).limit(1)).first() is not None


def mark_read_about(
    *,
    session: Session,
    user: User,
    now: datetime,
    post_id: int | None = None,
    membership_id: int | None = None,
) -> None:
    """Opening what a notification is about counts as reading it."""
    session.execute(
        update(Notification).where(*_about(user, post_id, membership_id)).values(read_at=now)
    )


def close_about(
    *,
    session: Session,
    kind: NotificationKind,
    membership_id: int,
    now: datetime,
    user_id: int | None = None,
) -> None:
    """What a notification asked for is done (signed, co-signed): it is read, for
    `user_id` only or, without one, for everyone it went to."""
    where = [
        Notification.kind == kind,
        Notification.membership_id == membership_id,
        Notification.read_at.is_(None),
    ]
    if user_id is not None:
        where.append(Notification.user_id == user_id)
    session.execute(update(Notification).where(*where).values(read_at=now))


def close_reviews(*, session: Session, post_id: int, now: datetime) -> None:
    """A post decided or withdrawn: its 'to review' notifications are done for everyone."""
    session.execute(
        update(Notification)
        .where(
            Notification.post_id == post_id,
            Notification.kind == NotificationKind.TO_REVIEW,
            Notification.read_at.is_(None),
        )
        .values(read_at=now)
    )


def _about_policy(user: User, group_id: int):
    return (
        Notification.user_id == user.id,
        Notification.group_id == group_id,
        Notification.read_at.is_(None),
        (Notification.kind == NotificationKind.POLICY_PUBLISHED)
        | ((Notification.kind == NotificationKind.REMINDER) & (Notification.detail == "policy")),
    )


def has_unread_policy_news(session: Session, user: User, group_id: int) -> bool:
    """Whether the user has unread news about a workplace's policy."""
    found = session.exec(select(Notification.id).where(*_about_policy(user, group_id)).limit(1))
    return found.first() is not None


def mark_policy_news_read(*, session: Session, user: User, group_id: int, now: datetime) -> None:
    """Opening the policy counts as reading the news about it."""
    session.execute(update(Notification).where(*_about_policy(user, group_id)).values(read_at=now))


def send_digests(*, session: Session, now: datetime, link: str) -> int:
    """E-mail each person with an address a short summary of what they have not read yet,
    at most once per DIGEST_INTERVAL; returns how many e-mails went out."""
    rows = session.exec(
        select(User, Notification)
        .join(Notification, Notification.user_id == User.id)
        .where(
            Notification.read_at.is_(None),
            Notification.emailed_at.is_(None),
            User.email.is_not(None),
            User.active.is_(True),
        )
        .order_by(User.id, Notification.created_at)
    ).all()
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for user, notification in rows:
        by_user.setdefault(user.id, (user, []))[1].append(notification)
    recently = set(
        session.exec(
            select(Notification.user_id)
            .where(Notification.emailed_at > now - DIGEST_INTERVAL)
            .distinct()
        ).all()
    )
    sent = 0
    for user_id, (user, waiting) in by_user.items():
        if user_id in recently:
            continue
        with force_locale(locale_of(user)):
            lines = "\n".join(f"- {_kind_summary(n)}" for n in waiting[:20])
            subject = ngettext(
                "%(num)d new thing on Driver's Ed for Social Media",
                "%(num)d new things on Driver's Ed for Social Media",
                len(waiting),
            )
            body = _(
                "Hello %(name)s,\n\nHere is what is waiting for you:\n%(lines)s\n\n"
                "Open your notifications: %(link)s\n",
                name=user.display_name,
                lines=lines,
                link=link,
            )
        mail.send(to=user.email, subject=subject, body=body)
        session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in waiting]))
            .values(emailed_at=now)
        )
        sent += 1
    return sent


def _kind_summary(notification: Notification) -> str:
    """A digest line without names: e-mail travels further than the app."""
    if notification.kind is NotificationKind.REMINDER and notification.detail == "refresher":
        return _("A few refresher questions wait on your dashboard.")
    return {
        NotificationKind.TO_REVIEW: _("A practice post waits for your review."),
        NotificationKind.DECISION: _("A supervisor answered one of your posts."),
        NotificationKind.SIGNOFF_REQUESTED: _("A learner asks for sign-off."),
        NotificationKind.LEVEL_CHANGED: _("Your level changed."),
        NotificationKind.FLAGGED: _("A post of yours was flagged for a talk."),
        NotificationKind.POLICY_PUBLISHED: _("A new social-media policy waits for you."),
        NotificationKind.REMINDER: _("A reminder of something due."),
        NotificationKind.COSIGN_REQUESTED: _("A privacy setup waits for your co-signature."),
        NotificationKind.AGREEMENT_PROPOSED: _("A family agreement waits for your signature."),
    }[notification.kind]
