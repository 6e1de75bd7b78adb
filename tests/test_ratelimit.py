"""Rate-limit counters in the database: Flask-Limiter's fixed windows, shared by workers."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest
from flask_login import current_user

from learner.core import ratelimit, sessions
from learner.models import RateCounter
from tests.factories import make_family
from tests.helpers import count_rows, login

VIEWS = Path(__file__).resolve().parent.parent / "learner" / "views"


def test_counts_expire_and_restart(app, db):
    storage = ratelimit.DatabaseStorage("database://")
    with app.app_context():
        assert [storage.incr("k", expiry=60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("k") == 3 and storage.get("other") == 0
        assert time.time() < storage.get_expiry("k") <= time.time() + 60
        assert storage.incr("short", expiry=0) == 1
        # A window that has run out starts again from the new hit.
        assert storage.get("short") == 0 and storage.incr("short", expiry=60) == 1
        storage.clear("k")
        assert storage.get("k") == 0 and storage.check()
        assert ratelimit.prune(app.extensions["engine"], now=time.time() + 61) == 1
    assert count_rows(db, RateCounter) == 0


def _limited_app(database_url: str):
    from app import create_app
    from tests.conftest import test_config

    return create_app(test_config(database_url, RATELIMIT_ENABLED=True))


def test_the_limits_use_the_database_by_default(database_url):
    app = _limited_app(database_url)
    assert isinstance(next(iter(app.extensions["limiter"])).storage, ratelimit.DatabaseStorage)
    app.extensions["engine"].dispose()


def test_a_limit_holds_across_two_apps_on_one_database(app, db):
    """Two workers (here: two apps) share the counter; memory:// would allow 30 each."""
    apps = [_limited_app(app.config["DATABASE_URL"]) for _ in range(2)]
    clients = [each.test_client() for each in apps]
    statuses = [clients[n % 2].get("/verify").status_code for n in range(32)]
    for each in apps:
        each.extensions["engine"].dispose()
    assert statuses[:30] == [200] * 30 and statuses[30:] == [429, 429]
    assert count_rows(db, RateCounter) == 1


def test_a_visitor_cannot_flood_the_coach_through_the_try_out(app, db):
    limited = _limited_app(app.config["DATABASE_URL"])
    client = limited.test_client()
    page = client.get("/try").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    headers = {"X-CSRFToken": token}
    statuses = [
        client.post("/try/check", json={"text": "hi"}, headers=headers).status_code
        for _ in range(121)
    ]
    limited.extensions["engine"].dispose()
    assert statuses[:120] == [200] * 120 and statuses[120] == 429


def test_starting_a_session_refuses_the_login_proxy(app, client, db):
    family = make_family(db)
    login(client, family.parent)
    with app.test_request_context():
        sessions.start(family.parent)  # the real object is fine
        with pytest.raises(TypeError):
            sessions.start(current_user)


def test_views_never_hold_the_login_proxy():
    """Views pass `acting_user()` on; the proxy handed to login_user crashed the worker."""
    users = []
    for path in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(path.read_text())
        users += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "current_user"
        ]
    assert users == []


def test_the_coach_s_live_hints_are_counted_for_a_signed_in_person(app, db):
    """A limited POST of a signed-in person: on SQLite the request's session must not hold
    the write lock while the limit counts the hit (it did: every live hint was a 503)."""
    from tests.factories import make_family
    from tests.helpers import csrf_token, login

    family = make_family(db)
    limited = _limited_app(app.config["DATABASE_URL"])
    client = limited.test_client()
    with limited.test_request_context():
        login(client, family.teen)
    token = csrf_token(client)
    response = client.post(
        "/coach/check", json={"text": "text me 555-201-3344"}, headers={"X-CSRFToken": token}
    )
    limited.extensions["engine"].dispose()
    assert response.status_code == 200
    assert "privacy.phone" in response.get_json()["categories"]
    assert count_rows(db, RateCounter) == 1
