"""Reminders of what is due (a policy to acknowledge, a lesson or a scenario past its due
date): in the
app, and by e-mail to people with an address. Safe to run from cron as often as you like:
nobody gets the same reminder twice in a day."""

from __future__ import annotations

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import class_scenarios, notifications, scenarios, workplace
from learner.core import mail
from learner.models import NotificationKind, Reminder, User
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
    for member, assigned in class_scenarios.overdue(session, today):
        subject = f"scenario:{assigned.scenario_id}"
        due.append((member.user_id, member.group_id, subject, subject))
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
            detail=_detail(what),
            now=now,
        )
        user = users[user_id]
        if user.email:
            with force_locale(user.locale or "en"):
                thing = _thing(what, modules, user.locale or "en")
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
    return sent


def _detail(what: str) -> str:
    """What a reminder notification is about: policy, lesson or scenario."""
    if what == "policy":
        return "policy"
    return "scenario" if what.startswith("scenario:") else "lesson"


def _thing(what: str, modules: dict[str, Module], lang: str) -> str:
    """The reminder's subject in words, in the person's language (forced by the caller)."""
    if what == "policy":
        return _("the social-media policy, which waits for your acknowledgement")
    if what.startswith("scenario:"):
        scenario_id = what.removeprefix("scenario:")
        found = scenarios.get_scenarios().get(scenario_id, lang)
        return _(
            "the scenario %(title)s, which is past its due date",
            title=found.title if found else scenario_id,
        )
    return _(
        "the lesson %(title)s, which is past its due date",
        title=modules[what].title if what in modules else what,
    )
