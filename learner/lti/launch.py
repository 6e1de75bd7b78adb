"""What a validated launch does: the person, their role, the class, the link, the page.

A person is found by issuer + `sub` only (never by e-mail: two platforms may both say
"sam@school.org" about different people). A launch without name or e-mail works: the
account gets a neutral name. Platform accounts have no password anyone knows; they sign
in through the platform.

A launch says nothing about age. Students under 13 may be in a class only when it has
consent for them on file (the rule of the class code, DESIGN §3), so a student's first
launch into a class with that consent makes an under-13 account (the stricter privacy
settings); into any other class, a 13-15 one. An under-13 account launching into a
class without that consent is refused (`Under13Refused`) and joins nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlmodel import Session, select

from learner import groups
from learner.core import passwords
from learner.lti import links
from learner.models import (
    AccountKind,
    AgeBand,
    Group,
    GroupKind,
    Level,
    LtiContext,
    LtiGrade,
    LtiIdentity,
    LtiPlatform,
    LtiResourceLink,
    Membership,
    Role,
    User,
)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
TEACHING_ROLES = ("#Instructor", "#Administrator", "#ContentDeveloper", "#TeachingAssistant")
# Names and Role Provisioning may also give context roles by their short names.
TEACHING_SHORT = {role[1:] for role in TEACHING_ROLES}


@dataclass
class Outcome:
    user: User
    teacher: bool
    group: Group | None
    # The platform's course when a teacher must first say which class it is.
    pending_context: dict | None
    target: str | None
    # Scores to send now: the student had completed the linked lesson before.
    grades_to_send: list[int]


class Under13Refused(Exception):
    """An under-13 student launched into a class with no consent for them on file."""


def is_teacher(claims: dict) -> bool:
    return teaches(claims.get(CLAIM + "roles") or [])


def teaches(roles: list) -> bool:
    """Whether these LTI roles (full URIs, or NRPS short names) make a teacher."""
    return any(
        isinstance(role, str) and (role.endswith(TEACHING_ROLES) or role in TEACHING_SHORT)
        for role in roles
    )


def _display_name(claims: dict, teacher: bool) -> str:
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    name = str(name or "").strip()[:80]
    if name:
        return name
    suffix = secrets.token_hex(2)
    return _("Teacher %(code)s", code=suffix) if teacher else _("Student %(code)s", code=suffix)


def person(
    *, session: Session, issuer: str, claims: dict, teacher: bool, group: Group | None = None
) -> User:
    """The account for this issuer + sub, made on the first launch (into `group`)."""
    sub = str(claims.get("sub") or "")[:255]
    found = session.exec(
        select(User)
        .join(LtiIdentity, LtiIdentity.user_id == User.id)
        .where(LtiIdentity.issuer == issuer, LtiIdentity.sub == sub)
    ).first()
    if found is not None:
        return found
    user = User(
        # A username nobody types: the account signs in through the platform only.
        username=f"lti-{secrets.token_hex(8)}",
        display_name=_display_name(claims, teacher),
        password_hash=passwords.hash_password(secrets.token_urlsafe(32)),
        kind=AccountKind.TEACHER if teacher else AccountKind.LEARNER,
        age_band=AgeBand.ADULT if teacher else _student_age_band(group),
    )
    session.add(user)
    session.flush()
    session.add(LtiIdentity(issuer=issuer, sub=sub, user_id=user.id))
    session.flush()
    return user


def _student_age_band(group: Group | None) -> AgeBand:
    """Under 13 only where the class has consent for under-13 learners on file."""
    if group is not None and group.under13_consent_at is not None:
        return AgeBand.UNDER_13
    return AgeBand.AGE_13_15


def join_class(session: Session, group: Group, user: User, role: Role, now: datetime) -> bool:
    """Put the person in the class (again); False when they were in it already."""
    existing = session.exec(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    ).first()
    if existing is not None and existing.removed_at is None:
        return False
    if existing is None:
        existing = Membership(group_id=group.id, user_id=user.id, role=role)
    existing.removed_at = None
    existing.role = role
    existing.level = Level.INSTRUCTION if role is Role.LEARNER else None
    existing.level_since = now if role is Role.LEARNER else None
    session.add(existing)
    session.flush()
    return True


def may_join(user: User, group: Group, teacher: bool) -> bool:
    """Under-13 students only in a class with consent for them on file."""
    return teacher or user.age_band is not AgeBand.UNDER_13 or group.under13_consent_at is not None


def context_of(claims: dict) -> dict | None:
    context = claims.get(CLAIM + "context") or {}
    if not isinstance(context, dict) or not context.get("id"):
        return None
    title = str(context.get("title") or context.get("label") or _("Class from the platform"))
    return {"id": str(context["id"])[:255], "title": title.strip()[:120]}


def teacher_classes(session: Session, user: User) -> list[Group]:
    """Classes this teacher owns that no platform course is linked to yet."""
    linked = select(LtiContext.group_id)
    return list(
        session.exec(
            select(Group)
            .join(Membership, Membership.group_id == Group.id)
            .where(
                Membership.user_id == user.id,
                Membership.is_owner,
                Membership.removed_at.is_(None),
                Group.kind == GroupKind.CLASSROOM,
                Group.id.not_in(linked),
            )
            .order_by(Group.name, Group.id)
        ).all()
    )


def link_context(
    *, session: Session, issuer: str, context: dict, teacher: User, group: Group | None
) -> Group:
    """Link a platform course to a class: the one the teacher chose, or a new one."""
    existing = session.exec(
        select(LtiContext).where(
            LtiContext.issuer == issuer, LtiContext.context_id == context["id"]
        )
    ).first()
    if existing is not None:
        return session.get(Group, existing.group_id)
    if group is None:
        group = groups.create_group(
            session=session, owner=teacher, kind=GroupKind.CLASSROOM, name=context["title"]
        )
    session.add(LtiContext(issuer=issuer, context_id=context["id"], group_id=group.id))
    session.flush()
    return group


def _note_roster_service(
    session: Session, platform: LtiPlatform, claims: dict, context_id: str
) -> None:
    """Keep the course's Names and Role Provisioning URL, when the launch offers one."""
    service = claims.get(NRPS_CLAIM) or {}
    url = service.get("context_memberships_url") if isinstance(service, dict) else None
    if not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        return
    row = session.exec(
        select(LtiContext).where(
            LtiContext.issuer == platform.issuer, LtiContext.context_id == context_id
        )
    ).first()
    if row is not None and (row.memberships_url, row.platform_id) != (url[:1000], platform.id):
        row.memberships_url, row.platform_id = url[:1000], platform.id
        session.add(row)
        session.flush()


