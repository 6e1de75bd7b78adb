"""Behaviour that must hold across gunicorn workers: shared throttling and session ends."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from learner import throttle
from tests.helpers import PASSWORD, arrange_family
from tests.servers import Browserless, gunicorn

pytestmark = pytest.mark.slow


def _pids(lines: list[str], path: str) -> set[str]:
    return {line.split()[0] for line in lines if f"POST {path} " in line}


def test_login_throttle_holds_across_two_workers(server_database_url, tmp_path):
    family = arrange_family(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:

        def attempt(password: str) -> int:
            client = Browserless(server.url)
            return client.submit("/login", {"login": family.teen.username, "password": password})[0]

        with ThreadPoolExecutor(max_workers=2) as pool:
            failures = list(pool.map(attempt, ["wrong password"] * throttle.ACCOUNT_LIMIT))
            after = list(pool.map(attempt, [PASSWORD] * 6))
        lines = server.log_lines()
    assert set(failures) == {401}
    # Per-process counters would let some of these through on the other worker.
    assert after == [429] * 6
    assert len(_pids(lines, "/login")) == 2, "both workers must have served logins"


def test_logout_on_one_worker_ends_the_session_on_the_other(server_database_url, tmp_path):
    family = arrange_family(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        client = Browserless(server.url)
        status, _page = client.submit(
            "/login", {"login": family.parent.email, "password": PASSWORD}
        )
        assert status == 302
        captured = list(client.cookies)
        token = client.csrf_token("/account")
        assert client.request("/logout", {"csrf_token": token})[0] == 302
        replay = Browserless(server.url)
        for cookie in captured:
            replay.cookies.set_cookie(cookie)
        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = set(pool.map(lambda _: replay.request("/dashboard")[0], range(8)))
    # Whichever worker answers, the captured cookie no longer logs anyone in.
    assert statuses == {302}
