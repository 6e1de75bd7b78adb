"""Practice posts: compose, submit, revise, withdraw; supervisors decide, flag and dismiss.

What happens on submit depends on the learner's level (DESIGN §2): held for review at
`permit`, published at once at `provisional` unless the coach finds something serious,
published freely at `licensed`. Nothing is deleted: withdrawn and removed are statuses.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import and_, bindparam, exists, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from learner import coach, groupdata, groups, notifications
from learner.core.images import CleanImage
from learner.errors import DomainError
from learner.models import (
    Audience,
    EventKind,
    Group,
    Level,
    Membership,
    NotificationKind,
    PostAudience,
    PostFinding,
    PostRevision,
    PostStatus,
    PracticePost,
    Role,
    SupervisionEvent,
    User,
)

MAX_BODY = coach.MAX_LENGTH
FEED_PAGE = 30
QUEUE_PAGE = 50
RECENT_PAGE = 30
RECENT_DAYS = 30
# A supervisor opening the same post again within this time is not logged again.
OPENED_QUIET = timedelta(hours=1)
OPEN_STATUSES = (PostStatus.PENDING, PostStatus.CHANGES)
CHANGE_REASONS = {
    "personal_info": _l("Shares personal information"),
    "tone": _l("The tone could hurt someone"),
    "audience": _l("Think about who will see it"),
    "spam": _l("Reads like spam"),
    "accuracy": _l("Check it is true before sharing"),
}


class PracticeError(DomainError):
    """A post action the rules refuse (the message says why; `field` where it belongs)."""


class Conflict(PracticeError):
    """The post changed since the page was opened: withdrawn, decided or revised already."""


@dataclass(frozen=True)
class Draft:
    """What a learner wrote in the compose form."""

    body: str
    audience: Audience
    member_ids: tuple[int, ...] = ()
    image: CleanImage | None = None
    remove_image: bool = False


# --- Composing ---------------------------------------------------------------------------


def audience_members(
    session: Session, group: Group, author: Membership
) -> list[tuple[Membership, User]]:
    """The members a learner may address in a 'friends' post or a direct message."""
    return list(
        session.exec(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(
                groups.current_members(group.id),
                Membership.id != author.id,
            )
            .order_by(func.lower(User.display_name), Membership.id)
        ).all()
    )


def _check_body(body: str) -> None:
    if not body.strip():
        raise PracticeError(_l("Write something first."), field="body")
    if len(body) > MAX_BODY:
        raise PracticeError(
            _l("Keep it to %(max)d characters (this is %(n)d).", max=MAX_BODY, n=len(body)),
            field="body",
        )


def _check_draft(session: Session, group: Group, author: Membership, draft: Draft) -> None:
    _check_body(draft.body)
    if draft.audience is Audience.PUBLIC:
        return
    allowed = {m.id for m, _user in audience_members(session, group, author)}
    chosen = set(draft.member_ids)
    if not chosen:
        raise PracticeError(_l("Choose who it is for."), field="members")
    if not chosen <= allowed:
        raise PracticeError(_l("Choose people from this group only."), field="members")
    if draft.audience is Audience.DIRECT and len(chosen) != 1:
        raise PracticeError(_l("A direct message goes to exactly one person."), field="members")


def _store_revision(
    session: Session, post: PracticePost, draft: Draft, number: int, previous: PostRevision | None
) -> PostRevision:
    image, image_type = (None, None)
    if draft.image is not None:
        image, image_type = draft.image.data, draft.image.content_type
    elif previous is not None and not draft.remove_image:
        image, image_type = previous.image, previous.image_type
    revision = session.exec(
        select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number)
    ).first() or PostRevision(post_id=post.id, number=number, body="")
    revision.body = draft.body.strip()
    revision.image, revision.image_type = image, image_type
    session.add(revision)
    session.flush()
    return revision


def _store_findings(session: Session, revision: PostRevision, had_gps: bool) -> int:
    """Run the coach on a revision and keep its findings; the number of high ones."""
    findings = coach.analyze(revision.body) + coach.image_findings(had_gps)
    for f in findings:
        session.add(
            PostFinding(
                revision_id=revision.id,
                rule=f.rule,
                category=f.category,
                severity=f.severity,
                start=f.start,
                end=f.end,
                excerpt=f.excerpt[:200],
                message=f.message,
                lesson=f.lesson,
                suggestion=f.suggestion,
            )
        )
    return sum(1 for f in findings if f.severity == "high")


def _set_audience(session: Session, post: PracticePost, member_ids) -> None:
    for row in session.exec(select(PostAudience).where(PostAudience.post_id == post.id)).all():
        session.delete(row)
    session.flush()
    for member_id in sorted(set(member_ids)):
        session.add(PostAudience(post_id=post.id, membership_id=member_id))


# The same text sent again this soon is the same post (the back button, then Send).
RESEND_WINDOW = timedelta(minutes=30)


def _same_post_sent_lately(
    session: Session, author: Membership, draft: Draft, parent: PracticePost | None, now: datetime
) -> PracticePost | None:
    """A post with the same text (and no new photo) the author sent in the last minutes."""
    if draft.image is not None:
        return None
    same_parent = (
        PracticePost.parent_id == parent.id if parent else PracticePost.parent_id.is_(None)
    )
    return session.exec(
        select(PracticePost)
        .join(
            PostRevision,
            (PostRevision.post_id == PracticePost.id)
            & (PostRevision.number == PracticePost.revision),
        )
        .where(
            PracticePost.membership_id == author.id,
            same_parent,
            PracticePost.status.in_([PostStatus.PENDING, PostStatus.PUBLISHED]),
            PracticePost.created_at > now - RESEND_WINDOW,
            PostRevision.body == draft.body,
        )
        .order_by(PracticePost.id)
        .limit(1)
    ).first()


def compose(
    *,
    session: Session,
    group: Group,
    author: Membership,
    draft: Draft,
    submit: bool,
    client_token: str | None,
    now: datetime,
    parent: PracticePost | None = None,
) -> tuple[PracticePost, bool]:
    """Save a new post (or reply) as a draft or submit it; (post, False) when the same form
    was sent before (a double click), so it is not made twice."""
    if client_token:
        earlier = session.exec(
            select(PracticePost).where(
                PracticePost.author_id == author.user_id, PracticePost.client_token == client_token
            )
        ).first()
        if earlier is not None:
            return earlier, False
    if submit:
        earlier = _same_post_sent_lately(session, author, draft, parent, now)
        if earlier is not None:
            return earlier, False
    if parent is not None:
        # A reply goes to the people the post it answers went to, its author included.
        members = audience_ids(session, parent) | {parent.membership_id}
        draft = Draft(
            body=draft.body,
            audience=parent.audience,
            member_ids=()
            if parent.audience is Audience.PUBLIC
            else tuple(sorted(members - {author.id})),
            image=draft.image,
        )
        _check_body(draft.body)
    else:
        _check_draft(session, group, author, draft)
    post = PracticePost(
        group_id=group.id,
        membership_id=author.id,
        author_id=author.user_id,
        parent_id=parent.id if parent else None,
        audience=draft.audience,
        status=PostStatus.DRAFT,
        client_token=client_token,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(post)
            session.flush()
    except IntegrityError:
        earlier = session.exec(
            select(PracticePost).where(
                PracticePost.author_id == author.user_id, PracticePost.client_token == client_token
            )
        ).one()
        return earlier, False
    _set_audience(session, post, draft.member_ids)
    revision = _store_revision(session, post, draft, 1, None)
    if submit:
        _submit(session, group, author, post, revision, draft, now)
    session.flush()
    return post, True


def _submit(session, group, author, post, revision, draft, now) -> None:
    if author.level is Level.INSTRUCTION:
        raise PracticeError(
            _l("At instruction you can save drafts; you can send posts once you have your permit.")
        )
    high = _store_findings(session, revision, bool(draft.image and draft.image.had_gps))
    post.level = author.level
    post.high_findings = high
    post.submitted_at = now
    held = author.level is Level.PERMIT or (author.level is Level.PROVISIONAL and high > 0)
    post.held_by_coach = held and author.level is Level.PROVISIONAL
    if held:
        post.status = PostStatus.PENDING
        notifications.notify_supervisors(
            session=session,
            group=group,
            kind=NotificationKind.TO_REVIEW,
            membership=author,
            actor_id=author.user_id,
            post_id=post.id,
            now=now,
        )
    else:
        post.status = PostStatus.PUBLISHED
        post.published_at = now
    session.add(post)


def revise(
    *,
    session: Session,
    group: Group,
    author: Membership,
    post: PracticePost,
    draft: Draft,
    base_revision: int,
    submit: bool,
    now: datetime,
) -> bool:
    """Change a draft, or send a new revision of a post waiting for review; False when this
    exact revision was already saved (a double click). Raises Conflict when the post is
    closed or was revised in another tab."""
    locked = _lock(session, post)
    if locked.status not in (PostStatus.DRAFT, *OPEN_STATUSES):
        raise Conflict(
            _l("This post is %(status)s; it cannot be changed.", status=STATUS_TEXT[locked.status])
        )
    if locked.revision != base_revision:
        if locked.revision == base_revision + 1:
            return False
        raise Conflict(_l("This post changed in another window. Open it again."))
    if locked.parent_id is None:
        _check_draft(session, group, author, draft)
        locked.audience = draft.audience
        _set_audience(session, locked, draft.member_ids)
    else:
        _check_body(draft.body)
    previous = current_revision(session, locked)
    number = locked.revision if locked.status is PostStatus.DRAFT else locked.revision + 1
    revision = _store_revision(session, locked, draft, number, previous)
    locked.revision = number
    # A new revision of a sent post follows the rules of the learner's level today.
    if submit or locked.status is not PostStatus.DRAFT:
        _submit(session, group, author, locked, revision, draft, now)
    session.add(locked)
    session.flush()
    return True


def _lock(session: Session, post: PracticePost) -> PracticePost:
    session.refresh(post, with_for_update=True)
    return post


def withdraw(*, session: Session, post: PracticePost, now: datetime) -> None:
    """The learner takes back a draft or a post waiting for review (it stays in history)."""
    post = _lock(session, post)
    if post.status not in (PostStatus.DRAFT, *OPEN_STATUSES):
        raise Conflict(
            _l("This post is %(status)s; it cannot be withdrawn.", status=STATUS_TEXT[post.status])
        )
    post.status = PostStatus.WITHDRAWN
    post.closed_at = now
    session.add(post)
    notifications.close_reviews(session=session, post_id=post.id, now=now)
    session.flush()


def remove(*, session: Session, post: PracticePost, now: datetime) -> None:
    """The learner takes a published post off the feed (it stays in history)."""
    post = _lock(session, post)
    if post.status is not PostStatus.PUBLISHED:
        raise Conflict(_l("Only a published post can be taken down."))
    post.status = PostStatus.REMOVED
    post.closed_at = now
    session.add(post)
    session.flush()


def toggle_shared(*, session: Session, post: PracticePost, now: datetime) -> None:
    """At `licensed`, the learner shows a post to their supervisors, or stops showing it."""
    if post.level is not Level.LICENSED:
        raise Conflict(_l("Supervisors see posts you made before your license anyway."))
    post.shared_with_supervisors = not post.shared_with_supervisors
    session.add(post)
    session.flush()


# --- Supervisors ---------------------------------------------------------------------------


def revision(session: Session, post: PracticePost, number: int) -> PostRevision | None:
    """One revision of a post by its number."""
    return session.exec(
        select(PostRevision).where(PostRevision.post_id == post.id, PostRevision.number == number)
    ).first()


def decide(
    *,
    session: Session,
    post: PracticePost,
    supervisor: User,
    decision: EventKind,
    revision: int,
    reasons: list[str],
    note: str,
    now: datetime,
) -> SupervisionEvent:
    """Approve, request changes or comment on the revision the supervisor looked at.

    Exactly one decision counts when two supervisors decide at once: the update only
    applies while the post is still waiting at that revision (Conflict otherwise)."""
    note = note.strip()
    if decision in (EventKind.CHANGES_REQUESTED, EventKind.COMMENTED) and not note:
        raise PracticeError(_l("Write a note the learner will read."), field="note")
    unknown = set(reasons) - set(CHANGE_REASONS)
    if unknown:
        raise PracticeError(_l("Choose reasons from the list."), field="reasons")
    values = {}
    if decision is EventKind.APPROVED:
        values = {"status": PostStatus.PUBLISHED, "approved_at": now, "published_at": now}
    elif decision is EventKind.CHANGES_REQUESTED:
        values = {
            "status": PostStatus.CHANGES,
            "changes_requested": PracticePost.changes_requested + 1,
        }
    guard = and_(
        PracticePost.id == post.id,
        PracticePost.status == PostStatus.PENDING,
        PracticePost.revision == revision,
    )
    if values:
        changed = session.execute(
            groupdata.touches(
                update(PracticePost).where(guard).values(**values), groups=[post.group_id]
            )
        ).rowcount
    else:
        changed = len(session.exec(select(PracticePost.id).where(guard).with_for_update()).all())
    if changed != 1:
        session.refresh(post)
        raise Conflict(_why_not_open(post, revision))
    session.refresh(post)
    if decision is not EventKind.COMMENTED:
        notifications.close_reviews(session=session, post_id=post.id, now=now)
    event = SupervisionEvent(
        membership_id=post.membership_id,
        actor_id=supervisor.id,
        kind=decision,
        post_id=post.id,
        revision=revision,
        reasons=",".join(sorted(set(reasons))) or None,
        note=note or None,
        created_at=now,
    )
    session.add(event)
    notifications.notify(
        session=session,
        user_id=post.author_id,
        kind=NotificationKind.DECISION,
        group_id=post.group_id,
        post_id=post.id,
        actor_id=supervisor.id,
        detail=decision.value,
        now=now,
    )
    session.flush()
    return event


def _why_not_open(post: PracticePost, revision: int):
    if post.status is PostStatus.WITHDRAWN:
        return _l("The learner withdrew this post.")
    if post.status is PostStatus.PENDING and post.revision != revision:
        return _l("The learner sent a new revision. Look at it before you decide.")
    if post.status is PostStatus.PUBLISHED:
        return _l("This post is approved already (by another supervisor, or by you earlier).")
    if post.status is PostStatus.CHANGES:
        return _l("Changes were asked for already; the post waits for the learner.")
    return _l("This post is not waiting for review.")


def flag(
    *, session: Session, post: PracticePost, supervisor: User, note: str, now: datetime
) -> SupervisionEvent:
    """Flag a published post for a talk; it resets the learner's clean streak."""
    note = note.strip()
    if not note:
        raise PracticeError(_l("Write what you would like to talk about."), field="note")
    changed = session.execute(
        groupdata.touches(
            update(PracticePost)
            .where(
                PracticePost.id == post.id,
                PracticePost.status == PostStatus.PUBLISHED,
                PracticePost.flagged_at.is_(None),
            )
            .values(flagged_at=now),
            groups=[post.group_id],
        )
    ).rowcount
    session.refresh(post)
    if changed != 1:
        raise Conflict(
            _l("This post is flagged already.")
            if post.flagged_at
            else _l("Only a published post can be flagged.")
        )
    event = SupervisionEvent(
        membership_id=post.membership_id,
        actor_id=supervisor.id,
        kind=EventKind.FLAGGED,
        post_id=post.id,
        revision=post.revision,
        note=note,
        created_at=now,
    )
    session.add(event)
    notifications.notify(
        session=session,
        user_id=post.author_id,
        kind=NotificationKind.FLAGGED,
        group_id=post.group_id,
        post_id=post.id,
        actor_id=supervisor.id,
        now=now,
    )
    session.flush()
    return event


