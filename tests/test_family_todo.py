"""What a family meets: the supervisor's to-do list and the learner's mirror, the
notifications that ask for a co-signature or a signature, which post a line is about,
the log's completeness, the whole road, and the family's own words."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from learner import agreements, ladder, notifications, practice, privacy, profile, progress, todo
from learner.core.db import utc_now
from learner.models import (
    AccountKind,
    EventKind,
    GroupKind,
    Level,
    Membership,
    Notification,
    NotificationKind,
    PostStatus,
    PracticePost,
    Role,
    SupervisionEvent,
)
from tests.factories import (
    answer_quiz,
    approve,
    cosign,
    fresh,
    make_classroom,
    make_family,
    make_post,
    make_supervisor,
    make_workplace,
    real_catalog,
    set_level,
)
from tests.helpers import QueryCounter, login, post

TERMS = {t: "We talk first." for t in agreements.REQUIRED_TERMS}


def _save_privacy(db, user):
    choices = {s.id: s.options[0].value for s in privacy.SETTINGS}
    setup = profile.save_privacy(session=db, user=user, choices=choices, now=utc_now())
    db.commit()
    return setup


def _tasks(db, user) -> list[tuple[str, str]]:
    lines = todo.for_supervisor(db, user, modules=real_catalog().modules(), now=utc_now())
    return [(line.task.value, line.learner.display_name) for line in lines]


def _waiting(db, user) -> list[tuple[str, bool]]:
    return [(w.task.value, w.on_you) for w in todo.for_learner(db, user)]


def test_a_saved_privacy_setup_asks_the_parent_to_co_sign_until_they_do(app, db):
    family = make_family(db)
    with app.test_request_context():
        _save_privacy(db, family.teen)
        asked = db.exec(select(Notification).where(Notification.user_id == family.parent.id))
        assert [n.kind for n in asked] == [NotificationKind.COSIGN_REQUESTED]
        assert _tasks(db, family.parent) == [("cosign", family.teen.display_name)]
        assert _waiting(db, family.teen) == [("cosign", False)]
        cosign(db, family.teen_membership, by=family.parent)
        assert _tasks(db, family.parent) == [] and _waiting(db, family.teen) == []
        unread = notifications.unread_count(db, family.parent)
    assert unread == 0, "co-signing answers the request"


def test_an_agreement_waits_on_the_side_that_has_not_signed(app, db):
    family = make_family(db)
    with app.test_request_context():
        proposed = agreements.propose(
            session=db,
            membership=family.teen_membership,
            proposer=family.teen,
            terms=TERMS,
            now=utc_now(),
        )
        db.commit()
        assert _tasks(db, family.parent) == [("agreement", family.teen.display_name)]
        assert _waiting(db, family.teen) == [("agreement", False)]
        told = db.exec(select(Notification).where(Notification.user_id == family.parent.id))
        assert [n.kind for n in told] == [NotificationKind.AGREEMENT_PROPOSED]
        agreements.sign(
            session=db,
            membership=family.teen_membership,
            agreement=proposed,
            signer=family.parent,
            now=utc_now(),
        )
        db.commit()
        assert _tasks(db, family.parent) == [] and _waiting(db, family.teen) == []
        # A parent's proposal is the teen's turn: a to-do for them, nothing for the parent.
        agreements.propose(
            session=db,
            membership=family.teen_membership,
            proposer=family.parent,
            terms=TERMS,
            now=utc_now(),
        )
        db.commit()
        assert _waiting(db, family.teen) == [("agreement", True)]
        assert _tasks(db, family.parent) == []
    signed = db.exec(
        select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.AGREEMENT_SIGNED)
    ).all()
    assert len(signed) == 2, "the parent's signature and their proposal are in the teen's log"


def test_posts_sign_off_flags_and_talks_reach_the_list(app, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    with app.test_request_context():
        first = make_post(db, family.group, family.teen_membership, "First post of the week")
        make_post(db, family.group, family.teen_membership, "Second post of the week")
        [review] = todo.for_supervisor(
            db, family.parent, modules=real_catalog().modules(), now=utc_now()
        )
        assert (review.task, review.count, review.post_id) == (todo.Task.REVIEW, 2, first.id)
        assert _waiting(db, family.teen) == [("review", False)]
        approve(db, first, by=family.parent)
        set_level(db, family.teen_membership, Level.PROVISIONAL)
        published = make_post(db, family.group, family.teen_membership, "A published one")
        practice.flag(
            session=db, post=published, supervisor=family.parent, note="Let's talk", now=utc_now()
        )
        answer_quiz(db, family.teen, "public-by-default")
        family.teen_membership.signoff_requested_at = utc_now()
        db.add(family.teen_membership)
        db.commit()
        tasks = [t for t, _name in _tasks(db, family.parent)]
        assert tasks == ["review", "signoff", "flag", "talk"]
        progress.mark_discussed(
            session=db,
            membership=family.teen_membership,
            module=real_catalog().get("public-by-default"),
            supervisor=family.parent,
            note=None,
            now=utc_now(),
        )
        db.commit()
        assert "talk" not in [t for t, _name in _tasks(db, family.parent)]


def test_the_dashboard_leads_straight_to_each_thing(app, client, db):
    family = make_family(db)
    with app.test_request_context():
        _save_privacy(db, family.teen)
    login(client, family.parent)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Waiting for you" in page
    assert f"{family.teen.display_name} saved their privacy setup" in page
    progress_url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress"
    assert f'href="{progress_url}#privacy"' in page
    group_page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert "saved their privacy setup" in group_page
    login(client, family.teen)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "waiting for your parent to co-sign it" in page


def test_a_supervisor_with_nothing_waiting_is_told_so(app, client, db):
    family = make_family(db)
    login(client, family.parent)
    assert "Nothing waits for you right now." in client.get("/dashboard").get_data(as_text=True)


@pytest.mark.parametrize("families", [1, 6])
def test_the_to_do_list_reads_a_fixed_number_of_queries(app, db, families):
    parent = make_supervisor(db)
    for _ in range(families):
        family = make_family(db)
        db.add(Membership(group_id=family.group.id, user_id=parent.id, role=Role.SUPERVISOR))
        db.commit()
        set_level(db, family.teen_membership, Level.PERMIT)
        make_post(db, family.group, family.teen_membership, "Waiting here")
        with app.test_request_context():
            _save_privacy(db, family.teen)
    with app.test_request_context(), QueryCounter(app.extensions["engine"]) as counter:
        lines = todo.for_supervisor(db, parent, modules=real_catalog().modules(), now=utc_now())
    assert len(lines) == 2 * families
    # Posts waiting and the privacy states come in the learners' own query, the talks due
    # with what was discussed in one.
    assert counter.count == 4, counter.statements


def test_alike_notifications_are_one_line_that_names_the_posts(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    bodies = [f"Practice post number {n} about my weekend at the lake" for n in range(4)]
    for body in bodies:
        approve(db, make_post(db, family.group, family.teen_membership, body), by=family.parent)
    login(client, family.teen)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count("approved your post") == 1 and "(4 times)" in page
    assert "<q>Practice post number 3 about my weekend at the lake</q>" in page
    assert "and 1 more" in page


def test_a_long_post_is_named_by_its_first_words():
    body = "word " * 40
    words = notifications.excerpt(body)
    assert words.endswith("…") and len(words) <= notifications.EXCERPT_CHARS + 1
    assert notifications.excerpt("  short\n post ") == "short post"


def test_the_log_names_the_post_and_the_rules_that_changed(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "My walk in the hills today")
    approve(db, made, by=family.parent)
    login(client, family.parent)
    numbers = {"permit_approved": 8, "permit_clean_streak": 5, "provisional_days": 14}
    numbers["provisional_posts"] = 10
    assert post(client, f"/groups/{family.group.id}/ladder", numbers).status_code == 302
    login(client, family.teen)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/log"
    log = client.get(url).get_data(as_text=True)
    assert re.search(r"approved\s*<a [^>]*><q>My walk in the hills today</q></a>", log)
    assert "changed the ladder&#39;s numbers" in log or "changed the ladder's numbers" in log
    assert "approved posts to leave the permit: 10 → 8" in log
    assert "approved a post the post" not in log


def test_saving_the_same_numbers_logs_nothing(app, db):
    family = make_family(db)
    with app.test_request_context():
        same = ladder.rules_for(db, family.group).numbers
        ladder.save_numbers(
            session=db, group=family.group, numbers=same, supervisor=family.parent, now=utc_now()
        )
        db.commit()
    assert fresh(db).exec(select(SupervisionEvent)).all() == []


def test_the_road_shows_the_numbers_in_force_and_where_the_learner_is(app, db):
    family = make_family(db)
    with app.test_request_context():
        rules = ladder.rules_for(db, family.group)
        stops = ladder.road(rules, Level.PERMIT)
        assert [s.level for s in stops] == [
            Level.INSTRUCTION,
            Level.PERMIT,
            Level.PROVISIONAL,
            Level.LICENSED,
        ]
        assert [s.where for s in stops] == ["past", "here", "ahead", "ahead"]
        assert stops[1].to_next.startswith("10 approved posts, the last 5 with no changes asked")
        assert stops[2].to_next.startswith("14 days, 10 posts with no flag")
        assert stops[3].to_next is None
        company = make_workplace(db, staff=1)
        work = ladder.road(ladder.rules_for(db, company.group), Level.INSTRUCTION)
    assert [s.level for s in work] == [Level.INSTRUCTION, Level.PERMIT, Level.LICENSED]
    assert "policy acknowledged" in work[0].to_next


def test_the_ladder_and_family_pages_show_the_whole_road(app, client, db):
    family = make_family(db)
    login(client, family.teen)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    page = client.get(url).get_data(as_text=True)
    assert "The whole road" in page and "You are here" in page
    assert "10 approved posts, the last 5 with no changes asked" in page
    login(client, family.parent)
    page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert "who is where" in page and family.teen.display_name in page
    assert "14 days, 10 posts with no flag" in page


def test_the_provisional_level_says_exactly_what_is_held(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PROVISIONAL)
    login(client, family.teen)
    page = client.get(f"/groups/{family.group.id}").get_data(as_text=True)
    assert "risky ones still wait" not in page
    assert "the coach finds something serious" in page


def test_a_parent_is_offered_a_family_without_a_school_year(app, client, db):
    parent = make_supervisor(db, kind=AccountKind.PARENT)
    login(client, parent)
    page = client.get("/groups/new").get_data(as_text=True)
    assert "Classroom" not in page and "Workplace" not in page and "School year" not in page
    assert "New group: Family" in page
    every = client.get("/groups/new?every=1").get_data(as_text=True)
    assert "Classroom" in every and "School year" in every
    teacher = make_classroom(db, students=0).teacher
    login(client, teacher)
    page = client.get("/groups/new").get_data(as_text=True)
    assert "School year (optional)" in page and "Family" not in page


@pytest.mark.parametrize(
    ("kind", "words", "not_words"),
    [
        (GroupKind.FAMILY, ["Parent or mentor", "Teen"], ["co-teacher", "Supervisor"]),
        (GroupKind.CLASSROOM, ["Teacher", "Student"], ["second parent", "Supervisor"]),
        (GroupKind.WORKPLACE, ["Manager", "Staff member"], ["second parent", "Supervisor"]),
    ],
)
def test_invites_use_the_groups_own_words(app, client, db, kind, words, not_words):
    if kind is GroupKind.FAMILY:
        made = make_family(db)
        owner, group = made.parent, made.group.id
    elif kind is GroupKind.CLASSROOM:
        made = make_classroom(db, students=0)
        owner, group = made.teacher, made.group.id
    else:
        made = make_workplace(db, staff=0)
        owner, group = made.admin, made.group.id
    login(client, owner)
    form = client.get(f"/groups/{group}/invites/new").get_data(as_text=True)
    page = client.get(f"/groups/{group}").get_data(as_text=True)
    for word in words:
        assert f"> {word}</label>" in form or f">{word}</label>" in form or word in form
    for word in not_words:
        assert word not in form
    assert "a co-teacher, a manager" not in page


def test_an_invite_says_sent_only_when_it_was(app, client, db):
    from tests.smtpsink import SmtpSink

    family = make_family(db)
    login(client, family.parent)
    url = f"/groups/{family.group.id}/invites/new"
    page = post(client, url, {"role": "supervisor", "email": "alex@example.com"}).get_data(
        as_text=True
    )
    assert "nothing was sent to alex@example.com" in page and "We sent this link" not in page
    with SmtpSink() as sink:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, SMTP_STARTTLS="0")
        page = post(client, url, {"role": "supervisor", "email": "sam@example.com"}).get_data(
            as_text=True
        )
        assert len(sink.messages) == 1
    assert "We sent this link to sam@example.com" in page


def test_sending_the_same_post_again_lands_on_the_first(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    login(client, family.teen)
    url = f"/groups/{family.group.id}/posts/new"
    fields = {"body": "Off to the lake with my cousins", "audience": "public", "action": "submit"}
    # The back button brings the form again with a new token: the same text still makes one.
    first = post(client, url, {**fields, "token": "token-one"})
    again = post(client, url, {**fields, "token": "token-two"})
    assert first.headers["Location"] == again.headers["Location"]
    made = fresh(db).exec(select(PracticePost).where(PracticePost.parent_id.is_(None))).all()
    assert len(made) == 1 and made[0].status is PostStatus.PENDING
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "You had sent this post already" in page
    other = post(client, url, {**fields, "body": "Something else entirely", "token": "t3"})
    assert other.headers["Location"] != first.headers["Location"]


def test_the_agreement_form_names_every_empty_part_at_once(app, client, db):
    family = make_family(db)
    login(client, family.teen)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/agreement"
    response = post(client, url, {})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count("Fill in this part of the agreement.") == len(agreements.REQUIRED_TERMS)
    assert "Your progress" in page and "Progress of" not in page


def test_a_replaced_word_is_kept_apart_from_its_replacement():
    diff = str(practice.word_diff("Text here", "this here"))
    assert "<del>Text</del> <ins>this</ins>" in diff
    assert str(practice.word_diff("a b", "a b c")).endswith("<ins> c</ins>")


def test_the_review_page_says_your_decision_once_and_no_photo_no_remove(app, client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "Nothing to see here")
    login(client, family.parent)
    page = client.get(f"/groups/{family.group.id}/posts/{made.id}").get_data(as_text=True)
    assert page.count("Your decision") == 1
    login(client, family.teen)
    edit = client.get(f"/groups/{family.group.id}/posts/{made.id}/edit").get_data(as_text=True)
    assert "Remove the photo" not in edit


@pytest.mark.parametrize(
    ("kind", "word"),
    [(GroupKind.FAMILY, "parents and mentors"), (GroupKind.CLASSROOM, "teachers")],
)
def test_a_learners_pages_name_the_supervisors_as_the_group_does(app, client, db, kind, word):
    if kind is GroupKind.FAMILY:
        made = make_family(db)
        group, membership, learner = made.group, made.teen_membership, made.teen
    else:
        made = make_classroom(db, students=1)
        (learner, membership), group = made.students[0], made.group
    login(client, learner)
    base = f"/groups/{group.id}/members/{membership.id}"
    for page in ("/log", "/ladder", "/visibility"):
        html = client.get(base + page).get_data(as_text=True)
        assert word in html, page
        assert "What supervisors" not in html and "your supervisors" not in html, page


def test_every_kind_of_line_links_and_reads_as_its_own_words(app, client, db):
    """The list's words come translated once for the page and its links are built from the
    group's address: each line still reads as `_()` gives it (the name escaped) and links
    where url_for says, in English and German."""
    import flask_babel
    from flask import url_for
    from markupsafe import escape

    family = make_family(db)
    teen, m = family.teen, family.teen_membership
    teen.display_name = 'Sam <b>"&"</b>'
    db.add(teen)
    set_level(db, m, Level.PERMIT)
    with app.test_request_context():
        pending = make_post(db, family.group, m, "Waiting for a look")
        set_level(db, m, Level.PROVISIONAL)
        published = make_post(db, family.group, m, "A published one")
        practice.flag(
            session=db, post=published, supervisor=family.parent, note="Let's talk", now=utc_now()
        )
        answer_quiz(db, teen, "public-by-default")
        _save_privacy(db, teen)
        agreements.propose(session=db, membership=m, proposer=teen, terms=TERMS, now=utc_now())
        m.signoff_requested_at = utc_now()
        db.add(m)
        db.commit()
    module = real_catalog().get("public-by-default")
    for locale in ("en", "de"):
        family.parent.locale = locale
        db.add(family.parent)
        db.commit()
        login(client, family.parent)
        page = client.get("/dashboard").get_data(as_text=True)
        name = escape(teen.display_name)
        g, mid = family.group.id, m.id
        with app.test_request_context(), flask_babel.force_locale(locale):
            _ = flask_babel.gettext
            expected = {
                "review": (
                    flask_babel.ngettext(
                        "%(name)s: %(num)d post waits for your review",
                        "%(name)s: %(num)d posts wait for your review",
                        1,
                        name=name,
                    ),
                    url_for("practice.show_post", group_id=g, post_id=pending.id),
                    _("Review"),
                ),
                "signoff": (
                    _("%(name)s asks you to sign off to the next level", name=name),
                    url_for("supervision.ladder_page", group_id=g, member_id=mid),
                    _("Check and sign off"),
                ),
                "cosign": (
                    _(
                        "%(name)s saved their privacy setup: walk through it together and "
                        "co-sign it",
                        name=name,
                    ),
                    url_for("supervision.show", group_id=g, member_id=mid) + "#privacy",
                    _("Co-sign"),
                ),
                "agreement": (
                    _("%(name)s proposed a family agreement: read it and sign it", name=name),
                    url_for("supervision.agreement", group_id=g, member_id=mid),
                    _("Read and sign"),
                ),
                "flag": (
                    _("Talk with %(name)s about a flagged post", name=name),
                    url_for("practice.show_post", group_id=g, post_id=published.id),
                    _("Open the post"),
                ),
                "talk": (
                    _(
                        "%(name)s finished “%(title)s”: talk about it",
                        name=name,
                        title=escape(real_catalog().get(module.id, locale).title),
                    ),
                    url_for("supervision.show", group_id=g, member_id=mid) + f"#module-{module.id}",
                    _("See the prompts"),
                ),
            }
        if locale == "de":
            assert expected["signoff"][2] != "Check and sign off"
        for task, (words, link, button) in expected.items():
            line = page[page.index(f'<li class="todo todo-{task}">') :]
            line = line[: line.index("</li>")]
            assert f"<span>{words}</span>" in line, task
            assert f'href="{link}">{button}</a>' in line, task
