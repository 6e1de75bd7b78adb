"""Assignment and Grade Services: a student's best score goes to the platform's line item.

When a student completes what a graded link opens, their `LtiGrade` row turns from
waiting to pending with the score; a sender then claims it (pending -> sending, one
UPDATE that only one sender wins, which also counts the try), gets an access token from
the platform's token URL with a client assertion signed by the tool's key, posts the
score, and marks it sent. A platform that is down leaves the row pending for
`flask grades send` (cron) to retry.

A later completion with a better score makes a sent row pending again with that score;
the same or a lower score changes nothing, so the platform never gets the same score
twice. A sender marks the row sent only if it is still the sender (the try it counted)
and the score it posted is still the best; a better score that came in meanwhile stays
pending and goes next.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from sqlalchemy import or_, update
from sqlmodel import Session, select

from learner.lti.tool import service_connector
from learner.models import LtiGrade, LtiPlatform, LtiResourceLink

log = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
# A sender that died between claiming and finishing leaves `sending`; after this long the
# row may be claimed again.
STALE_CLAIM = timedelta(minutes=10)


def completed(*, session: Session, user_id: int, target: str, score: int) -> list[int]:
    """The student completed `target` with `score`: each of their grades for it that had
    no score or a lower one takes this one and becomes pending. Returns those grades."""
    score = max(0, min(100, int(score)))
    ids = session.exec(
        select(LtiGrade.id)
        .join(LtiResourceLink, LtiResourceLink.id == LtiGrade.link_id)
        .where(LtiGrade.user_id == user_id, LtiResourceLink.target == target)
    ).all()
    if not ids:
        return []
    better = (LtiGrade.id.in_(ids), or_(LtiGrade.score.is_(None), LtiGrade.score < score))
    raised = list(session.exec(select(LtiGrade.id).where(*better)).all())
    if raised:
        session.execute(
            update(LtiGrade)
            .where(LtiGrade.id.in_(raised), *better[1:])
            .values(score=score, status="pending")
            .execution_options(synchronize_session=False)
        )
        session.flush()
    return raised


def after_completion(*, session: Session, user_id: int, target: str, score: int, now: datetime):
    """Queue the scores for this completion, commit, and try to send them at once (what
    fails is left for `flask grades send`)."""
    ids = completed(session=session, user_id=user_id, target=target, score=score)
    session.commit()
    if ids:
        send(session=session, now=now, grade_ids=ids)


def _claim(session: Session, grade_id: int, now: datetime) -> int | None:
    """Claim a grade to send; returns the try number that is this sender's token (only
    the sender of that try may mark the row afterwards), or None if another has it."""
    result = session.execute(
        update(LtiGrade)
        .where(
            LtiGrade.id == grade_id,
            or_(
                LtiGrade.status == "pending",
                (LtiGrade.status == "sending") & (LtiGrade.claimed_at < now - STALE_CLAIM),
            ),
        )
        .values(status="sending", claimed_at=now, tries=LtiGrade.tries + 1)
    )
    claimed = result.rowcount == 1
    # Nobody else can claim the row now (it is `sending` and fresh): its tries are ours.
    tries = session.exec(select(LtiGrade.tries).where(LtiGrade.id == grade_id)).one()
    session.commit()
    return tries if claimed else None


def _finish(session: Session, grade_id: int, tries: int, **values) -> int:
    """Update the row only while this sender's claim is still the current one."""
    result = session.execute(
        update(LtiGrade)
        .where(LtiGrade.id == grade_id, LtiGrade.tries == tries, LtiGrade.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _prepare(session: Session, grade: LtiGrade, now: datetime) -> tuple:
    """What posting the score needs, read from the database before the call goes out."""
    link = session.get(LtiResourceLink, grade.link_id)
    platform = session.get(LtiPlatform, link.platform_id)
    value = (
        Grade()
        .set_score_given(grade.score)
        .set_score_maximum(100)
        .set_timestamp(now.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(grade.sub)
    )
    return service_connector(platform), link.lineitem_url, value


def _post(connector, lineitem_url: str, value: Grade) -> None:
    service = AssignmentsGradesService(
        connector, {"scope": [SCORE_SCOPE], "lineitem": lineitem_url}
    )
    service.put_grade(value)


def send(*, session: Session, now: datetime, grade_ids: list[int] | None = None) -> tuple[int, int]:
    """Send pending scores (these ones, or all); returns (sent, still pending)."""
    query = select(LtiGrade.id).where(LtiGrade.status.in_(("pending", "sending")))
    if grade_ids is not None:
        query = query.where(LtiGrade.id.in_(grade_ids))
    ids = list(session.exec(query.order_by(LtiGrade.id)).all())
    session.commit()
    sent = failed = 0
    for grade_id in ids:
        tries = _claim(session, grade_id, now)
        if tries is None:
            continue
        grade = session.get(LtiGrade, grade_id, populate_existing=True)
        posted = grade.score
        try:
            prepared = _prepare(session, grade, now)
            # No transaction stays open during the call (on SQLite it would hold the
            # write lock for as long as the platform takes to answer).
            session.commit()
            _post(*prepared)
        except (LtiException, requests.RequestException, KeyError, ValueError) as error:
            log.info("LTI score %s not sent yet: %s", grade_id, error)
            _finish(session, grade_id, tries, status="pending", last_error=str(error)[:255])
            failed += 1
        else:
            done = session.execute(
                update(LtiGrade)
                .where(
                    LtiGrade.id == grade_id,
                    LtiGrade.tries == tries,
                    LtiGrade.status == "sending",
                    LtiGrade.score == posted,
                )
                .values(status="sent", sent_at=now, last_error=None)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not done:
                # A better score came in while this one was on its way: it goes next.
                _finish(session, grade_id, tries, status="pending", last_error=None)
            sent += 1
        session.commit()
    return sent, failed
