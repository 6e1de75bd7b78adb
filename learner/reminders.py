"""Reminders of what is due (a policy to acknowledge, an assigned lesson or scenario): in
the app, and by e-mail to people with an address. On a schedule around each deadline (a
few days before, the day after, a week after; the manager hears when it is still open
three days late), and when HR presses "remind now". Safe to run from cron as often as you like: each
reminder of the schedule goes out once, and "remind now" at most once a day per person.

The same run makes the spaced refreshers that have come due (7 and 30 days after a module
was completed) and tells their learners in the app, which the daily digest then carries
to those with an e-mail address; a round is made once, however often the job runs."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from learner import class_scenarios, learning, notifications, scenarios, workplace
from learner.core import mail
from learner.core.extensions import locale_of
from learner.models import (
    Group,
    GroupEventKind,
    Membership,
    NotificationKind,
    Reminder,
    Role,
    User,
)
from lessons import get_catalog
from lessons.catalog import Module

# (stage, days from the deadline): each stage is sent once, the latest one due.
SCHEDULE = (("before", -3), ("after", 1), ("again", 7))
# The staff member's manager is told once when it is still open this many days late.
ESCALATE_AFTER = 3


@dataclass(frozen=True)
class Due:
    """One thing one person has to do by a day."""

    member: Membership
    what: str  # "policy" or a lesson's module id
    key: str  # what the Reminder rows are keyed on: "policy:<version>", "lesson:<assignment>"
    due_on: date


def stage(due_on: date, today: date) -> str | None:
    """Which reminder of the schedule is due today (None: none yet, or the deadline is
    past and only an after-reminder would fit, which is not yet due)."""
    current = None
    for name, offset in SCHEDULE:
        if today >= due_on + timedelta(days=offset):
            current = name
    if current == "before" and today > due_on:
        return None
    return current


def open_items(session: Session, today: date, *, group_id: int | None = None) -> list[Due]:
    """What people still have to do that has a deadline within the schedule's reach: the
    policy in force not acknowledged, assigned lessons not completed, assigned scenarios
    not finished (three queries)."""
    items = [
        Due(
            member,
            "policy",
            f"policy:{policy.id}",
            workplace.acknowledge_by(policy, member.joined_at),
        )
        for member, _user, policy in workplace.unacknowledged(session, group_id)
    ]
    soon = today - timedelta(days=SCHEDULE[0][1]) + timedelta(days=1)
    items += [
        Due(member, assignment.module_id, f"lesson:{assignment.id}", assignment.due_on)
        for member, assignment in workplace.overdue_lessons(session, soon, group_id=group_id)
    ]
    items += [
        Due(member, f"scenario:{assigned.scenario_id}", f"scenario:{assigned.id}", assigned.due_on)
        for member, assigned in class_scenarios.overdue(session, soon)
        if group_id is None or member.group_id == group_id
    ]
    return items


def send(*, session: Session, now: datetime, modules: dict[str, Module], link: str) -> int:
    """Send the reminders of the schedule that are due; how many were sent (0 when run
    again: each one goes out once)."""
    today = now.date()
    items = open_items(session, today)
    wanted = [(item, f"{item.key}:{name}") for item in items if (name := stage(item.due_on, today))]
    escalate = [
        item
        for item in items
        if item.member.manager_id and today >= item.due_on + timedelta(days=ESCALATE_AFTER)
    ]
    already = _already_sent(session, [i.member.user_id for i, _s in wanted], escalate)
    wanted = [
        (item, subject)
        for item, subject in wanted
        if (item.member.user_id, item.member.group_id, subject) not in already
    ]
    users = _users(session, [item for item, _subject in wanted])
    sent = 0
    for item, subject in wanted:
        sent += _remind(
            session=session,
            item=item,
            subject=subject,
            now=now,
            modules=modules,
            link=link,
            users=users,
        )
    managers = _manager_users(session, {i.member.manager_id for i in escalate})
    for item in escalate:
        manager_user = managers.get(item.member.manager_id)
        subject = f"staff:{item.member.id}:{item.key}"
        if manager_user is None or (manager_user, item.member.group_id, subject) in already:
            continue
        sent += _tell_manager(
            session=session, item=item, manager_user_id=manager_user, subject=subject, now=now
        )
    session.flush()
    return sent + refreshers(session=session, now=now, modules=modules)


def remind_now(
    *,
    session: Session,
    group: Group,
    actor: User,
    now: datetime,
    modules: dict[str, Module],
    link: str,
) -> int:
    """HR's "remind the ones not done": everyone in the workplace with the policy still to
    acknowledge or an assigned lesson past due hears now (at most once a day each);
    logged with the count. Returns how many people were reminded."""
    today = now.date()
    items = [
        item
        for item in open_items(session, today + timedelta(days=1), group_id=group.id)
        if item.what == "policy" or item.due_on < today
    ]
    users = _users(session, items)
    reminded: set[int] = set()
    for item in items:
        if _remind(
            session=session,
            item=item,
            subject=f"{item.key}:now",
            now=now,
            modules=modules,
            link=link,
            users=users,
        ):
            reminded.add(item.member.user_id)
    workplace.log_event(
        session=session,
        group=group,
        actor=actor,
        kind=GroupEventKind.REMINDED,
        detail=str(len(reminded)),
        now=now,
    )
    session.flush()
    return len(reminded)


def _already_sent(
    session: Session, user_ids: list[int], escalate: list[Due]
) -> set[tuple[int, int, str]]:
    """(user, group, subject) of the schedule's reminders already sent to these people."""
    everyone = set(user_ids)
    if escalate:
        everyone |= set(
            session.exec(
                select(Membership.user_id).where(
                    Membership.id.in_({i.member.manager_id for i in escalate})
                )
            ).all()
        )
    if not everyone:
        return set()
    return set(
        session.exec(
            select(Reminder.user_id, Reminder.group_id, Reminder.subject).where(
                Reminder.user_id.in_(everyone), ~Reminder.subject.like("%:now")
            )
        ).all()
    )


