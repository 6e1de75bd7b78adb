"""Assignment and Grade Services: a student's score goes to the platform's line item.

When a student completes what a graded link opens, their `LtiGrade` row turns from
waiting to pending with the score; a sender then claims it (pending -> sending, one
UPDATE that only one sender wins), gets an access token from the platform's token URL
with a client assertion signed by the tool's key, posts the score, and marks it sent.
A platform that is down leaves the row pending for `flask grades send` (cron) to retry;
a sent row is never sent again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.contrib.flask import FlaskServiceConnector
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from sqlalchemy import or_, update
from sqlmodel import Session, select

from learner.lti.tool import registration_for
from learner.models import LtiGrade, LtiPlatform, LtiResourceLink

log = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
TIMEOUT_SECONDS = 10
# A sender that died between claiming and finishing leaves `sending`; after this long the
# row may be claimed again.
STALE_CLAIM = timedelta(minutes=10)


class _TimedSession(requests.Session):
    """Every call to a platform gives up after TIMEOUT_SECONDS."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def completed(*, session: Session, user_id: int, target: str, score: int) -> list[int]:
    """The student completed `target`: their waiting grades for it become pending."""
    rows = session.exec(
        select(LtiGrade)
        .join(LtiResourceLink, LtiResourceLink.id == LtiGrade.link_id)
        .where(
            LtiGrade.user_id == user_id,
            LtiResourceLink.target == target,
            LtiGrade.status == "waiting",
        )
    ).all()
    for row in rows:
        row.status = "pending"
        row.score = max(0, min(100, int(score)))
        session.add(row)
    session.flush()
    return [row.id for row in rows]


def after_completion(*, session: Session, user_id: int, target: str, score: int, now: datetime):
    """Queue the scores for this completion, commit, and try to send them at once (what
    fails is left for `flask grades send`)."""
    ids = completed(session=session, user_id=user_id, target=target, score=score)
    session.commit()
    if ids:
        send(session=session, now=now, grade_ids=ids)


def _claim(session: Session, grade_id: int, now: datetime) -> bool:
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
    session.commit()
    return result.rowcount == 1


def _post(session: Session, grade: LtiGrade, now: datetime) -> None:
    link = session.get(LtiResourceLink, grade.link_id)
    platform = session.get(LtiPlatform, link.platform_id)
    connector = FlaskServiceConnector(registration_for(platform), _TimedSession())
    service = AssignmentsGradesService(
        connector, {"scope": [SCORE_SCOPE], "lineitem": link.lineitem_url}
    )
    value = (
        Grade()
        .set_score_given(grade.score)
        .set_score_maximum(100)
        .set_timestamp(now.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(grade.sub)
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
        if not _claim(session, grade_id, now):
            continue
        grade = session.get(LtiGrade, grade_id, populate_existing=True)
        try:
            _post(session, grade, now)
        except (LtiException, requests.RequestException, KeyError, ValueError) as error:
            log.info("LTI score %s not sent yet: %s", grade_id, error)
            grade.status, grade.last_error = "pending", str(error)[:255]
            failed += 1
        else:
            grade.status, grade.sent_at, grade.last_error = "sent", now, None
            sent += 1
        session.add(grade)
        session.commit()
    return sent, failed
