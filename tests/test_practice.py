"""Supervised practice through the web: compose, review, revise, withdraw, reply, flag."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from learner.core.db import utc_now
from learner.models import (
    Audience,
    EventKind,
    Level,
    Membership,
    Notification,
    PostAudience,
    PostFinding,
    PostRevision,
    PostStatus,
    PracticePost,
    SupervisionEvent,
)
from tests.factories import (
    add_supervisor,
    fresh,
    make_family,
    make_group,
    make_learner,
    make_post,
    make_supervisor,
    png_bytes,
    set_level,
)
from tests.helpers import count_rows, login, post, reload, snapshot


@pytest.fixture
def family(db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    return family


def _compose(client, group_id, body, *, action="submit", **fields):
    data = {"body": body, "audience": "public", "token": fields.pop("token", ""), "action": action}
    data.update(fields)
    return post(client, f"/groups/{group_id}/posts/new", data)


def test_a_post_at_permit_waits_for_review_with_its_findings(client, db, family):
    login(client, family.teen)
    response = _compose(client, family.group.id, "Call me at 555-201-0147 after school")
    assert response.status_code == 302
    made = fresh(db).exec(select(PracticePost)).one()
    assert made.status is PostStatus.PENDING and made.level is Level.PERMIT
    revision = fresh(db).exec(select(PostRevision).where(PostRevision.post_id == made.id)).one()
    findings = (
        fresh(db).exec(select(PostFinding).where(PostFinding.revision_id == revision.id)).all()
    )
    assert "privacy.phone" in {f.category for f in findings}
    assert made.high_findings == sum(f.severity == "high" for f in findings)
    # The parent is told, and sees the post and the finding in the queue.
    assert (
        fresh(db).exec(select(Notification).where(Notification.user_id == family.parent.id)).one()
    )
    login(client, family.parent)
    queue = client.get(f"/groups/{family.group.id}/review").get_data(as_text=True)
    assert "Call me at 555-201-0147" in queue and "Phone number" in queue
    # Other learners do not see it in the feed before approval.
    other, _m = make_learner(fresh(db), family.group)
    login(client, other)
    assert "555-201-0147" not in client.get(f"/groups/{family.group.id}/feed").get_data(
        as_text=True
    )


def test_instruction_learners_keep_drafts_only(client, db):
    family = make_family(db)
    login(client, family.teen)
    response = _compose(client, family.group.id, "My first draft")
    assert response.status_code == 400
    assert "you can send posts once you have your permit" in response.get_data(as_text=True)
    assert count_rows(db, PracticePost) == 0
    assert _compose(client, family.group.id, "My first draft", action="draft").status_code == 302
    draft = fresh(db).exec(select(PracticePost)).one()
    assert draft.status is PostStatus.DRAFT
    login(client, family.parent)
    assert client.get(f"/groups/{family.group.id}/posts/{draft.id}").status_code == 404


def test_approve_publishes_and_tells_the_learner(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.parent)
    response = post(
        client,
        f"/groups/{family.group.id}/posts/{made.id}/decision",
        {"decision": "approved", "revision": "1", "note": ""},
    )
    assert response.status_code == 302
    made = reload(db, made)
    assert made.status is PostStatus.PUBLISHED and made.approved_at is not None
    other, _m = make_learner(db, family.group)
    login(client, other)
    assert "weekend hike" in client.get(f"/groups/{family.group.id}/feed").get_data(as_text=True)
    kinds = [
        n.detail
        for n in fresh(db).exec(select(Notification).where(Notification.user_id == family.teen.id))
    ]
    assert kinds == ["approved"]


def test_request_changes_needs_a_note_then_the_revision_shows_what_changed(client, db, family):
    made = make_post(db, family.group, family.teen_membership, "I hate this stupid idiot teacher")
    login(client, family.parent)
    url = f"/groups/{family.group.id}/posts/{made.id}/decision"
    refused = post(client, url, {"decision": "changes", "revision": "1", "note": " "})
    assert refused.status_code == 400
    assert "Write a note the learner will read." in refused.get_data(as_text=True)
    assert reload(db, made).status is PostStatus.PENDING
    assert (
        post(
            client,
            url,
            {
                "decision": "changes",
                "revision": "1",
                "note": "Say what bothers you, kindly.",
                "reasons": "tone",
            },
        ).status_code
        == 302
    )
    assert reload(db, made).status is PostStatus.CHANGES and made.changes_requested == 1
    login(client, family.teen)
    page = client.get(f"/groups/{family.group.id}/posts/{made.id}").get_data(as_text=True)
    assert "Say what bothers you, kindly." in page and "The tone could hurt someone" in page
    revised = post(
        client,
        f"/groups/{family.group.id}/posts/{made.id}/edit",
        {
            "body": "I found this lesson hard today",
            "audience": "public",
            "base_revision": "1",
            "action": "submit",
        },
    )
    assert revised.status_code == 302
    made = reload(db, made)
    assert made.status is PostStatus.PENDING and made.revision == 2
    assert [
        r.body
        for r in fresh(db).exec(
            select(PostRevision)
            .where(PostRevision.post_id == made.id)
            .order_by(PostRevision.number)
        )
    ] == [
        "I hate this stupid idiot teacher",
        "I found this lesson hard today",
    ]
    login(client, family.parent)
    page = client.get(f"/groups/{family.group.id}/posts/{made.id}").get_data(as_text=True)
    assert "<del>hate this stupid idiot teacher</del>" in page.replace("\n", "") or "<del>" in page
    assert "<ins>" in page


def test_a_double_clicked_submit_makes_one_post(client, db, family):
    login(client, family.teen)
    for _ in range(2):
        assert (
            _compose(client, family.group.id, "Same post twice", token="tok-123").status_code == 302
        )
    assert count_rows(db, PracticePost) == 1
    assert count_rows(db, Notification) == 1


def test_withdrawn_post_cannot_be_decided(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.teen)
    assert post(client, f"/groups/{family.group.id}/posts/{made.id}/withdraw").status_code == 302
    assert reload(db, made).status is PostStatus.WITHDRAWN
    login(client, family.parent)
    before = snapshot(db)
    response = post(
        client,
        f"/groups/{family.group.id}/posts/{made.id}/decision",
        {"decision": "approved", "revision": "1"},
    )
    assert response.status_code == 409
    assert "The learner withdrew this post." in response.get_data(as_text=True)
    after = snapshot(db)
    assert after["practice_post"] == before["practice_post"]
    assert after["supervision_event"] == before["supervision_event"]


def test_a_decision_on_a_decided_post_is_a_conflict(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    second = make_supervisor(db)

    add_supervisor(db, family.group, second)
    url = f"/groups/{family.group.id}/posts/{made.id}/decision"
    login(client, family.parent)
    assert post(client, url, {"decision": "approved", "revision": "1"}).status_code == 302
    login(client, second)
    response = post(client, url, {"decision": "changes", "revision": "1", "note": "No"})
    assert response.status_code == 409
    assert "approved already" in response.get_data(as_text=True)
    assert fresh(db).exec(
        select(SupervisionEvent.kind).where(
            SupervisionEvent.post_id == made.id, SupervisionEvent.kind != EventKind.OPENED
        )
    ).all() == [EventKind.APPROVED]


def test_deciding_on_an_old_revision_is_refused(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.teen)
    post(
        client,
        f"/groups/{family.group.id}/posts/{made.id}/edit",
        {
            "body": "A better version",
            "audience": "public",
            "base_revision": "1",
            "action": "submit",
        },
    )
    login(client, family.parent)
    response = post(
        client,
        f"/groups/{family.group.id}/posts/{made.id}/decision",
        {"decision": "approved", "revision": "1"},
    )
    assert response.status_code == 409
    assert "new revision" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": ""}, "Write something first."),
        ({"body": "x" * 1001}, "Field cannot be longer than 1000 characters."),
        ({"audience": "friends"}, "Choose who it is for."),
        ({"audience": "direct", "members": "999999"}, "Choose people from this group only."),
    ],
)
def test_bad_posts_get_a_message_next_to_the_field(client, db, family, fields, message):
    login(client, family.teen)
    data = {"body": "Hello everyone", "audience": "public", "action": "submit", **fields}
    response = post(client, f"/groups/{family.group.id}/posts/new", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_rows(db, PracticePost) == 0


def test_a_direct_message_to_another_groups_member_is_refused(client, db, family):
    other_family = make_family(db)
    login(client, family.teen)
    data = {
        "body": "hi",
        "audience": "direct",
        "members": str(other_family.teen_membership.id),
        "action": "submit",
    }
    response = post(client, f"/groups/{family.group.id}/posts/new", data)
    assert (
        response.status_code == 400
        and "Choose people from this group only." in response.get_data(as_text=True)
    )
    assert count_rows(db, PracticePost) == 0


def test_friends_posts_reach_only_the_chosen_members(client, db, family):
    set_level(db, family.teen_membership, Level.LICENSED)
    friend, friend_m = make_learner(db, family.group)
    stranger, _sm = make_learner(db, family.group)
    made = make_post(
        db,
        family.group,
        family.teen_membership,
        "Only for my friend",
        audience=Audience.FRIENDS,
        members=(friend_m.id,),
    )
    assert made.status is PostStatus.PUBLISHED
    login(client, friend)
    assert "Only for my friend" in client.get(f"/groups/{family.group.id}/feed").get_data(
        as_text=True
    )
    login(client, stranger)
    assert "Only for my friend" not in client.get(f"/groups/{family.group.id}/feed").get_data(
        as_text=True
    )
    assert client.get(f"/groups/{family.group.id}/posts/{made.id}").status_code == 404
    # Licensed: the parent sees it only when the teen shares it.
    login(client, family.parent)
    assert client.get(f"/groups/{family.group.id}/posts/{made.id}").status_code == 404
    login(client, family.teen)
    post(client, f"/groups/{family.group.id}/posts/{made.id}/share")
    login(client, family.parent)
    assert client.get(f"/groups/{family.group.id}/posts/{made.id}").status_code == 200


def test_provisional_posts_appear_at_once_unless_the_coach_finds_something_serious(db, family):
    set_level(db, family.teen_membership, Level.PROVISIONAL)
    plain = make_post(db, family.group, family.teen_membership, "Had a great time at the game")
    risky = make_post(db, family.group, family.teen_membership, "my password is Sunflower2009 lol")
    assert plain.status is PostStatus.PUBLISHED
    assert risky.status is PostStatus.PENDING and risky.held_by_coach


def test_flag_resets_the_clean_streak_and_tells_the_learner(client, db, family):
    set_level(db, family.teen_membership, Level.PROVISIONAL)
    made = make_post(db, family.group, family.teen_membership, "Had a great time at the game")
    login(client, family.parent)
    url = f"/groups/{family.group.id}/posts/{made.id}/flag"
    assert post(client, url, {"note": ""}).status_code == 400
    assert post(client, url, {"note": "Let's talk about who can see this."}).status_code == 302
    assert reload(db, made).flagged_at is not None
    assert post(client, url, {"note": "again"}).status_code == 409
    login(client, family.teen)
    log = client.get(f"/groups/{family.group.id}/members/{family.teen_membership.id}/log").get_data(
        as_text=True
    )
    assert "flagged <a" in log and "</q></a> for a talk" in log
    assert "Let&#39;s talk about who can see this." in log


def test_replies_follow_the_ladder_and_the_posts_audience(client, db, family):
    _friend, friend_m = make_learner(db, family.group)
    set_level(db, friend_m, Level.LICENSED)
    set_level(db, family.teen_membership, Level.LICENSED)
    made = make_post(db, family.group, friend_m, "Anyone up for the museum?")
    login(client, family.teen)
    response = post(
        client, f"/groups/{family.group.id}/posts/{made.id}/replies", {"body": "Count me in!"}
    )
    assert response.status_code == 302
    answer = fresh(db).exec(select(PracticePost).where(PracticePost.parent_id == made.id)).one()
    assert answer.status is PostStatus.PUBLISHED and answer.audience is Audience.PUBLIC
    # A learner at the permit replies: held for review.
    third, third_m = make_learner(db, family.group)
    set_level(db, third_m, Level.PERMIT)
    login(client, third)
    post(client, f"/groups/{family.group.id}/posts/{made.id}/replies", {"body": "Me too"})
    held = fresh(db).exec(select(PracticePost).where(PracticePost.author_id == third.id)).one()
    assert held.status is PostStatus.PENDING
    login(client, family.teen)
    page = client.get(f"/groups/{family.group.id}/posts/{made.id}").get_data(as_text=True)
    assert "Count me in!" in page and "Me too" not in page


def test_a_reply_to_a_direct_message_goes_back_to_its_author_only(db, family):
    _friend, friend_m = make_learner(db, family.group)
    set_level(db, friend_m, Level.LICENSED)
    set_level(db, family.teen_membership, Level.LICENSED)
    dm = make_post(
        db,
        family.group,
        family.teen_membership,
        "secret plan",
        audience=Audience.DIRECT,
        members=(friend_m.id,),
    )
    answer = make_post(db, family.group, friend_m, "ok!", parent=dm)
    audience = (
        fresh(db)
        .exec(select(PostAudience.membership_id).where(PostAudience.post_id == answer.id))
        .all()
    )
    assert answer.audience is Audience.DIRECT and audience == [family.teen_membership.id]


def test_supervisors_cannot_write_change_or_withdraw_a_learners_post(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    set_level(db, family.teen_membership, Level.PERMIT)
    login(client, family.parent)
    before = snapshot(db)
    base = f"/groups/{family.group.id}/posts"
    attempts = [
        (f"{base}/new", {"body": "as the parent", "audience": "public", "action": "submit"}),
        (
            f"{base}/{made.id}/edit",
            {
                "body": "edited by parent",
                "audience": "public",
                "base_revision": "1",
                "action": "submit",
            },
        ),
        (f"{base}/{made.id}/withdraw", {}),
        (f"{base}/{made.id}/remove", {}),
        (f"{base}/{made.id}/share", {}),
        (f"{base}/{made.id}/replies", {"body": "a reply as the parent"}),
    ]
    for url, data in attempts:
        assert post(client, url, data).status_code == 403, url
    assert snapshot(db) == before


def test_a_learner_never_reviews_and_other_groups_see_nothing(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.teen)
    url = f"/groups/{family.group.id}/posts/{made.id}/decision"
    assert post(client, url, {"decision": "approved", "revision": "1"}).status_code == 403
    teacher = make_supervisor(db)
    make_group(db, teacher)
    login(client, teacher)
    assert post(client, url, {"decision": "approved", "revision": "1"}).status_code == 404
    assert client.get(f"/groups/{family.group.id}/posts/{made.id}").status_code == 404
    assert reload(db, made).status is PostStatus.PENDING


def test_opening_a_post_is_in_the_learners_log_once_an_hour(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.parent)
    client.get(f"/groups/{family.group.id}/posts/{made.id}")
    client.get(f"/groups/{family.group.id}/posts/{made.id}")
    opened = (
        fresh(db)
        .exec(select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.OPENED))
        .all()
    )
    assert len(opened) == 1
    login(client, family.teen)
    log = client.get(f"/groups/{family.group.id}/members/{family.teen_membership.id}/log").get_data(
        as_text=True
    )
    assert "opened <a" in log


def test_dismissing_a_finding_needs_a_reason_and_is_counted_per_rule(client, db, family):
    made = make_post(db, family.group, family.teen_membership, "my password is Sunflower2009 lol")
    finding = fresh(db).exec(select(PostFinding)).first()
    high_before = made.high_findings
    login(client, family.parent)
    url = f"/groups/{family.group.id}/posts/{made.id}/findings/{finding.rule}/dismiss"
    assert post(client, url, {"reason": ""}).status_code == 400
    assert (
        post(client, url, {"reason": "It is a made-up example from the lesson"}).status_code == 302
    )
    assert reload(db, finding).dismissed_at is not None
    assert reload(db, made).high_findings == high_before - (finding.severity == "high")
    assert post(client, url, {"reason": "again"}).status_code == 409
    from learner import practice

    stats = {rule: (found, dismissed) for rule, _c, found, dismissed in practice.rule_stats(db)}
    assert stats[finding.rule][1] == 1


def test_a_photo_with_gps_is_stored_clean_and_reported(client, db, family):
    login(client, family.teen)
    data = {
        "body": "Look at this view",
        "audience": "public",
        "action": "submit",
        "photo": (io.BytesIO(png_bytes(gps=True)), "view.jpg"),
    }
    response = post(
        client, f"/groups/{family.group.id}/posts/new", data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    revision = fresh(db).exec(select(PostRevision)).one()
    assert b"GPS" not in revision.image and revision.image_type == "image/jpeg"
    findings = (
        fresh(db).exec(select(PostFinding).where(PostFinding.revision_id == revision.id)).all()
    )
    assert [f.category for f in findings] == ["image.gps"]
    made = fresh(db).exec(select(PracticePost)).one()
    photo = client.get(f"/groups/{family.group.id}/posts/{made.id}/photo/1")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"


def test_a_file_that_is_not_an_image_gets_a_clear_message(client, db, family):
    login(client, family.teen)
    data = {
        "body": "x",
        "audience": "public",
        "action": "submit",
        "photo": (io.BytesIO(b"not an image"), "a.png"),
    }
    response = post(
        client, f"/groups/{family.group.id}/posts/new", data, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "This file is not an image we can read." in response.get_data(as_text=True)
    assert count_rows(db, PracticePost) == 0


def test_user_text_is_escaped_everywhere_it_shows(client, db, family):
    made = make_post(db, family.group, family.teen_membership, "<script>alert(1)</script>")
    login(client, family.parent)
    for url in (f"/groups/{family.group.id}/review", f"/groups/{family.group.id}/posts/{made.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_opening_what_a_notification_is_about_marks_it_read(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    other = make_post(db, family.group, family.teen_membership, "Another calm post")
    login(client, family.parent)
    assert client.get("/dashboard").get_data(as_text=True).count('class="badge"') == 1
    client.get(f"/groups/{family.group.id}/posts/{made.id}")
    unread = (
        fresh(db).exec(select(Notification.post_id).where(Notification.read_at.is_(None))).all()
    )
    assert unread == [other.id]


def test_a_withdrawn_draft_stays_the_authors_alone(client, db, family):
    draft = make_post(db, family.group, family.teen_membership, "my secret draft", submit=False)
    login(client, family.teen)
    post(client, f"/groups/{family.group.id}/posts/{draft.id}/withdraw")
    assert reload(db, draft).status is PostStatus.WITHDRAWN
    login(client, family.parent)
    assert client.get(f"/groups/{family.group.id}/posts/{draft.id}").status_code == 404
    assert "my secret draft" not in client.get(f"/groups/{family.group.id}/feed").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/feed?before=99999999999999999999999", None),
        ("/review?learner=99999999999999999999999", None),
        ("/feed?before=%C2%B2", None),
        ("/posts/{post}/decision", {"decision": "approved", "revision": "99999999999999999999"}),
        ("/posts/{post}/decision", {"decision": "approved", "revision": "²"}),
        ("/posts/{post}/decision", {"decision": "maybe", "revision": "1"}),
        (
            "/posts/{post}/decision",
            {"decision": "changes", "revision": "1", "note": "x", "reasons": "nope"},
        ),
    ],
)
def test_odd_numbers_and_values_get_a_clear_answer_not_a_500(client, db, family, path, data):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.parent)
    url = f"/groups/{family.group.id}" + path.format(post=made.id)
    response = client.get(url) if data is None else post(client, url, data)
    assert response.status_code in (200, 400)
    if data and data.get("reasons") == "nope":
        assert "Choose reasons from the list." in response.get_data(as_text=True)
    assert reload(db, made).status is PostStatus.PENDING


def test_an_odd_base_revision_is_refused(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.teen)
    data = {"body": "new text", "audience": "public", "base_revision": "²", "action": "submit"}
    assert post(client, f"/groups/{family.group.id}/posts/{made.id}/edit", data).status_code == 400
    assert reload(db, made).revision == 1


def test_line_breaks_count_once_towards_the_limit(client, db, family):
    login(client, family.teen)
    body = "\r\n".join(["x" * 99] * 10)  # 990 letters and 9 line breaks
    assert len(body.replace("\r\n", "\n")) <= 1000 < len(body)
    assert _compose(client, family.group.id, body).status_code == 302


def test_after_a_step_back_to_instruction_a_waiting_post_cannot_be_resent(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    from learner import practice as service

    service.decide(
        session=db,
        post=made,
        supervisor=family.parent,
        decision=EventKind.CHANGES_REQUESTED,
        revision=1,
        reasons=[],
        note="please change",
        now=utc_now(),
    )
    db.commit()
    set_level(db, family.teen_membership, Level.INSTRUCTION)
    login(client, family.teen)
    data = {"body": "changed", "audience": "public", "base_revision": "1", "action": "submit"}
    response = post(client, f"/groups/{family.group.id}/posts/{made.id}/edit", data)
    assert response.status_code == 400
    assert reload(db, made).status is PostStatus.CHANGES and made.revision == 1


def test_a_licensed_learners_revision_follows_todays_level(db, family):
    from learner import practice as service

    made = make_post(db, family.group, family.teen_membership)
    service.decide(
        session=db,
        post=made,
        supervisor=family.parent,
        decision=EventKind.CHANGES_REQUESTED,
        revision=1,
        reasons=[],
        note="please change",
        now=utc_now(),
    )
    db.commit()
    set_level(db, family.teen_membership, Level.LICENSED)
    service.revise(
        session=db,
        group=family.group,
        author=family.teen_membership,
        post=made,
        draft=service.Draft(body="a better post", audience=Audience.PUBLIC),
        base_revision=1,
        submit=True,
        now=utc_now(),
    )
    db.commit()
    assert made.status is PostStatus.PUBLISHED and made.level is Level.LICENSED


def test_review_notifications_are_done_once_the_post_is_decided_or_withdrawn(client, db, family):
    decided = make_post(db, family.group, family.teen_membership)
    withdrawn = make_post(db, family.group, family.teen_membership, "another one")
    second = make_supervisor(db)

    add_supervisor(db, family.group, second)
    login(client, second)
    post(
        client,
        f"/groups/{family.group.id}/posts/{decided.id}/decision",
        {"decision": "approved", "revision": "1"},
    )
    login(client, family.teen)
    post(client, f"/groups/{family.group.id}/posts/{withdrawn.id}/withdraw")
    unread = (
        fresh(db)
        .exec(
            select(Notification).where(
                Notification.user_id == family.parent.id, Notification.read_at.is_(None)
            )
        )
        .all()
    )
    assert unread == []


def test_reading_the_queue_is_in_the_learners_log(client, db, family):
    made = make_post(db, family.group, family.teen_membership)
    login(client, family.parent)
    client.get(f"/groups/{family.group.id}/review")
    client.get(f"/groups/{family.group.id}/review")
    opened = (
        fresh(db)
        .exec(select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.OPENED))
        .all()
    )
    assert [e.post_id for e in opened] == [made.id]


def test_learners_at_instruction_get_no_reply_box(client, db, family):
    set_level(db, family.teen_membership, Level.LICENSED)
    made = make_post(db, family.group, family.teen_membership)
    beginner, _m = make_learner(db, family.group)
    login(client, beginner)
    page = client.get(f"/groups/{family.group.id}/posts/{made.id}").get_data(as_text=True)
    assert "Send reply" not in page
    assert (
        post(
            client, f"/groups/{family.group.id}/posts/{made.id}/replies", {"body": "hi"}
        ).status_code
        == 403
    )


def test_findings_of_a_published_post_cannot_be_dismissed(client, db, family):
    from learner import practice as service

    made = make_post(db, family.group, family.teen_membership, "Call me at 555-201-0147 tonight")
    service.decide(
        session=db,
        post=made,
        supervisor=family.parent,
        decision=EventKind.APPROVED,
        revision=1,
        reasons=[],
        note="",
        now=utc_now(),
    )
    db.commit()
    rule = fresh(db).exec(select(PostFinding.rule)).first()
    login(client, family.parent)
    url = f"/groups/{family.group.id}/posts/{made.id}/findings/{rule}/dismiss"
    assert post(client, url, {"reason": "fine"}).status_code == 409


def test_a_rules_precision_estimate_needs_enough_findings():
    from learner import practice

    assert practice.rule_precision(practice.PRECISION_MINIMUM - 1, 0) is None
    assert practice.rule_precision(40, 10) == 0.75


def test_the_admin_sees_each_rules_estimated_precision(client, db, family, monkeypatch):
    from learner import practice

    made = make_post(db, family.group, family.teen_membership, "my password is Sunflower2009 lol")
    finding = fresh(db).exec(select(PostFinding)).first()
    login(client, family.parent)
    url = f"/groups/{family.group.id}/posts/{made.id}/findings/{finding.rule}/dismiss"
    assert post(client, url, {"reason": "A made-up example"}).status_code == 302
    make_post(fresh(db), family.group, family.teen_membership, "call me on 555-0147 after school")
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    login(client, admin)
    page = client.get("/admin/coach").get_data(as_text=True)
    assert "Estimated precision" in page and "not enough data (n = 1)" in page
    monkeypatch.setattr(practice, "PRECISION_MINIMUM", 1)
    page = client.get("/admin/coach").get_data(as_text=True)
    # The dismissed rule is judged 0 % and listed before the one nobody dismissed (100 %).
    assert "0 % (n = 1)" in page and "100 % (n = 1)" in page
    assert page.index(finding.rule) < page.index("privacy.phone")


@pytest.mark.parametrize("locale", ["en", "de"])
def test_the_feed_cards_words_and_reply_counts_in_the_readers_language(
    app, client, db, family, locale
):
    """The cards' words come translated once for the page: each card still shows its own
    reply count in the right plural form, its audience and, in one's own posts, its status."""
    import flask_babel

    from learner.core.labels import AUDIENCE
    from learner.practice import STATUS_TEXT

    _friend, friend_m = make_learner(db, family.group)
    set_level(db, friend_m, Level.LICENSED)
    set_level(db, family.teen_membership, Level.LICENSED)
    one = make_post(db, family.group, friend_m, "A post with one reply")
    two = make_post(db, family.group, friend_m, "A post with two replies")
    make_post(db, family.group, family.teen_membership, "Sure", parent=one)
    make_post(db, family.group, family.teen_membership, "Yes", parent=two)
    make_post(db, family.group, family.teen_membership, "Me too", parent=two)
    make_post(
        db,
        family.group,
        friend_m,
        "Just for you",
        audience=Audience.FRIENDS,
        members=(family.teen_membership.id,),
    )
    family.teen.locale = locale
    db.add(family.teen)
    db.commit()
    login(client, family.teen)
    page = client.get(f"/groups/{family.group.id}/feed").get_data(as_text=True)
    with app.test_request_context(), flask_babel.force_locale(locale):
        one_reply = flask_babel.ngettext("%(num)d reply", "%(num)d replies", 1)
        two_replies = flask_babel.ngettext("%(num)d reply", "%(num)d replies", 2)
        chosen, published = str(AUDIENCE[Audience.FRIENDS]), str(STATUS_TEXT[PostStatus.PUBLISHED])
    if locale != "en":
        assert one_reply != "1 reply" and chosen != "Chosen people"
    card = page[page.index("A post with one reply") :]
    assert card[: card.index("</article>")].count(f" · {one_reply}</a>") == 1
    card = page[page.index("A post with two replies") :]
    assert card[: card.index("</article>")].count(f" · {two_replies}</a>") == 1
    card = page[page.index("Just for you") - 600 : page.index("Just for you")]
    assert f'<span class="tag">{chosen}</span>' in card
    mine = page[page.index('id="mine-heading"') : page.index('id="feed-heading"')]
    assert mine.count(f'<span class="tag status-published">{published}</span>') == 3


