"""The security baseline: CSRF, headers, size limits, hosts, rate limits and error pages."""

from __future__ import annotations

import pytest

from app import create_app
from learner.models import Membership, User
from tests.conftest import test_config
from tests.factories import make_family, make_supervisor
from tests.helpers import count_rows, login, post


def test_post_without_csrf_token_is_refused_and_saves_nothing(client, db):
    parent = make_supervisor(db)
    login(client, parent)
    response = client.post("/groups/new", data={"kind": "family", "name": "No token"})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert count_rows(db, Membership) == 0


def test_login_form_needs_csrf_too(client, db):
    family = make_family(db)
    response = client.post("/login", data={"login": family.parent.email, "password": "x" * 12})
    assert response.status_code == 400


def test_security_headers_on_every_page(client):
    for url in ("/", "/login", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers


def test_hsts_only_over_https(client):
    headers = client.get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_templates_have_no_inline_script_or_style(client, db):
    login(client, make_family(db).parent)
    for url in ("/", "/dashboard", "/groups/1", "/account"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "onclick" not in page


def test_oversized_request_gets_a_413_page(client):
    response = client.post("/login", data={"login": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_unknown_page_is_a_404_in_the_site_layout(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Skip to content" in page


def test_an_unexpected_error_shows_a_500_page_without_details(database_url):
    app = create_app(test_config(database_url, PROPAGATE_EXCEPTIONS=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page
    app.extensions["engine"].dispose()


def test_untrusted_host_is_refused(database_url):
    app = create_app(test_config(database_url, TRUSTED_HOSTS=["drivers-ed.example"]))
    client = app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", base_url="http://drivers-ed.example").status_code == 200
    app.extensions["engine"].dispose()


def test_app_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": ""})


def test_secret_key_is_read_from_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "secret_key").write_text("kept-between-runs\n")
    from flask import Flask

    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path))
    app = create_app()
    assert app.config["SECRET_KEY"] == "kept-between-runs"
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'app.db'}"
    app.extensions["engine"].dispose()


def test_signup_is_rate_limited_per_address(database_url):
    app = create_app(test_config(database_url, RATELIMIT_ENABLED=True))
    client = app.test_client()
    statuses = [post(client, "/signup", {"email": "bad"}).status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429
    app.extensions["engine"].dispose()


def test_site_admin_sees_counts_but_no_learner_pages(client, db):
    family = make_family(db)
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    login(client, admin)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Accounts" in page and "Deactivated" in page
    assert client.get(f"/groups/{family.group.id}").status_code == 404
    assert count_rows(db, User) == 3


@pytest.mark.parametrize(
    "url",
    [
        "/groups/99999999999999999999999",
        "/groups/1/members/99999999999999999999/progress",
        "/brand/99999999999999999999/avatar",
        "/lessons/public-by-default/attempts/99999999999999999999",
    ],
)
def test_ids_too_large_for_the_database_are_simply_not_found(client, db, url):
    login(client, make_family(db).parent)
    assert client.get(url).status_code == 404


def test_admin_search_treats_wildcards_as_text_and_pages_are_bounded(client, db):
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    make_family(db)
    login(client, admin)
    page = client.get("/admin/users?q=_").get_data(as_text=True)
    assert "No account matches" in page
    assert client.get("/admin/users?page=1000000000000000000").status_code == 200


def test_deactivation_posts_the_state_it_wants(client, db):
    family = make_family(db)
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    login(client, admin)
    url = f"/admin/users/{family.teen.id}/active"
    assert post(client, url, {"active": "0"}).status_code == 302
    assert post(client, url, {"active": "0"}).status_code == 302  # a second tab: still off
    db.rollback()
    db.refresh(family.teen)
    assert family.teen.active is False
    assert post(client, url, {}).status_code == 400
