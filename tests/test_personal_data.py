"""Privacy for minors: downloading everything about a learner, erasing an account, and
purging old drafts."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import func, select

from learner import personal_data, practice, profile
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
    fresh,
    give_learner_history,
    make_family,
    make_learner,
    make_post,
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
    assert [e["kind"] for e in data["supervisor_actions_about_me"]] == ["approved"]
    assert data["groups"][0]["group"]["name"] == family.group.name


def test_the_download_holds_who_cosigned_the_privacy_setup(client, db):
    family = make_family(db)
    give_learner_history(db, family)
    setup = profile.privacy_setup(db, family.teen.id)
    profile.cosign_privacy(
        session=db,
        membership=family.teen_membership,
        supervisor=family.parent,
        revision=setup.revision,
        now=utc_now(),
    )
    db.commit()
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
    event = db.exec(select(SupervisionEvent)).one()
    assert event.kind is EventKind.APPROVED and event.post_id is None
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
