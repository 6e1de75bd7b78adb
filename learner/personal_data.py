"""A person's rights over their data: everything about them as JSON, erasing them, and
purging old drafts.

Erasing keeps the rows that give other people's records their meaning (memberships,
decisions, quiz answers counted in a class's figures) but without the person: the
account becomes an anonymous tombstone, and what they wrote or chose is deleted.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlmodel import Session, SQLModel, select

from learner import groupdata, groups, notifications
from learner.models import (
    AgreementSignature,
    AuthFailure,
    BrandProfile,
    ConfidenceRating,
    FamilyAgreement,
    Group,
    GroupEvent,
    Invite,
    LessonProgress,
    LicenseCertificate,
    LiveAnswer,
    LiveParticipant,
    LiveSession,
    LtiGrade,
    LtiIdentity,
    Membership,
    ModuleDiscussion,
    Notification,
    OneRosterRecord,
    PolicyAcknowledgement,
    PolicyVersion,
    PostAudience,
    PostFinding,
    PostRevision,
    PostStatus,
    PracticePost,
    PretestAnswer,
    PretestAttempt,
    PrivacySetup,
    PrivacySignoff,
    QuizAnswer,
    QuizAttempt,
    RefresherItem,
    Reminder,
    ScenarioAction,
    ScenarioReflection,
    ScenarioRun,
    SupervisionEvent,
    User,
)
from lessons.catalog import Module

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
    runs = session.exec(
        select(ScenarioRun).where(ScenarioRun.user_id == user.id).order_by(ScenarioRun.id)
    ).all()
    run_ids = [r.id for r in runs] or [0]

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
        "live_sessions_joined": about_me(LiveParticipant),
        "license_certificates": about_me(LicenseCertificate),
        "policy_acknowledgements": of_user(PolicyAcknowledgement),
        "notifications": of_user(Notification),
        **_learning_sections(session, user),
        "scenario_runs": list(runs),
        "scenario_actions": mine(
            ScenarioAction, ScenarioAction.run_id.in_(run_ids), ScenarioAction.id
        ),
        "scenario_reflections": mine(
            ScenarioReflection, ScenarioReflection.run_id.in_(run_ids), ScenarioReflection.id
        ),
    }
    return _Rows(user=user, memberships=list(memberships), groups=groups, sections=sections)


def _learning_sections(session: Session, user: User) -> dict[str, list]:
    """Pre-tests with their answers, confidence ratings and refreshers (four queries)."""
    pretests = list(
        session.exec(
            select(PretestAttempt)
            .where(PretestAttempt.user_id == user.id)
            .order_by(PretestAttempt.id)
        ).all()
    )
    answers = session.exec(
        select(PretestAnswer)
        .where(PretestAnswer.attempt_id.in_([a.id for a in pretests] or [0]))
        .order_by(PretestAnswer.id)
    ).all()
    return {
        "pretests": pretests,
        "pretest_answers": list(answers),
        "confidence_ratings": list(
            session.exec(
                select(ConfidenceRating)
                .where(ConfidenceRating.user_id == user.id)
                .order_by(ConfidenceRating.id)
            ).all()
        ),
        "refreshers": list(
            session.exec(
                select(RefresherItem)
                .where(RefresherItem.user_id == user.id)
                .order_by(RefresherItem.id)
            ).all()
        ),
    }


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


@dataclass(frozen=True)
class Membered:
    """One of the person's memberships, with its group."""

    group: Group
    membership: Membership


@dataclass(frozen=True)
class Lesson:
    """A lesson's progress or a quiz attempt, with the lesson's title."""

    row: LessonProgress | QuizAttempt
    title: str


@dataclass(frozen=True)
class Decision:
    """A supervisor's decision or comment on a post, with the supervisor's name."""

    event: SupervisionEvent
    by: str


@dataclass(frozen=True)
class Revision:
    """One revision of a post and what the coach found in it."""

    revision: PostRevision
    findings: list[PostFinding]
    dismissed_by: dict[int, str]


@dataclass(frozen=True)
class Post:
    """A practice post with every revision and the decisions about it."""

    post: PracticePost
    group: str
    revisions: list[Revision]
    decisions: list[Decision]


@dataclass(frozen=True)
class Agreement:
    """A family agreement about the person, with who proposed it and when they signed."""

    agreement: FamilyAgreement
    group: str
    proposed_by: str
    signed_at: datetime | None


@dataclass(frozen=True)
class Signature:
    """An agreement the person signed, named by its group and learner."""

    signature: AgreementSignature
    group: str
    learner: str
    version: int | None


@dataclass(frozen=True)
class LogLine:
    """One supervisor action about the person (the transparency log), newest first."""

    at: datetime
    by: str
    kind: str  # an EventKind value, or "discussed" / "cosigned" (labels.EVENT)
    group: str
    event: SupervisionEvent | None = None
    lesson: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Named:
    """A row with the one name that makes it readable (a group, a lesson, a policy...)."""

    row: SQLModel
    name: str
    detail: str = ""


