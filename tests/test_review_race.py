"""Real concurrent requests against gunicorn with 2 workers, on SQLite and PostgreSQL:
two supervisors deciding on the same post, and a double-clicked submit."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, func, select

from learner.models import EventKind, Level, PostStatus, PracticePost, SupervisionEvent
from tests.factories import (
    PASSWORD,
    add_supervisor,
    make_family,
    make_post,
    make_supervisor,
    set_level,
)
from tests.servers import Browserless, gunicorn

pytestmark = pytest.mark.slow
POSTS = 6


def _arrange(database_url: str):
    from app import create_app
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        family = make_family(session)
        second = make_supervisor(session)
        add_supervisor(session, family.group, second)
        set_level(session, family.teen_membership, Level.PERMIT)
        posts = [
            make_post(session, family.group, family.teen_membership, f"Race post {i}")
            for i in range(POSTS)
        ]
    # Nothing stays open if the test fails before its own checks.
    app.extensions["engine"].dispose()
    return app, family, second, posts


def _logged_in(url: str, login: str) -> Browserless:
    client = Browserless(url)
    status, _page = client.submit("/login", {"login": login, "password": PASSWORD})
    assert status == 302
    return client


def test_two_supervisors_deciding_at_once_make_exactly_one_decision(server_database_url, tmp_path):
    app, family, second, posts = _arrange(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        parent = _logged_in(server.url, family.parent.email)
        other = _logged_in(server.url, second.email)
        results = []
        for made in posts:
            path = f"/groups/{family.group.id}/posts/{made.id}/decision"
            tokens = {
                c: c.csrf_token(f"/groups/{family.group.id}/posts/{made.id}")
                for c in (parent, other)
            }
            start = threading.Barrier(2)

            def decide(client, data, path=path, tokens=tokens, start=start):
                start.wait()
                return client.request(path, {"csrf_token": tokens[client], "revision": "1", **data})

            with ThreadPoolExecutor(max_workers=2) as pool:
                approve = pool.submit(decide, parent, {"decision": "approved"})
                changes = pool.submit(
                    decide, other, {"decision": "changes", "note": "Please rethink"}
                )
                results.append((approve.result(), changes.result()))
    for (a_status, a_page), (c_status, c_page) in results:
        assert sorted([a_status, c_status]) == [302, 409], (a_status, c_status)
        loser = a_page if a_status == 409 else c_page
        assert "already" in loser
    with Session(app.extensions["engine"]) as session:
        for made, ((a_status, _a), _c) in zip(posts, results, strict=True):
            decisions = session.exec(
                select(SupervisionEvent.kind).where(
                    SupervisionEvent.post_id == made.id, SupervisionEvent.kind != EventKind.OPENED
                )
            ).all()
            assert len(decisions) == 1
            status = session.get(PracticePost, made.id).status
            expected = PostStatus.PUBLISHED if a_status == 302 else PostStatus.CHANGES
            assert status is expected and decisions[0] is (
                EventKind.APPROVED if a_status == 302 else EventKind.CHANGES_REQUESTED
            )
    app.extensions["engine"].dispose()


def test_a_double_clicked_submit_on_two_workers_makes_one_post(server_database_url, tmp_path):
    app, family, _second, posts = _arrange(server_database_url)
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        teen = _logged_in(server.url, family.teen.username)
        path = f"/groups/{family.group.id}/posts/new"
        token = teen.csrf_token(path)
        start = threading.Barrier(4)

        def send(_):
            start.wait()
            data = {
                "csrf_token": token,
                "body": "Clicked twice",
                "audience": "public",
                "token": "same-form-1",
                "action": "submit",
            }
            return teen.request(path, data)[0]

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(send, range(4)))
    assert statuses == [302] * 4
    with Session(app.extensions["engine"]) as session:
        made = session.exec(
            select(func.count(PracticePost.id)).where(PracticePost.author_id == family.teen.id)
        ).one()
    assert made == len(posts) + 1
    app.extensions["engine"].dispose()
