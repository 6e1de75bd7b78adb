"""LTI 1.3 against the suite's own platform, over HTTP: keys, registration, login, launch."""

# ruff: noqa: F401, F811 - the `app` and `platform` fixtures come from tests.lti_helpers

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from app import create_app
from learner.core.db import utc_now
from learner.models import (
    AgeBand,
    Group,
    GroupKind,
    LtiContext,
    LtiDeployment,
    LtiIdentity,
    LtiPlatform,
    Membership,
    Role,
    User,
)
from tests.conftest import test_config
from tests.factories import make_group, make_supervisor
from tests.helpers import count_rows, csrf_token, login, snapshot
from tests.lti_helpers import app, authorize, launch, login_initiation, platform, register
from tests.lti_platform import INSTRUCTOR, LEARNER, running_platform

LESSON = "public-by-default"


# --- Keys and registration ---------------------------------------------------------------


def test_jwks_publishes_the_public_key_with_a_kid_and_no_private_part(app, tmp_path):
    keys = app.test_client().get("/lti/jwks.json").get_json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kid"] and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert "d" not in keys[0] and "p" not in keys[0]
    stored = json.loads((tmp_path / "lti_keys.json").read_text())
    assert stored["keys"][0]["kid"] == keys[0]["kid"]
    assert (tmp_path / "lti_keys.json").stat().st_mode & 0o077 == 0
    # Made once: a second app on the same file publishes the same key.
    again = create_app(
        test_config(app.config["DATABASE_URL"], LTI_KEY_FILE=str(tmp_path / "lti_keys.json"))
    )
    assert again.test_client().get("/lti/jwks.json").get_json()["keys"] == keys


def test_rotating_the_key_keeps_the_previous_one_published(app):
    client = app.test_client()
    first = client.get("/lti/jwks.json").get_json()["keys"][0]["kid"]
    result = app.test_cli_runner().invoke(args=["lti", "rotate-key"])
    assert result.exit_code == 0, result.output
    kids = [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]]
    assert len(kids) == 2 and kids[1] == first and kids[0] in result.output
    app.test_cli_runner().invoke(args=["lti", "rotate-key"])
    newer = [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]]
    assert len(newer) == 2 and newer[1] == kids[0] and first not in newer


def test_register_is_idempotent_and_takes_more_deployments_and_client_ids(app, db):
    with running_platform() as platform:
        assert "Registered" in register(app, platform).output
        assert "registered already" in register(app, platform).output
        assert count_rows(db, LtiPlatform) == 1 and count_rows(db, LtiDeployment) == 1
        assert "Added deployment" in register(app, platform, deployment_id="district-2").output
        assert count_rows(db, LtiDeployment) == 2
        platform.client_id = "second-client"
        register(app, platform)
        assert count_rows(db, LtiPlatform) == 2
        show = app.test_cli_runner().invoke(args=["lti", "show"])
    assert show.exit_code == 0
    for path in ("/lti/login", "/lti/launch", "/lti/jwks.json"):
        assert path in show.output
    assert "second-client" in show.output


def test_register_refuses_a_url_that_is_not_one(app, db):
    with running_platform() as platform:
        platform.url = "ftp://nowhere"
        result = register(app, platform)
    assert result.exit_code != 0 and "http" in result.output
    assert count_rows(db, LtiPlatform) == 0


def test_the_site_admin_registers_a_platform_on_the_admin_page(app, db):
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    client = app.test_client()
    login(client, admin)
    page = client.get("/admin/lti/")
    assert page.status_code == 200 and "http://localhost/lti/jwks.json" in page.get_data(
        as_text=True
    )
    values = {
        "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000001",
        "deployment_id": "1:abc",
        "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "key_set_url": "not a url",
        "csrf_token": csrf_token(client),
    }
    refused = client.post("/admin/lti/", data=values)
    assert refused.status_code == 400
    assert "Enter a full http or https address." in refused.get_data(as_text=True)
    assert count_rows(db, LtiPlatform) == 0
    values["key_set_url"] = "https://sso.canvaslms.com/api/lti/security/jwks"
    assert client.post("/admin/lti/", data=values).status_code == 302
    assert client.post("/admin/lti/", data=values).status_code == 302
    assert count_rows(db, LtiPlatform) == 1 and count_rows(db, LtiDeployment) == 1
    assert "10000000000001" in client.get("/admin/lti/").get_data(as_text=True)


# --- Launches ----------------------------------------------------------------------------