def dismiss_rule(
    *, session: Session, post: PracticePost, supervisor: User, rule: str, reason: str, now: datetime
) -> int:
    """Dismiss a rule's findings on the current revision, with a reason; how many."""
    reason = reason.strip()
    if not reason:
        raise PracticeError(_l("Say why this finding does not apply."), field="reason")
    post = _lock(session, post)
    if post.status not in OPEN_STATUSES:
        raise Conflict(_l("Findings can be dismissed while the post waits for review."))
    revision = current_revision(session, post)
    findings = session.exec(
        select(PostFinding).where(
            PostFinding.revision_id == revision.id,
            PostFinding.rule == rule,
            PostFinding.dismissed_at.is_(None),
        )
    ).all()
    if not findings:
        raise Conflict(_l("There is no open finding of this kind on the current revision."))
    for finding in findings:
        finding.dismissed_at = now
        finding.dismissed_by_id = supervisor.id
        finding.dismissal_reason = reason[:300]
        session.add(finding)
    post.high_findings -= sum(1 for f in findings if f.severity == "high")
    session.add(post)
    session.add(
        SupervisionEvent(
            membership_id=post.membership_id,
            actor_id=supervisor.id,
            kind=EventKind.DISMISSED,
            post_id=post.id,
            revision=post.revision,
            reasons=rule[:200],
            note=reason,
            created_at=now,
        )
    )
    session.flush()
    return len(findings)


