"""The ladder: pure rules table-driven without HTTP, then sign-off, step back and licenses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from learner import ladder, notifications, practice, progress
from learner.core.db import utc_now
from learner.models import (
    EventKind,
    GroupKind,
    Level,
    LicenseCertificate,
    Notification,
    NotificationKind,
    SupervisionEvent,
)
from tests.factories import (
    answer_quiz,
    approve,
    complete_stage,
    cosign,
    fresh,
    make_family,
    make_group,
    make_learner,
    make_post,
    make_supervisor,
    pass_scenarios,
    real_catalog,
    request_changes,
    set_level,
)
from tests.helpers import login, logout, post, reload

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
FAMILY = ladder.DEFAULTS[GroupKind.FAMILY]
CLASSROOM = ladder.DEFAULTS[GroupKind.CLASSROOM]
WORKPLACE = ladder.DEFAULTS[GroupKind.WORKPLACE]


def facts(level=Level.PERMIT, **changes) -> ladder.Facts:
    values = {
        "level": level,
        "level_since": NOW - timedelta(days=30),
        "lessons_done": 3,
        "lessons_total": 3,
        "privacy_cosigned": True,
        "approved_posts": 10,
        "clean_streak": 5,
        "open_high_posts": 0,
        "unflagged_posts": 10,
        "policy_acknowledged": True,
    }
    values.update(changes)
    return ladder.Facts(**values)


def unmet(checklist) -> set[str]:
    return {r.id for r in checklist if not r.met}


@pytest.mark.parametrize(
    ("rules", "given", "missing"),
    [
        (FAMILY, facts(Level.INSTRUCTION), set()),
        (FAMILY, facts(Level.INSTRUCTION, lessons_done=2), {"lessons"}),
        (FAMILY, facts(Level.INSTRUCTION, privacy_cosigned=False), {"privacy"}),
        (WORKPLACE, facts(Level.INSTRUCTION, privacy_cosigned=False), set()),
        (WORKPLACE, facts(Level.INSTRUCTION, policy_acknowledged=False), {"policy"}),
        (FAMILY, facts(Level.INSTRUCTION, policy_acknowledged=False), set()),
        (FAMILY, facts(), set()),
        (FAMILY, facts(approved_posts=9), {"approved"}),
        (FAMILY, facts(clean_streak=4), {"clean_streak"}),
        (FAMILY, facts(open_high_posts=1), {"no_open_high"}),
        (FAMILY, facts(lessons_done=0), {"lessons"}),
        (CLASSROOM, facts(approved_posts=5, clean_streak=3), set()),
        (CLASSROOM, facts(approved_posts=4, clean_streak=2), {"approved", "clean_streak"}),
        (WORKPLACE, facts(approved_posts=3, clean_streak=0), set()),
        (WORKPLACE, facts(approved_posts=2, clean_streak=0), {"approved"}),
        (FAMILY, facts(Level.PROVISIONAL), set()),
        (FAMILY, facts(Level.PROVISIONAL, level_since=NOW - timedelta(days=13)), {"days"}),
        (FAMILY, facts(Level.PROVISIONAL, level_since=NOW - timedelta(days=14)), set()),
        (FAMILY, facts(Level.PROVISIONAL, unflagged_posts=9), {"unflagged"}),
        (
            CLASSROOM,
            facts(Level.PROVISIONAL, level_since=NOW - timedelta(days=7), unflagged_posts=5),
            set(),
        ),
        (CLASSROOM, facts(Level.PROVISIONAL, level_since=NOW - timedelta(days=6)), {"days"}),
    ],
)
def test_requirements(rules, given, missing):
    checklist = ladder.requirements(given, rules, NOW)
    assert unmet(checklist) == missing
    assert ladder.all_met(checklist) is (not missing)


def test_the_checklist_shows_progress_capped_at_the_need():
    checklist = ladder.requirements(facts(approved_posts=7, clean_streak=2), FAMILY, NOW)
    approved = next(r for r in checklist if r.id == "approved")
    assert (approved.have, approved.need) == (7, 10)
    streak = next(r for r in checklist if r.id == "clean_streak")
    assert (streak.have, streak.need) == (2, 5)
    assert "5" in streak.label


def test_licensed_has_no_checklist_and_cannot_be_signed_off():
    assert ladder.requirements(facts(Level.LICENSED), FAMILY, NOW) == []
    assert not ladder.all_met([])


@pytest.mark.parametrize(
    ("rules", "level", "up", "down"),
    [
        (FAMILY, Level.INSTRUCTION, Level.PERMIT, None),
        (FAMILY, Level.PERMIT, Level.PROVISIONAL, Level.INSTRUCTION),
        (FAMILY, Level.PROVISIONAL, Level.LICENSED, Level.PERMIT),
        (FAMILY, Level.LICENSED, None, Level.PROVISIONAL),
        (WORKPLACE, Level.PERMIT, Level.LICENSED, Level.INSTRUCTION),
        (WORKPLACE, Level.LICENSED, None, Level.PERMIT),
    ],
)
def test_next_and_previous_levels(rules, level, up, down):
    assert ladder.next_level(level, rules) is up
    assert ladder.previous_level(level, rules) is down


@pytest.mark.parametrize(
    ("numbers", "field"),
    [
        (ladder.Numbers(0, 0, 14, 10), "permit_approved"),
        (ladder.Numbers(51, 5, 14, 10), "permit_approved"),
        (ladder.Numbers(3, 5, 14, 10), "permit_clean_streak"),
        (ladder.Numbers(10, 5, 0, 10), "provisional_days"),
        (ladder.Numbers(10, 5, 14, 0), "provisional_posts"),
    ],
)
def test_nonsense_numbers_are_refused(numbers, field):
    assert field in ladder.check_numbers(numbers)


def test_sane_numbers_pass():
    assert ladder.check_numbers(ladder.Numbers(1, 0, 1, 1)) == {}
    assert ladder.check_numbers(FAMILY.numbers) == {}


def test_certificate_codes_are_normalised_and_unguessable():
    code = ladder.new_certificate_code()
    assert len(code) == 11 and code[5] == "-"
    assert ladder.normalize_certificate_code(code.lower().replace("-", " ")) == code
    assert len({ladder.new_certificate_code() for _ in range(200)}) == 200


# --- Facts from the database -------------------------------------------------------------


def modules(kind=GroupKind.FAMILY):
    return real_catalog().modules(tracks=progress.tracks_for([kind]))


def test_facts_count_approvals_streaks_and_open_serious_findings(db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    for i in range(3):
        approve(
            db,
            make_post(db, family.group, family.teen_membership, f"A calm post number {i}"),
            by=family.parent,
        )
    changed = make_post(db, family.group, family.teen_membership, "Needs a change")
    request_changes(db, changed, by=family.parent, note="try again")
    practice.revise(
        session=db,
        group=family.group,
        author=family.teen_membership,
        post=changed,
        draft=practice.Draft(body="Changed now", audience=changed.audience),
        base_revision=1,
        submit=True,
        now=utc_now(),
    )
    db.commit()
    approve(db, changed, by=family.parent)
    approve(
        db,
        make_post(db, family.group, family.teen_membership, "One more calm post"),
        by=family.parent,
    )
    make_post(db, family.group, family.teen_membership, "my password is Sunflower2009 ok")
    got = ladder.facts_for(
        db, membership=family.teen_membership, group=family.group, modules=modules()
    )
    assert got.approved_posts == 5
    assert got.clean_streak == 1  # the newest is clean, the one before needed changes
    assert got.open_high_posts == 1


def test_a_flag_restarts_the_count_of_unflagged_posts(db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PROVISIONAL, since=utc_now() - timedelta(days=1))
    posts = [
        make_post(db, family.group, family.teen_membership, f"Fun day number {i}") for i in range(3)
    ]
    got = ladder.facts_for(
        db, membership=family.teen_membership, group=family.group, modules=modules()
    )
    assert got.unflagged_posts == 3
    practice.flag(
        session=db, post=posts[1], supervisor=family.parent, note="let's talk", now=utc_now()
    )
    db.commit()
    make_post(db, family.group, family.teen_membership, "After the talk")
    got = ladder.facts_for(
        db, membership=family.teen_membership, group=family.group, modules=modules()
    )
    assert got.unflagged_posts == 1


# --- Sign-off, step back and the certificate through the web ------------------------------


def test_sign_off_is_refused_until_every_requirement_holds(client, db):
    family = make_family(db)
    login(client, family.parent)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    page = client.get(url).get_data(as_text=True)
    assert "0 of" in page and "Sign off to" not in page
    response = post(client, url + "/signoff", {"level": "instruction"})
    assert response.status_code == 302
    assert reload(db, family.teen_membership).level is Level.INSTRUCTION
    assert "Not every requirement holds yet" in client.get(url).get_data(as_text=True)


def _ready_for_permit(db, family):
    from learner import privacy, profile

    complete_stage(db, family.teen, kind=GroupKind.FAMILY, stage="instruction")
    pass_scenarios(db, family.teen, kind=GroupKind.FAMILY)
    choices = {s.id: s.options[0].value for s in privacy.SETTINGS}
    profile.save_privacy(session=db, user=family.teen, choices=choices, now=utc_now())
    cosign(db, family.teen_membership, by=family.parent)


def test_the_learner_asks_and_the_supervisor_signs_off(client, db):
    family = make_family(db)
    _ready_for_permit(db, family)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    login(client, family.teen)
    assert "Ask for sign-off" in client.get(url).get_data(as_text=True)
    assert post(client, url + "/request").status_code == 302
    assert reload(db, family.teen_membership).signoff_requested_at is not None
    told = db.exec(select(Notification).where(Notification.user_id == family.parent.id)).all()
    # Saving the setup asked for a co-signature, which the co-signing answered.
    unread = [n.kind for n in told if n.read_at is None]
    assert unread == [NotificationKind.SIGNOFF_REQUESTED]
    assert [n.kind for n in told if n.read_at] == [NotificationKind.COSIGN_REQUESTED]
    login(client, family.parent)
    assert post(client, url + "/signoff", {"level": "instruction"}).status_code == 302
    membership = reload(db, family.teen_membership)
    assert membership.level is Level.PERMIT and membership.signoff_requested_at is None
    event = db.exec(
        select(SupervisionEvent).where(SupervisionEvent.kind == EventKind.SIGNED_OFF)
    ).one()
    assert (event.level_from, event.level_to) == (Level.INSTRUCTION, Level.PERMIT)
    # Signing off again with the old level in the form is refused: no double promotion.
    post(client, url + "/signoff", {"level": "instruction"})
    assert reload(db, family.teen_membership).level is Level.PERMIT


def test_asking_too_early_says_what_is_missing(client, db):
    family = make_family(db)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    login(client, family.teen)
    post(client, url + "/request")
    assert "Not yet:" in client.get(url).get_data(as_text=True)
    assert reload(db, family.teen_membership).signoff_requested_at is None


def test_step_back_needs_a_reason_the_learner_reads(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PROVISIONAL)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder/step-back"
    login(client, family.parent)
    assert client.get(url).status_code == 200
    refused = post(client, url, {"level": "provisional", "reason": " "})
    assert (
        refused.status_code == 400
        and "Write the reason the learner will read." in refused.get_data(as_text=True)
    )
    assert (
        post(
            client, url, {"level": "provisional", "reason": "We saw two risky posts this week."}
        ).status_code
        == 302
    )
    assert reload(db, family.teen_membership).level is Level.PERMIT
    login(client, family.teen)
    log = client.get(f"/groups/{family.group.id}/members/{family.teen_membership.id}/log").get_data(
        as_text=True
    )
    assert "stepped back one level" in log and "We saw two risky posts this week." in log


def test_learners_cannot_sign_off_or_step_back(client, db):
    family = make_family(db)
    _ready_for_permit(db, family)
    base = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    login(client, family.teen)
    assert post(client, base + "/signoff", {"level": "instruction"}).status_code == 403
    assert (
        post(client, base + "/step-back", {"level": "instruction", "reason": "x"}).status_code
        == 403
    )
    assert reload(db, family.teen_membership).level is Level.INSTRUCTION


def test_a_license_brings_a_certificate_anyone_can_verify(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PROVISIONAL, since=utc_now() - timedelta(days=15))
    complete_stage(db, family.teen, kind=GroupKind.FAMILY, stage="license")
    for i in range(10):
        make_post(db, family.group, family.teen_membership, f"A good day out number {i}")
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder"
    login(client, family.parent)
    assert post(client, url + "/signoff", {"level": "provisional"}).status_code == 302
    assert reload(db, family.teen_membership).level is Level.LICENSED
    certificate = db.exec(select(LicenseCertificate)).one()
    page = client.get(url.replace("/ladder", "/certificate")).get_data(as_text=True)
    assert certificate.code in page and family.teen.display_name in page
    logout(client)
    public = client.get(f"/verify?code={certificate.code.lower()}")
    text = public.get_data(as_text=True)
    assert public.status_code == 200 and "Valid." in text
    assert family.teen.display_name.split()[0] in text and "Licensed" in text
    assert family.group.name not in text
    # A step back revokes it; the public page says so.
    login(client, family.parent)
    post(client, url + "/step-back", {"level": "licensed", "reason": "Let's practise more."})
    logout(client)
    revoked = client.get(f"/verify?code={certificate.code}").get_data(as_text=True)
    # Not valid, and nothing more: a stranger does not learn the teen was stepped back.
    assert "This certificate is not valid." in revoked
    assert family.teen.display_name.split()[0] not in revoked
    assert client.get("/verify?code=AAAAA-BBBBB").status_code == 404


def test_the_ladder_numbers_form_refuses_nonsense(client, db):
    family = make_family(db)
    url = f"/groups/{family.group.id}/ladder"
    login(client, family.parent)
    fields = {
        "permit_approved": "0",
        "permit_clean_streak": "0",
        "provisional_days": "14",
        "provisional_posts": "10",
    }
    response = post(client, url, fields)
    assert response.status_code == 400 and "Choose a number from 1 to 50." in response.get_data(
        as_text=True
    )
    response = post(client, url, fields | {"permit_approved": "3", "permit_clean_streak": "5"})
    assert response.status_code == 400
    assert "cannot be longer than the number of approved posts" in response.get_data(as_text=True)
    assert ladder.rules_for(db, family.group) == FAMILY
    assert (
        post(client, url, fields | {"permit_approved": "4", "permit_clean_streak": "2"}).status_code
        == 302
    )
    db.rollback()
    assert ladder.rules_for(db, family.group).numbers == ladder.Numbers(4, 2, 14, 10)
    login(client, family.teen)
    assert post(client, url, fields | {"permit_approved": "1"}).status_code == 403


def test_a_real_group_cannot_set_zero_days_at_provisional(client, db):
    # The demo's licensed teen is seeded with her weeks at provisional behind her; a real
    # group keeps at least one day.
    family = make_family(db)
    login(client, family.parent)
    fields = {
        "permit_approved": "10",
        "permit_clean_streak": "5",
        "provisional_days": "0",
        "provisional_posts": "10",
    }
    response = post(client, f"/groups/{family.group.id}/ladder", fields)
    assert response.status_code == 400
    assert "Choose a number from 1 to 90." in response.get_data(as_text=True)
    assert ladder.rules_for(db, family.group) == FAMILY


def test_classroom_and_workplace_defaults(db):
    teacher = make_supervisor(db)
    assert ladder.rules_for(
        db, make_group(db, teacher, kind=GroupKind.CLASSROOM)
    ).numbers == ladder.Numbers(5, 3, 7, 5)
    workplace = make_group(db, teacher, kind=GroupKind.WORKPLACE)
    assert ladder.rules_for(db, workplace).skip_provisional
    _staff, membership = make_learner(db, workplace)
    set_level(db, membership, Level.PERMIT)
    assert (
        ladder.standing(
            db,
            membership=membership,
            group=workplace,
            modules=modules(GroupKind.WORKPLACE),
            now=utc_now(),
        ).next_level
        is Level.LICENSED
    )


def test_digest_mails_unread_notifications_once_a_day(app, db, caplog):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    make_post(db, family.group, family.teen_membership)
    now = utc_now()
    with caplog.at_level("INFO", logger="learner.core.mail"):
        assert notifications.send_digests(session=db, now=now, link="http://x/notifications") == 1
        db.commit()
        assert notifications.send_digests(session=db, now=now + timedelta(hours=1), link="x") == 0
    mails = [r.getMessage() for r in caplog.records if "E-mail" in r.getMessage()]
    assert len(mails) == 1 and family.parent.email in mails[0]
    assert "A practice post waits for your review." in mails[0]
    # The teen has no e-mail address: nothing is sent to them, ever.
    assert "learner" not in mails[0].split(":")[0]


def test_notifications_page_counts_and_marks_read(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    make_post(db, family.group, family.teen_membership)
    login(client, family.parent)
    page = client.get("/notifications").get_data(as_text=True)
    assert "sent a post for review" in page and 'class="badge"' in page
    assert post(client, "/notifications/read").status_code == 302
    assert 'class="badge"' not in client.get("/notifications").get_data(as_text=True)


def test_a_flag_at_the_permit_breaks_the_clean_streak(db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    posts = [
        make_post(db, family.group, family.teen_membership, f"Calm post {i}") for i in range(3)
    ]
    for made in posts:
        approve(db, made, by=family.parent)
    assert (
        ladder.facts_for(
            db, membership=family.teen_membership, group=family.group, modules=modules()
        ).clean_streak
        == 3
    )
    practice.flag(
        session=db, post=posts[2], supervisor=family.parent, note="let's talk", now=utc_now()
    )
    db.commit()
    assert (
        ladder.facts_for(
            db, membership=family.teen_membership, group=family.group, modules=modules()
        ).clean_streak
        == 0
    )


def test_the_digest_command_runs_outside_a_request(app, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    make_post(db, family.group, family.teen_membership)
    result = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    assert "1 digest e-mails sent." in result.output
    again = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "0 digest e-mails sent." in again.output


def test_a_step_back_is_not_announced_as_a_promotion(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PROVISIONAL)
    login(client, family.parent)
    post(
        client,
        f"/groups/{family.group.id}/members/{family.teen_membership.id}/ladder/step-back",
        {"level": "provisional", "reason": "We need to talk."},
    )
    login(client, family.teen)
    page = client.get("/notifications").get_data(as_text=True)
    assert "you are back at the learner&#39;s permit" in page
    assert "you have your learner" not in page


# --- The lessons of the first step --------------------------------------------------------


def _instruction_ids(kind: GroupKind) -> list[str]:
    modules = real_catalog().modules(tracks=progress.tracks_for([kind]))
    return [m.id for m in ladder.stage_modules(modules, Level.INSTRUCTION)]


def test_a_class_that_chose_two_lessons_needs_only_those_and_the_privacy_sign_off(client, db):
    teacher = make_supervisor(db)
    group = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    student, membership = make_learner(db, group)
    offered = _instruction_ids(GroupKind.CLASSROOM)
    login(client, teacher)
    fields = {
        "permit_approved": "5",
        "permit_clean_streak": "3",
        "provisional_days": "7",
        "provisional_posts": "5",
    }
    chosen = ["public-by-default", "netiquette"]
    # A post without the lesson boxes leaves the lessons alone ...
    assert post(client, f"/groups/{group.id}/ladder", fields).status_code == 302
    assert ladder.rules_for(fresh(db), group).first_lessons is None
    # ... the page's form sends them, with its marker.
    boxes = [("lessons_shown", "1"), *(("first_lessons", m) for m in chosen)]
    form = MultiDict([*fields.items(), *boxes])
    assert post(client, f"/groups/{group.id}/ladder", form).status_code == 302
    rules = ladder.rules_for(fresh(db), group)
    # The two chosen, and the two that always stay.
    assert rules.first_lessons == {"public-by-default", "netiquette", *ladder.ALWAYS_REQUIRED}
    for module_id in rules.first_lessons:
        answer_quiz(db, student, module_id)
    modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.CLASSROOM]))
    with client.application.test_request_context():
        standing = ladder.standing(
            fresh(db), membership=membership, group=group, modules=modules, now=utc_now()
        )
        lessons = next(r for r in standing.checklist if r.id == "lessons")
        assert lessons.met and lessons.need == 4 < len(offered)
        assert [r.id for r in standing.checklist if not r.met] == ["privacy"]
        road = ladder.road(rules, Level.INSTRUCTION)[0].to_next
        assert "the 4 instruction lessons the group chose passed" in road
    # Every learner's log says the road changed: 6 lessons before, 4 now.
    login(client, student)
    log = client.get(f"/groups/{group.id}/members/{membership.id}/log").get_data(as_text=True)
    assert f"instruction lessons the permit needs: {len(offered)} → 4" in log


def test_the_privacy_and_personal_information_lessons_always_stay(app, db):
    family = make_family(db)
    modules = real_catalog().modules(tracks=progress.tracks_for([GroupKind.FAMILY]))
    offered = ladder.stage_modules(modules, Level.INSTRUCTION)
    numbers = ladder.rules_for(db, family.group).numbers
    with app.test_request_context():
        with pytest.raises(ladder.LadderError) as refused:
            ladder.save_numbers(
                session=db,
                group=family.group,
                numbers=numbers,
                supervisor=family.parent,
                now=utc_now(),
                first_lessons=frozenset({"netiquette", "privacy-settings"}),
                offered=offered,
            )
        assert refused.value.field == "first_lessons"
        assert "Personal information" in str(refused.value.message)
        with pytest.raises(ladder.LadderError):  # not an instruction lesson
            ladder.save_numbers(
                session=db,
                group=family.group,
                numbers=numbers,
                supervisor=family.parent,
                now=utc_now(),
                first_lessons=frozenset({"mistakes-happen", *ladder.ALWAYS_REQUIRED}),
                offered=offered,
            )
        db.rollback()
        assert ladder.rules_for(db, family.group).first_lessons is None
        # Choosing every lesson is the default again (lessons added later count too).
        ladder.save_numbers(
            session=db,
            group=family.group,
            numbers=numbers,
            supervisor=family.parent,
            now=utc_now(),
            first_lessons=frozenset(m.id for m in offered),
            offered=offered,
        )
        db.commit()
    assert ladder.rules_for(fresh(db), family.group).first_lessons is None
    assert fresh(db).exec(select(SupervisionEvent)).all() == []  # nothing changed


def test_the_ladder_page_keeps_the_required_lessons_ticked_and_locked(client, db):
    family = make_family(db)
    login(client, family.parent)
    page = client.get(f"/groups/{family.group.id}/ladder").get_data(as_text=True)
    for module_id in ladder.ALWAYS_REQUIRED:
        assert re.search(rf'<input type="checkbox" checked disabled [^>]*value="{module_id}"', page)
        assert f'name="first_lessons" type="checkbox" value="{module_id}"' not in page
    assert page.count("always required") == len(ladder.ALWAYS_REQUIRED)
    assert 'name="first_lessons" type="checkbox" value="family-agreement"' in page
    assert 'name="lessons_shown" type="hidden" value="1"' in page
