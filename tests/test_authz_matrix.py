"""Every route, every role: who gets in, who is refused, and that refusals write nothing.

The route list comes from the app itself: a new route that is not in MATRIX fails
`test_every_route_is_in_the_matrix` until someone decides who may use it.

Speed: the matrix has about 900 items per backend, and building the world and an app for
each one took most of the suite's time. So, per backend, the world is built once into a
template database (a SQLite file; a PostgreSQL database used with CREATE DATABASE ...
TEMPLATE), and one app serves every item. Each item still starts from the untouched
world: the app's engine counts the statements that could write, and whenever an item
wrote anything (an allowed POST, a GET that logs a visit) its database is replaced by a
fresh copy of the template before the next item. Refusals write nothing (the items check
it), so most items share one copy. The ids are the same in every copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlmodel import Session

from app import create_app
from learner import accounts, cli, live, practice, scenarios
from learner import workplace as workplace_service
from learner.core.db import make_engine, utc_now
from learner.core.images import clean_image
from learner.models import (
    AccountKind,
    Assignment,
    Audience,
    GroupKind,
    Level,
    LicenseCertificate,
    Membership,
    RefresherItem,
    Role,
    ScenarioAssignment,
)
from tests.conftest import BACKENDS, test_config
from tests.factories import (
    add_supervisor,
    give_learner_history,
    make_family,
    make_group,
    make_invite,
    make_learner,
    make_supervisor,
    png_bytes,
    real_catalog,
    set_level,
)
from tests.helpers import csrf_token, login, snapshot

ROLES = (
    "anonymous",
    "learner",
    "other_learner",
    "supervisor",
    "other_supervisor",
    "org_admin",
    "site_admin",
    "deactivated",
)

LOGIN = "login"  # a redirect to the login page
REDIRECT = "redirect"  # a redirect anywhere else (the action was allowed)
DENIED = {LOGIN, 403, 404}


@dataclass
class World:
    """Two groups and someone for each role; ids for the URLs."""

    users: dict
    ids: dict


def build_world(db) -> World:
    family = make_family(db)
    deactivated = make_supervisor(db)
    add_supervisor(db, family.group, deactivated)
    accounts.set_active(session=db, user=deactivated, active=False)
    org_admin = make_supervisor(db, kind=AccountKind.ORG_ADMIN)
    workplace = make_group(db, org_admin, kind=GroupKind.WORKPLACE)
    staff, staff_membership = make_learner(db, workplace)
    teacher = make_supervisor(db, kind=AccountKind.TEACHER)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    site_admin = make_supervisor(db, kind=AccountKind.ORG_ADMIN)
    site_admin.is_site_admin = True
    db.add(site_admin)
    invite, token = make_invite(db, family.group, family.parent)
    staff_invite, _token = make_invite(db, workplace, org_admin, email="new.hire@example.com")
    attempt, agreement = give_learner_history(db, family)
    waiting = _practice_post(db, family)
    assignment, scenario_assignment, session_id = _class_with_the_teen(
        db, classroom, teacher, family
    )
    refresher = RefresherItem(
        user_id=family.teen.id,
        module_id="public-by-default",
        round=7,
        question_id=real_catalog().get("public-by-default").quiz[0].id,
        due_at=utc_now(),
    )
    db.add(refresher)
    finished_run = _scenario_runs(db, family)
    db.commit()
    users = {
        "anonymous": None,
        "learner": family.teen,
        "other_learner": staff,
        "supervisor": family.parent,
        "other_supervisor": teacher,
        "org_admin": org_admin,
        "site_admin": site_admin,
        "deactivated": deactivated,
    }
    ids = {
        "group": family.group.id,
        "member": family.teen_membership.id,
        "invite": invite.id,
        "staff_invite": staff_invite.id,
        "token": token,
        "user": family.teen.id,
        "attempt": attempt.id,
        "agreement": agreement.id,
        "post": waiting.id,
        "class": classroom.id,
        "assignment": assignment.id,
        "scenario_assignment": scenario_assignment.id,
        "live": session_id,
        "workplace": workplace.id,
        "staff": staff_membership.id,
        "policy": _published_policy(db, workplace, org_admin).id,
        "rule": "privacy.credentials.secret",
        "refresher": refresher.id,
        "scenario": "new-follower-dm",
        "run": finished_run.id,
    }
    return World(users=users, ids=ids)


def _practice_post(db, family):
    """The teen at the permit with a post (and photo) waiting for review, and a license
    certificate so its page exists."""
    set_level(db, family.teen_membership, Level.PERMIT)
    waiting, _created = practice.compose(
        session=db,
        group=family.group,
        author=family.teen_membership,
        draft=practice.Draft(
            body="my password is Sunflower2009",
            audience=Audience.PUBLIC,
            image=clean_image(png_bytes()),
        ),
        submit=True,
        client_token=None,
        now=utc_now(),
    )
    db.add(
        LicenseCertificate(
            membership_id=family.teen_membership.id, code="ABCDE-23456", first_name="Leo"
        )
    )
    return waiting


def _class_with_the_teen(db, classroom, teacher, family):
    """The teen is also a student in the teacher's class (a learner may be in several
    groups), with an assigned lesson and scenario and a live session on."""
    db.add(
        Membership(
            group_id=classroom.id,
            user_id=family.teen.id,
            role=Role.LEARNER,
            level=Level.INSTRUCTION,
        )
    )
    module = real_catalog().get("public-by-default")
    assignment = Assignment(
        group_id=classroom.id, module_id=module.id, due_on=date.today(), assigned_by_id=teacher.id
    )
    db.add(assignment)
    scenario_assignment = ScenarioAssignment(
        group_id=classroom.id,
        scenario_id="new-follower-dm",
        due_on=date.today(),
        assigned_by_id=teacher.id,
    )
    db.add(scenario_assignment)
    started = live.start(session=db, group=classroom, module=module, teacher=teacher, now=utc_now())
    db.flush()
    return assignment, scenario_assignment, started.id


def _scenario_runs(db, family):
    """The teen finished the scenario once and plays it again now (the latest run is open)."""
    from flask import current_app

    scenario = current_app.extensions["scenarios"].get("new-follower-dm")
    now = utc_now()
    done = scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
    scenarios.finish(session=db, run=done, scenario=scenario, acts=[], now=now)
    scenarios.start_run(session=db, user=family.teen, scenario=scenario, now=now)
    return done


def _published_policy(db, group, admin):
    version = workplace_service.save_draft(
        session=db, group=group, title="Policy", body="Be kind.", editor=admin, now=utc_now()
    )
    workplace_service.publish(session=db, group=group, version=version, admin=admin, now=utc_now())
    db.commit()
    return version


def everyone(status, **exceptions):
    """The same expectation for every role, with exceptions by role."""
    return {role: exceptions.get(role, status) for role in ROLES}


def logged_in(status, **exceptions):
    """Anonymous and deactivated visitors are sent to log in; the rest get `status`."""
    return everyone(status, anonymous=LOGIN, deactivated=LOGIN, **exceptions)


def only_visitors(status, others):
    """Pages for people who are not logged in (the deactivated count as visitors)."""
    return everyone(others, anonymous=status, deactivated=status)


def group_member(supervisor, learner):
    """A group page: its supervisor and learner get in; other groups' members get 404."""
    return logged_in(404, supervisor=supervisor, learner=learner)


