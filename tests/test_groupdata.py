"""A group's data version: each write that can change a group's figures moves it (and no
other group's), and a page whose figures were kept shows what a cold page shows."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update
from sqlmodel import Session

from learner import (
    classroom,
    groupdata,
    groups,
    learning,
    personal_data,
    privacy,
    profile,
    progress,
    workplace,
)
from learner.core.db import utc_now
from learner.models import (
    ConfidenceMoment,
    Group,
    GroupKind,
    LessonProgress,
    Level,
    Notification,
    NotificationKind,
    PracticePost,
    RefresherItem,
)
from tests.factories import (
    answer_quiz,
    approve,
    make_classroom,
    make_learner,
    make_post,
    make_workplace,
    play_scenario,
    publish_policy,
    real_catalog,
    set_level,
    take_pretest,
)
from tests.helpers import login

CLASS_MODULES = real_catalog().modules(tracks=progress.tracks_for([GroupKind.CLASSROOM]))
LEARNED, OTHER = CLASS_MODULES[0], CLASS_MODULES[1]


def _version(db: Session, group: Group) -> str:
    db.rollback()
    return db.execute(select(Group.data_version).where(Group.id == group.id)).scalar_one()


def _setting(db: Session) -> SimpleNamespace:
    """A class whose five students took LEARNED's pre-test and quiz (so its figures show),
    and another class, whose version no write here may move."""
    made = make_classroom(db, students=5)
    for user, _membership in made.students:
        take_pretest(db, user, LEARNED.id, right=1)
        answer_quiz(db, user, LEARNED.id)
    other = make_classroom(db, students=2)
    student, membership = made.students[0]
    item = RefresherItem(
        user_id=student.id,
        module_id=LEARNED.id,
        round=7,
        question_id=LEARNED.quiz[0].id,
        due_at=utc_now(),
    )
    db.add(item)
    assignment = classroom.assign(
        session=db,
        group=made.group,
        module=LEARNED,
        due_on=utc_now().date(),
        teacher=made.teacher,
        today=utc_now().date(),
    )
    db.commit()
    return SimpleNamespace(
        made=made,
        other=other,
        student=student,
        membership=membership,
        item=item,
        assignment=assignment,
    )


def _confidence(db, s):
    learning.record_confidence(
        session=db,
        user=s.student,
        module=OTHER,
        moment=ConfidenceMoment.BEFORE,
        value=3,
        now=utc_now(),
    )
    db.commit()


def _refresher(db, s):
    question = LEARNED.quiz[0]
    learning.answer_refresher(
        session=db, item=s.item, question=question, chosen=question.correct_ids, now=utc_now()
    )
    db.commit()


def _opened(db, s):
    progress.open_module(session=db, user=s.student, module=OTHER, now=utc_now())
    db.commit()


def _left(db, s):
    groups.remove_member(session=db, membership=s.membership, now=utc_now())
    db.commit()


def _renamed(db, s):
    s.student.display_name = "Someone Renamed"
    db.add(s.student)
    db.commit()


def _assigned(db, s):
    classroom.assign(
        session=db,
        group=s.made.group,
        module=OTHER,
        due_on=utc_now().date(),
        teacher=s.made.teacher,
        today=utc_now().date(),
    )
    db.commit()


def _unassigned(db, s):
    classroom.unassign(session=db, assignment=s.assignment)
    db.commit()


def _reviewed(db, s):
    # The decision is a bulk UPDATE of the post: it names its group.
    set_level(db, s.membership, Level.PERMIT)
    written = make_post(db, s.made.group, s.membership)
    before = _version(db, s.made.group)
    approve(db, written, by=s.made.teacher)
    assert _version(db, s.made.group) != before


def _privacy_saved(db, s):
    choices = {setting.id: setting.options[0].value for setting in privacy.SETTINGS}
    profile.save_privacy(session=db, user=s.student, choices=choices, now=utc_now())
    db.commit()


def _post_waiting(db, s):
    set_level(db, s.membership, Level.PERMIT)
    make_post(db, s.made.group, s.membership)


def _erased(db, s):
    personal_data.erase(session=db, user=s.student, now=utc_now())
    db.commit()


WRITES = {
    "a pre-test": lambda db, s: take_pretest(db, s.student, OTHER.id, right=0),
    "a quiz": lambda db, s: answer_quiz(db, s.student, OTHER.id),
    "a lesson opened": _opened,
    "a confidence rating": _confidence,
    "a refresher answered": _refresher,
    "someone joins": lambda db, s: make_learner(db, s.made.group),
    "someone leaves": _left,
    "a name changed": _renamed,
    "a level changed": lambda db, s: set_level(db, s.membership, Level.PERMIT),
    "a lesson assigned": _assigned,
    "a lesson unassigned": _unassigned,
    "a post reviewed": _reviewed,
    "a post waiting": _post_waiting,
    "a privacy setup saved": _privacy_saved,
    "a scenario played": lambda db, s: play_scenario(db, s.student, "new-follower-dm"),
    "an account erased": _erased,
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_each_write_moves_its_groups_version_and_no_other(db, write):
    s = _setting(db)
    mine, theirs = _version(db, s.made.group), _version(db, s.other.group)

    WRITES[write](db, s)

    assert _version(db, s.made.group) != mine
    assert _version(db, s.other.group) == theirs


def test_a_write_rolled_back_leaves_the_version(db):
    s = _setting(db)
    before = _version(db, s.made.group)
    progress.open_module(session=db, user=s.student, module=OTHER, now=utc_now())
    db.flush()
    db.rollback()
    assert _version(db, s.made.group) == before


def test_a_bulk_statement_moves_the_groups_it_names_or_else_every_group(db):
    s = _setting(db)
    mine, theirs = _version(db, s.made.group), _version(db, s.other.group)
    db.execute(
        groupdata.touches(
            update(PracticePost).where(PracticePost.id == -1).values(flagged_at=None),
            groups=[s.made.group.id],
        )
    )
    db.commit()
    named = _version(db, s.made.group)
    assert named != mine and _version(db, s.other.group) == theirs
    # A statement that names nothing could have changed any group's data.
    db.execute(update(LessonProgress).where(LessonProgress.id == -1).values(module_id="x"))
    db.commit()
    assert _version(db, s.made.group) != named and _version(db, s.other.group) != theirs


def test_tables_no_figure_reads_move_nothing(db):
    s = _setting(db)
    before = _version(db, s.made.group)
    db.add(
        Notification(
            user_id=s.student.id,
            group_id=s.made.group.id,
            kind=NotificationKind.REMINDER,
            created_at=utc_now(),
        )
    )
    db.commit()
    assert _version(db, s.made.group) == before


def test_every_group_is_born_with_a_version_of_its_own(db):
    made = [make_classroom(db, students=0).group for _ in range(3)]
    versions = {_version(db, group) for group in made}
    assert len(versions) == 3 and all(len(v) == 16 for v in versions)


def _page(client, url: str) -> str:
    """The page, without the parts that change on every request (CSRF tokens)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'(csrf_token"[^>]*value=)"[^"]+"', r"\1", response.get_data(True))


