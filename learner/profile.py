"""The learner's practice profile: privacy setup with co-signing, and the personal brand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from learner import coach, groups, notifications, privacy
from learner.core.images import CleanImage
from learner.errors import DomainError
from learner.models import (
    BrandProfile,
    Group,
    Membership,
    NotificationKind,
    PrivacySetup,
    PrivacySignoff,
    User,
)

HANDLE_RE = re.compile(r"^[A-Za-z0-9_.]{3,30}$")
BIO_LENGTH = 160


class ProfileError(DomainError):
    """A profile change the rules refuse."""


def privacy_setup(session: Session, user_id: int) -> PrivacySetup | None:
    """The user's saved privacy setup, if any."""
    return session.exec(select(PrivacySetup).where(PrivacySetup.user_id == user_id)).first()


def save_privacy(
    *, session: Session, user: User, choices: dict[str, str], now: datetime
) -> PrivacySetup:
    """Save the learner's choices as a new revision (earlier sign-offs no longer apply);
    the supervisors of each of the learner's groups are asked to co-sign it."""
    choices = privacy.check_choices(choices)
    result = privacy.review(choices, user.age_band)
    setup = session.exec(
        select(PrivacySetup).where(PrivacySetup.user_id == user.id).with_for_update()
    ).first()
    changed = setup is None or setup.choices != choices
    if setup is None:
        setup = PrivacySetup(
            user_id=user.id, choices=choices, score=result.score, revision=1, saved_at=now
        )
    elif changed:
        setup.choices = choices
        setup.score = result.score
        setup.revision += 1
        setup.saved_at = now
    session.add(setup)
    if changed:
        for membership, group in groups.learner_memberships(session, user.id):
            notifications.notify_supervisors(
                session=session,
                group=group,
                kind=NotificationKind.COSIGN_REQUESTED,
                membership=membership,
                actor_id=user.id,
                now=now,
            )
    session.flush()
    return setup


def privacy_setup_and_signoff(
    session: Session, membership: Membership
) -> tuple[PrivacySetup | None, PrivacySignoff | None]:
    """The member's saved privacy setup, if any, and its current revision's sign-off in
    this group, if there is one (one query)."""
    row = session.exec(
        select(PrivacySetup, PrivacySignoff)
        .outerjoin(
            PrivacySignoff,
            (PrivacySignoff.membership_id == membership.id)
            & (PrivacySignoff.revision == PrivacySetup.revision),
        )
        .where(PrivacySetup.user_id == membership.user_id)
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def privacy_signoff(
    session: Session, membership: Membership, setup: PrivacySetup | None
) -> PrivacySignoff | None:
    """The sign-off for the setup's current revision in this group, if there is one."""
    if setup is None:
        return None
    return session.exec(
        select(PrivacySignoff).where(
            PrivacySignoff.membership_id == membership.id, PrivacySignoff.revision == setup.revision
        )
    ).first()


def cosign_privacy(
    *, session: Session, membership: Membership, supervisor: User, revision: int, now: datetime
) -> PrivacySignoff:
    """A supervisor co-signs the revision of the privacy setup they looked at."""
    setup = session.exec(
        select(PrivacySetup).where(PrivacySetup.user_id == membership.user_id).with_for_update()
    ).first()
    if setup is None:
        raise ProfileError(_l("The privacy setup has not been done yet."))
    if setup.revision != revision:
        raise ProfileError(
            _l(
                "The settings changed since you opened the page. Look at them "
                "again before you co-sign."
            )
        )
    existing = privacy_signoff(session, membership, setup)
    if existing is not None:
        return existing
    signoff = PrivacySignoff(
        membership_id=membership.id,
        supervisor_id=supervisor.id,
        revision=setup.revision,
        signed_at=now,
    )
    session.add(signoff)
    # One co-signature is enough for the group: the request is done for every supervisor.
    notifications.close_about(
        session=session,
        kind=NotificationKind.COSIGN_REQUESTED,
        membership_id=membership.id,
        now=now,
    )
    session.flush()
    return signoff


def brand_profile(session: Session, user_id: int) -> BrandProfile | None:
    """The user's brand profile, if they made one."""
    return session.exec(select(BrandProfile).where(BrandProfile.user_id == user_id)).first()


def save_brand(
    *,
    session: Session,
    user: User,
    handle: str,
    display_name: str,
    bio: str,
    avatar: CleanImage | None,
    now: datetime,
) -> BrandProfile:
    """Save the practice profile; a new avatar replaces the old one."""
    handle = handle.strip().lstrip("@")
    if not HANDLE_RE.match(handle):
        raise ProfileError(_l("Use 3 to 30 letters, digits, dots or underscores."), field="handle")
    bio = " ".join(bio.split())
    if len(bio) > BIO_LENGTH:
        raise ProfileError(_l("Keep the bio to 160 characters."), field="bio")
    profile = brand_profile(session, user.id) or BrandProfile(
        user_id=user.id, handle=handle, display_name=display_name
    )
    profile.handle = handle
    profile.display_name = display_name.strip()
    profile.bio = bio
    profile.updated_at = now
    if avatar is not None:
        profile.avatar = avatar.data
        profile.avatar_type = avatar.content_type
    session.add(profile)
    session.flush()
    return profile


def bio_findings(bio: str) -> list[coach.Finding]:
    """What the post coach finds in the bio (a bio is a post everyone sees first)."""
    return coach.analyze(bio)


@dataclass(frozen=True)
class Check:
    """One point of the 'how would a stranger see you' checklist."""

    label: str
    ok: bool
    advice: str


def brand_checklist(profile: BrandProfile) -> list[Check]:
    """What an admissions officer or employer would notice first."""
    digits = sum(ch.isdigit() for ch in profile.handle)
    return [
        Check(
            _l("A handle people can read and type"),
            digits <= 2 and "__" not in profile.handle,
            _l("Avoid long runs of numbers and underscores; say it out loud once."),
        ),
        Check(
            _l("A real photo"),
            profile.avatar is not None,
            _l("A clear, friendly photo of you (or something you made) builds trust."),
        ),
        Check(
            _l("A bio that says who you are"),
            len(profile.bio) >= 40,
            _l("Say what you care about or do, in a sentence or two."),
        ),
        Check(
            _l("A name people recognise"),
            len(profile.display_name.split()) >= 1
            and profile.display_name.lower() != profile.handle.lower(),
            _l("Use the name people know you by, not only your handle."),
        ),
    ]


def signed_groups(session: Session, setup: PrivacySetup | None) -> list[str]:
    """Names of the groups whose supervisors co-signed the setup's current revision."""
    if setup is None:
        return []
    rows = session.exec(
        select(Group.name)
        .join(Membership, Membership.group_id == Group.id)
        .join(PrivacySignoff, PrivacySignoff.membership_id == Membership.id)
        .where(Membership.user_id == setup.user_id, PrivacySignoff.revision == setup.revision)
        .order_by(Group.name)
    ).all()
    return list(rows)
