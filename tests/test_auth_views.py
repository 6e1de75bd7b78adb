"""Signing up, logging in and out through the real forms, and what old cookies can do."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from learner.core import throttle
from learner.models import AuthFailure, User
from tests.factories import PASSWORD, make_family, make_supervisor
from tests.helpers import count_rows, csrf_token, login, post, reload

SIGNUP = {
    "kind": "parent",
    "display_name": "Maria",
    "email": "maria@example.com",
    "password": "orbit lantern quiet",
    "confirm": "orbit lantern quiet",
    "adult": "y",
}


def log_in(client, login_name, password=PASSWORD, **kwargs):
    return post(client, "/login", {"login": login_name, "password": password}, **kwargs)


def test_signup_logs_in_and_offers_to_create_the_family(client, db):
    response = post(client, "/signup", SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"] == "/groups/new?kind=family"
    user = db.exec(select(User).where(User.email == "maria@example.com")).one()
    assert user.kind == "parent" and user.password_hash.startswith("$argon2id$")
    assert "Hello, Maria" in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"email": "not-an-email"}, "Invalid email"),
        ({"password": "short", "confirm": "short"}, "at least 10"),
        ({"confirm": "something else"}, "differ"),
        ({"adult": ""}, "for adults"),
        ({"kind": "learner"}, "Not a valid choice"),
        ({"display_name": "x" * 81}, "80 characters"),
    ],
)
def test_bad_signup_shows_the_error_and_saves_nothing(client, db, change, field_message):
    response = post(client, "/signup", {**SIGNUP, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_message in page and 'aria-invalid="true"' in page
    assert count_rows(db, User) == 0


def test_signup_with_a_taken_email_says_so_next_to_the_field(client, db):
    existing = make_supervisor(db)
    response = post(client, "/signup", {**SIGNUP, "email": existing.email.upper()})
    assert response.status_code == 400
    assert 'id="email-error">An account with this e-mail already exists.' in response.get_data(
        as_text=True
    )
    assert count_rows(db, User) == 1


def test_log_in_by_email_and_by_username_through_the_form(client, db):
    family = make_family(db)
    response = log_in(client, family.teen.username.upper())
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Hello, " + family.teen.display_name in client.get("/dashboard").get_data(as_text=True)
    post(client, "/logout")
    assert log_in(client, family.parent.email).status_code == 302


def test_wrong_password_is_a_401_with_a_message(client, db):
    family = make_family(db)
    response = log_in(client, family.parent.email, "not the password")
    assert response.status_code == 401
    assert "That login and password do not match." in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_repeated_failures_get_a_429_with_a_wait_time(client, db):
    family = make_family(db)
    for _ in range(throttle.ACCOUNT_LIMIT):
        assert log_in(client, family.teen.username, "wrong wrong").status_code == 401
    response = log_in(client, family.teen.username)  # even the right password waits
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 600
    assert "Wait 10 minute(s)" in response.get_data(as_text=True)
    assert count_rows(db, AuthFailure) == 2 * throttle.ACCOUNT_LIMIT


def test_next_redirects_only_within_the_site(client, db):
    family = make_family(db)
    for target, expected in [
        ("/account", "/account"),
        ("https://evil.example/", "/dashboard"),
        ("//evil.example/x", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
    ]:
        login_url = "/login?next=" + target
        response = post(client, login_url, {"login": family.parent.email, "password": PASSWORD})
        assert response.headers["Location"] == expected, target
        post(client, "/logout")


def test_protected_pages_send_visitors_to_log_in_and_back(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_is_post_only(client, db):
    login(client, make_family(db).parent)
    assert client.get("/logout").status_code == 405
    assert client.get("/dashboard").status_code == 200


def test_a_cookie_captured_before_logout_no_longer_works(client, db):
    family = make_family(db)
    log_in(client, family.parent.email)
    captured = client.get_cookie("dessm_session").value
    assert client.get("/dashboard").status_code == 200
    post(client, "/logout")
    client.set_cookie("dessm_session", captured)
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_password_change_ends_other_sessions_but_not_this_one(app, db):
    family = make_family(db)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, family.parent.email)
    log_in(phone, family.parent.email)
    response = post(
        laptop,
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "orbit lantern quiet",
            "confirm": "orbit lantern quiet",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/dashboard").status_code == 200
    assert phone.get("/dashboard").status_code == 302


def test_deactivation_ends_the_session_at_once(client, db):
    family = make_family(db)
    log_in(client, family.teen.username)
    assert client.get("/dashboard").status_code == 200
    family.teen.active = False
    db.add(family.teen)
    db.commit()
    assert client.get("/dashboard").status_code == 302


def test_login_starts_a_new_session(client, db):
    family = make_family(db)
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, family.parent.email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == family.parent.get_id()


@pytest.mark.parametrize(("key", "age"), [("seen_at", 61 * 60), ("auth_at", 13 * 3600)])
def test_sessions_end_after_idle_and_absolute_timeouts(client, db, key, age):
    login(client, make_family(db).parent)
    assert client.get("/dashboard").status_code == 200
    with client.session_transaction() as session:
        session[key] = int(time.time()) - age
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_session_cookie_flags(client, db):
    family = make_family(db)
    response = log_in(client, family.parent.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app, db):
    family = make_family(db)
    client = app.test_client()
    token = csrf_token(client)
    response = client.post(
        "/login",
        base_url="https://localhost",
        data={"csrf_token": token, "login": family.parent.email, "password": PASSWORD},
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_helper_switches_users_cleanly(client, db):
    family = make_family(db)
    login(client, family.parent)
    assert "Hello, " + family.parent.display_name in client.get("/dashboard").get_data(as_text=True)
    login(client, family.teen)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, " + family.teen.display_name in page
    assert family.parent.display_name not in page


def test_account_settings_save_name_and_language(client, db):
    family = make_family(db)
    login(client, family.parent)
    response = post(client, "/account", {"display_name": "Mum", "locale": "en"})
    assert response.status_code == 302
    reload(db, family.parent)
    assert (family.parent.display_name, family.parent.locale) == ("Mum", "en")
    assert post(client, "/account", {"display_name": "", "locale": "en"}).status_code == 400
    assert post(client, "/account", {"display_name": "X", "locale": "xx"}).status_code == 400