def _manager_users(session: Session, manager_ids: set[int | None]) -> dict[int, int]:
    """The user id of each manager membership (removed managers left out)."""
    ids = {i for i in manager_ids if i}
    if not ids:
        return {}
    return dict(
        session.exec(
            select(Membership.id, Membership.user_id).where(
                Membership.id.in_(ids), Membership.removed_at.is_(None)
            )
        ).all()
    )


def _record(
    *, session: Session, user_id: int, group_id: int, subject: str, now: datetime
) -> Reminder | None:
    """Write the Reminder row; None when the same one went out today already."""
    row = Reminder(
        user_id=user_id, group_id=group_id, subject=subject, sent_on=now.date(), sent_at=now
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def _users(session: Session, items: list[Due]) -> dict[int, User]:
    """The accounts of the people to remind (one query)."""
    ids = {i.member.user_id for i in items}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids))).all()}


def _remind(
    *,
    session: Session,
    item: Due,
    subject: str,
    now: datetime,
    modules: dict[str, Module],
    link: str,
    users: dict[int, User],
) -> int:
    """Remind one person of one thing, in the app and by e-mail; 1 if sent, 0 if it was
    sent already today."""
    member = item.member
    row = _record(
        session=session, user_id=member.user_id, group_id=member.group_id, subject=subject, now=now
    )
    if row is None:
        return 0
    notifications.notify(
        session=session,
        user_id=member.user_id,
        kind=NotificationKind.REMINDER,
        group_id=member.group_id,
        membership_id=member.id,
        detail=_detail(item.what),
        now=now,
    )
    user = users.get(member.user_id)
    if user is not None and user.email:
        with force_locale(locale_of(user)):
            thing = _thing(item, modules, locale_of(user))
            body = _(
                "Hello %(name)s,\n\nA reminder about %(thing)s.\n\n%(link)s\n",
                name=user.display_name,
                thing=thing,
                link=link,
            )
            subject_line = _("A reminder from Driver's Ed for Social Media")
        row.emailed = _send_quietly(to=user.email, subject=subject_line, body=body)
        session.add(row)
    return 1


def _detail(what: str) -> str:
    """What a reminder notification is about: policy, lesson or scenario."""
    if what == "policy":
        return "policy"
    return "scenario" if what.startswith("scenario:") else "lesson"


def _thing(item: Due, modules: dict[str, Module], lang: str) -> str:
    """The reminder's subject in words, in the person's language (forced by the caller)."""
    day = format_date(item.due_on)
    if item.what == "policy":
        return _(
            "the social-media policy, which waits for your acknowledgement (due %(day)s)",
            day=day,
        )
    if item.what.startswith("scenario:"):
        scenario_id = item.what.removeprefix("scenario:")
        found = scenarios.get_scenarios().get(scenario_id, lang)
        return _(
            "the scenario %(title)s, due %(day)s",
            title=found.title if found else scenario_id,
            day=day,
        )
    return _(
        "the lesson %(title)s, due %(day)s",
        title=_title_in_locale(modules, item.what),
        day=day,
    )


def _tell_manager(
    *, session: Session, item: Due, manager_user_id: int, subject: str, now: datetime
) -> int:
    """Tell a staff member's manager that something of theirs is three days late."""
    member = item.member
    if (
        _record(
            session=session,
            user_id=manager_user_id,
            group_id=member.group_id,
            subject=subject,
            now=now,
        )
        is None
    ):
        return 0
    notifications.notify(
        session=session,
        user_id=manager_user_id,
        kind=NotificationKind.REMINDER,
        group_id=member.group_id,
        membership_id=member.id,
        actor_id=member.user_id,
        detail="staff",
        now=now,
    )
    return 1


def _title_in_locale(modules: dict[str, Module], module_id: str) -> str:
    """A lesson's title in the language being written (the catalog falls back to English)."""
    if module_id not in modules:
        return module_id
    return (get_catalog().get(module_id) or modules[module_id]).title


def _send_quietly(*, to: str, subject: str, body: str) -> bool:
    """Whether a reminder e-mail left; one that fails is logged and the in-app reminder
    stands."""
    try:
        return mail.send(to=to, subject=subject, body=body)
    except (smtplib.SMTPException, OSError) as error:
        mail.log.warning("Reminder e-mail failed: %s", type(error).__name__)
        return False


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