def not_yet_opened(
    session: Session, *, posts: list[PracticePost], supervisor: User, now: datetime
) -> list[PracticePost]:
    """Posts of others in a list that this supervisor has not been logged reading lately."""
    others = {p.id: p for p in posts if p.author_id != supervisor.id}
    if not others:
        return []
    recent = set(
        session.exec(
            select(SupervisionEvent.post_id).where(
                SupervisionEvent.post_id.in_(list(others)),
                SupervisionEvent.actor_id == supervisor.id,
                SupervisionEvent.kind == EventKind.OPENED,
                SupervisionEvent.created_at > now - OPENED_QUIET,
            )
        ).all()
    )
    return [p for post_id, p in others.items() if post_id not in recent]


def not_opened_among(items, supervisor: User) -> list[PracticePost]:
    """As `not_yet_opened`, for items read with their `opened_lately` column (the review
    queue's): no query of its own."""
    others: dict[int, PracticePost] = {}
    for item in items:
        if item.post.author_id != supervisor.id and not item.opened_lately:
            others.setdefault(item.post.id, item.post)
    return list(others.values())


def record_opened_many(
    *, session: Session, posts: list[PracticePost], supervisor: User, now: datetime
) -> None:
    """Log that a supervisor opened these posts, or read them in the review queue."""
    session.add_all(
        SupervisionEvent(
            membership_id=p.membership_id,
            actor_id=supervisor.id,
            kind=EventKind.OPENED,
            post_id=p.id,
            revision=p.revision,
            created_at=now,
        )
        for p in posts
    )
    session.flush()


