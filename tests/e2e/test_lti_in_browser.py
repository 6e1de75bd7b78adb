"""A real browser launches the tool inside an iframe of a course page on another origin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from app import create_app
from tests.conftest import test_config
from tests.e2e.conftest import launch_in_iframe
from tests.factories import real_catalog
from tests.lti_helpers import register
from tests.lti_platform import LEARNER, Platform, running_platform
from tests.servers import Server

MODULE = real_catalog().get("public-by-default")


@pytest.fixture
def connected(live_server: Server, server_database_url: str) -> Iterator[Platform]:
    """The suite's platform on its own port, registered with the running tool."""
    with running_platform() as platform:
        platform.tool_launch_url = live_server.url + "/lti/launch"
        platform.tool_login_url = live_server.url + "/lti/login"
        app = create_app(test_config(server_database_url))
        result = register(app, platform)
        assert result.exit_code == 0, result.output
        app.extensions["engine"].dispose()
        platform.tool_jwks = requests.get(live_server.url + "/lti/jwks.json", timeout=10).json()
        yield platform


def test_a_launch_in_the_platforms_iframe_opens_the_lesson(browser, live_server, connected, shot):
    hint = connected.launch("student-1", [LEARNER], custom={"target": f"lesson/{MODULE.id}"})[
        "login_hint"
    ]
    page = browser.new_page()
    launch_in_iframe(page, connected.url, hint, MODULE.title)
    shot(page, "lti-launch-in-iframe")
    page.close()


def test_another_origin_cannot_frame_the_tool(browser, live_server, connected):
    hint = connected.launch("student-2", [LEARNER])["login_hint"]
    # The same course page served from an origin that is not registered ("localhost"
    # instead of 127.0.0.1): the tool's answer forbids the frame.
    page = browser.new_page()
    with page.expect_console_message(
        lambda message: "frame-ancestors" in message.text, timeout=20_000
    ) as refused:
        page.goto(connected.url.replace("127.0.0.1", "localhost") + f"/course/{hint}")
    assert connected.url in refused.value.text  # the only origin allowed to frame it
    # Nothing of the tool shows in the frame (the browser puts its own error page there).
    tool_frames = [f for f in page.frames if f != page.main_frame]
    assert tool_frames and all(
        f.get_by_text("Opening the lesson").count() == 0 for f in tool_frames
    )
    page.close()
