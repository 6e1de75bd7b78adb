"""Every authorization question, answered in one place.

Predicates are pure (they look only at the objects given). Loaders fetch what a route
names and abort with 404 when the thing does not exist *or* the person may not know it
exists, and 403 when they may know it but not act on it. Views call these; templates
may call the predicates to hide a link, but never rely on that.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, select

from learner import groups
from learner.core.db import get_session
from learner.core.sessions import acting_user
from learner.models import (
    AccountKind,
    Group,
    GroupKind,
    Invite,
    Level,
    Membership,
    PostAudience,
    PostStatus,
    PracticePost,
    RefresherItem,
    Role,
    ScenarioRun,
    User,
)


def is_member(membership: Membership | None) -> bool:
    """A current (not removed) membership."""
    return membership is not None and membership.removed_at is None


def is_supervisor(membership: Membership | None) -> bool:
    """The membership makes its holder a supervisor of the group."""
    return is_member(membership) and membership.role is Role.SUPERVISOR


def can_view_group(membership: Membership | None) -> bool:
    """Members see their group's page."""
    return is_member(membership)


def can_manage_group(membership: Membership | None) -> bool:
    """Supervisors manage codes, invites and learners' accounts of their group."""
    return is_supervisor(membership)


def can_view_member(actor: Membership | None, target: Membership) -> bool:
    """Supervisors see every member of their group; learners see only themselves."""
    if not is_member(actor) or actor.group_id != target.group_id:
        return False
    return actor.role is Role.SUPERVISOR or actor.user_id == target.user_id


def can_reset_password(actor: Membership | None, target: Membership) -> bool:
    """A supervisor resets the password of a learner whose account this group manages."""
    return (
        is_supervisor(actor)
        and actor.group_id == target.group_id
        and is_member(target)
        and target.role is Role.LEARNER
        and target.manages_account
    )


def can_remove_member(actor: Membership | None, target: Membership) -> bool:
    """A supervisor removes another member who is not the group's owner."""
    return (
        is_supervisor(actor)
        and actor.group_id == target.group_id
        and is_member(target)
        and not target.is_owner
        and actor.user_id != target.user_id
    )


def can_view_progress(actor: Membership | None, target: Membership) -> bool:
    """A learner's progress: the learner and the supervisors of that group."""
    return can_view_member(actor, target) and target.role is Role.LEARNER


def can_supervise(actor: Membership | None, target: Membership) -> bool:
    """Discuss modules and co-sign the privacy setup: supervisors of the learner's group."""
    return (
        is_supervisor(actor)
        and actor.group_id == target.group_id
        and is_member(target)
        and target.role is Role.LEARNER
    )


def can_take_part_in_agreement(actor: Membership | None, target: Membership, group: Group) -> bool:
    """A family agreement is the teen's and their family supervisors' business only."""
    return (
        group.kind is GroupKind.FAMILY
        and group.id == target.group_id
        and target.role is Role.LEARNER
        and can_view_member(actor, target)
    )


def can_post(membership: Membership | None) -> bool:
    """Learners write practice posts and replies; supervisors comment and decide, never post."""
    return is_member(membership) and membership.role is Role.LEARNER


def is_author(membership: Membership | None, post: PracticePost) -> bool:
    """The membership wrote the post."""
    return is_member(membership) and membership.id == post.membership_id


def can_view_post(membership: Membership | None, post: PracticePost, audience: set[int]) -> bool:
    """Who sees a post (the feed's SQL says the same, see practice.visible_clause).

    Its author always; drafts nobody else. Supervisors see every post made below
    `licensed`, and licensed posts only where the learner chose them (public, addressed,
    or shared). Other learners see published posts addressed to everyone or to them."""
    if not is_member(membership) or membership.group_id != post.group_id:
        return False
    if is_author(membership, post):
        return True
    if post.status is PostStatus.DRAFT or post.submitted_at is None:
        # Drafts, and drafts withdrawn without being sent, are the author's alone.
        return False
    addressed = post.audience.value == "public" or membership.id in audience
    if membership.role is Role.SUPERVISOR:
        return (
            post.level is not Level.LICENSED
            or post.shared_with_supervisors
            or (post.status is PostStatus.PUBLISHED and addressed)
        )
    return post.status is PostStatus.PUBLISHED and addressed


def can_review(membership: Membership | None, post: PracticePost) -> bool:
    """Supervisors of the post's group decide on it; nobody reviews their own post."""
    return (
        is_supervisor(membership)
        and membership.group_id == post.group_id
        and membership.user_id != post.author_id
        and post.level is not Level.LICENSED
    )


def can_revise(membership: Membership | None, post: PracticePost) -> bool:
    """Only the author changes, withdraws or takes down a post."""
    return can_post(membership) and is_author(membership, post)