# --- Reading -------------------------------------------------------------------------------

STATUS_TEXT = {
    PostStatus.DRAFT: _l("a draft"),
    PostStatus.PENDING: _l("waiting for review"),
    PostStatus.CHANGES: _l("waiting for your changes"),
    PostStatus.PUBLISHED: _l("published"),
    PostStatus.WITHDRAWN: _l("withdrawn"),
    PostStatus.REMOVED: _l("taken down"),
}


def audience_ids(session: Session, post: PracticePost) -> set[int]:
    """The memberships a 'friends' post or a direct message is for."""
    return set(
        session.exec(
            select(PostAudience.membership_id).where(PostAudience.post_id == post.id)
        ).all()
    )


def visible_clause(viewer: Membership, post=PracticePost):
    """SQL for 'the viewer may see this post' (mirrors policy.can_view_post); `post` is
    PracticePost or an alias of it."""
    return _visible(viewer.role is Role.SUPERVISOR, viewer.id, viewer.group_id, post)


def _visible(supervisor: bool, viewer_id, group_id, post):
    """visible_clause, for a viewer's membership id and group id given as values or as
    bound parameters (a statement built once)."""
    addressed = exists().where(
        PostAudience.post_id == post.id, PostAudience.membership_id == viewer_id
    )
    published = and_(
        post.status == PostStatus.PUBLISHED,
        or_(post.audience == Audience.PUBLIC, addressed),
    )
    mine = and_(post.membership_id == viewer_id)
    if supervisor:
        supervised = and_(
            post.status != PostStatus.DRAFT,
            post.submitted_at.is_not(None),
            or_(
                post.level != Level.LICENSED,
                post.shared_with_supervisors.is_(True),
                published,
            ),
        )
        return and_(post.group_id == group_id, or_(mine, supervised))
    return and_(post.group_id == group_id, or_(mine, published))


