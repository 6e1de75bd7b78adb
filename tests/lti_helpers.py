"""Driving the LTI flow over HTTP: the tool through Flask's client, the platform on its port."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from tests.conftest import test_config
from tests.lti_platform import Platform, running_platform

TOOL_LAUNCH_URL = "http://localhost/lti/launch"


@pytest.fixture
def app(database_url: str, tmp_path) -> Iterator[Flask]:
    """The app on a fresh database, with its own tool keys."""
    app = create_app(test_config(database_url, LTI_KEY_FILE=str(tmp_path / "lti_keys.json")))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def platform(app) -> Iterator[Platform]:
    """The suite's platform on its port, with the tool registered in both directions."""
    with running_platform() as platform:
        connect(app, platform)
        yield platform


def register(app: Flask, platform: Platform, *extra: str, deployment_id: str | None = None):
    """`flask lti register` with the platform's values; returns the CLI result."""
    urls = platform.urls()
    return app.test_cli_runner().invoke(
        args=[
            "lti",
            "register",
            "--issuer",
            urls["issuer"],
            "--client-id",
            platform.client_id,
            "--deployment-id",
            deployment_id or platform.deployment_id,
            "--auth-login-url",
            urls["auth_login_url"],
            "--auth-token-url",
            urls["auth_token_url"],
            "--key-set-url",
            urls["key_set_url"],
            *extra,
        ]
    )


def connect(app: Flask, platform: Platform) -> None:
    """What a platform's admin does: register the tool, paste its URLs and keys."""
    platform.tool_launch_url = TOOL_LAUNCH_URL
    result = register(app, platform)
    assert result.exit_code == 0, result.output
    platform.tool_jwks = app.test_client().get("/lti/jwks.json").get_json()


@dataclass
class Posted:
    """What the platform's auth page posts back to the tool."""

    id_token: str
    state: str


def login_initiation(client: FlaskClient, params: dict) -> str:
    """POST the login initiation, go past the cookie check; the platform URL it sends us to."""
    check = client.post("/lti/login", data=params)
    assert check.status_code == 200, check.get_data(as_text=True)
    found = re.search(r'data-continue="([^"]+)"', check.get_data(as_text=True))
    assert found, "no cookie check page"
    answer = client.get(html.unescape(found.group(1)))
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return answer.headers["Location"]


def authorize(location: str) -> Posted:
    """Follow the redirect to the platform's auth endpoint; read the form it posts."""
    page = requests.get(location, timeout=10)
    assert page.status_code == 200, page.text
    token = re.search(r'name="id_token" value="([^"]+)"', page.text).group(1)
    state = re.search(r'name="state" value="([^"]+)"', page.text).group(1)
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    assert html.unescape(action) == TOOL_LAUNCH_URL
    return Posted(id_token=html.unescape(token), state=html.unescape(state))


def launch(client: FlaskClient, platform: Platform, sub: str, roles: list[str], **claims):
    """The whole flow: login initiation, the platform's auth, the launch POST."""
    location = login_initiation(client, platform.launch(sub, roles, **claims))
    assert urlsplit(location).netloc == urlsplit(platform.url).netloc
    posted = authorize(location)
    response = client.post("/lti/launch", data={"id_token": posted.id_token, "state": posted.state})
    return response, posted
