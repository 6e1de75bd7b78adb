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
def import_zip(path: Path, rows: bool) -> None:
    """Create or update classes, teachers and students; importing the same file again
    changes nothing. One problem anywhere and nothing is saved."""
    try:
        roster = oneroster.read(path.read_bytes())
    except oneroster.OneRosterError as error:
        for problem in error.shown:
            where = f"{problem.file or 'zip'}" + (f" row {problem.row}" if problem.row else "")
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s); nothing was imported."
        ) from None
    with command_session() as session:
        report = oneroster.apply(session=session, roster=roster)
    if rows:
        for kind, sourced_id, outcome in report.rows:
            click.echo(f"{kind} {sourced_id}: {outcome}")
    for kind in ("classes", "users", "enrollments"):
        click.echo(
            f"{kind}: {report.count(kind, 'created')} created, "
            f"{report.count(kind, 'updated')} updated, {report.count(kind, 'unchanged')} unchanged"
        )


COMMANDS = (oneroster_cli,)
