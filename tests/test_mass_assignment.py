"""Mass assignment: extra fields in a form (status, author, level, reviewer...) change
nothing; only the fields a form declares are ever read."""

from __future__ import annotations

from sqlmodel import select

from learner.models import Level, PostStatus, PracticePost, SupervisionEvent
from tests.factories import fresh, make_family, make_learner, make_post, set_level
from tests.helpers import login, post, reload

EXTRA = {
    "status": "published",
    "author_id": "1",
    "membership_id": "1",
    "group_id": "999",
    "level": "licensed",
    "reviewer_id": "1",
    "actor_id": "1",
    "approved_at": "2020-01-01",
    "is_site_admin": "y",
    "active": "y",
    "session_version": "99",
    "kind": "teacher",
    "role": "supervisor",
    "revision": "7",
    "high_findings": "0",
}


def test_extra_fields_on_a_new_post_change_nothing(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    other, _m = make_learner(db, family.group)
    login(client, family.teen)
    data = {
        "body": "hello",
        "audience": "public",
        "action": "submit",
        **EXTRA,
        "author_id": str(other.id),
    }
    assert post(client, f"/groups/{family.group.id}/posts/new", data).status_code == 302
    made = fresh(db).exec(select(PracticePost)).one()
    assert made.status is PostStatus.PENDING and made.author_id == family.teen.id
    assert made.group_id == family.group.id and made.level is Level.PERMIT and made.revision == 1
    assert made.approved_at is None


def test_extra_fields_on_a_revision_and_a_decision_change_nothing(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.teen)
    data = {
        "body": "better",
        "audience": "public",
        "base_revision": "1",
        "action": "submit",
        **EXTRA,
    }
    post(client, f"/groups/{family.group.id}/posts/{made.id}/edit", data)
    made = reload(db, made)
    assert made.status is PostStatus.PENDING and made.revision == 2 and made.approved_at is None
    login(client, family.parent)
    decision = {
        **EXTRA,
        "decision": "commented",
        "note": "ok",
        "revision": "2",
        "actor_id": str(family.teen.id),
    }
    post(client, f"/groups/{family.group.id}/posts/{made.id}/decision", decision)
    event = (
        fresh(db).exec(select(SupervisionEvent).where(SupervisionEvent.kind == "commented")).one()
    )
    assert event.actor_id == family.parent.id and reload(db, made).status is PostStatus.PENDING


def test_extra_fields_on_the_account_form_change_nothing(client, db):
    family = make_family(db)
    login(client, family.teen)
    post(client, "/account", {"display_name": "Leo R", "locale": "", **EXTRA})
    teen = reload(db, family.teen)
    assert teen.display_name == "Leo R"
    assert not teen.is_site_admin and teen.session_version == 1 and teen.kind.value == "learner"
    assert reload(db, family.teen_membership).level is Level.INSTRUCTION
