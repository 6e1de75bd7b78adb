"""The LTI and roster import pages run a fixed number of queries, whatever the data size."""

# ruff: noqa: F401, F811 - the `app` fixture comes from tests.lti_helpers

from __future__ import annotations

from learner.lti import platforms
from learner.models import GroupKind
from tests.factories import make_group, make_supervisor
from tests.helpers import QueryCounter, login
from tests.lti_helpers import app

MAX_QUERIES = 15


def _queries(app, client, url: str) -> int:
    with QueryCounter(app.extensions["engine"]) as counter:
        assert client.get(url).status_code == 200
    return counter.count


def _register(db, n: int) -> None:
    for i in range(n):
        platforms.register(
            session=db,
            issuer=f"https://lms{i}.example",
            client_id=f"client-{i}",
            deployment_id="d-1",
            auth_login_url=f"https://lms{i}.example/auth",
            auth_token_url=f"https://lms{i}.example/token",
            key_set_url=f"https://lms{i}.example/jwks",
        )
        platforms.register(
            session=db,
            issuer=f"https://lms{i}.example",
            client_id=f"client-{i}",
            deployment_id="d-2",
            auth_login_url=f"https://lms{i}.example/auth",
            auth_token_url=f"https://lms{i}.example/token",
            key_set_url=f"https://lms{i}.example/jwks",
        )
    db.commit()


def test_the_platforms_page_does_not_grow_with_the_platforms(app, db):
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    client = app.test_client()
    login(client, admin)
    _register(db, 1)
    small = _queries(app, client, "/admin/lti/")
    _register(db, 8)
    assert _queries(app, client, "/admin/lti/") == small <= MAX_QUERIES


def test_the_class_choice_does_not_grow_with_the_teachers_classes(app, db):
    teacher = make_supervisor(db)
    make_group(db, teacher, kind=GroupKind.CLASSROOM)
    client = app.test_client()
    login(client, teacher)
    with client.session_transaction() as session:
        session["lti_context"] = {"issuer": "https://lms.example", "id": "c-1", "title": "Course"}
    small = _queries(app, client, "/lti/class")
    for _ in range(8):
        make_group(db, teacher, kind=GroupKind.CLASSROOM)
    assert _queries(app, client, "/lti/class") == small <= MAX_QUERIES


def test_the_roster_import_page_does_not_grow_with_the_classes(app, db):
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    client = app.test_client()
    login(client, admin)
    small = _queries(app, client, "/admin/oneroster/")
    for _ in range(8):
        make_group(db, admin, kind=GroupKind.CLASSROOM)
    assert _queries(app, client, "/admin/oneroster/") == small <= MAX_QUERIES
