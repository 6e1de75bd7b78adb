"""`flask create-admin`: the site admin account, made from the command line only."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from learner import accounts
from learner.cli import command_session
from learner.errors import DomainError
from learner.models import AccountKind


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create a site admin account."""
    with command_session() as session:
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
    click.echo(f"Site admin {email} created.")


COMMANDS = (create_admin,)
