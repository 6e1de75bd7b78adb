"""Pages run a fixed number of queries, whatever the number of people (no N+1)."""

from __future__ import annotations

import pytest

from learner import groups
from learner.core.db import utc_now
from learner.models import GroupKind, Level, Role
from tests.factories import (
    approve,
    at_school,
    make_family,
    make_group,
    make_learner,
    make_post,
    make_supervisor,
    real_catalog,
    set_level,
)
from tests.helpers import QueryCounter, login

MAX_QUERIES = 15


def _classroom(db, students: int):
    teacher = make_supervisor(db)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    for _ in range(students):
        make_learner(db, classroom)
    for _ in range(students // 2):
        groups.create_invite(
            session=db,
            group=classroom,
            role=Role.LEARNER,
            created_by=teacher,
            email=None,
            now=utc_now(),
        )
    db.commit()
    return teacher, classroom


def _queries(app, client, url: str) -> int:
    with QueryCounter(app.extensions["engine"]) as counter:
        assert client.get(url).status_code == 200
    return counter.count


@pytest.mark.parametrize("page", ["/dashboard", "/groups/{group}"])
def test_supervisor_pages_do_not_grow_with_the_class(app, client, db, page):
    counts = []
    for size in (2, 20):
        teacher, classroom = _classroom(db, size)
        login(client, teacher)
        counts.append(_queries(app, client, page.format(group=classroom.id)))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_learner_dashboard_does_not_grow_with_their_groups(app, client, db):
    student = None
    counts = []
    for extra_groups in (1, 6):
        for _ in range(extra_groups):
            _teacher, classroom = _classroom(db, 1)
            if student is None:
                student, _membership = make_learner(db, classroom)
            else:
                groups.join_with_code(
                    session=db, code=classroom.join_code, user=student, **at_school()
                )
                db.commit()
        login(client, student)
        counts.append(_queries(app, client, "/dashboard"))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_admin_account_list_is_paged_and_fixed(app, client, db):
    admin = make_supervisor(db)
    admin.is_site_admin = True
    db.add(admin)
    db.commit()
    login(client, admin)
    small = _queries(app, client, "/admin/users")
    _classroom(db, 60)
    assert _queries(app, client, "/admin/users") == small <= MAX_QUERIES


def _busy_family(db, posts: int):
    """A family whose teen has `posts` posts: half approved with a reply, half waiting."""
    from learner.models import Level

    family = make_family(db)
    _friend, friend_m = make_learner(db, family.group)
    set_level(db, friend_m, Level.LICENSED)
    set_level(db, family.teen_membership, Level.PERMIT)
    first = None
    for i in range(posts):
        made = make_post(
            db, family.group, family.teen_membership, f"Post {i}: call me at 555-201-01{i:02d}"
        )
        first = first or made
        if i % 2 == 0:
            approve(db, made, by=family.parent)
            make_post(db, family.group, friend_m, f"Nice one {i}", parent=made)
    return family, first


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("parent", "/groups/{group}/feed"),
        ("teen", "/groups/{group}/feed"),
        ("parent", "/groups/{group}/review"),
        ("parent", "/groups/{group}/posts/{post}"),
        ("teen", "/groups/{group}/posts/{post}"),
        ("parent", "/groups/{group}/members/{member}/ladder"),
        ("teen", "/groups/{group}/members/{member}/log"),
        ("parent", "/notifications"),
    ],
)
def test_practice_pages_do_not_grow_with_the_posts(app, client, db, who, page):
    counts = []
    for size in (2, 16):
        family, first = _busy_family(db, size)
        user = family.parent if who == "parent" else family.teen
        login(client, user)
        url = page.format(group=family.group.id, post=first.id, member=family.teen_membership.id)
        client.get(url)  # the first opening of a post writes the 'opened' entry once
        counts.append(_queries(app, client, url))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_a_lesson_and_the_live_poll_do_not_grow_with_the_class(app, client, db):
    from learner import live

    counts = []
    for size in (3, 30):
        teacher, classroom = _classroom(db, size)
        student, _m = make_learner(db, classroom)
        running = live.start(
            session=db,
            group=classroom,
            module=real_catalog().get("public-by-default"),
            teacher=teacher,
            now=utc_now(),
        )
        db.commit()
        login(client, student)
        counts.append(
            (
                _queries(app, client, "/lessons/public-by-default"),
                _queries(app, client, f"/groups/{classroom.id}/live/{running.id}/state"),
            )
        )
    assert counts[0] == counts[1], counts
    assert max(counts[1]) <= MAX_QUERIES