def _resource_link(session: Session, platform: LtiPlatform, claims: dict) -> LtiResourceLink | None:
    link = claims.get(CLAIM + "resource_link") or {}
    if not isinstance(link, dict) or not link.get("id"):
        return None
    custom = claims.get(CLAIM + "custom") or {}
    target = custom.get(links.CUSTOM_PARAMETER) if isinstance(custom, dict) else None
    target = target if links.split(target) else None
    ags = claims.get(AGS_CLAIM) or {}
    lineitem = ags.get("lineitem") if isinstance(ags, dict) else None
    row = session.exec(
        select(LtiResourceLink).where(
            LtiResourceLink.platform_id == platform.id,
            LtiResourceLink.resource_link_id == str(link["id"])[:255],
        )
    ).first()
    if row is None:
        row = LtiResourceLink(platform_id=platform.id, resource_link_id=str(link["id"])[:255])
    if target:
        row.target = target
    if isinstance(lineitem, str) and lineitem.startswith(("https://", "http://")):
        row.lineitem_url = lineitem[:1000]
    session.add(row)
    session.flush()
    return row


def resource_launch(
    *, session: Session, platform: LtiPlatform, claims: dict, now: datetime
) -> Outcome:
    """Sign the person in, put them in the course's class, note the graded link."""
    teacher = is_teacher(claims)
    context = context_of(claims)
    mapped = None
    if context is not None:
        mapped = session.exec(
            select(LtiContext).where(
                LtiContext.issuer == platform.issuer, LtiContext.context_id == context["id"]
            )
        ).first()
    group = session.get(Group, mapped.group_id) if mapped is not None else None
    user = person(
        session=session, issuer=platform.issuer, claims=claims, teacher=teacher, group=group
    )
    if group is not None and not may_join(user, group, teacher):
        raise Under13Refused()
    pending = None
    if context is not None:
        if group is not None:
            join_class(session, group, user, Role.SUPERVISOR if teacher else Role.LEARNER, now)
        elif teacher and teacher_classes(session, user):
            pending = {"issuer": platform.issuer, **context}
        elif teacher:
            group = link_context(
                session=session, issuer=platform.issuer, context=context, teacher=user, group=None
            )
    if group is not None and context is not None:
        _note_roster_service(session, platform, claims, context["id"])
    link = _resource_link(session, platform, claims)
    to_send = []
    if link is not None and link.lineitem_url and not teacher:
        grade = session.exec(
            select(LtiGrade).where(LtiGrade.link_id == link.id, LtiGrade.user_id == user.id)
        ).first()
        if grade is None:
            grade = LtiGrade(link_id=link.id, user_id=user.id, sub=str(claims["sub"])[:255])
            found = links.split(link.target)
            done = found[0].score_of(session, user.id, found[1]) if found else None
            if done is not None:
                grade.status, grade.score = "pending", done
            session.add(grade)
            session.flush()
            if done is not None:
                to_send.append(grade.id)
    return Outcome(
        user=user,
        teacher=teacher,
        group=group,
        pending_context=pending,
        target=link.target if link else None,
        grades_to_send=to_send,
    )