@dataclass(frozen=True)
class FeedItem:
    """A post on the feed with its current text and its author; for a supervisor's
    lists, whether they were logged reading it lately (`not_opened_among`)."""

    post: PracticePost
    revision: PostRevision
    author: User
    replies: int
    opened_lately: bool = False


def _with_revision_and_author():
    return (
        select(PracticePost, PostRevision, User)
        .join(
            PostRevision,
            and_(
                PostRevision.post_id == PracticePost.id,
                PostRevision.number == PracticePost.revision,
            ),
        )
        .join(User, User.id == PracticePost.author_id)
    )


@functools.cache
def _feed_statement(supervisor: bool, older: bool):
    """The feed's statement for a supervisor or a learner, from the first page or
    `:before` a post, built once: each post with its visible replies counted in it."""
    viewer_id, group_id = bindparam("viewer_id"), bindparam("viewer_group")
    reply = aliased(PracticePost)
    replies = (
        select(func.count(reply.id))
        .where(
            reply.parent_id == PracticePost.id,
            reply.status == PostStatus.PUBLISHED,
            _visible(supervisor, viewer_id, group_id, reply),
        )
        .scalar_subquery()
    )
    query = (
        _with_revision_and_author()
        .add_columns(replies)
        .where(
            _visible(supervisor, viewer_id, group_id, PracticePost),
            PracticePost.status == PostStatus.PUBLISHED,
            PracticePost.parent_id.is_(None),
        )
    )
    if older:
        query = query.where(PracticePost.id < bindparam("before"))
    return query.order_by(PracticePost.id.desc()).limit(FEED_PAGE)


