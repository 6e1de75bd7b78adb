"""A real browser (Debian's Chromium driven by Playwright) against a real gunicorn server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, Playwright, expect, sync_playwright

from tests.servers import Server, gunicorn

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """One Playwright per test process: its sync API cannot be started twice in one."""
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium from the machine (Playwright's own download cannot work here)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: `make test` installs Debian's chromium package")
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def live_server(server_database_url, tmp_path) -> Iterator[Server]:
    """The app served by gunicorn with 2 workers on a fresh database."""
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        yield server


@pytest.fixture
def shot(request):
    """Save a screenshot under tests/e2e/artifacts/, named after the test and the backend."""
    ARTIFACTS.mkdir(exist_ok=True)
    backend = request.node.callspec.params.get("server_database_url", "db")

    def save(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}-{backend}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def launch_in_iframe(page: Page, platform_url: str, hint: str, title: str) -> FrameLocator:
    """Open the platform's course page for a launch and check the tool's page with `title`
    came up signed in inside the platform's iframe: the next page opens there too."""
    page.goto(f"{platform_url}/course/{hint}")
    frame = page.frame_locator("iframe#tool")
    expect(frame.locator("h1")).to_have_text(title, timeout=20_000)
    frame.get_by_role("link", name="Lessons").first.click()
    expect(frame.locator("h1")).to_have_text("Lessons", timeout=20_000)
    return frame