@dataclass(frozen=True)
class Readable:
    """Everything `export` holds, with names and titles in place of ids."""

    account: User
    groups: list[Membered]
    lessons: list[Lesson]
    quizzes: list[Lesson]
    privacy_setup: PrivacySetup | None
    practice_profile: BrandProfile | None
    agreements: list[Agreement]
    signatures: list[Signature]  # on other people's agreements
    posts: list[Post]
    log: list[LogLine]
    live_answers: list[Named]
    certificates: list[Named]
    acknowledgements: list[Named]
    notifications: list[Named]
    # Each scenario run with what was done in it and the reflection's answers.
    scenario_runs: list[tuple[ScenarioRun, list[ScenarioAction], list[ScenarioReflection]]] = field(
        default_factory=list
    )


def _names(session: Session, rows: _Rows) -> dict[int, User]:
    """Everyone the rows mention (supervisors, proposers, actors), in one query."""
    s = rows.sections
    ids = {e.actor_id for e in s["supervisor_actions_about_me"]}
    ids |= {d.supervisor_id for d in s["supervisor_notes_on_lessons"]}
    ids |= {c.supervisor_id for c in s["privacy_cosignatures"]}
    ids |= {a.proposed_by_id for a in s["family_agreements"]}
    ids |= {f.dismissed_by_id for f in s["coach_findings"] if f.dismissed_by_id}
    ids |= {n.actor_id for n in s["notifications"] if n.actor_id}
    return {u.id: u for u in _by_id(session, User, ids)}


def _by_id(session: Session, model: type[SQLModel], ids: set[int]) -> list:
    """The rows with these ids, in one query (none when there are no ids)."""
    return list(session.exec(select(model).where(model.id.in_(ids))).all()) if ids else []


def _name(people: dict[int, User], user_id: int | None) -> str:
    return people[user_id].display_name if user_id in people else ""


def _posts(rows: _Rows, names: dict[int, User]) -> list[Post]:
    s, groups = rows.sections, rows.groups
    findings: dict[int, list[PostFinding]] = {}
    for finding in s["coach_findings"]:
        findings.setdefault(finding.revision_id, []).append(finding)
    revisions: dict[int, list[Revision]] = {}
    for revision in s["post_revisions"]:
        found = findings.get(revision.id, [])
        dismissed = {f.id: _name(names, f.dismissed_by_id) for f in found if f.dismissed_by_id}
        revisions.setdefault(revision.post_id, []).append(Revision(revision, found, dismissed))
    decisions: dict[int, list[Decision]] = {}
    for event in s["supervisor_actions_about_me"]:
        if event.post_id is not None and event.level_to is None:
            decisions.setdefault(event.post_id, []).append(
                Decision(event, _name(names, event.actor_id))
            )
    return [
        Post(
            post=p,
            group=groups[p.group_id].name if p.group_id in groups else "",
            revisions=revisions.get(p.id, []),
            decisions=sorted(
                decisions.get(p.id, []), key=lambda d: (d.event.created_at, d.event.id)
            ),
        )
        for p in s["posts"]
    ]


def _log(rows: _Rows, names: dict[int, User], titles: Mapping[str, str]) -> list[LogLine]:
    s = rows.sections
    group_of = {m.id: rows.groups[m.group_id].name for m in rows.memberships}
    lines = [
        LogLine(
            e.created_at,
            _name(names, e.actor_id),
            e.kind.value,
            group_of.get(e.membership_id, ""),
            event=e,
            note=e.note,
        )
        for e in s["supervisor_actions_about_me"]
    ]
    lines += [
        LogLine(
            d.discussed_at,
            _name(names, d.supervisor_id),
            "discussed",
            group_of.get(d.membership_id, ""),
            lesson=titles.get(d.module_id, d.module_id),
            note=d.note,
        )
        for d in s["supervisor_notes_on_lessons"]
    ]
    lines += [
        LogLine(
            c.signed_at,
            _name(names, c.supervisor_id),
            "cosigned",
            group_of.get(c.membership_id, ""),
        )
        for c in s["privacy_cosignatures"]
    ]
    return sorted(lines, key=lambda line: line.at, reverse=True)


def _signatures(session: Session, rows: _Rows) -> list[Signature]:
    """The agreements the person signed about someone else (a parent's signature on their
    teen's agreement), with the group and the learner (one query)."""
    own = {a.id for a in rows.sections["family_agreements"]}
    signed = [s for s in rows.sections["agreement_signatures"] if s.agreement_id not in own]
    if not signed:
        return []
    about = {
        agreement_id: (group, learner, version)
        for agreement_id, version, group, learner in session.exec(
            select(FamilyAgreement.id, FamilyAgreement.version, Group.name, User.display_name)
            .join(Membership, Membership.id == FamilyAgreement.membership_id)
            .join(Group, Group.id == Membership.group_id)
            .join(User, User.id == Membership.user_id)
            .where(FamilyAgreement.id.in_([s.agreement_id for s in signed]))
        ).all()
    }
    return [Signature(s, *about.get(s.agreement_id, ("", "", None))) for s in signed]