def test_the_feeds_reply_counts_are_the_replies_each_reader_may_see(client, db, family):
    """A card's reply count, read with the feed in one query, counts the published replies
    the reader may see (policy.can_view_post), for a learner and a supervisor alike, on
    the first page and on an older one."""
    from learner import policy

    _friend, friend_m = make_learner(db, family.group)
    third, third_m = make_learner(db, family.group)
    for membership in (friend_m, third_m, family.teen_membership):
        set_level(db, membership, Level.LICENSED)
    made = make_post(db, family.group, friend_m, "Who comes to the museum?")
    make_post(db, family.group, family.teen_membership, "Count me in!", parent=made)
    make_post(db, family.group, third_m, "Me too", parent=made)
    # Held for review: not on anyone's count.
    set_level(db, third_m, Level.PERMIT)
    make_post(db, family.group, third_m, "And my cousin?", parent=made)
    set_level(db, third_m, Level.LICENSED)
    # A direct message and a reply to it: seen by the two of them only.
    dm = make_post(
        db, family.group, friend_m, "Tickets?", audience=Audience.DIRECT, members=(third_m.id,)
    )
    make_post(db, family.group, third_m, "Two, please", parent=dm)
    db.commit()
    replies = fresh(db).exec(select(PracticePost).where(PracticePost.parent_id.is_not(None))).all()
    audiences = {
        r.id: set(db.exec(select(PostAudience.membership_id).where(PostAudience.post_id == r.id)))
        for r in replies
    }

    def expected(membership, parent) -> int:
        return sum(
            1
            for r in replies
            if r.parent_id == parent.id
            and r.status is PostStatus.PUBLISHED
            and policy.can_view_post(membership, r, audiences[r.id])
        )

    parent_m = db.exec(
        select(Membership).where(
            Membership.group_id == family.group.id, Membership.user_id == family.parent.id
        )
    ).one()
    readers = [(family.teen, family.teen_membership), (third, third_m), (family.parent, parent_m)]
    seen = set()
    for user, membership in readers:
        login(client, user)
        for url in ("feed", f"feed?before={dm.id + 1}"):
            page = client.get(f"/groups/{family.group.id}/{url}").get_data(as_text=True)
            for parent in (made, dm):
                if f'id="post-{parent.id}"' not in page:
                    continue
                card = page[page.index(f'id="post-{parent.id}"') :]
                card = card[: card.index("</article>")]
                count = expected(membership, parent)
                shown = f" · {count} repl" in card if count else " repl" not in card
                assert shown, (user.display_name, url, parent.body, count, card)
                seen.add((membership.id, parent.id, count))
    # Every reader saw the public post with its two published replies (not the held one);
    # the direct message only its addressee, with the one reply.
    assert {(m, c) for m, p, c in seen if p == made.id} == {
        (family.teen_membership.id, 2),
        (third_m.id, 2),
        (parent_m.id, 2),
    }
    assert {(m, c) for m, p, c in seen if p == dm.id} == {(third_m.id, 1)}