def test_a_student_launch_signs_in_a_new_account_and_opens_the_linked_lesson(app, db, platform):
    client = app.test_client()
    response, _posted = launch(
        client, platform, "student-7", [LEARNER], custom={"target": f"lesson/{LESSON}"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/lessons/{LESSON}"
    identity = db.exec(select(LtiIdentity)).one()
    assert identity.issuer == platform.issuer and identity.sub == "student-7"
    user = db.get(User, identity.user_id)
    assert user.email is None and user.display_name.startswith("Student")
    lesson = client.get(f"/lessons/{LESSON}")
    assert lesson.status_code == 200
    # Inside the platform's frame: framed by the platform only, never by anyone else.
    csp = lesson.headers["Content-Security-Policy"]
    assert f"frame-ancestors {platform.url}" in csp and "X-Frame-Options" not in lesson.headers


def test_the_same_sub_is_the_same_person_and_an_email_alone_matches_no_one(app, db, platform):
    first, _ = launch(
        app.test_client(), platform, "s-1", [LEARNER], email="sam@school.test", name="Sam Lee"
    )
    again, _ = launch(app.test_client(), platform, "s-1", [LEARNER], email="sam@school.test")
    other, _ = launch(app.test_client(), platform, "s-2", [LEARNER], email="sam@school.test")
    assert first.status_code == again.status_code == other.status_code == 303
    assert count_rows(db, User) == 2 and count_rows(db, LtiIdentity) == 2
    names = sorted(u.display_name for u in db.exec(select(User)).all())
    assert "Sam Lee" in names


def test_a_teachers_first_launch_makes_the_class_and_students_join_it(app, db, platform):
    teacher, _ = launch(app.test_client(), platform, "t-1", [INSTRUCTOR], name="Ms Rivera")
    assert teacher.status_code == 303 and teacher.headers["Location"] == "/dashboard"
    context = db.exec(select(LtiContext)).one()
    group = db.get(Group, context.group_id)
    assert group.name == "Digital Citizenship, period 2"
    db.rollback()  # a fresh read of what the app writes next
    student, _ = launch(app.test_client(), platform, "s-1", [LEARNER])
    assert student.status_code == 303
    roles = sorted(
        m.role for m in db.exec(select(Membership).where(Membership.group_id == group.id))
    )
    assert roles == sorted([Role.SUPERVISOR, Role.LEARNER])
    # Launching again adds nobody twice.
    db.rollback()
    launch(app.test_client(), platform, "s-1", [LEARNER])
    assert count_rows(db, Membership) == 2 and count_rows(db, Group) == 1


def test_a_teacher_with_classes_links_the_course_to_one_of_them(app, db, platform):
    client = app.test_client()
    launch(client, platform, "t-1", [INSTRUCTOR], context_id="course-A")
    owner = db.exec(select(User)).one()
    existing = make_group(db, owner, kind=GroupKind.CLASSROOM)
    existing.name = "Period 3 (made by hand)"
    db.add(existing)
    db.commit()
    response, _ = launch(client, platform, "t-1", [INSTRUCTOR], context_id="course-B")
    assert response.status_code == 303 and response.headers["Location"] == "/lti/class"
    page = client.get("/lti/class")
    assert page.status_code == 200 and "Period 3 (made by hand)" in page.get_data(as_text=True)
    assert client.post("/lti/class", data={"csrf_token": csrf_token(client)}).status_code == 400
    done = client.post(
        "/lti/class", data={"csrf_token": csrf_token(client), "group": str(existing.id)}
    )
    assert done.status_code == 302
    linked = db.exec(select(LtiContext).where(LtiContext.context_id == "course-B")).one()
    assert linked.group_id == existing.id and count_rows(db, Group) == 2
    assert client.get("/lti/class").status_code == 404


@pytest.mark.parametrize(
    ("tamper", "status", "says"),
    [
        ("wrong_aud", 403, "not registered"),
        ("expired", 401, "expired"),
        ("unknown_kid", 401, "key the platform does not publish"),
        ("bad_signature", 401, "signature does not check out"),
        ("wrong_deployment", 403, "deployment"),
    ],
)
def test_a_bad_id_token_is_refused_clearly_and_creates_nothing(
    app, db, platform, tamper, status, says
):
    client = app.test_client()
    posted = authorize(
        login_initiation(client, platform.launch("s-1", [INSTRUCTOR], tamper=tamper))
    )
    db.rollback()
    before = snapshot(db)
    response = client.post("/lti/launch", data={"id_token": posted.id_token, "state": posted.state})
    assert response.status_code == status
    assert says in response.get_data(as_text=True)
    assert snapshot(db) == before


def test_a_replayed_id_token_is_refused_and_creates_nothing_more(app, db, platform):
    client = app.test_client()
    first, posted = launch(client, platform, "s-1", [LEARNER])
    assert first.status_code == 303
    db.rollback()
    before = snapshot(db)
    replay = app.test_client()
    replay.set_cookie(f"lti1p3-{posted.state}", posted.state)
    again = replay.post("/lti/launch", data={"id_token": posted.id_token, "state": posted.state})
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)
    assert snapshot(db) == before


def test_a_launch_without_the_state_cookie_is_refused(app, db, platform):
    location = login_initiation(app.test_client(), platform.launch("s-1", [LEARNER]))
    posted = authorize(location)
    db.rollback()
    before = snapshot(db)
    stranger = app.test_client()  # another browser: no state cookie
    answer = stranger.post("/lti/launch", data={"id_token": posted.id_token, "state": posted.state})
    assert answer.status_code == 400 and "cookie" in answer.get_data(as_text=True)
    assert snapshot(db) == before


def test_login_initiation_from_an_unknown_platform_is_refused(app, platform):
    client = app.test_client()
    params = platform.launch("s-1", [LEARNER]) | {"iss": "https://unknown.example"}
    answer = client.post("/lti/login", data=params)
    assert answer.status_code == 403 and "not registered" in answer.get_data(as_text=True)


def test_launch_pages_may_be_framed_by_registered_platforms_only(app, platform):
    client = app.test_client()
    check = client.post("/lti/login", data=platform.launch("s-1", [LEARNER]))
    assert f"frame-ancestors {platform.url}" in check.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in check.headers
    plain = client.get("/login")
    assert "frame-ancestors 'none'" in plain.headers["Content-Security-Policy"]
    assert plain.headers["X-Frame-Options"] == "DENY"


def test_the_state_cookie_is_samesite_none_and_secure_over_https(app, platform):
    client = app.test_client()
    params = platform.launch("s-1", [LEARNER]) | {"lti1p3_new_window": "1"}
    answer = client.post("/lti/login", data=params, base_url="https://localhost")
    cookie = next(v for v in answer.headers.getlist("Set-Cookie") if v.startswith("lti1p3-state"))
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie


def test_a_deactivated_account_cannot_launch_and_an_erased_one_starts_afresh(app, db, platform):
    from learner import personal_data
    from learner.core.db import utc_now

    launch(app.test_client(), platform, "s-1", [LEARNER])
    user = db.exec(select(User)).one()
    user.active = False
    db.add(user)
    db.commit()
    refused, _ = launch(app.test_client(), platform, "s-1", [LEARNER])
    assert refused.status_code == 403 and "deactivated" in refused.get_data(as_text=True)
    personal_data.erase(session=db, user=user, now=utc_now())
    db.commit()
    assert count_rows(db, LtiIdentity) == 0
    again, _ = launch(app.test_client(), platform, "s-1", [LEARNER])
    assert again.status_code == 303
    db.rollback()
    assert count_rows(db, User) == 2 and db.exec(select(LtiIdentity.user_id)).one() != user.id


def test_students_under_13_launch_only_into_a_class_with_consent_on_file(app, db, platform):
    """A launch carries no age: the class's consent decides, as for the class code."""
    launch(app.test_client(), platform, "t-1", [INSTRUCTOR])
    group = db.get(Group, db.exec(select(LtiContext)).one().group_id)
    # No consent on file: a student's account is 13-15.
    launch(app.test_client(), platform, "s-older", [LEARNER])
    db.rollback()
    older = db.exec(select(User).join(LtiIdentity).where(LtiIdentity.sub == "s-older")).one()
    assert older.age_band is AgeBand.AGE_13_15
    # The teacher confirms consent for under-13s: new students' accounts are under 13.
    group.under13_consent_at = utc_now()
    db.add(group)
    db.commit()
    response, _ = launch(app.test_client(), platform, "s-young", [LEARNER])
    assert response.status_code == 303
    db.rollback()
    young = db.exec(select(User).join(LtiIdentity).where(LtiIdentity.sub == "s-young")).one()
    assert young.age_band is AgeBand.UNDER_13
    assert db.exec(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == young.id)
    ).one()
    # The same under-13 student launching from a course whose class has no consent: refused,
    # and not put in that class.
    launch(app.test_client(), platform, "t-2", [INSTRUCTOR], context_id="course-2")
    db.rollback()
    before = snapshot(db)
    refused, _ = launch(app.test_client(), platform, "s-young", [LEARNER], context_id="course-2")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "Students under 13 can use this class" in page
    db.rollback()
    after = snapshot(db)
    assert after["membership"] == before["membership"]
