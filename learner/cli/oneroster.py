"""`flask oneroster import FILE.zip`: a district's OneRoster 1.1 CSV zip, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from learner import oneroster
from learner.cli import command_session

oneroster_cli = AppGroup("oneroster", help="District rosters (OneRoster 1.1 CSV).")


@oneroster_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rows", is_flag=True, help="Also list what happened to each record.")
@click.option(
    "--under13-consent",
    is_flag=True,
    help="The school holds parents' consent for the students under 13 in this file "
    "(recorded on their classes). Without it they are refused unless their class has "
    "consent on file.",
)
def import_zip(path: Path, rows: bool, under13_consent: bool) -> None:
    """Create or update classes, teachers and students; importing the same file again
    changes nothing. One problem anywhere and nothing is saved."""
    try:
        roster = oneroster.read(path.read_bytes())
        with command_session() as session:
            report = oneroster.apply(
                session=session, roster=roster, under13_consent=under13_consent
            )
    except oneroster.OneRosterError as error:
        for problem in error.shown:
            where = f"{problem.file or 'zip'}" + (f" row {problem.row}" if problem.row else "")
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s); nothing was imported."
        ) from None
    if rows:
        for kind, sourced_id, outcome in report.rows:
            click.echo(f"{kind} {sourced_id}: {outcome}")
    outcomes = ("created", "updated", "unchanged", "removed", "skipped")
    for kind in ("classes", "users", "enrollments"):
        counts = ", ".join(f"{report.count(kind, outcome)} {outcome}" for outcome in outcomes)
        click.echo(f"{kind}: {counts}")


COMMANDS = (oneroster_cli,)