def feed(session: Session, viewer: Membership, *, before: int | None = None) -> list[FeedItem]:
    """Published top-level posts the viewer may see, newest first, each with the number
    of its replies the viewer may see (one query)."""
    statement = _feed_statement(viewer.role is Role.SUPERVISOR, before is not None)
    params = {"viewer_id": viewer.id, "viewer_group": viewer.group_id}
    if before is not None:
        params["before"] = before
    rows = session.exec(statement, params=params).all()
    return [FeedItem(p, r, u, replies) for p, r, u, replies in rows]


def my_posts(session: Session, author: Membership) -> list[FeedItem]:
    """The learner's own posts and replies in every status, newest first."""
    rows = session.exec(_MY_POSTS, params={"membership_id": author.id}).all()
    return [FeedItem(p, r, u, 0) for p, r, u in rows]


def replies(session: Session, viewer: Membership, post: PracticePost) -> list[FeedItem]:
    """The replies to a post the viewer may see, oldest first."""
    rows = session.exec(
        _with_revision_and_author()
        .where(PracticePost.parent_id == post.id, visible_clause(viewer))
        .where(
            or_(
                PracticePost.status == PostStatus.PUBLISHED,
                PracticePost.membership_id == viewer.id,
                and_(viewer.role == Role.SUPERVISOR, PracticePost.status.in_(OPEN_STATUSES)),
            )
        )
        .order_by(PracticePost.id)
    ).all()
    return [FeedItem(p, r, u, 0) for p, r, u in rows]