# Each changes what the class dashboard shows: a kept figure would hide it.
SHOWN_ON_THE_DASHBOARD = [
    "a pre-test",
    "a quiz",
    "someone joins",
    "someone leaves",
    "a name changed",
    "a lesson assigned",
    "a level changed",
    "a post waiting",
    "a privacy setup saved",
    "a scenario played",
    "an account erased",
]


@pytest.mark.parametrize("write", SHOWN_ON_THE_DASHBOARD)
def test_the_class_dashboard_shows_a_write_at_once(client, db, write):
    s = _setting(db)
    login(client, s.made.teacher)
    url = f"/groups/{s.made.group.id}/dashboard"
    before = _page(client, url)
    assert _page(client, url) == before  # the figures are kept now

    WRITES[write](db, s)
    after = _page(client, url)
    groupdata.forget_all()

    assert after != before
    assert after == _page(client, url)


@pytest.mark.parametrize("write", ["a quiz", "a policy acknowledged", "a name changed", "leaves"])
def test_the_workplace_report_shows_a_write_at_once(client, db, write):
    place = make_workplace(db, staff=5, policy="Be kind.")
    person, membership = place.staff[0]
    lesson = real_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))[0]
    for user, _m in place.staff:
        take_pretest(db, user, lesson.id, right=1)
        answer_quiz(db, user, lesson.id)
    url = f"/groups/{place.group.id}/report"
    login(client, place.admin)
    before = _page(client, url)
    assert _page(client, url) == before

    if write == "a quiz":
        answer_quiz(db, person, real_catalog().modules(tracks={lesson.track})[1].id)
    elif write == "a policy acknowledged":
        workplace.acknowledge(
            session=db,
            version=place.policy,
            user=person,
            typed_name=person.display_name,
            now=utc_now(),
        )
        db.commit()
    elif write == "a name changed":
        person.display_name = "Someone Renamed"
        db.add(person)
        db.commit()
    else:
        groups.remove_member(session=db, membership=membership, now=utc_now())
        db.commit()
    after = _page(client, url)
    groupdata.forget_all()

    assert after != before
    assert after == _page(client, url)


def test_a_new_policy_version_moves_the_workplace_version(db):
    place = make_workplace(db, staff=1, policy="Be kind.")
    before = _version(db, place.group)
    publish_policy(db, place.group, place.admin, body="Be kinder.")
    assert _version(db, place.group) != before