# Every table of a person's data is one query (see personal_data._gather), and a few more
# turn ids into names: more than a page of the app, still fixed. The count grows with the
# kinds of data the product keeps (pre-tests, scenario runs, platform links...), never with
# how much of it one person has.
MAX_DATA_QUERIES = 40


@pytest.mark.parametrize("who", ["teen", "parent"])
def test_the_readable_data_page_does_not_grow_with_the_data(app, client, db, who):
    from learner import progress
    from learner.models import AgeBand

    counts = []
    for size in (2, 16):
        family, _first = _busy_family(db, size)
        _child, child_m = make_learner(db, family.group, age_band=AgeBand.UNDER_13)
        set_level(db, child_m, Level.PERMIT)
        catalog = real_catalog()
        for i in range(size):
            approve(db, make_post(db, family.group, child_m, f"Kite {i}"), by=family.parent)
            module = catalog.modules()[i % 4]
            progress.mark_discussed(
                session=db,
                membership=child_m,
                module=module,
                supervisor=family.parent,
                note=f"Talked {i}",
                now=utc_now(),
            )
        db.commit()
        if who == "teen":
            login(client, family.teen)
            url = "/account/data/readable"
        else:
            login(client, family.parent)
            url = f"/groups/{family.group.id}/members/{child_m.id}/data"
        counts.append(_queries(app, client, url))
    assert counts[0] == counts[1] <= MAX_DATA_QUERIES, counts


def _class_with_learning(db, students: int):
    """A class where every student took the pre-test and the quiz of two lessons, and
    answered a refresher: the learning figures have something to count for everyone."""
    from learner.models import ItemOutcome, RefresherItem
    from tests.factories import answer_quiz, take_pretest

    teacher, classroom = _classroom(db, 0)
    for _ in range(students):
        student, _m = make_learner(db, classroom)
        for module_id in ("netiquette", "public-by-default"):
            take_pretest(db, student, module_id, right=1)
            answer_quiz(db, student, module_id)
        db.add(
            RefresherItem(
                user_id=student.id,
                module_id="netiquette",
                round=7,
                question_id=real_catalog().get("netiquette").quiz[0].id,
                due_at=utc_now(),
                answered_at=utc_now(),
                outcome=ItemOutcome.RIGHT,
            )
        )
    db.commit()
    return teacher, classroom


@pytest.mark.parametrize(
    "page",
    [
        "/groups/{group}/dashboard",
        "/groups/{group}/learning.csv",
        "/groups/{group}/learning-by-learner.csv",
    ],
)
def test_learning_figures_do_not_grow_with_the_class(app, client, db, page):
    counts = []
    for size in (2, 12):
        teacher, classroom = _class_with_learning(db, size)
        login(client, teacher)
        counts.append(_queries(app, client, page.format(group=classroom.id)))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_the_workplace_report_with_figures_does_not_grow(app, client, db):
    from tests.factories import answer_quiz, make_workplace, take_pretest

    counts = []
    for size in (2, 12):
        workplace = make_workplace(db, staff=size)
        for user, _m in workplace.staff:
            take_pretest(db, user, "netiquette", right=2)
            answer_quiz(db, user, "netiquette")
        login(client, workplace.admin)
        counts.append(_queries(app, client, f"/groups/{workplace.group.id}/report"))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "query", ["", "?page=2", "?status=todo&q=learner&page=2", "?status=invited"]
)
def test_any_page_of_the_workplace_report_runs_the_same_queries(app, client, db, query):
    from tests.factories import make_invite, make_workplace, publish_policy

    counts = []
    for size in (3, 60):
        workplace = make_workplace(db, staff=size)
        publish_policy(db, workplace.group, workplace.admin)
        make_invite(db, workplace.group, workplace.admin, email=f"new{size}@example.com")
        login(client, workplace.admin)
        counts.append(_queries(app, client, f"/groups/{workplace.group.id}/report{query}"))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


