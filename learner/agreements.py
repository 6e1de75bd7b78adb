"""The family agreement: parent and teen write their rules together and both sign them.

Each change is a new version. A version becomes active when the teen and one of the
family's supervisors have both signed it; the version it replaces is kept as superseded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from learner import notifications
from learner.errors import DomainError
from learner.models import (
    AgreementSignature,
    AgreementStatus,
    EventKind,
    FamilyAgreement,
    Group,
    Membership,
    NotificationKind,
    SupervisionEvent,
    User,
)


@dataclass(frozen=True)
class Term:
    """One rule the family fills in."""

    id: str
    label: str
    hint: str


TERMS = (
    Term("passwords", _l("Passwords"), _l("Who knows which passwords, and where they are kept.")),
    Term("checks", _l("Checking in"), _l("How often you look at the accounts together, and how.")),
    Term(
        "after_mistake",
        _l("After a mistake"),
        _l("What happens when something goes wrong, and what does not."),
    ),
    Term(
        "lighter_checks",
        _l("When checks get lighter"),
        _l("What earns more freedom, and when you will talk about it again."),
    ),
    Term("other", _l("Anything else"), _l("Times, places or apps you want a rule for (optional).")),
)
REQUIRED_TERMS = ("passwords", "checks", "after_mistake", "lighter_checks")
MAX_TERM_LENGTH = 600


class AgreementError(DomainError):
    """An agreement action the rules refuse."""


@dataclass(frozen=True)
class AgreementState:
    """The agreement in force, a proposed change if any, and who signed what."""

    active: FamilyAgreement | None
    proposed: FamilyAgreement | None
    signers: dict[int, set[int]]


def state(session: Session, membership: Membership) -> AgreementState:
    """The current and proposed versions for a teen's membership (two queries)."""
    versions = session.exec(
        select(FamilyAgreement).where(
            FamilyAgreement.membership_id == membership.id,
            FamilyAgreement.status != AgreementStatus.SUPERSEDED,
        )
    ).all()
    active = next((v for v in versions if v.status is AgreementStatus.ACTIVE), None)
    proposed = next((v for v in versions if v.status is AgreementStatus.PROPOSED), None)
    signers: dict[int, set[int]] = {v.id: set() for v in versions}
    if versions:
        rows = session.exec(
            select(AgreementSignature).where(
                AgreementSignature.agreement_id.in_([v.id for v in versions])
            )
        ).all()
        for row in rows:
            signers[row.agreement_id].add(row.user_id)
    return AgreementState(active=active, proposed=proposed, signers=signers)


def clean_terms(raw: dict[str, str]) -> dict[str, str]:
    """The terms as stored: trimmed, required ones present, none too long."""
    terms = {t.id: (raw.get(t.id) or "").strip() for t in TERMS}
    wrong = {}
    for term_id, text in terms.items():
        if term_id in REQUIRED_TERMS and not text:
            wrong[term_id] = _l("Fill in this part of the agreement.")
        elif len(text) > MAX_TERM_LENGTH:
            wrong[term_id] = _l("Keep each part under 600 characters.")
    if wrong:
        # Every part that needs work is named at once, not one per try.
        first = next(iter(wrong))
        raise AgreementError(wrong[first], field=first, fields=wrong)
    return terms


def propose(
    *,
    session: Session,
    membership: Membership,
    proposer: User,
    terms: dict[str, str],
    now: datetime,
) -> FamilyAgreement:
    """Propose a new version (the proposer signs it); replaces an unsigned proposal."""
    terms = clean_terms(terms)
    # Lock the teen's membership: two proposals at once would otherwise take one number.
    session.exec(select(Membership).where(Membership.id == membership.id).with_for_update()).one()
    current = state(session, membership)
    if current.proposed is not None:
        current.proposed.status = AgreementStatus.SUPERSEDED
        session.add(current.proposed)
    version = (
        session.exec(
            select(func.max(FamilyAgreement.version)).where(
                FamilyAgreement.membership_id == membership.id
            )
        ).one()
        or 0
    ) + 1
    agreement = FamilyAgreement(
        membership_id=membership.id,
        version=version,
        terms=terms,
        status=AgreementStatus.PROPOSED,
        proposed_by_id=proposer.id,
        proposed_at=now,
    )
    session.add(agreement)
    session.flush()
    session.add(AgreementSignature(agreement_id=agreement.id, user_id=proposer.id, signed_at=now))
    _log_signature(session=session, membership=membership, signer=proposer, now=now)
    # The other side is asked to sign: the teen's supervisors, or the teen.
    if proposer.id == membership.user_id:
        notifications.notify_supervisors(
            session=session,
            group=session.get(Group, membership.group_id),
            kind=NotificationKind.AGREEMENT_PROPOSED,
            membership=membership,
            actor_id=proposer.id,
            now=now,
        )
    else:
        notifications.notify(
            session=session,
            user_id=membership.user_id,
            kind=NotificationKind.AGREEMENT_PROPOSED,
            group_id=membership.group_id,
            membership_id=membership.id,
            actor_id=proposer.id,
            now=now,
        )
    session.flush()
    return agreement


def _log_signature(*, session: Session, membership: Membership, signer: User, now: datetime):
    """A supervisor's signature is an action about the teen: it goes in the teen's log."""
    if signer.id != membership.user_id:
        session.add(
            SupervisionEvent(
                membership_id=membership.id,
                actor_id=signer.id,
                kind=EventKind.AGREEMENT_SIGNED,
                created_at=now,
            )
        )


def sign(
    *,
    session: Session,
    membership: Membership,
    agreement: FamilyAgreement,
    signer: User,
    now: datetime,
) -> bool:
    """Sign a proposed version; returns True when it became the agreement in force."""
    session.refresh(agreement, with_for_update=True)
    if agreement.status is not AgreementStatus.PROPOSED:
        raise AgreementError(_l("This version is no longer waiting for signatures."))
    current = state(session, membership)
    signatures = current.signers.get(agreement.id, set())
    if signer.id in signatures:
        raise AgreementError(_l("You have already signed this version."))
    session.add(AgreementSignature(agreement_id=agreement.id, user_id=signer.id, signed_at=now))
    _log_signature(session=session, membership=membership, signer=signer, now=now)
    notifications.close_about(
        session=session,
        user_id=signer.id,
        kind=NotificationKind.AGREEMENT_PROPOSED,
        membership_id=membership.id,
        now=now,
    )
    signatures = signatures | {signer.id}
    teen_signed = membership.user_id in signatures
    supervisor_signed = bool(signatures - {membership.user_id})
    if not (teen_signed and supervisor_signed):
        session.flush()
        return False
    previous = current.active
    if previous is not None:
        previous.status = AgreementStatus.SUPERSEDED
        session.add(previous)
    agreement.status = AgreementStatus.ACTIVE
    agreement.active_since = now
    session.add(agreement)
    session.flush()
    return True


def signers(session: Session, current: AgreementState) -> list[User]:
    """Everyone who proposed or signed a current version, in one query."""
    ids = set().union(*current.signers.values()) if current.signers else set()
    for version in (current.active, current.proposed):
        if version is not None:
            ids.add(version.proposed_by_id)
    if not ids:
        return []
    return list(session.exec(select(User).where(User.id.in_(sorted(ids)))).all())
