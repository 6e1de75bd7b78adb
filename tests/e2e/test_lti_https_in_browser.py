"""Over HTTPS, as in a school: the tool (https://127.0.0.1) inside the iframe of a course
page on another site (https://localhost), so the browser treats every tool cookie in the
frame as a third-party cookie.

The certificate is made for this run (self-signed, for both names); Chromium starts with
--ignore-certificate-errors, the tool trusts it for its calls to the platform through
REQUESTS_CA_BUNDLE. Chromium keeps only partitioned third-party cookies, so the launch
works in the frame only because the launch cookies and the session cookie are
`SameSite=None; Secure; Partitioned`. When the person's browser blocks the tool's cookies
inside the platform's pages (a site setting, written into the profile before Chromium
starts), the frame offers a new window, and the launch finishes there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import BrowserContext, Playwright, expect

from app import create_app
from tests.conftest import test_config
from tests.e2e.conftest import CHROMIUM, launch_in_iframe
from tests.factories import real_catalog
from tests.lti_helpers import register
from tests.lti_platform import LEARNER, Platform, running_platform
from tests.servers import LoopbackCertificate, Server, gunicorn, self_signed_certificate

MODULE = real_catalog().get("public-by-default")


@pytest.fixture
def certificate(tmp_path) -> LoopbackCertificate:
    return self_signed_certificate(tmp_path)


@pytest.fixture
def https_tool(server_database_url, tmp_path, certificate) -> Iterator[Server]:
    environment = {"REQUESTS_CA_BUNDLE": str(certificate.cert)}
    with gunicorn(
        server_database_url, tmp_path, workers=2, tls=certificate, environment=environment
    ) as server:
        yield server


@pytest.fixture
def https_platform(https_tool, server_database_url, certificate) -> Iterator[Platform]:
    """The suite's platform at https://localhost:<port>, registered with the tool."""
    with running_platform(host="localhost", tls=certificate) as platform:
        platform.tool_launch_url = https_tool.url + "/lti/launch"
        platform.tool_login_url = https_tool.url + "/lti/login"
        app = create_app(test_config(server_database_url))
        result = register(app, platform)
        assert result.exit_code == 0, result.output
        app.extensions["engine"].dispose()
        platform.tool_jwks = requests.get(
            https_tool.url + "/lti/jwks.json", timeout=10, verify=str(certificate.cert)
        ).json()
        yield platform


def chromium(playwright: Playwright, profile: Path, preferences: dict) -> BrowserContext:
    """Headless Chromium on a profile of its own, with these preferences."""
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences))
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=["--ignore-certificate-errors"],
    )


def test_an_https_launch_in_another_sites_iframe_signs_in_there(
    playwright, https_tool, https_platform, tmp_path, shot
):
    assert https_platform.url.startswith("https://localhost:")
    assert https_tool.url.startswith("https://127.0.0.1:")
    hint = https_platform.launch("student-1", [LEARNER], custom={"target": f"lesson/{MODULE.id}"})[
        "login_hint"
    ]
    context = chromium(playwright, tmp_path / "profile", {})
    try:
        page = context.new_page()
        launch_in_iframe(page, https_platform.url, hint, MODULE.title)
        shot(page, "lti-https-launch-in-iframe")
        cookies = {c["name"]: c for c in context.cookies(https_tool.url)}
        session_cookie = cookies["dessm_session"]
        assert session_cookie["sameSite"] == "None" and session_cookie["secure"]
        # Kept for the platform's site only (a partitioned cookie), which is why Chromium
        # keeps it in a third-party frame at all.
        assert session_cookie.get("partitionKey") == "https://localhost"
        state = [c for name, c in cookies.items() if name.startswith("lti1p3-state")]
        assert state and all(c["sameSite"] == "None" and c["secure"] for c in state)
        # The page outside the frame is the platform's, untouched.
        expect(page.locator("h1")).to_have_text("Digital Citizenship, period 2")
    finally:
        context.close()


def test_when_the_frame_may_not_keep_cookies_a_new_window_finishes_the_launch(
    playwright, https_tool, https_platform, tmp_path, shot
):
    hint = https_platform.launch("student-2", [LEARNER], custom={"target": f"lesson/{MODULE.id}"})[
        "login_hint"
    ]
    # The person's browser blocks the tool's cookies inside the platform's pages (and
    # only there), as "Block third-party cookies" for a site does.
    blocked = {f"{https_tool.url},{https_platform.url}": {"setting": 2}}
    preferences = {"profile": {"content_settings": {"exceptions": {"cookies": blocked}}}}
    context = chromium(playwright, tmp_path / "profile", preferences)
    try:
        page = context.new_page()
        page.goto(f"{https_platform.url}/course/{hint}")
        frame = page.frame_locator("iframe#tool")
        notice = frame.locator("#lti-cookie-blocked")
        expect(notice).to_be_visible(timeout=20_000)
        expect(notice.get_by_role("alert")).to_contain_text("does not keep our cookies")
        expect(frame.locator("#lti-cookie-wait")).to_be_hidden()
        shot(page, "lti-https-cookie-blocked")
        assert context.cookies(https_tool.url) == []
        with context.expect_page() as opened:
            notice.get_by_role("link", name="Open it in a new window").click()
        window = opened.value
        # The new window is the tool's own site: its cookies are first-party there, and the
        # platform's cross-site POST of the id_token brings the state cookie back only
        # because it is SameSite=None.
        expect(window.locator("h1")).to_have_text(MODULE.title, timeout=20_000)
        window.get_by_role("link", name="Lessons").first.click()
        expect(window.locator("h1")).to_have_text("Lessons", timeout=20_000)
        assert window.url.startswith(https_tool.url)
        session_cookie = {c["name"]: c for c in context.cookies(https_tool.url)}["dessm_session"]
        assert session_cookie["sameSite"] == "None" and session_cookie["secure"]
        # Still nothing of the tool's session in the frame.
        expect(frame.locator("#lti-cookie-blocked")).to_be_visible()
    finally:
        context.close()
