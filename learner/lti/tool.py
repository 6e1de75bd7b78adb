"""pylti1p3 (from the maintained `pylti1p3next` package) wired to our database and keys.

- `DatabaseToolConf`: registrations and deployments come from `lti_platform` and
  `lti_deployment`, with the tool's current signing key.
- `DatabaseLaunchStorage`: nonces and launches live in `lti_launch_data`, so every worker
  sees them and nothing depends on the session cookie (which a platform's iframe may not
  send); a nonce is consumed when checked, so a replayed id_token is refused.
- `LaunchCookies`: the short-lived state cookie, `SameSite=None; Secure; Partitioned` when
  the request came over HTTPS (the launch flow only; the site's own cookies stay `Lax`).
- `service_connector`: calls to a platform's services (scores, rosters) with an access
  token per registration. pylti1p3 keeps tokens by issuer and scopes only, but one issuer
  has many client ids (every school on hosted Canvas shares Canvas's issuer), so one
  school's token would be sent for another's; here the key also names the client id and
  the token URL, and a token the platform no longer accepts (401) is dropped and asked
  for again, once.
"""

from __future__ import annotations

import hashlib
import time
import typing as t

import requests
from pylti1p3.contrib.flask import (
    FlaskCookieService,
    FlaskMessageLaunch,
    FlaskOIDCLogin,
    FlaskRequest,
    FlaskServiceConnector,
)
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiServiceException
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete
from sqlmodel import Session

from learner.lti import keys, platforms
from learner.models import LtiLaunchData, LtiPlatform

LAUNCH_DATA_SECONDS = 2 * 3600
SERVICE_TIMEOUT_SECONDS = 10
# What a login initiation may carry, kept when the cookie check page goes on.
LOGIN_PARAMETERS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "lti_deployment_id",
    "client_id",
)


def registration_for(platform: LtiPlatform) -> Registration:
    key = keys.signing_key()
    registration = Registration()
    registration.set_issuer(platform.issuer).set_client_id(platform.client_id)
    registration.set_auth_login_url(platform.auth_login_url)
    registration.set_auth_token_url(platform.auth_token_url)
    registration.set_key_set_url(platform.key_set_url)
    registration.set_tool_private_key(key.private_pem).set_tool_public_key(key.public_pem)
    # Client assertions name the key that signed them by our own kid.
    registration.get_kid = lambda: key.kid  # type: ignore[method-assign]
    return registration


class DatabaseToolConf(ToolConfAbstract):
    """Every issuer may have several client ids: registrations are found by both."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:
        platform = platforms.find(self.session, iss, None)
        return registration_for(platform) if platform else None

    def find_registration_by_params(
        self, iss: str, client_id: str | None, *args, **kwargs
    ) -> Registration | None:
        platform = platforms.find(self.session, iss, client_id)
        return registration_for(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args, **kwargs
    ) -> Deployment | None:
        platform = platforms.find(self.session, iss, client_id)
        if platform is None or not platforms.has_deployment(self.session, platform, deployment_id):
            return None
        return Deployment().set_deployment_id(deployment_id)

    def get_jwks(self, iss=None, client_id=None, **kwargs):
        return keys.jwks()["keys"]


class DatabaseLaunchStorage(LaunchDataStorage):
    """Launch-flow data in `lti_launch_data`; no session id (keys are random already)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def get_session_cookie_name(self) -> None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def _live(self, key: str) -> LtiLaunchData | None:
        row = self.session.get(LtiLaunchData, key[:255])
        if row is None or row.expires_at < time.time():
            return None
        return row

    def get_value(self, key: str) -> t.Any:
        row = self._live(key)
        return row.value.get("v") if row else None

    def set_value(self, key: str, value: t.Any, exp: int | None = None) -> None:
        expires = time.time() + min(exp or LAUNCH_DATA_SECONDS, LAUNCH_DATA_SECONDS)
        row = self.session.get(LtiLaunchData, key[:255])
        if row is None:
            row = LtiLaunchData(key=key[:255], value={"v": value}, expires_at=expires)
        else:
            row.value, row.expires_at = {"v": value}, expires
        self.session.add(row)
        self.session.flush()

    def check_value(self, key: str) -> bool:
        """Only nonces are checked: the check uses the nonce up (a DELETE that only one
        request can win), so the same id_token never launches twice."""
        result = self.session.execute(
            delete(LtiLaunchData).where(
                LtiLaunchData.key == key[:255], LtiLaunchData.expires_at >= time.time()
            )
        )
        return result.rowcount == 1


def prune(session: Session) -> int:
    """Forget expired launch-flow data (from `flask retention purge`)."""
    result = session.execute(delete(LtiLaunchData).where(LtiLaunchData.expires_at < time.time()))
    return result.rowcount


class LaunchCookies(FlaskCookieService):
    _cookie_prefix = "lti1p3"


def flask_request() -> FlaskRequest:
    return FlaskRequest()


def oidc_login(session: Session) -> FlaskOIDCLogin:
    request = flask_request()
    return FlaskOIDCLogin(
        request,
        DatabaseToolConf(session),
        cookie_service=LaunchCookies(request),
        launch_data_storage=DatabaseLaunchStorage(session),
    )


def message_launch(session: Session) -> FlaskMessageLaunch:
    request = flask_request()
    launch = FlaskMessageLaunch(
        request,
        DatabaseToolConf(session),
        cookie_service=LaunchCookies(request),
        launch_data_storage=DatabaseLaunchStorage(session),
    )
    # pylti1p3 skips the audience check by default; the client id must be ours.
    launch.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})
    return launch


def restored_launch(session: Session, launch_id: str) -> FlaskMessageLaunch:
    request = flask_request()
    return FlaskMessageLaunch.from_cache(
        launch_id,
        request,
        DatabaseToolConf(session),
        cookie_service=LaunchCookies(request),
        launch_data_storage=DatabaseLaunchStorage(session),
    )


class TimedSession(requests.Session):
    """Every call to a platform gives up after SERVICE_TIMEOUT_SECONDS."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", SERVICE_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


class ServiceConnector(FlaskServiceConnector):
    """Access tokens kept per registration (issuer, client id, token URL) and scopes."""

    access_tokens: t.ClassVar[dict] = {}  # our own, not pylti1p3's shared one

    def _scope_key(self, scopes: t.Iterable[str]) -> str:
        registration = self._registration
        parts = [
            registration.get_issuer() or "",
            registration.get_client_id() or "",
            registration.get_auth_token_url() or "",
            *sorted(scopes),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def make_service_request(self, scopes, url, **kwargs):
        try:
            return super().make_service_request(scopes, url, **kwargs)
        except LtiServiceException as error:
            if error.response.status_code != 401:
                raise
            self.__class__.access_tokens.pop(self._scope_key(sorted(scopes)), None)
            return super().make_service_request(scopes, url, **kwargs)


def service_connector(platform: LtiPlatform) -> ServiceConnector:
    return ServiceConnector(registration_for(platform), TimedSession())