def class_member(teacher, student):
    """A class page: its teacher and the student (the teen) get in; everyone else 404."""
    return logged_in(404, other_supervisor=teacher, learner=student)


def workplace_member(admin, staff):
    """A workplace page: its organisation admin and its staff member get in; others 404."""
    return logged_in(404, org_admin=admin, other_learner=staff)


def learners_only(learner, other_learner):
    """Learner accounts play scenarios; supervisors of every kind get 403."""
    return logged_in(403, learner=learner, other_learner=other_learner)


def site_admin_only(status):
    return logged_in(404, site_admin=status)


G = "/groups/{group}"
M = G + "/members/{member}"
P = G + "/posts/{post}"
C = "/groups/{class}"
W = "/groups/{workplace}"
S = "/scenarios/{scenario}"
MATRIX: dict[tuple[str, str], tuple[str, dict]] = {
    ("main.landing", "GET"): ("/", everyone(200)),
    ("main.health", "GET"): ("/healthz", everyone(200)),
    # The footer's language chooser: anyone; an empty form is refused, nothing is kept.
    ("main.choose_language", "POST"): ("/language", everyone(400)),
    ("main.dashboard", "GET"): ("/dashboard", logged_in(200)),
    ("main.account", "GET"): ("/account", logged_in(200)),
    ("main.account", "POST"): ("/account", logged_in(REDIRECT)),  # missing fields keep values
    ("main.change_password", "GET"): ("/account/password", logged_in(200)),
    ("main.change_password", "POST"): ("/account/password", logged_in(400)),
    ("auth.signup", "GET"): ("/signup", only_visitors(200, REDIRECT)),
    ("auth.signup", "POST"): ("/signup", only_visitors(400, REDIRECT)),
    ("auth.login", "GET"): ("/login", only_visitors(200, REDIRECT)),
    ("auth.login", "POST"): ("/login", only_visitors(400, REDIRECT)),
    ("auth.logout", "POST"): ("/logout", logged_in(REDIRECT)),
    ("auth.join", "GET"): ("/join", everyone(200)),
    ("auth.join", "POST"): ("/join", everyone(400)),
    ("auth.invite", "GET"): ("/invite/{token}", everyone(200)),
    # Whoever holds an unused link may use it; members already in the group cannot.
    ("auth.invite", "POST"): (
        "/invite/{token}",
        only_visitors(400, REDIRECT) | {"learner": 400, "supervisor": 400},
    ),
    ("groups.new", "GET"): ("/groups/new", logged_in(200)),
    ("groups.new", "POST"): ("/groups/new", logged_in(400)),
    ("groups.show", "GET"): (G, group_member(200, 200)),
    ("groups.rotate_code", "POST"): (G + "/code/rotate", group_member(REDIRECT, 403)),
    ("groups.code_settings", "POST"): (G + "/code/settings", group_member(REDIRECT, 403)),
    ("groups.consent", "POST"): (G + "/consent", group_member(REDIRECT, 403)),
    ("groups.new_learner", "GET"): (G + "/learners/new", group_member(200, 403)),
    ("groups.new_learner", "POST"): (G + "/learners/new", group_member(400, 403)),
    ("groups.new_invite", "GET"): (G + "/invites/new", group_member(200, 403)),
    ("groups.new_invite", "POST"): (G + "/invites/new", group_member(400, 403)),
    ("groups.revoke_invite", "POST"): (G + "/invites/{invite}/revoke", group_member(REDIRECT, 403)),
    ("groups.reset_password", "GET"): (M + "/password", group_member(200, 403)),
    ("groups.reset_password", "POST"): (M + "/password", group_member(200, 403)),
    ("groups.remove_member", "GET"): (M + "/remove", group_member(200, 403)),
    ("groups.remove_member", "POST"): (M + "/remove", group_member(REDIRECT, 403)),
    # Class lists exist for classrooms only (a family's answers 404, see tests/test_roster.py).
    ("roster.upload", "GET"): (C + "/roster", class_member(200, 403)),
    ("roster.upload", "POST"): (C + "/roster", class_member(400, 403)),  # no file
    ("roster.new_cards", "GET"): (C + "/roster/cards", class_member(200, 403)),
    ("roster.new_cards", "POST"): (C + "/roster/cards", class_member(400, 403)),  # none chosen
    ("lessons.index", "GET"): ("/lessons", logged_in(200)),
    ("lessons.show", "GET"): ("/lessons/public-by-default", logged_in(200)),
    ("lessons.submit_quiz", "POST"): ("/lessons/public-by-default/quiz", logged_in(400)),
    # The check before a lesson: anyone studying it; a bare POST is a check left blank.
    ("lessons.pretest", "GET"): ("/lessons/netiquette/pretest", logged_in(200)),
    ("lessons.pretest", "POST"): ("/lessons/netiquette/pretest", logged_in(REDIRECT)),
    # Learning figures: a group's supervisors (any kind of group); its learners 403.
    ("learning.group_csv", "GET"): (G + "/learning.csv", group_member(200, 403)),
    ("learning.learners_csv", "GET"): (G + "/learning-by-learner.csv", group_member(200, 403)),
    # A refresher is its learner's own (a bare POST: no answer chosen, 400).
    ("learning.answer_refresher", "POST"): ("/refreshers/{refresher}", logged_in(404, learner=400)),
    ("lessons.attempt", "GET"): (
        "/lessons/public-by-default/attempts/{attempt}",
        logged_in(404, learner=200),
    ),
    ("lessons.privacy_setup", "GET"): ("/privacy", logged_in(200)),
    ("lessons.privacy_setup", "POST"): ("/privacy", logged_in(400)),
    ("lessons.brand", "GET"): ("/brand", logged_in(200)),
    ("lessons.brand", "POST"): ("/brand", logged_in(400, learner=REDIRECT)),  # keeps values
    ("lessons.brand_preview", "GET"): ("/brand/preview", logged_in(REDIRECT, learner=200)),
    # The teen is in the teacher's class too, so the teacher sees the profile photo.
    ("lessons.avatar", "GET"): (
        "/brand/{user}/avatar",
        group_member(200, 200) | {"other_supervisor": 200},
    ),
    ("supervision.show", "GET"): (M + "/progress", group_member(200, 200)),
    ("supervision.discussed", "POST"): (
        M + "/modules/public-by-default/discussed",
        group_member(REDIRECT, 403),
    ),
    ("supervision.cosign", "POST"): (M + "/privacy/cosign", group_member(400, 403)),  # no revision
    ("supervision.agreement", "GET"): (M + "/agreement", group_member(200, 200)),
    ("supervision.agreement", "POST"): (M + "/agreement", group_member(REDIRECT, REDIRECT)),
    ("supervision.sign_agreement", "POST"): (
        M + "/agreement/{agreement}/sign",
        group_member(REDIRECT, REDIRECT),
    ),
    ("supervision.ladder_page", "GET"): (M + "/ladder", group_member(200, 200)),
    # The learner is not ready: the request is refused with a message, nothing written.
    ("supervision.request_signoff", "POST"): (M + "/ladder/request", group_member(403, REDIRECT)),
    ("supervision.sign_off", "POST"): (M + "/ladder/signoff", group_member(400, 403)),
    ("supervision.step_back", "GET"): (M + "/ladder/step-back", group_member(200, 403)),
    ("supervision.step_back", "POST"): (M + "/ladder/step-back", group_member(400, 403)),
    ("supervision.log", "GET"): (M + "/log", group_member(200, 200)),
    ("supervision.visibility", "GET"): (M + "/visibility", group_member(200, 200)),
    ("supervision.certificate", "GET"): (M + "/certificate", group_member(200, 200)),
    ("practice.feed", "GET"): (G + "/feed", group_member(200, 200)),
    ("practice.new_post", "GET"): (G + "/posts/new", group_member(403, 200)),
    ("practice.new_post", "POST"): (G + "/posts/new", group_member(403, 400)),
    ("practice.show_post", "GET"): (P, group_member(200, 200)),
    ("practice.photo", "GET"): (P + "/photo/1", group_member(200, 200)),
    ("practice.edit_post", "GET"): (P + "/edit", group_member(403, 200)),
    ("practice.edit_post", "POST"): (P + "/edit", group_member(403, 400)),
    ("practice.withdraw", "POST"): (P + "/withdraw", group_member(403, REDIRECT)),
    ("practice.remove", "POST"): (P + "/remove", group_member(403, 409)),  # not published
    ("practice.share", "POST"): (P + "/share", group_member(403, 409)),  # not licensed
    ("practice.reply", "POST"): (P + "/replies", group_member(403, 403)),  # not published
    ("practice.decide", "POST"): (P + "/decision", group_member(400, 403)),
    ("practice.flag", "POST"): (P + "/flag", group_member(400, 403)),
    ("practice.dismiss", "POST"): (P + "/findings/{rule}/dismiss", group_member(400, 403)),
    ("practice.review_queue", "GET"): (G + "/review", group_member(200, 403)),
    ("practice.ladder_settings", "GET"): (G + "/ladder", group_member(200, 403)),
    ("practice.ladder_settings", "POST"): (G + "/ladder", group_member(400, 403)),
    ("main.my_data", "GET"): ("/account/data", logged_in(200)),
    ("main.my_data_json", "GET"): ("/account/data.json", logged_in(200)),
    ("main.my_data_readable", "GET"): ("/account/data/readable", logged_in(200)),
    ("main.erase_me", "GET"): ("/account/erase", logged_in(200)),
    ("main.erase_me", "POST"): ("/account/erase", logged_in(400)),
    # The world's teen is 13 to 15: only a child under 13's data is the parent's to manage.
    ("supervision.child_data", "GET"): (M + "/data.json", group_member(403, 404)),
    ("supervision.child_data_readable", "GET"): (M + "/data", group_member(403, 404)),
    ("supervision.erase_child", "GET"): (M + "/erase", group_member(403, 404)),
    ("supervision.erase_child", "POST"): (M + "/erase", group_member(403, 404)),
    ("main.notifications_page", "GET"): ("/notifications", logged_in(200)),
    ("main.notifications_read", "POST"): ("/notifications/read", logged_in(REDIRECT)),
    ("main.verify", "GET"): ("/verify", everyone(200)),
    ("admin.coach_rules", "GET"): ("/admin/coach", site_admin_only(200)),
    ("coach.try_it", "GET"): ("/coach", logged_in(200)),
    ("coach.try_it", "POST"): ("/coach", logged_in(400)),
    ("coach.check", "POST"): ("/coach/check", logged_in(400)),  # a form, not JSON
    # Scenarios: for learner accounts (the teen; the staff member too, on their own runs).
    ("scenarios.index", "GET"): ("/scenarios", learners_only(200, 200)),
    ("scenarios.show", "GET"): (S, learners_only(200, 200)),
    ("scenarios.start", "POST"): (S + "/start", learners_only(REDIRECT, REDIRECT)),
    # The teen's run is open: a form without an action is refused; the staff member has
    # no run, so they are sent to start one.
    ("scenarios.act", "POST"): (S + "/act", learners_only(400, REDIRECT)),
    ("scenarios.continue_", "POST"): (S + "/continue", learners_only(REDIRECT, REDIRECT)),
    ("scenarios.hint", "POST"): (S + "/hint", learners_only(400, REDIRECT)),
    ("scenarios.finish", "POST"): (S + "/finish", learners_only(REDIRECT, REDIRECT)),
    ("scenarios.state", "GET"): (S + "/state", learners_only(200, 404)),
    ("scenarios.link", "GET"): (S + "/link/p2", learners_only(200, 404)),
    ("scenarios.result", "GET"): (S + "/runs/{run}", learners_only(200, 404)),
    ("scenarios.reflect", "POST"): (S + "/runs/{run}/reflection", learners_only(400, 404)),
    # The visitor's try-out: anyone; nothing started yet, so actions go back to its page.
    ("try_scenario.play", "GET"): ("/try", everyone(200)),
    ("try_scenario.start", "POST"): ("/try/start", everyone(REDIRECT)),
    ("try_scenario.act", "POST"): ("/try/act", everyone(REDIRECT)),
    ("try_scenario.continue_", "POST"): ("/try/continue", everyone(REDIRECT)),
    ("try_scenario.hint", "POST"): ("/try/hint", everyone(REDIRECT)),
    ("try_scenario.finish", "POST"): ("/try/finish", everyone(REDIRECT)),
    ("try_scenario.state", "GET"): ("/try/state", everyone(404)),
    ("try_scenario.link", "GET"): ("/try/link/p2", everyone(404)),
    ("try_scenario.end", "GET"): ("/try/end", everyone(REDIRECT)),
    ("try_scenario.check", "POST"): ("/try/check", everyone(400)),  # a form, not JSON
    ("classroom.assignments", "GET"): (C + "/assignments", class_member(200, 403)),
    ("classroom.assignments", "POST"): (C + "/assignments", class_member(400, 403)),
    ("classroom.unassign", "POST"): (
        C + "/assignments/{assignment}/remove",
        class_member(REDIRECT, 403),
    ),
    ("classroom.dashboard", "GET"): (C + "/dashboard", class_member(200, 403)),
    ("classroom.progress_csv", "GET"): (C + "/dashboard/progress.csv", class_member(200, 403)),
    ("classroom.quiz_csv", "GET"): (C + "/dashboard/quiz.csv", class_member(200, 403)),
    ("classroom.answers_csv", "GET"): (C + "/dashboard/answers.csv", class_member(200, 403)),
    ("classroom.start_live", "POST"): (C + "/live", class_member(400, 403)),
    ("class_scenarios.assign", "POST"): (C + "/scenario-assignments", class_member(400, 403)),
    ("class_scenarios.unassign", "POST"): (
        C + "/scenario-assignments/{scenario_assignment}/remove",
        class_member(REDIRECT, 403),
    ),
    ("class_scenarios.start_live", "POST"): (C + "/live/scenario", class_member(400, 403)),
    ("class_scenarios.figures_csv", "GET"): (
        C + "/dashboard/scenarios.csv",
        class_member(200, 403),
    ),
    ("classroom.live_page", "GET"): (C + "/live/{live}", class_member(200, 200)),
    ("classroom.live_state", "GET"): (C + "/live/{live}/state", class_member(200, 200)),
    ("classroom.live_answer", "POST"): (C + "/live/{live}/answer", class_member(403, 400)),
    ("classroom.live_join", "POST"): (C + "/live/{live}/join", class_member(403, 302)),
    ("classroom.live_control", "POST"): (C + "/live/{live}/control", class_member(400, 403)),
    ("workplace.policy_page", "GET"): (W + "/policy", workplace_member(200, 200)),
    ("workplace.acknowledge", "POST"): (W + "/policy/acknowledge", workplace_member(400, 400)),
    ("workplace.policy_version", "GET"): (
        W + "/policy/versions/{policy}",
        workplace_member(200, 200),
    ),
    ("workplace.edit_policy", "GET"): (W + "/policy/edit", workplace_member(200, 403)),
    ("workplace.edit_policy", "POST"): (W + "/policy/edit", workplace_member(400, 403)),
    # No draft to publish: the admin is sent back to the editor with a message.
    ("workplace.publish_policy", "POST"): (W + "/policy/publish", workplace_member(REDIRECT, 403)),
    ("workplace.set_manager", "POST"): (
        W + "/members/{staff}/manager",
        workplace_member(REDIRECT, 403),
    ),
    ("workplace.report", "GET"): (W + "/report", workplace_member(200, 403)),
    ("workplace.invite_list", "GET"): (W + "/invites/list", workplace_member(200, 403)),
    ("workplace.invite_list", "POST"): (W + "/invites/list", workplace_member(400, 403)),
    ("workplace.report_csv", "GET"): (W + "/report.csv", workplace_member(200, 403)),
    # No date given: refused next to the field.
    ("workplace.set_deadline", "POST"): (W + "/policy/deadline", workplace_member(400, 403)),
    ("workplace.remind_now", "POST"): (W + "/report/remind", workplace_member(REDIRECT, 403)),
    # No lesson or date given: refused next to the fields.
    ("workplace.assign_lesson", "POST"): (W + "/report/lessons", workplace_member(400, 403)),
    ("workplace.cancel_invite", "GET"): (
        W + "/report/invites/{staff_invite}/cancel",
        workplace_member(200, 403),
    ),
    ("workplace.cancel_invite", "POST"): (
        W + "/report/invites/{staff_invite}/cancel",
        workplace_member(REDIRECT, 403),
    ),
    # The fresh link is shown at once (it is shown only once).
    ("workplace.resend_invite", "POST"): (
        W + "/report/invites/{staff_invite}/resend",
        workplace_member(200, 403),
    ),
    ("admin.index", "GET"): ("/admin/", site_admin_only(200)),
    ("admin.users", "GET"): ("/admin/users", site_admin_only(200)),
    ("admin.set_active", "GET"): ("/admin/users/{user}/active", site_admin_only(200)),
    ("admin.set_active", "POST"): ("/admin/users/{user}/active", site_admin_only(400)),  # no state
    # LTI 1.3: the platform's endpoints answer everyone; a request that is not a platform's
    # launch is a 400 (no iss, no id_token). The class choice and the deep linking picker
    # exist only in a session a launch began (404 otherwise).
    ("lti.jwks", "GET"): ("/lti/jwks.json", everyone(200)),
    ("lti.login", "GET"): ("/lti/login", everyone(400)),
    ("lti.login", "POST"): ("/lti/login", everyone(400)),
    ("lti.launch_view", "POST"): ("/lti/launch", everyone(400)),
    ("lti.choose_class", "GET"): ("/lti/class", logged_in(404)),
    ("lti.choose_class", "POST"): ("/lti/class", logged_in(404)),
    ("lti.deep_link", "GET"): ("/lti/deep-link", logged_in(404)),
    ("lti.deep_link", "POST"): ("/lti/deep-link", logged_in(404)),
    ("lti_admin.platforms_page", "GET"): ("/admin/lti/", site_admin_only(200)),
    ("lti_admin.platforms_page", "POST"): ("/admin/lti/", site_admin_only(400)),
    ("oneroster.upload", "GET"): ("/admin/oneroster/", site_admin_only(200)),
    ("oneroster.upload", "POST"): ("/admin/oneroster/", site_admin_only(400)),  # no file
}


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(MATRIX)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _check(response, expected) -> None:
    # Every answer, of every route, to every role, carries the security headers.
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and location.startswith("/login"), location
    elif expected == REDIRECT:
        assert response.status_code == 302 and not location.startswith("/login"), location
    else:
        assert response.status_code == expected


