"""A real browser (Debian's Chromium driven by Playwright) against a real gunicorn server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.servers import Server, gunicorn

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the machine (Playwright's own download cannot work here)."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
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