def can_reply(membership: Membership | None, post: PracticePost) -> bool:
    """Learners reply to published top-level posts they can see."""
    return (
        can_post(membership)
        and membership.level is not Level.INSTRUCTION
        and post.status is PostStatus.PUBLISHED
        and post.parent_id is None
        and membership.group_id == post.group_id
    )


def member_route(*, minor: bool = False) -> Callable:
    """Route decorator: turn `<group_id>` and `<member_id>` into `(group, viewer, target,
    learner)`: the viewer's own membership, the learner's membership and account, 404/403
    as `load_learner` (or `load_minor` for a parent's rights over a child's data)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(group_id: int, member_id: int, **kwargs):
            session = get_session()
            group, viewer = load_group(session, acting_user(), group_id)
            loader = load_minor if minor else load_learner
            target, learner = loader(session, group, viewer, member_id)
            return view(group, viewer, target, learner, **kwargs)

        return wrapper

    return decorate


def load_learner(
    session: Session, group: Group, viewer: Membership, membership_id: int
) -> tuple[Membership, User]:
    """A member whose progress the viewer may see, with their account: 404 for strangers,
    403 for a supervisor of the group who may not (a licensed learner's own choice)."""
    target, learner = load_member(session, group, membership_id)
    if not can_view_progress(viewer, target):
        abort(403 if can_manage_group(viewer) else 404)
    return target, learner


def load_minor(
    session: Session, group: Group, viewer: Membership, membership_id: int
) -> tuple[Membership, User]:
    """A child under 13 whose data a parent downloads or erases; 403 for the learner's
    other supervisors, 404 for everyone else."""
    target, learner = load_learner(session, group, viewer, membership_id)
    if not can_manage_minor_data(viewer, target, group, learner):
        abort(403 if can_supervise(viewer, target) else 404)
    return target, learner


def load_post_to_review(
    session: Session, group: Group, membership: Membership, post_id: int
) -> PracticePost:
    """A post the member may see and review; 404 when they may not see it, 403 when they
    may see it but not review it."""
    post = load_post(session, group, membership, post_id)
    if not can_review(membership, post):
        abort(403)
    return post


def can_see_revision_photo(membership: Membership | None, post: PracticePost, number: int) -> bool:
    """The current revision's photo is for whoever sees the post; earlier ones only for
    the author and supervisors (a replaced photo was taken back from the audience)."""
    return number == post.revision or is_supervisor(membership) or is_author(membership, post)


def load_post(session: Session, group: Group, membership: Membership, post_id: int) -> PracticePost:
    """A post of the group the member may see; 404 otherwise (others' drafts do not exist)."""
    post = session.get(PracticePost, post_id)
    if post is None or post.group_id != group.id:
        abort(404)
    audience = set()
    if post.audience.value != "public":
        audience = set(
            session.exec(
                select(PostAudience.membership_id).where(PostAudience.post_id == post.id)
            ).all()
        )
    if not can_view_post(membership, post, audience):
        abort(404)
    return post


def can_edit_policy(membership: Membership | None) -> bool:
    """A workplace's owner (the organisation admin) writes and publishes its policy and
    says which manager each staff member reports to."""
    return is_supervisor(membership) and membership.is_owner


def can_manage_minor_data(
    actor: Membership | None, target: Membership, group: Group, learner: User
) -> bool:
    """A parent downloads or erases the data of a child under 13 in their family."""
    return (
        group.kind is GroupKind.FAMILY
        and can_supervise(actor, target)
        and learner.age_band is not None
        and learner.age_band.value == "under_13"
    )


def can_administer_site(user: User) -> bool:
    """Site admins run the platform (accounts and counts, never learners' work)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_site_admin)


def can_set_active(admin: User, target: User) -> bool:
    """A site admin (de)activates any account but their own."""
    return can_administer_site(admin) and admin.id != target.id


def site_admin_required(view: Callable) -> Callable:
    """Route decorator: a 404 for everyone who is not a site admin (it does not exist)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not can_administer_site(current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def group_route(*, kind: GroupKind | None = None, manage: bool = False) -> Callable:
    """Route decorator: turn `<group_id>` into `(group, membership)`, 404/403 exactly as
    `load_group` (or `load_managed_group` when `manage`). Goes under `@login_required`."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(group_id: int, **kwargs):
            loader = load_managed_group if manage else load_group
            group, membership = loader(get_session(), acting_user(), group_id, kind=kind)
            return view(group, membership, **kwargs)

        return wrapper

    return decorate


def membership_of(session: Session, user: User, group_id: int) -> Membership | None:
    """The user's current membership of a group, if any."""
    membership = session.exec(
        select(Membership).where(Membership.group_id == group_id, Membership.user_id == user.id)
    ).first()
    return membership if is_member(membership) else None


# Built once at import: the statement's cache key is found without building it again.
_MEMBERSHIP_AND_GROUP = (
    select(Membership, Group)
    .join(Group, Group.id == Membership.group_id)
    .where(Membership.group_id == bindparam("group_id"), Membership.user_id == bindparam("user_id"))
)

_MEMBER_AND_ACCOUNT = (
    select(Membership, User)
    .join(User, User.id == Membership.user_id)
    .where(Membership.id == bindparam("membership_id"))
)


def load_group(
    session: Session, user: User, group_id: int, *, kind: GroupKind | None = None
) -> tuple[Group, Membership]:
    """A group the user belongs to (of `kind`, when given), with their membership; 404 for
    anyone else (one query: the membership with its group)."""
    row = session.exec(_MEMBERSHIP_AND_GROUP, params={"group_id": group_id, "user_id": user.id})
    membership, group = row.first() or (None, None)
    if not is_member(membership) or group is None or not can_view_group(membership):
        abort(404)
    if kind is not None and group.kind is not kind:
        abort(404)
    return group, membership


def load_managed_group(
    session: Session, user: User, group_id: int, *, kind: GroupKind | None = None
) -> tuple[Group, Membership]:
    """A group the user supervises (of `kind`, when given); 404 for outsiders and for other
    kinds of group, 403 for its learners."""
    group, membership = load_group(session, user, group_id)
    if not can_manage_group(membership):
        abort(403)
    if kind is not None and group.kind is not kind:
        abort(404)
    return group, membership


def load_member(session: Session, group: Group, membership_id: int) -> tuple[Membership, User]:
    """A current member of the given group with their account; 404 otherwise (one query,
    none when the session has both already)."""
    target = session.identity_map.get(identity_key(Membership, membership_id))
    if target is not None:
        learner = session.get(User, target.user_id)
    else:
        row = session.exec(_MEMBER_AND_ACCOUNT, params={"membership_id": membership_id}).first()
        target, learner = row if row is not None else (None, None)
    if target is None or target.group_id != group.id or not is_member(target):
        abort(404)
    return target, learner


def load_invite_of_group(session: Session, group: Group, invite_id: int) -> Invite:
    """An invite of the given group; 404 otherwise."""
    invite = session.get(Invite, invite_id)
    if invite is None or invite.group_id != group.id:
        abort(404)
    return invite


def load_user_for_admin(session: Session, admin: User, user_id: int) -> User:
    """An account a site admin acts on; 404 when it does not exist or for non-admins."""
    if not can_administer_site(admin):
        abort(404)
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def can_see_avatar(session: Session, viewer: User, owner_id: int) -> bool:
    """A practice-profile photo: its owner and the supervisors of the owner's groups."""
    if viewer.id == owner_id:
        return True
    learner = aliased(Membership)
    supervisor = aliased(Membership)
    shared = session.exec(
        select(learner.id)
        .join(supervisor, supervisor.group_id == learner.group_id)
        .where(
            groups.current_members(user_id=owner_id, role=Role.LEARNER, of=learner),
            groups.current_members(user_id=viewer.id, role=Role.SUPERVISOR, of=supervisor),
        )
        .limit(1)
    ).first()
    return shared is not None


def load_own_refresher(session: Session, user: User, item_id: int) -> RefresherItem:
    """A refresher item of the user's own; 404 for anyone else's (their supervisors see
    the scores, never answer for them)."""
    item = session.get(RefresherItem, item_id)
    if item is None or item.user_id != user.id:
        abort(404)
    return item


def can_play_scenarios(user: User) -> bool:
    """Practice scenarios are for learner accounts, with a group or without one."""
    return bool(getattr(user, "is_authenticated", False)) and user.kind is AccountKind.LEARNER


def can_play(user: User, scenario, tracks: set[str]) -> bool:
    """A scenario suits a learner when it is in one of their tracks and for their age."""
    band = user.age_band.value if user.age_band is not None else None
    return (
        can_play_scenarios(user)
        and scenario.track in tracks
        and (band is None or band in scenario.ages)
    )


def load_scenario(user: User, scenario_id: str, tracks: set[str]):
    """A scenario the learner may play: 403 for accounts that are not learners, 404 for a
    scenario that does not exist or is not for them (another age, another setting)."""
    from learner.scenarios import get_scenarios

    if not can_play_scenarios(user):
        abort(403)
    scenario = get_scenarios().get(scenario_id)
    if scenario is None or not can_play(user, scenario, tracks):
        abort(404)
    return scenario


def load_own_run(session: Session, user: User, scenario_id: str, run_id: int) -> ScenarioRun:
    """A run of this scenario by this person; 404 for anyone else's (it does not exist)."""
    run = session.get(ScenarioRun, run_id)
    if run is None or run.user_id != user.id or run.scenario_id != scenario_id:
        abort(404)
    return run
