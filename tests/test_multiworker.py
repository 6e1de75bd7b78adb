"""Behaviour that must hold across gunicorn workers: shared throttling and session ends,
and requests that must leave the worker alive."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session

from learner.core import throttle
from tests.factories import PASSWORD, arrange_family, make_group, make_supervisor
from tests.servers import Browserless, crashes, gunicorn

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


def test_changing_the_password_answers_normally_and_keeps_the_session(
    server_database_url, tmp_path
):
    family = arrange_family(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        client = Browserless(server.url)
        client.submit("/login", {"login": family.parent.email, "password": PASSWORD})
        new = "a brand new passphrase 42"
        status, _page = client.submit(
            "/account/password",
            {"current_password": PASSWORD, "password": new, "confirm": new},
        )
        assert status == 302
        # The same browser stays logged in (a fresh session), whichever worker answers.
        assert {client.request("/dashboard")[0] for _ in range(6)} == {200}
        status, _page = Browserless(server.url).submit(
            "/login", {"login": family.parent.email, "password": new}
        )
        assert status == 302
        lines = server.log_lines()
    assert any(" POST /account/password 302" in line for line in lines)
    # gunicorn() itself fails the test if a worker died; say so here too for the reader.
    assert crashes((tmp_path / "gunicorn.log").read_text()) == []


def test_a_crashed_worker_is_noticed():
    log = "[ERROR] Worker (pid:4242) was sent SIGSEGV!\n[CRITICAL] WORKER TIMEOUT (pid:7)"
    assert len(crashes(log)) == 2
    assert crashes("[ERROR] Worker (pid:1) was sent SIGKILL! Perhaps out of memory?") != []
    assert crashes("[ERROR] Worker (pid:1) was sent SIGKILL!", kills_expected=True) == []
    assert crashes("[INFO] Handling signal: term\n[INFO] Worker exiting (pid: 3)") == []


def _arrange_classroom(database_url: str) -> str:
    """A class with its join code open, written straight to the server's database."""
    from app import create_app
    from learner.models import GroupKind
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        code = make_group(session, make_supervisor(session), kind=GroupKind.CLASSROOM).join_code
    app.extensions["engine"].dispose()
    return code


def _join(server_url: str, code: str, n: int) -> int:
    fields = {
        "code": code,
        "username": f"student.{n}",
        "display_name": f"Student {n}",
        "age_band": "13_15",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    return Browserless(server_url).submit("/join", fields)[0]


def test_a_class_of_35_joins_from_one_address_while_guessing_stays_throttled(
    server_database_url, tmp_path
):
    code = _arrange_classroom(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        with ThreadPoolExecutor(max_workers=2) as pool:
            joined = list(pool.map(lambda n: _join(server.url, code, n), range(35)))
            guesses = list(
                pool.map(lambda n: _join(server.url, "WRONG" + code[5:], 100 + n), range(34))
            )
        after = _join(server.url, code, 200)
        lines = server.log_lines()
    # Right codes never count: every student of the class gets in from the one address.
    assert joined == [302] * 35
    # Wrong ones do, in the database, whichever worker answered: exactly 30, then a wait.
    assert guesses.count(400) == throttle.JOIN_CODE_LIMIT and guesses.count(429) == 4
    assert after == 429, "while the address must wait, even the right code waits"
    assert len(_pids(lines, "/join")) == 2, "both workers must have served joins"


def test_documented_limits_hold_across_two_workers(server_database_url, tmp_path):
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        client = Browserless(server.url)
        # Four at a time, so both sync workers take some: each counts in the same table.
        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(
                pool.map(lambda _: client.request("/verify?code=NOSUCHCODE")[0], range(35))
            )
        lines = server.log_lines()
    # 30 per minute per address, counted in the database: exactly 5 of 35 are refused.
    # (an unknown code is a 404: the check itself ran for the other 30)
    assert statuses.count(429) == 5 and statuses.count(404) == 30
    assert len({line.split()[0] for line in lines if " /verify" in line}) == 2
