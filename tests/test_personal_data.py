"""Privacy for minors: downloading everything about a learner, erasing an account, and
purging old drafts."""

from __future__ import annotations

import json
from datetime import timedelta

import flask_babel
from sqlmodel import func, select

from learner import personal_data, practice
from learner.core.db import utc_now
from learner.models import (
    AgeBand,
    EventKind,
    Level,
    Membership,
    PostRevision,
    PracticePost,
    QuizAttempt,
    SupervisionEvent,
    User,
)
from tests.factories import (
    PASSWORD,
    approve,
    cosign,
    fresh,
    give_learner_history,
    make_family,
    make_learner,
    make_post,
    real_catalog,
    set_level,
)
from tests.helpers import login, post, reload


def _history(db, family):
    give_learner_history(db, family)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "My secret practice post")
    approve(db, made, by=family.parent, note="Lovely")
    return made


def test_a_learner_downloads_everything_about_them(client, db):
    family = make_family(db)
    made = _history(db, family)
    login(client, family.teen)
    response = client.get("/account/data.json")
    assert (
        response.mimetype == "application/json"
        and "attachment" in response.headers["Content-Disposition"]
    )
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["username"] == family.teen.username
    assert "password_hash" not in data["account"]
    assert [p["id"] for p in data["posts"]] == [made.id]
    assert data["post_revisions"][0]["body"] == "My secret practice post"
    assert data["quiz_attempts"] and data["privacy_setup"] and data["practice_profile"]
    # The parent proposed (and so signed) the family agreement: that is in the log too.
    kinds = sorted(e["kind"] for e in data["supervisor_actions_about_me"])
    assert kinds == ["agreement_signed", "approved"]
    assert data["groups"][0]["group"]["name"] == family.group.name


def test_the_download_holds_who_cosigned_the_privacy_setup(client, db):
    family = make_family(db)
    give_learner_history(db, family)
    cosign(db, family.teen_membership, by=family.parent)
    login(client, family.teen)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [c["supervisor_id"] for c in data["privacy_cosignatures"]] == [family.parent.id]