def current_revision(session: Session, post: PracticePost) -> PostRevision:
    """The post's current revision."""
    return session.exec(
        select(PostRevision).where(
            PostRevision.post_id == post.id, PostRevision.number == post.revision
        )
    ).one()


def revisions(session: Session, post: PracticePost) -> list[PostRevision]:
    """Every revision of a post, oldest first."""
    return list(
        session.exec(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .order_by(PostRevision.number)
        ).all()
    )


def findings_of(session: Session, revision_ids: list[int]) -> dict[int, list[PostFinding]]:
    """Stored findings by revision id, in reading order."""
    if not revision_ids:
        return {}
    rows = session.exec(_FINDINGS, params={"revision_ids": list(revision_ids)}).all()
    result: dict[int, list[PostFinding]] = {}
    for row in rows:
        result.setdefault(row.revision_id, []).append(row)
    return result


def post_events(session: Session, post: PracticePost) -> list[tuple[SupervisionEvent, User]]:
    """Decisions, comments and flags on a post (not the 'opened' entries), oldest first."""
    return list(
        session.exec(
            select(SupervisionEvent, User)
            .join(User, User.id == SupervisionEvent.actor_id)
            .where(
                SupervisionEvent.post_id == post.id,
                SupervisionEvent.kind != EventKind.OPENED,
            )
            .order_by(SupervisionEvent.created_at, SupervisionEvent.id)
        ).all()
    )


def word_diff(old: str, new: str) -> Markup:
    """What changed between two revisions, as escaped HTML with <del> and <ins>."""
    a, b = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    out: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if i2 > i1 and j2 > j1:
            # A word replaced by another: keep them apart, or they read as one ("Textthis").
            out.append(Markup(" "))
        if j2 > j1:
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
    return Markup("").join(out)


@dataclass(frozen=True)
class QueueItem:
    """A post waiting for review, with its text, author and findings, and whether the
    supervisor reading the queue was logged reading it lately."""

    post: PracticePost
    revision: PostRevision
    author: User
    findings: list[PostFinding]
    opened_lately: bool = False


def _opened_lately():
    """A column: the supervisor `:supervisor_id` was logged reading the post since
    `:opened_since` (what `not_yet_opened` asks, in the list's own query)."""
    return (
        exists()
        .where(
            SupervisionEvent.post_id == PracticePost.id,
            SupervisionEvent.actor_id == bindparam("supervisor_id"),
            SupervisionEvent.kind == EventKind.OPENED,
            SupervisionEvent.created_at > bindparam("opened_since"),
        )
        .label("opened_lately")
    )


def _queue_statement(*, of_learner: bool):
    query = (
        _with_revision_and_author()
        .add_columns(_opened_lately())
        .where(
            PracticePost.group_id == bindparam("group_id"),
            PracticePost.status == PostStatus.PENDING,
        )
    )
    if of_learner:
        query = query.where(PracticePost.membership_id == bindparam("learner"))
    return query.order_by(PracticePost.submitted_at, PracticePost.id).limit(QUEUE_PAGE)


def queue(
    session: Session,
    group: Group,
    *,
    supervisor: User,
    now: datetime,
    learner: int | None = None,
) -> list[QueueItem]:
    """Posts waiting for review in a group, oldest first (two queries)."""
    params = {"group_id": group.id, "supervisor_id": supervisor.id}
    params["opened_since"] = now - OPENED_QUIET
    if learner is not None:
        params["learner"] = learner
    rows = session.exec(_QUEUE_OF_LEARNER if learner is not None else _QUEUE, params=params).all()
    found = findings_of(session, [r.id for _p, r, _u, _o in rows])
    return [QueueItem(p, r, u, found.get(r.id, []), bool(o)) for p, r, u, o in rows]


def queue_learners(session: Session, group: Group) -> list[tuple[int, str]]:
    """The group's current learners for the queue's filter, (membership id, name), in the
    group page's order (one query of two columns)."""
    return list(session.exec(_QUEUE_LEARNERS, params={"group_id": group.id}).all())