# --- One world per backend, copied whenever an item wrote to it --------------------------
# Statements that cannot change a row; anything else counts as a write (conservatively).
READ_ONLY = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA", "SHOW")


class MatrixDatabase:
    """One backend's world: a template built once, the app's database copied from it."""

    def __init__(self, backend: str, request, tmp_path: Path) -> None:
        self.backend = backend
        if backend == "sqlite":
            self.template = tmp_path / "world.db"
            self.path = tmp_path / "matrix.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), self.template)
            self.template_url = f"sqlite:///{self.template}"
            self.url = f"sqlite:///{self.path}"
        else:
            server = request.getfixturevalue("pg_server")
            self.template_url = server.create_database("matrix_world")
            cli.upgrade(self.template_url)
            self.url = server.url("matrix")
            self.admin = create_engine(server.url("postgres"), isolation_level="AUTOCOMMIT")
        self.written = True  # there is no copy yet

    def copy_template(self, engine) -> None:
        """Give `engine` (whose connections are closed first) a fresh copy of the world."""
        engine.dispose()
        if self.backend == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copy(self.template, self.path)
        else:
            with self.admin.connect() as connection:
                connection.execute(text("DROP DATABASE IF EXISTS matrix"))
                connection.execute(text("CREATE DATABASE matrix TEMPLATE matrix_world"))
        self.written = False

    def watch(self, engine) -> None:
        """Note every statement the engine runs that could write."""

        @event.listens_for(engine, "before_cursor_execute")
        def _note_writes(_conn, _cursor, statement, *_args) -> None:
            if not statement.lstrip().upper().startswith(READ_ONLY):
                self.written = True

    def drop(self) -> None:
        if self.backend == "postgresql":
            with self.admin.connect() as connection:
                connection.execute(text("DROP DATABASE IF EXISTS matrix"))
                connection.execute(text("DROP DATABASE IF EXISTS matrix_world"))
            self.admin.dispose()


