"""Reminders of what is due (a policy to acknowledge, a lesson past its due date): in the
app, and by e-mail to people with an address. Safe to run from cron as often as you like:
nobody gets the same reminder twice in a day.

The same run makes the spaced refreshers that have come due (7 and 30 days after a module
was completed) and tells their learners in the app, which the daily digest then carries
to those with an e-mail address; a round is made once, however often the job runs."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import learning, notifications, workplace
from learner.core import mail
from learner.models import Membership, NotificationKind, Reminder, Role, User
from lessons.catalog import Module


def send(*, session: Session, now: datetime, modules: dict[str, Module], link: str) -> int:
    """Send today's reminders; how many were sent (0 when run again the same day)."""
    today = now.date()
    due: list[tuple[int, int, str, str]] = []  # user, group, subject, what
    for member, _user, policy in workplace.unacknowledged(session):
        due.append((member.user_id, member.group_id, f"policy:{policy.id}", "policy"))
    for member, assignment in workplace.overdue_lessons(session, today):
        due.append(
            (
                member.user_id,
                member.group_id,
                f"lesson:{assignment.module_id}",
                assignment.module_id,
            )
        )
    users = (
        {u.id: u for u in session.exec(select(User).where(User.id.in_({d[0] for d in due}))).all()}
        if due
        else {}
    )
    sent = 0
    for user_id, group_id, subject, what in due:
        try:
            with session.begin_nested():
                session.add(
                    Reminder(
                        user_id=user_id,
                        group_id=group_id,
                        subject=subject,
                        sent_on=today,
                        sent_at=now,
                    )
                )
                session.flush()
        except IntegrityError:
            continue  # already reminded today
        notifications.notify(
            session=session,
            user_id=user_id,
            kind=NotificationKind.REMINDER,
            group_id=group_id,
            detail=what[:20] if what == "policy" else "lesson",
            now=now,
        )
        user = users[user_id]
        if user.email:
            with force_locale(user.locale or "en"):
                thing = (
                    _("the social-media policy, which waits for your acknowledgement")
                    if what == "policy"
                    else _(
                        "the lesson %(title)s, which is past its due date",
                        title=modules[what].title if what in modules else what,
                    )
                )
                body = _(
                    "Hello %(name)s,\n\nA reminder about %(thing)s.\n\n%(link)s\n",
                    name=user.display_name,
                    thing=thing,
                    link=link,
                )
                subject_line = _("A reminder from Driver's Ed for Social Media")
            mail.send(to=user.email, subject=subject_line, body=body)
        sent += 1
    session.flush()
    return sent + refreshers(session=session, now=now, modules=modules)


def refreshers(*, session: Session, now: datetime, modules: dict[str, Module]) -> int:
    """Make the refresher rounds due now and leave each learner one notification per run
    that made any; how many learners were told (0 when run again)."""
    made = learning.schedule_refreshers(session=session, now=now, modules=modules)
    users = sorted({user_id for user_id, _module, _round in made})
    if not users:
        return 0
    # The notification needs a group: the learner's first current one as a learner.
    first_group: dict[int, int] = {}
    for user_id, group_id in session.exec(
        select(Membership.user_id, Membership.group_id)
        .where(
            Membership.user_id.in_(users),
            Membership.role == Role.LEARNER,
            Membership.removed_at.is_(None),
        )
        .order_by(Membership.user_id, Membership.id)
    ).all():
        first_group.setdefault(user_id, group_id)
    for user_id in users:
        if user_id in first_group:
            notifications.notify(
                session=session,
                user_id=user_id,
                kind=NotificationKind.REMINDER,
                group_id=first_group[user_id],
                detail="refresher",
                now=now,
            )
    session.flush()
    return len(first_group)
