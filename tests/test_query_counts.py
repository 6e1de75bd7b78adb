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
# turn ids into names: more than a page of the app, still fixed.
MAX_DATA_QUERIES = 30


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
    "page", ["/groups/{group}/dashboard", "/groups/{group}/dashboard/scenarios.csv", "/dashboard"]
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
