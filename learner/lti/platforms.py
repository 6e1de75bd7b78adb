"""Registered learning platforms: register (idempotently), list, and where they may frame us."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from learner.errors import DomainError
from learner.models import LtiDeployment, LtiPlatform


class RegistrationError(DomainError):
    """A platform registration that cannot be saved."""


@dataclass(frozen=True)
class Registered:
    platform: LtiPlatform
    created: bool
    deployment_added: bool


def origin(url: str) -> str | None:
    """`scheme://host[:port]` of an http(s) URL, or None for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def _check_url(value: str, field: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 1000:
        raise RegistrationError(_l("Enter a full http or https address."), field=field)
    return value


def register(
    *,
    session: Session,
    issuer: str,
    client_id: str,
    deployment_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    frame_origins: str = "",
) -> Registered:
    """Register a platform's client id and deployment; registering again changes nothing
    but the URLs (a second deployment of the same client id is added to it)."""
    issuer = issuer.strip()
    client_id = client_id.strip()
    deployment_id = deployment_id.strip()
    if not issuer or len(issuer) > 255:
        raise RegistrationError(_l("Enter the platform's issuer."), field="issuer")
    if not client_id or len(client_id) > 255:
        raise RegistrationError(_l("Enter the client id the platform gave."), field="client_id")
    if not deployment_id or len(deployment_id) > 255:
        raise RegistrationError(_l("Enter the deployment id."), field="deployment_id")
    urls = {
        "auth_login_url": _check_url(auth_login_url, "auth_login_url"),
        "auth_token_url": _check_url(auth_token_url, "auth_token_url"),
        "key_set_url": _check_url(key_set_url, "key_set_url"),
    }
    origins = []
    for item in frame_origins.split():
        found = origin(item)
        if found is None:
            raise RegistrationError(
                _l("Each origin is like https://school.instructure.com."), field="frame_origins"
            )
        origins.append(found)
    platform = session.exec(
        select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
    ).first()
    created = platform is None
    if platform is None:
        platform = LtiPlatform(issuer=issuer, client_id=client_id, **urls)
    else:
        for name, value in urls.items():
            setattr(platform, name, value)
    if origins:
        platform.frame_origins = " ".join(sorted(set(origins)))
    session.add(platform)
    session.flush()
    deployment = session.exec(
        select(LtiDeployment).where(
            LtiDeployment.platform_id == platform.id, LtiDeployment.deployment_id == deployment_id
        )
    ).first()
    if deployment is None:
        session.add(LtiDeployment(platform_id=platform.id, deployment_id=deployment_id))
        session.flush()
    return Registered(platform=platform, created=created, deployment_added=deployment is None)


def find(session: Session, issuer: str, client_id: str | None) -> LtiPlatform | None:
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id is not None:
        query = query.where(LtiPlatform.client_id == client_id)
    rows = session.exec(query.order_by(LtiPlatform.id).limit(2)).all()
    # Without a client id, only an issuer with a single registration is unambiguous.
    if client_id is None and len(rows) != 1:
        return None
    return rows[0] if rows else None


def has_deployment(session: Session, platform: LtiPlatform, deployment_id: str) -> bool:
    return (
        session.exec(
            select(LtiDeployment.id).where(
                LtiDeployment.platform_id == platform.id,
                LtiDeployment.deployment_id == deployment_id,
            )
        ).first()
        is not None
    )


def all_with_deployments(session: Session) -> list[tuple[LtiPlatform, list[str]]]:
    """Every registration with its deployment ids (two queries)."""
    platforms = session.exec(select(LtiPlatform).order_by(LtiPlatform.issuer, LtiPlatform.id)).all()
    deployments: dict[int, list[str]] = {}
    for row in session.exec(select(LtiDeployment).order_by(LtiDeployment.deployment_id)).all():
        deployments.setdefault(row.platform_id, []).append(row.deployment_id)
    return [(p, deployments.get(p.id, [])) for p in platforms]


def frame_origins_of(platform: LtiPlatform) -> set[str]:
    """The origins whose pages may frame a launch from this platform."""
    found = {origin(platform.issuer), origin(platform.auth_login_url)}
    found.update(platform.frame_origins.split())
    return {item for item in found if item}


def all_frame_origins(session: Session) -> set[str]:
    rows = session.exec(select(LtiPlatform)).all()
    return set().union(*(frame_origins_of(p) for p in rows)) if rows else set()
