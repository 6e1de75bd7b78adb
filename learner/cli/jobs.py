"""The daily jobs for cron: digests, reminders, retention. Each is safe to run twice."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from learner import notifications, personal_data, reminders
from learner.cli import command_session
from learner.core import ratelimit, throttle
from learner.core.db import get_engine, utc_now
from learner.lti import grades as lti_grades
from learner.lti import tool as lti_tool
from lessons import get_catalog

notifications_cli = AppGroup("notifications", help="In-app notifications.")
reminders_cli = AppGroup("reminders", help="Reminders of what is due.")
retention_cli = AppGroup("retention", help="How long old drafts are kept.")
grades_cli = AppGroup("grades", help="Scores for learning platforms' gradebooks (LTI).")


def _public_link(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


@notifications_cli.command("digest")
def digest() -> None:
    """E-mail each person a short summary of unread notifications (at most once a day;
    safe to run from cron repeatedly)."""
    with command_session() as session:
        sent = notifications.send_digests(
            session=session, now=utc_now(), link=_public_link("/notifications")
        )
    click.echo(f"{sent} digest e-mails sent.")


@reminders_cli.command("send")
def send_reminders() -> None:
    """Remind people of a policy to acknowledge or an assigned lesson around its deadline,
    in the app and by e-mail, and make the spaced refreshers that are due (safe to run from
    cron repeatedly: each reminder goes out once, and no refresher is made twice)."""
    modules = {m.id: m for m in get_catalog().modules()}
    with command_session() as session:
        sent = reminders.send(
            session=session, now=utc_now(), modules=modules, link=_public_link("/dashboard")
        )
    click.echo(f"{sent} reminders sent.")


@retention_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Age in days (default: RETENTION_DAYS, 180).",
)
def purge(days: int | None) -> None:
    """Delete drafts and withdrawn posts older than the retention age, and spent guess and
    rate counters (safe to run from cron: running it again deletes nothing more)."""
    age = days or int(current_app.config["RETENTION_DAYS"])
    now = utc_now()
    with command_session() as session:
        purged = personal_data.purge_old_drafts(session=session, now=now, days=age)
        failures = throttle.prune(session=session, now=now)
        launch_data = lti_tool.prune(session)
    counters = ratelimit.prune(get_engine())
    click.echo(f"{purged} old drafts and withdrawn posts deleted (older than {age} days).")
    click.echo(f"{failures} old failed guesses and {counters} spent rate counters deleted.")
    click.echo(f"{launch_data} expired LTI launch records deleted.")


@grades_cli.command("send")
def send_grades() -> None:
    """Send the scores a learning platform has not received yet (it was down): safe to
    run from cron repeatedly, a score already sent is never sent again."""
    with command_session() as session:
        sent, waiting = lti_grades.send(session=session, now=utc_now())
    click.echo(f"{sent} scores sent; {waiting} still waiting for their platform.")


COMMANDS = (notifications_cli, reminders_cli, retention_cli, grades_cli)