def readable(session: Session, user: User, modules: Mapping[str, Module]) -> Readable:
    """The same data as `export`, for people to read: names instead of ids, lesson titles,
    sections in order (a fixed number of queries, whatever the amount of data)."""
    rows = _gather(session, user)
    s, groups = rows.sections, rows.groups
    names = _names(session, rows)
    titles = {module_id: module.title for module_id, module in modules.items()}
    group_of = {m.id: groups[m.group_id].name for m in rows.memberships}
    mine = {a.agreement_id: a.signed_at for a in s["agreement_signatures"]}
    live = {
        row.id: row.module_id
        for row in _by_id(session, LiveSession, {a.session_id for a in s["live_session_answers"]})
    }
    policies = {
        v.id: v
        for v in _by_id(
            session, PolicyVersion, {a.version_id for a in s["policy_acknowledgements"]}
        )
    }
    # Notifications come from the person's groups; any other group is looked up.
    notified = {g.id: g.name for g in groups.values()}
    gone = {n.group_id for n in s["notifications"]} - set(notified)
    notified |= {g.id: g.name for g in _by_id(session, Group, gone)}
    actions: dict[int, list[ScenarioAction]] = {}
    for a in s["scenario_actions"]:
        actions.setdefault(a.run_id, []).append(a)
    answers: dict[int, list[ScenarioReflection]] = {}
    for a in s["scenario_reflections"]:
        answers.setdefault(a.run_id, []).append(a)
    return Readable(
        scenario_runs=[
            (run, actions.get(run.id, []), answers.get(run.id, [])) for run in s["scenario_runs"]
        ],
        account=user,
        groups=[Membered(groups[m.group_id], m) for m in rows.memberships],
        lessons=[Lesson(r, titles.get(r.module_id, r.module_id)) for r in s["lesson_progress"]],
        quizzes=[Lesson(a, titles.get(a.module_id, a.module_id)) for a in s["quiz_attempts"]],
        privacy_setup=next(iter(s["privacy_setup"]), None),
        practice_profile=next(iter(s["practice_profile"]), None),
        agreements=[
            Agreement(
                a, group_of.get(a.membership_id, ""), _name(names, a.proposed_by_id), mine.get(a.id)
            )
            for a in s["family_agreements"]
        ],
        signatures=_signatures(session, rows),
        posts=_posts(rows, names),
        log=_log(rows, names, titles),
        live_answers=[
            Named(a, titles.get(live.get(a.session_id, ""), ""), group_of.get(a.membership_id, ""))
            for a in s["live_session_answers"]
        ],
        certificates=[
            Named(c, group_of.get(c.membership_id, "")) for c in s["license_certificates"]
        ],
        acknowledgements=[
            Named(
                a,
                policies[a.version_id].title if a.version_id in policies else "",
                groups[policies[a.version_id].group_id].name
                if a.version_id in policies and policies[a.version_id].group_id in groups
                else "",
            )
            for a in s["policy_acknowledgements"]
        ],
        notifications=[
            Named(
                n,
                notifications.text_of(n, names.get(n.actor_id)),
                notified.get(n.group_id, ""),
            )
            for n in sorted(s["notifications"], key=lambda n: (n.created_at, n.id), reverse=True)
        ],
    )


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


def _delete_scenario_runs(session: Session, user: User) -> None:
    """A person's scenario runs go with what they did and wrote in them; the supervisors'
    logged readings of them stay, pointing at nothing."""
    runs = select(ScenarioRun.id).where(ScenarioRun.user_id == user.id)
    session.execute(
        update(SupervisionEvent)
        .where(SupervisionEvent.scenario_run_id.in_(runs))
        .values(scenario_run_id=None)
    )
    session.execute(delete(ScenarioAction).where(ScenarioAction.run_id.in_(runs)))
    session.execute(delete(ScenarioReflection).where(ScenarioReflection.run_id.in_(runs)))
    session.execute(delete(ScenarioRun).where(ScenarioRun.user_id == user.id))


def erase(*, session: Session, user: User, now: datetime) -> None:
    """Erase a person: their posts and personal records go, the account becomes an
    anonymous tombstone that can never log in, and events stay without them."""
    # Their groups' figures change: the versions move once, at the end.
    with groupdata.writing_for(session, users=[user.id]):
        _erase(session, user, now)


def _erase(session: Session, user: User, now: datetime) -> None:
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
    # A learning platform's link to the person goes too: a later launch makes a new account.
    for model in (
        LessonProgress,
        PrivacySetup,
        BrandProfile,
        Reminder,
        Notification,
        LtiIdentity,
        LtiGrade,
    ):
        session.execute(delete(model).where(model.user_id == user.id))
    _delete_scenario_runs(session, user)
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
        # A workplace's log names invitees by address: the line stays, the address goes.
        session.execute(update(GroupEvent).where(GroupEvent.detail == user.email).values(detail=""))
    session.execute(
        update(Membership).where(groups.current_members(user_id=user.id)).values(removed_at=now)
    )
    session.execute(
        delete(OneRosterRecord).where(
            OneRosterRecord.kind == "user", OneRosterRecord.local_id == user.id
        )
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
    if old:
        with groupdata.writing_for(session, everything=True):
            _delete_posts(session, list(old))
    session.flush()
    return len(old)