def test_erasing_removes_the_person_and_keeps_events_without_them(client, db):
    family = make_family(db)
    made = _history(db, family)
    _friend, friend_m = make_learner(db, family.group)
    set_level(db, friend_m, Level.LICENSED)
    reply_id = make_post(db, family.group, friend_m, "Nice post!", parent=made).id
    login(client, family.teen)
    wrong = post(client, "/account/erase", {"password": "not my password", "understood": "y"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.get_data(as_text=True)
    assert post(client, "/account/erase", {"password": PASSWORD}).status_code == 400  # no tick
    response = post(client, "/account/erase", {"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    teen = reload(db, family.teen)
    assert teen.erased_at is not None and teen.display_name == "Deleted account"
    assert teen.email is None and not teen.active and teen.age_band is None
    # Their posts (and the replies to them) are gone; the parent's decision stays, without the post.
    assert fresh(db).exec(select(func.count(PracticePost.id))).one() == 0
    assert db.exec(select(func.count(PostRevision.id))).one() == 0
    assert db.get(PracticePost, reply_id) is None
    event = db.exec(select(SupervisionEvent).where(SupervisionEvent.post_id.is_(None))).all()
    assert sorted(e.kind for e in event) == [EventKind.AGREEMENT_SIGNED, EventKind.APPROVED]
    # Quiz answers still count in figures, tied to the tombstone only.
    assert db.exec(select(QuizAttempt.user_id)).all() == [teen.id]
    assert (
        db.exec(select(Membership.removed_at).where(Membership.user_id == teen.id)).one()
        is not None
    )
    # Nobody can log in as them any more; the session ended.
    assert client.get("/dashboard").status_code == 302
    assert (
        post(client, "/login", {"login": family.teen.username, "password": PASSWORD}).status_code
        == 401
    )


def test_a_parent_manages_the_data_of_a_child_under_13(client, db):
    family = make_family(db)
    child, child_m = make_learner(db, family.group, age_band=AgeBand.UNDER_13)
    base = f"/groups/{family.group.id}/members"
    login(client, family.parent)
    # The teen is 13 to 15: their data is theirs.
    assert client.get(f"{base}/{family.teen_membership.id}/data.json").status_code == 403
    data = json.loads(client.get(f"{base}/{child_m.id}/data.json").get_data(as_text=True))
    assert data["account"]["username"] == child.username
    assert (
        post(
            client, f"{base}/{child_m.id}/erase", {"password": PASSWORD, "understood": "y"}
        ).status_code
        == 302
    )
    assert reload(db, child).erased_at is not None
    assert reload(db, family.teen).erased_at is None


def test_old_drafts_and_withdrawn_posts_are_purged(app, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    old_draft = make_post(db, family.group, family.teen_membership, "old draft", submit=False)
    new_draft = make_post(db, family.group, family.teen_membership, "new draft", submit=False)
    withdrawn = make_post(db, family.group, family.teen_membership, "withdrawn long ago")
    practice.withdraw(session=db, post=withdrawn, now=utc_now() - timedelta(days=400))
    waiting = make_post(db, family.group, family.teen_membership, "still waiting")
    old_draft.created_at = utc_now() - timedelta(days=400)
    waiting.submitted_at = waiting.created_at = utc_now() - timedelta(days=400)
    db.add_all([old_draft, waiting])
    db.commit()
    result = app.test_cli_runner().invoke(args=["retention", "purge", "--days", "180"])
    assert "2 old drafts and withdrawn posts deleted" in result.output
    left = {p.id for p in fresh(db).exec(select(PracticePost)).all()}
    assert left == {new_draft.id, waiting.id}
    again = app.test_cli_runner().invoke(args=["retention", "purge", "--days", "180"])
    assert "0 old drafts" in again.output


def test_an_erased_account_cannot_be_found_by_its_old_login(db):
    family = make_family(db)
    email = family.parent.email
    personal_data.erase(session=db, user=family.parent, now=utc_now())
    db.commit()
    assert fresh(db).exec(select(User).where(User.email == email)).first() is None


def _readable(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_the_readable_page_shows_names_and_dates_instead_of_ids(app, client, db):
    family = make_family(db)
    made = _history(db, family)
    approved = select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.APPROVED)
    event = db.exec(approved).one()
    login(client, family.teen)
    html = _readable(client, "/account/data/readable")
    # The same data as the JSON: the account, the group, the lesson, the post and its decision.
    assert family.teen.username in html and family.group.name in html
    assert real_catalog().get("public-by-default").title in html
    assert "My secret practice post" in html and "Lovely" in html
    # The decision names the supervisor who took it; dates are written out by Babel.
    assert f"<strong>{family.parent.display_name}</strong> approved this post" in html
    assert "signed the family agreement" in html
    with app.test_request_context():
        assert flask_babel.format_datetime(event.created_at, "short") in html
        assert flask_babel.format_datetime(made.created_at, "short") in html
    # No internal ids or raw field names, and no ISO timestamps.
    for raw in ("actor_id", "membership_id", "post_id", "user_id", "group_id", "_at"):
        assert raw not in html, raw
    assert event.created_at.isoformat()[:16] not in html
    # The Print button waits for the static script; no inline script on the page.
    assert "data-print hidden" in html and "<script>" not in html.split("</head>")[1]


def test_the_readable_page_and_the_json_hold_the_same_rows(app, db):
    family = make_family(db)
    _history(db, family)
    data = personal_data.export(db, family.teen)
    with app.test_request_context():
        modules = {m.id: m for m in real_catalog().modules()}
        readable = personal_data.readable(db, family.teen, modules)
    assert len(readable.posts) == len(data["posts"])
    assert sum(len(p.revisions) for p in readable.posts) == len(data["post_revisions"])
    assert len(readable.quizzes) == len(data["quiz_attempts"])
    assert len(readable.log) == (
        len(data["supervisor_actions_about_me"])
        + len(data["supervisor_notes_on_lessons"])
        + len(data["privacy_cosignatures"])
    )
    assert len(readable.notifications) == len(data["notifications"])
    assert readable.posts[0].decisions[0].by == family.parent.display_name


def test_user_text_on_the_readable_page_is_escaped(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "<script>alert(1)</script> hi")
    approve(db, made, by=family.parent, note="<img src=x onerror=alert(2)>")
    login(client, family.teen)
    html = _readable(client, "/account/data/readable")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_a_parent_reads_the_data_of_a_child_under_13_only(client, db):
    family = make_family(db)
    child, child_m = make_learner(db, family.group, age_band=AgeBand.UNDER_13)
    set_level(db, child_m, Level.PERMIT)
    approve(db, make_post(db, family.group, child_m, "My kite flew"), by=family.parent)
    base = f"/groups/{family.group.id}/members"
    login(client, family.parent)
    html = _readable(client, f"{base}/{child_m.id}/data")
    assert child.display_name in html and "My kite flew" in html
    assert f"<strong>{family.parent.display_name}</strong> approved a post" in html
    # The teen is 13 to 15: their data is theirs, as with the JSON.
    assert client.get(f"{base}/{family.teen_membership.id}/data").status_code == 403
    ladder = client.get(f"{base}/{child_m.id}/ladder").get_data(as_text=True)
    assert f"{base}/{child_m.id}/data" in ladder
    # The child reads their own data on their own account page, not through the parent's.
    login(client, child)
    assert client.get(f"{base}/{child_m.id}/data").status_code == 404
    assert "My kite flew" in _readable(client, "/account/data/readable")
