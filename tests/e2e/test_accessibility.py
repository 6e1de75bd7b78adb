"""axe-core in Chromium on every main page of every role: no serious or critical violations.

The pages are those of the demo data (a family, a class with a post waiting and a live
session, a workplace with its policy, a site admin), seen by each kind of person.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlmodel import Session, select

from app import create_app
from learner import live
from learner.core.db import utc_now
from learner.models import Group, GroupKind, Membership, PolicyVersion, PracticePost, User
from learner.seeds import demo
from lessons import get_catalog
from tests.conftest import test_config
from tests.e2e.pages import log_in

pytestmark = pytest.mark.slow
BLOCKING = {"serious", "critical"}


def _arrange(url: str):
    """The demo data with a live session on, and the ids the pages need."""
    app = create_app(test_config(url))
    logins = {item.login: item.password for item in demo.load(app)}
    engine = app.extensions["engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        groups = {g.kind: g for g in session.exec(select(Group)).all()}
        klass, family, company = (
            groups[GroupKind.CLASSROOM],
            groups[GroupKind.FAMILY],
            groups[GroupKind.WORKPLACE],
        )
        teacher = session.exec(select(User).where(User.email == "teacher@example.com")).one()
        running = live.start(
            session=session,
            group=klass,
            module=get_catalog().get("public-by-default"),
            teacher=teacher,
            now=utc_now(),
        )
        session.commit()
        _leo_plays_a_scenario(app, session)

        def member(group, login):
            return session.exec(
                select(Membership.id)
                .join(User, User.id == Membership.user_id)
                .where(Membership.group_id == group.id)
                .where((User.username == login) | (User.email == login))
            ).one()

        ids = {
            "family": family.id,
            "class": klass.id,
            "company": company.id,
            "leo": member(family, "leo"),
            "ava": member(klass, "ava.k"),
            "jordan": member(company, "jordan.staff"),
            "post": session.exec(
                select(PracticePost.id)
                .where(PracticePost.group_id == klass.id)
                .order_by(PracticePost.id)
            ).first(),
            "live": running.id,
            "policy": session.exec(select(PolicyVersion.id)).first(),
        }
    engine.dispose()
    return logins, ids


def _leo_plays_a_scenario(app, session) -> None:
    """Leo finished the tests' scenario once (a reply, a reflection) and plays it again,
    a minute in: the list, the feed and the progress page all have something to show."""
    from datetime import timedelta

    from learner import scenarios

    leo = session.exec(select(User).where(User.username == "leo")).one()
    scenario = app.extensions["scenarios"].get("new-follower-dm")
    now = utc_now() - timedelta(seconds=60)
    with app.test_request_context():
        done = scenarios.start_run(session=session, user=leo, scenario=scenario, now=now)
        done.clock = 12
        reply = scenarios.record_action(
            session=session,
            run=done,
            scenario=scenario,
            actions=[],
            kind="reply",
            target="dm1",
            text="who is this?",
            now=now,
        )
        scenarios.finish(
            session=session,
            run=done,
            scenario=scenario,
            acts=scenarios.acts_of([reply]),
            now=now,
        )
        scenarios.save_reflection(
            session=session,
            run=done,
            answers={"feel": (None, "odd"), "next-time": ("b", None)},
            now=now,
        )
        again = scenarios.start_run(session=session, user=leo, scenario=scenario, now=now)
        again.clock = 40
        session.commit()


def _pages(i: dict) -> dict[str | None, list[str]]:
    fam, cls, co = f"/groups/{i['family']}", f"/groups/{i['class']}", f"/groups/{i['company']}"
    return {
        None: ["/", "/login", "/signup", "/join", "/verify", "/try"],
        "parent@example.com": [
            "/dashboard",
            fam,
            f"{fam}/feed",
            f"{fam}/review",
            f"{fam}/ladder",
            f"{fam}/members/{i['leo']}/progress",
            f"{fam}/members/{i['leo']}/ladder",
            f"{fam}/members/{i['leo']}/agreement",
            f"{fam}/learners/new",
            f"{fam}/invites/new",
            "/notifications",
            "/account",
            "/account/data",
        ],
        "leo": [
            "/dashboard",
            "/lessons",
            "/lessons/public-by-default",
            "/privacy",
            "/brand",
            "/coach",
            f"{fam}/posts/new",
            f"{fam}/members/{i['leo']}/log",
            f"{fam}/members/{i['leo']}/visibility",
            "/scenarios",
            "/scenarios/new-follower-dm",
            "/scenarios/new-follower-dm/runs/1",
            "/scenarios/new-follower-dm/link/p2",
        ],
        "teacher@example.com": [
            cls,
            f"{cls}/dashboard",
            f"{cls}/assignments",
            f"{cls}/review",
            f"{cls}/posts/{i['post']}",
            f"{cls}/live/{i['live']}",
            f"{cls}/roster",
        ],
        "ava.k": [f"{cls}/feed", f"{cls}/posts/{i['post']}", f"{cls}/live/{i['live']}"],
        "hr@example.com": [
            co,
            f"{co}/policy",
            f"{co}/policy/edit",
            f"{co}/report",
            f"{co}/invites/list",
            f"{co}/policy/versions/{i['policy']}",
        ],
        "jordan.staff": [f"{co}/policy", f"{co}/members/{i['jordan']}/ladder"],
        "admin@example.com": ["/admin/", "/admin/users", "/admin/coach"],
    }


@pytest.mark.parametrize("server_database_url", ["sqlite"], indirect=True)
def test_main_pages_have_no_serious_accessibility_violations(
    browser, server_database_url, tmp_path
):
    # One database is enough: the pages are the same.
    from tests.servers import gunicorn

    logins, ids = _arrange(server_database_url)
    axe = Axe()
    found = []
    with gunicorn(server_database_url, tmp_path, workers=2) as server:
        for login, urls in _pages(ids).items():
            context = browser.new_context()
            page = context.new_page()
            if login is not None:
                log_in(page, server.url, login, logins[login])
            for url in urls:
                response = page.goto(server.url + url)
                assert response.status == 200, (login, url, response.status)
                results = axe.run(page).response
                for violation in results["violations"]:
                    if violation["impact"] in BLOCKING:
                        targets = [n["target"] for n in violation["nodes"]][:3]
                        found.append((login, url, violation["id"], violation["help"], targets))
            context.close()
    assert found == [], "\n".join(map(str, found))


def test_the_check_finds_a_real_violation(browser):
    page = browser.new_page()
    page.set_content("<html lang='en'><title>t</title><main><img src='x.png'></main></html>")
    ids = {v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING}
    page.close()
    assert "image-alt" in ids
