"""`flask demo`, `flask seed-scale`: data to try the app with, and data to measure it on."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from learner.cli import command_session
from learner.models import User
from learner.seeds import demo, scale
from lessons import get_catalog


@click.command("demo")
@click.option(
    "--logins-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the logins to this file (mode 600).",
)
@with_appcontext
def load_demo(logins_file: Path | None) -> None:
    """Load demo accounts into an empty database and print their logins."""
    logins = demo.load(current_app)
    if logins is None:
        click.echo("The database already has accounts; demo data was not loaded.")
        return
    text = demo.format_logins(logins)
    click.echo(text)
    if logins_file is not None:
        logins_file.touch(mode=0o600)
        logins_file.write_text(text + "\n")


@click.command("seed-scale")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
@click.option("--small", is_flag=True, help="A small version, for a quick try.")
@with_appcontext
def seed_scale(seed: int, small: bool) -> None:
    """Fill an empty database with district- and company-scale data (learner/seeds/scale.py)."""
    started = time.perf_counter()
    with command_session() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            raise click.ClickException("The database is not empty; seed-scale needs an empty one.")
        counts = scale.seed(
            session=session,
            catalog=get_catalog(),
            seed=seed,
            size=scale.SMALL if small else scale.FULL,
            progress=lambda step: click.echo(f"  {step}...", err=True),
        )
    for table, n in sorted(counts.rows.items()):
        click.echo(f"{table:<24} {n:>9,}")
    click.echo(f"Done in {time.perf_counter() - started:.0f} s (seed {seed}).")


COMMANDS = (load_demo, seed_scale)
