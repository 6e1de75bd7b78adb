"""`flask lti ...`: register a learning platform, print the tool's URLs, rotate its key,
and bring classes in line with their courses' rosters (Names and Role Provisioning)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from learner.cli import command_session
from learner.core.db import utc_now
from learner.errors import DomainError
from learner.lti import keys, platforms, roster
from learner.models import Group, LtiContext

lti_cli = AppGroup("lti", help="Learning platforms (LTI 1.3).")


@lti_cli.command("register")
@click.option("--issuer", required=True, help="The platform's issuer (iss).")
@click.option("--client-id", required=True, help="The client id the platform gave the tool.")
@click.option("--deployment-id", required=True, help="The deployment id.")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authorization URL.")
@click.option("--auth-token-url", required=True, help="The platform's access token URL.")
@click.option("--key-set-url", required=True, help="The platform's public keyset (JWKS) URL.")
@click.option(
    "--frame-origin",
    "frame_origins",
    multiple=True,
    help="An origin whose pages show the tool in a frame (a school's own Canvas domain).",
)
def register(
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    frame_origins: tuple[str, ...],
) -> None:
    """Register a platform; running it again with the same values changes nothing."""
    with command_session() as session:
        try:
            done = platforms.register(
                session=session,
                issuer=issuer,
                client_id=client_id,
                deployment_id=deployment_id,
                auth_login_url=auth_login_url,
                auth_token_url=auth_token_url,
                key_set_url=key_set_url,
                frame_origins=" ".join(frame_origins),
            )
        except DomainError as error:
            raise click.ClickException(f"{error.field}: {error.message}") from error
    if done.created:
        click.echo(f"Registered {issuer} (client id {client_id}, deployment {deployment_id}).")
    elif done.deployment_added:
        click.echo(f"Added deployment {deployment_id} to {issuer} (client id {client_id}).")
    else:
        click.echo(
            f"{issuer} (client id {client_id}, deployment {deployment_id}) was registered already."
        )


def _url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


@lti_cli.command("show")
def show() -> None:
    """Print the tool's URLs to paste into a platform, and the registered platforms."""
    click.echo(f"Login initiation URL:  {_url('/lti/login')}")
    click.echo(f"Launch (redirect) URL: {_url('/lti/launch')}")
    click.echo(f"Deep linking URL:      {_url('/lti/launch')}")
    click.echo(f"Public keyset (JWKS):  {_url('/lti/jwks.json')}")
    click.echo(f"Signing key id (kid):  {keys.signing_key().kid}")
    with command_session() as session:
        for platform, deployments in platforms.all_with_deployments(session):
            click.echo(
                f"Platform {platform.issuer}  client id {platform.client_id}  "
                f"deployments {', '.join(deployments)}"
            )


@lti_cli.command("rotate-key")
def rotate_key() -> None:
    """Make a new signing key; the previous one stays in the JWKS for platforms' caches."""
    key = keys.rotate()
    click.echo(
        f"New signing key {key.kid}; the previous key stays published until the next rotation."
    )


@lti_cli.command("sync-rosters")
def sync_rosters() -> None:
    """Bring each class linked to a platform course in line with the course's roster
    (for courses whose platform offered Names and Role Provisioning). Safe to run from
    cron; a course whose platform is down is left as it was and tried next time."""
    with command_session() as session:
        ids = [context.id for context in roster.contexts_to_sync(session)]
    failed = 0
    for context_id in ids:
        with command_session() as session:
            context = session.get(LtiContext, context_id)
            name = session.get(Group, context.group_id).name
            try:
                done = roster.sync(session=session, context=context, now=utc_now())
            except roster.RosterError as error:
                session.rollback()
                failed += 1
                click.echo(f"{name}: not synced ({error})", err=True)
                continue
        click.echo(
            f"{name}: {done.joined} joined, {done.removed} removed, {done.unchanged} unchanged, "
            f"{done.refused} refused"
        )
    click.echo(f"{len(ids) - failed} classes synced; {failed} not reached.")


COMMANDS = (lti_cli,)