@pytest.mark.parametrize("who", ["teen", "parent"])
def test_a_learners_own_figures_do_not_grow_with_their_lessons(app, client, db, who):
    from tests.factories import answer_quiz, take_pretest

    counts = []
    for lessons in (1, 6):
        family = make_family(db)
        for module in real_catalog().modules(tracks={"core", "family"})[:lessons]:
            take_pretest(db, family.teen, module.id, right=1)
            answer_quiz(db, family.teen, module.id)
        login(client, family.teen if who == "teen" else family.parent)
        url = (
            "/lessons"
            if who == "teen"
            else f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress"
        )
        counts.append(_queries(app, client, url))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def _scenario_file(folder, scenario_id: str, *, actors: int, events: int, posts: int) -> None:
    """A scenario with this many actors, timed events (DMs, requests, comments, tags,
    notifications in turn) and feed posts, each post with two comments."""
    import yaml

    people = [
        {
            "id": f"a{i}",
            "name": f"Actor {i}",
            "handle": f"actor{i}",
            "avatar": {"initials": "A", "color": "teal"},
        }
        for i in range(actors)
    ]
    feed = [
        {
            "id": f"p{i}",
            "actor": f"a{i % actors}",
            "at": f"-{i + 1}h",
            "text": f"Post {i}",
            "likes": i,
            "link": {"label": "x.example", "explain": "Nothing."},
            "comments": [
                {"id": f"p{i}c{j}", "actor": f"a{(i + j) % actors}", "at": "-5m", "text": "hi"}
                for j in range(2)
            ],
        }
        for i in range(posts)
    ]
    kinds = ["dm", "follow_request", "comment", "tag", "notification"]
    timed = []
    for i in range(events):
        kind = kinds[i % len(kinds)]
        event = {
            "id": f"e{i}",
            "type": kind,
            "actor": f"a{i % actors}",
            "after": i + 1,
            "text": f"Event {i}",
        }
        if kind in ("comment", "tag"):
            event["post"] = f"p{i % posts}"
        timed.append(event)
    data = {
        "id": scenario_id,
        "lang": "en",
        "track": "core",
        "stage": "instruction",
        "lessons": ["strangers-and-followers"],
        "ages": ["13_15"],
        "title": scenario_id,
        "summary": "A size test.",
        "minutes": 5,
        "backstory": "Nothing much.",
        "me": {
            "name": "You",
            "handle": "you",
            "settings": {"account": "public"},
            "setting_choices": {"account": ["public", "private"]},
        },
        "actors": people,
        "feed": feed,
        "events": timed,
        "guided": [{"at": "start", "text": "Look first."}],
        "expected": [
            {
                "id": "block",
                "action": "block",
                "target": "a0",
                "weight": 1,
                "why": "Blocking helps.",
            }
        ],
        "mistakes": [
            {
                "id": "liked",
                "match": {"action": "like", "target": "p0"},
                "weight": 1,
                "why": "Not that.",
            }
        ],
        "reflection": [{"id": "why", "type": "text", "prompt": "Why?"}],
    }
    (folder / f"{scenario_id}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def test_scenario_pages_do_not_grow_with_actors_events_actions_or_learners(database_url, tmp_path):
    from datetime import timedelta

    from sqlmodel import Session

    from app import create_app
    from learner import scenarios
    from learner.models import ScenarioRun
    from tests.conftest import test_config
    from tests.helpers import post

    folder = tmp_path / "en"
    folder.mkdir()
    _scenario_file(folder, "small", actors=1, events=1, posts=1)
    _scenario_file(folder, "big", actors=6, events=40, posts=10)
    app = create_app(test_config(database_url, SCENARIOS_DIR=str(tmp_path)))
    client = app.test_client()
    counts: dict[str, list[int]] = {}
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as db:
        family = make_family(db)
        for sid, actions, others in (("small", 1, 1), ("big", 20, 12)):
            for _ in range(others):  # other learners playing the same scenario
                learner, _m = make_learner(db, family.group)
                run = scenarios.start_run(
                    session=db,
                    user=learner,
                    scenario=app.extensions["scenarios"].get(sid),
                    now=utc_now(),
                )
                db.commit()
            login(client, family.teen)
            post(client, f"/scenarios/{sid}/start")
            run = db.exec(select_run(ScenarioRun, family.teen.id, sid)).one()
            run.clock_at = run.clock_at - timedelta(seconds=60)
            db.add(run)
            db.commit()
            for i in range(actions):
                target = f"p{i % (10 if sid == 'big' else 1)}"
                post(
                    client,
                    f"/scenarios/{sid}/act",
                    {"kind": "reply", "target": target, "text": f"reply {i}"},
                )
            for url in (f"/scenarios/{sid}", f"/scenarios/{sid}/state", "/scenarios"):
                counts.setdefault(url.replace(sid, "X"), []).append(_queries(app, client, url))
            post(client, f"/scenarios/{sid}/finish")
            login(client, family.parent)
            page = f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress"
            counts.setdefault("progress", []).append(_queries(app, client, page))
    app.extensions["engine"].dispose()
    for url, (small, big) in counts.items():
        assert small == big <= MAX_QUERIES, (url, small, big)


def select_run(model, user_id: int, scenario_id: str):
    from sqlmodel import select

    return select(model).where(model.user_id == user_id, model.scenario_id == scenario_id)


def _class_with_scenario_runs(db, students: int, scenario_ids: list[str]):
    """A class with scenarios assigned and every student's finished run of each (one in
    two of them failing), so the figures and the to-do lines have something to count."""
    from datetime import date

    from learner.models import ScenarioAssignment
    from learner.scenario_engine import Act
    from tests.factories import play_scenario

    teacher, classroom = _classroom(db, students)
    for scenario_id in scenario_ids:
        db.add(
            ScenarioAssignment(
                group_id=classroom.id,
                scenario_id=scenario_id,
                due_on=date.today(),
                assigned_by_id=teacher.id,
            )
        )
    db.commit()
    from learner import classroom as class_service

    for i, (_m, user) in enumerate(class_service.students(db, classroom)):
        for scenario_id in scenario_ids:
            acts = None if i % 2 else [Act("hide", "p1", 1)]
            play_scenario(db, user, scenario_id, acts)
    return teacher, classroom


@pytest.mark.parametrize(
    "page",
    [
        "/groups/{group}/dashboard",
        "/groups/{group}/dashboard/scenarios.csv",
        "/dashboard",
        "/groups/{group}",
    ],
)
def test_class_scenario_figures_do_not_grow_with_the_class_or_the_scenarios(app, client, db, page):
    counts = []
    for size, scenario_ids in (
        (2, ["new-follower-dm"]),
        (20, ["new-follower-dm", "group-chat-pile-on"]),
    ):
        teacher, classroom = _class_with_scenario_runs(db, size, scenario_ids)
        login(client, teacher)
        counts.append(_queries(app, client, page.format(group=classroom.id)))
    assert counts[0] == counts[1] <= MAX_QUERIES, counts