@dataclass
class Matrix:
    app: Flask
    world: World
    database: MatrixDatabase


@pytest.fixture(scope="module", params=BACKENDS)
def matrix(request, tmp_path_factory) -> Iterator[Matrix]:
    """Per backend: the world, built once into a template database, and one app on a copy."""
    database = MatrixDatabase(request.param, request, tmp_path_factory.mktemp("matrix"))
    app = create_app(test_config(database.url))
    builder = make_engine(database.template_url)
    with app.test_request_context(), Session(builder, expire_on_commit=False) as session:
        world = build_world(session)
        for user in world.users.values():
            if user is not None:
                user.get_id()  # loaded now: the items log in with these detached objects
    builder.dispose()  # a template database must have no open connections
    database.watch(app.extensions["engine"])
    yield Matrix(app=app, world=world, database=database)
    app.extensions["engine"].dispose()
    database.drop()


@pytest.fixture
def app(matrix: Matrix) -> Flask:
    """The backend's one app, on an untouched copy of the world (the `db` fixture uses it)."""
    if matrix.database.written:
        matrix.database.copy_template(matrix.app.extensions["engine"])
    return matrix.app


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]}-{r[1]}")
def test_route_answers_each_role_as_the_matrix_says(matrix, app, db, route, role):
    world = matrix.world
    path, expectations = MATRIX[route]
    url = path.format(**world.ids)
    client = app.test_client()
    user = world.users[role]
    if user is not None:
        login(client, user)
    if route[1] == "GET":
        _check(client.get(url), expectations[role])
        return
    token = csrf_token(client)
    before = snapshot(db)
    _check(client.post(url, data={"csrf_token": token}), expectations[role])
    if expectations[role] in DENIED or expectations[role] == 400:
        assert snapshot(db) == before, "a refused request changed the database"