def queue_counts(session: Session, group: Group) -> dict[int, int]:
    """Waiting posts per learner membership."""
    return dict(session.exec(_QUEUE_COUNTS, params={"group_id": group.id}).all())


def recent_provisional(
    session: Session, group: Group, now: datetime, *, supervisor: User
) -> list[FeedItem]:
    """Posts published at `provisional` lately, for supervisors to see after the fact,
    with whether this supervisor was logged reading each lately."""
    params = {"group_id": group.id, "since": now - timedelta(days=RECENT_DAYS)}
    params |= {"supervisor_id": supervisor.id, "opened_since": now - OPENED_QUIET}
    rows = session.exec(_RECENT_PROVISIONAL, params=params).all()
    return [FeedItem(p, r, u, 0, bool(o)) for p, r, u, o in rows]


_FINDINGS = (
    select(PostFinding)
    .where(PostFinding.revision_id.in_(bindparam("revision_ids", expanding=True)))
    .order_by(PostFinding.start, PostFinding.id)
)
_MY_POSTS = (
    _with_revision_and_author()
    .where(PracticePost.membership_id == bindparam("membership_id"))
    .order_by(PracticePost.id.desc())
    .limit(FEED_PAGE)
)
# The review queue's statements, built once at import (their cache keys are found without
# building them again each request); the values come as parameters.
_QUEUE = _queue_statement(of_learner=False)
_QUEUE_OF_LEARNER = _queue_statement(of_learner=True)
_QUEUE_LEARNERS = (
    select(Membership.id, User.display_name)
    .join(User, User.id == Membership.user_id)
    .where(groups.current_members(bindparam("group_id"), role=Role.LEARNER))
    .order_by(func.lower(User.display_name), User.id)
)
_QUEUE_COUNTS = (
    select(PracticePost.membership_id, func.count(PracticePost.id))
    .where(
        PracticePost.group_id == bindparam("group_id"),
        PracticePost.status == PostStatus.PENDING,
    )
    .group_by(PracticePost.membership_id)
)
_RECENT_PROVISIONAL = (
    _with_revision_and_author()
    .add_columns(_opened_lately())
    .where(
        PracticePost.group_id == bindparam("group_id"),
        PracticePost.status == PostStatus.PUBLISHED,
        PracticePost.level == Level.PROVISIONAL,
        PracticePost.published_at > bindparam("since"),
    )
    .order_by(PracticePost.published_at.desc(), PracticePost.id.desc())
    .limit(RECENT_PAGE)
)


# Below this many findings shown, a rule's dismissal rate says too little to judge it.
PRECISION_MINIMUM = 20


def rule_precision(found: int, dismissed: int) -> float | None:
    """A rule's precision as supervisors see it: 1 - dismissed/shown, or None while it has
    been shown fewer than PRECISION_MINIMUM times (not enough data)."""
    if found < PRECISION_MINIMUM:
        return None
    return 1 - dismissed / found


def rule_precisions(session: Session) -> list[tuple[str, str, int, int, float | None]]:
    """rule_stats with each rule's precision estimate, the noisiest judged rules first
    and the rules without enough data after them."""
    rows = [(*row, rule_precision(row[2], row[3])) for row in rule_stats(session)]
    return sorted(rows, key=lambda r: (r[4] is None, r[4] if r[4] is not None else 0, r[0]))


def rule_stats(session: Session) -> list[tuple[str, str, int, int]]:
    """(rule, category, findings, dismissed) for every rule that ever fired: which cry wolf."""
    rows = session.exec(
        select(
            PostFinding.rule,
            PostFinding.category,
            func.count(PostFinding.id),
            func.count(PostFinding.dismissed_at),
        )
        .group_by(PostFinding.rule, PostFinding.category)
        .order_by(func.count(PostFinding.dismissed_at).desc(), PostFinding.rule)
    ).all()
    return [tuple(r) for r in rows]
