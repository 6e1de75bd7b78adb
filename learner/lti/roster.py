"""Names and Role Provisioning: a platform course's roster becomes the class's.

A launch that offers the service leaves the course's membership URL on its `LtiContext`.
`sync` asks that URL (all pages, with an access token for the membership scope signed by
the tool's key, as for scores) and, for each member: an active one gets the account a
launch would make (issuer + `user_id`, which is the launch's `sub`) and joins the class,
as a teacher or a student; an inactive or deleted one leaves it (never its owner).
Nobody is removed for being absent from the list, and nothing changes when the roster
has not. Students under 13 follow the launch's rule: an under-13 account joins only a
class with consent for them on file (it is counted as refused otherwise).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import requests
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from sqlmodel import Session, select

from learner.lti import launch
from learner.lti.tool import service_connector
from learner.models import Group, LtiContext, LtiIdentity, LtiPlatform, Membership, Role

log = logging.getLogger(__name__)
MAX_MEMBERS = 5000  # a course, not a district: more than this is refused


class RosterError(Exception):
    """The platform's roster could not be read."""


@dataclass
class SyncReport:
    joined: int = 0
    removed: int = 0
    unchanged: int = 0
    refused: int = 0


def contexts_to_sync(session: Session) -> list[LtiContext]:
    """Every course whose platform offered its roster."""
    return list(
        session.exec(
            select(LtiContext)
            .where(LtiContext.memberships_url.is_not(None), LtiContext.platform_id.is_not(None))
            .order_by(LtiContext.id)
        ).all()
    )


def _members(platform: LtiPlatform, url: str) -> list[dict]:
    service = NamesRolesProvisioningService(
        service_connector(platform), {"context_memberships_url": url}
    )
    try:
        members = service.get_members()
    except (LtiException, requests.RequestException, KeyError, ValueError) as error:
        raise RosterError(str(error)[:255]) from error
    if len(members) > MAX_MEMBERS:
        raise RosterError(f"more than {MAX_MEMBERS} members")
    return [member for member in members if isinstance(member, dict)]


def _leave(session: Session, group: Group, issuer: str, sub: str, now: datetime) -> bool:
    membership = session.exec(
        select(Membership)
        .join(LtiIdentity, LtiIdentity.user_id == Membership.user_id)
        .where(
            LtiIdentity.issuer == issuer,
            LtiIdentity.sub == sub,
            Membership.group_id == group.id,
            Membership.removed_at.is_(None),
            Membership.is_owner.is_(False),
        )
    ).first()
    if membership is None:
        return False
    membership.removed_at = now
    session.add(membership)
    session.flush()
    return True


def sync(*, session: Session, context: LtiContext, now: datetime) -> SyncReport:
    """Bring the class in line with the course's roster, in the caller's transaction."""
    platform = session.get(LtiPlatform, context.platform_id)
    group = session.get(Group, context.group_id)
    if platform is None or group is None or not context.memberships_url:
        raise RosterError("the course has no roster service")
    members = _members(platform, context.memberships_url)
    report = SyncReport()
    for member in members:
        sub = str(member.get("user_id") or "")[:255]
        if not sub:
            continue
        roles = member.get("roles") if isinstance(member.get("roles"), list) else []
        teacher = launch.teaches(roles)
        if member.get("status", "Active") != "Active":
            if _leave(session, group, platform.issuer, sub, now):
                report.removed += 1
            else:
                report.unchanged += 1
            continue
        claims = {
            "sub": sub,
            **{k: member[k] for k in ("name", "given_name", "family_name") if member.get(k)},
        }
        user = launch.person(
            session=session, issuer=platform.issuer, claims=claims, teacher=teacher, group=group
        )
        if not user.is_active or not launch.may_join(user, group, teacher):
            report.refused += 1
            continue
        role = Role.SUPERVISOR if teacher else Role.LEARNER
        if launch.join_class(session, group, user, role, now):
            report.joined += 1
        else:
            report.unchanged += 1
    context.roster_synced_at = now
    session.add(context)
    session.flush()
    return report
