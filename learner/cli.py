"""The `flask --app app ...` commands: database migrations, demo data and admin accounts."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    """The Alembic configuration for a database URL."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def register(app: Flask) -> None:
    """Attach the commands to the app."""
    db_group = click.Group("db", help="Database schema (Alembic migrations).")

    @db_group.command("upgrade")
    @click.argument("revision", default="head")
    def db_upgrade(revision: str) -> None:
        """Apply migrations up to REVISION (default: head)."""
        upgrade(current_app.config["DATABASE_URL"], revision)
        click.echo(f"Database is at {revision}.")

    @db_group.command("downgrade")
    @click.argument("revision")
    def db_downgrade(revision: str) -> None:
        """Undo migrations down to REVISION."""
        command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)

    app.cli.add_command(db_group)

    @app.cli.command("demo")
    @click.option(
        "--logins-file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Also write the logins to this file (mode 600).",
    )
    def demo_command(logins_file: Path | None) -> None:
        """Load demo accounts into an empty database and print their logins."""
        from learner import demo

        logins = demo.load(current_app)
        if logins is None:
            click.echo("The database already has accounts; demo data was not loaded.")
            return
        text = demo.format_logins(logins)
        click.echo(text)
        if logins_file is not None:
            logins_file.touch(mode=0o600)
            logins_file.write_text(text + "\n")

    lessons_group = click.Group("lessons", help="The lesson catalog.")

    @lessons_group.command("check")
    @click.option(
        "--folder",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Check the modules in this folder instead of the app's.",
    )
    def lessons_check(folder: Path | None) -> None:
        """Validate every lesson module; exit 1 naming the file and field of the first error."""
        from lessons.catalog import MODULES_DIR, CatalogError, load_catalog

        try:
            catalog = load_catalog(folder or MODULES_DIR)
        except CatalogError as error:
            raise click.ClickException(str(error)) from error
        questions = sum(len(m.quiz) for m in catalog.modules())
        click.echo(f"{len(catalog)} modules, {questions} quiz questions: all valid.")

    app.cli.add_command(lessons_group)

    coach_group = click.Group("coach", help="The post coach.")

    @coach_group.command("check")
    @click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
    def coach_check(source) -> None:
        """Read JSON Lines with a "text" field (FILE or stdin); write findings per line."""
        from learner.coach import CoachInputError, analyze, categories

        for number, line in enumerate(source, start=1):
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('each line must be an object with a "text" string')
                findings = analyze(item["text"])
            except (ValueError, CoachInputError) as error:
                click.echo(f"line {number}: {error}", err=True)
                sys.exit(2)
            click.echo(
                json.dumps(
                    {
                        "categories": categories(findings),
                        "findings": [f.as_dict() for f in findings],
                    }
                )
            )

    @coach_group.command("evaluate")
    @click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def coach_evaluate(corpus: Path) -> None:
        """Precision, recall and false alarms on a labeled corpus (JSON Lines)."""
        from learner.coach.evaluate import evaluate, load_corpus

        click.echo(evaluate(load_corpus(corpus)).table())

    app.cli.add_command(coach_group)

    notifications_group = click.Group("notifications", help="In-app notifications.")

    @notifications_group.command("digest")
    def notifications_digest() -> None:
        """E-mail each person a short summary of unread notifications (at most once a day;
        safe to run from cron repeatedly)."""
        from sqlmodel import Session

        from learner import notifications
        from learner.db import get_engine, utc_now, write_transactions

        link = current_app.config["PUBLIC_URL"].rstrip("/") + "/notifications"
        with write_transactions(), Session(get_engine()) as session:
            sent = notifications.send_digests(session=session, now=utc_now(), link=link)
            session.commit()
        click.echo(f"{sent} digest e-mails sent.")

    app.cli.add_command(notifications_group)

    reminders_group = click.Group("reminders", help="Reminders of what is due.")

    @reminders_group.command("send")
    def reminders_send() -> None:
        """Remind people of a policy to acknowledge or a lesson past due, in the app and by
        e-mail (safe to run from cron repeatedly: nobody gets the same one twice a day)."""
        from sqlmodel import Session

        from learner import reminders
        from learner.db import get_engine, utc_now, write_transactions
        from lessons import get_catalog

        link = current_app.config["PUBLIC_URL"].rstrip("/") + "/dashboard"
        modules = {m.id: m for m in get_catalog().modules()}
        with write_transactions(), Session(get_engine()) as session:
            sent = reminders.send(session=session, now=utc_now(), modules=modules, link=link)
            session.commit()
        click.echo(f"{sent} reminders sent.")

    app.cli.add_command(reminders_group)

    retention_group = click.Group("retention", help="How long old drafts are kept.")

    @retention_group.command("purge")
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=None,
        help="Age in days (default: RETENTION_DAYS, 180).",
    )
    def retention_purge(days: int | None) -> None:
        """Delete drafts and withdrawn posts older than the retention age (safe to run from
        cron: running it again deletes nothing more)."""
        from sqlmodel import Session

        from learner import personal_data, ratelimit, throttle
        from learner.db import get_engine, utc_now, write_transactions

        age = days or int(current_app.config["RETENTION_DAYS"])
        with write_transactions(), Session(get_engine()) as session:
            now = utc_now()
            purged = personal_data.purge_old_drafts(session=session, now=now, days=age)
            failures = throttle.prune(session=session, now=now)
            session.commit()
            counters = ratelimit.prune(get_engine())
        click.echo(f"{purged} old drafts and withdrawn posts deleted (older than {age} days).")
        click.echo(f"{failures} old failed guesses and {counters} spent rate counters deleted.")

    app.cli.add_command(retention_group)

    @app.cli.command("seed-scale")
    @click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
    @click.option("--small", is_flag=True, help="A small version, for a quick try.")
    def seed_scale(seed: int, small: bool) -> None:
        """Fill an empty database with district- and company-scale data (see learner/scale.py)."""
        import time

        from sqlmodel import Session, select

        from learner import scale
        from learner.db import get_engine, write_transactions
        from learner.models import User
        from lessons import get_catalog

        started = time.perf_counter()
        with write_transactions(), Session(get_engine()) as session:
            if session.exec(select(User.id).limit(1)).first() is not None:
                raise click.ClickException(
                    "The database is not empty; seed-scale needs an empty one."
                )
            counts = scale.seed(
                session=session,
                catalog=get_catalog(),
                seed=seed,
                size=scale.SMALL if small else scale.FULL,
                progress=lambda step: click.echo(f"  {step}...", err=True),
            )
            session.commit()
        for table, n in sorted(counts.rows.items()):
            click.echo(f"{table:<24} {n:>9,}")
        click.echo(f"Done in {time.perf_counter() - started:.0f} s (seed {seed}).")

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", prompt=True)
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create a site admin account."""
        from sqlmodel import Session

        from learner import accounts
        from learner.db import get_engine, write_transactions
        from learner.errors import DomainError
        from learner.models import AccountKind

        with write_transactions(), Session(get_engine()) as session:
            try:
                user = accounts.create_supervisor_account(
                    session=session,
                    email=email,
                    display_name=name,
                    password=password,
                    kind=AccountKind.ORG_ADMIN,
                )
            except DomainError as error:
                raise click.ClickException(str(error.message)) from error
            user.is_site_admin = True
            session.commit()
        click.echo(f"Site admin {email} created.")
