"""A live class session on gunicorn with 2 workers (SQLite and PostgreSQL): 30 students
answer at once and every answer counts exactly once; every device sees the next step."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, func, select

from learner import live
from learner.core.db import utc_now
from learner.models import GroupKind, LiveAnswer, LiveSession
from tests.factories import PASSWORD, make_group, make_learner, make_supervisor, real_catalog
from tests.servers import Browserless, gunicorn

pytestmark = pytest.mark.slow
STUDENTS = 30
MODULE = "public-by-default"


def _arrange(database_url: str):
    from app import create_app
    from tests.conftest import test_config

    app = create_app(test_config(database_url))
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as session:
        teacher = make_supervisor(session)
        group = make_group(session, teacher, kind=GroupKind.CLASSROOM)
        students = [make_learner(session, group)[0] for _ in range(STUDENTS)]
        module = real_catalog().get(MODULE)
        # The steps: the intro, each section, then the quiz questions (live.steps).
        quiz_at = 1 + len(module.sections)
        current = live.start(
            session=session,
            group=group,
            module=real_catalog().get(MODULE),
            teacher=teacher,
            now=utc_now(),
        )
        current.step = quiz_at
        session.add(current)
        session.commit()
    # Nothing stays open if the test fails before its own checks.
    app.extensions["engine"].dispose()
    return app, teacher, group, students, current, module.quiz[0]


def _pids(lines: list[str], path: str) -> set[str]:
    return {line.split()[0] for line in lines if f"POST {path} " in line}


def test_thirty_students_answer_at_once_and_each_answer_counts_once(server_database_url, tmp_path):
    app, teacher, group, students, current, question = _arrange(server_database_url)
    page = f"/groups/{group.id}/live/{current.id}"
    right = sorted(question.correct_ids)[0]
    with gunicorn(server_database_url, tmp_path, workers=2) as server:

        def log_in(user) -> tuple[Browserless, str]:
            client = Browserless(server.url)
            assert client.submit("/login", {"login": user.username, "password": PASSWORD})[0] == 302
            return client, client.csrf_token(page)

        with ThreadPoolExecutor(max_workers=8) as pool:
            devices = list(pool.map(log_in, students))
        start = threading.Barrier(STUDENTS)

        def send(device) -> int:
            client, token = device
            start.wait()
            data = {"csrf_token": token, "step": str(current.step), "choice": right}
            return client.request(page + "/answer", data)[0]

        with ThreadPoolExecutor(max_workers=STUDENTS) as pool:
            statuses = list(pool.map(send, devices))
        # Pressing again counts nothing more.
        start = threading.Barrier(10)
        with ThreadPoolExecutor(max_workers=10) as pool:
            again = list(pool.map(send, devices[:10]))
        presenter = Browserless(server.url)
        assert presenter.submit("/login", {"login": teacher.email, "password": PASSWORD})[0] == 302
        state = json.loads(presenter.request(page + "/state")[1])
        move = {
            "csrf_token": presenter.csrf_token(page),
            "action": "next",
            "version": str(state["version"]),
        }
        assert presenter.request(page + "/control", move)[0] == 302

        def step_seen(device) -> int:
            return json.loads(device[0].request(page + "/state")[1])["step"]

        with ThreadPoolExecutor(max_workers=8) as pool:
            seen = list(pool.map(step_seen, devices))
        lines = server.log_lines()
    assert statuses == [302] * STUDENTS and again == [302] * 10
    assert state["answered"] == STUDENTS
    assert seen == [current.step + 1] * STUDENTS
    assert len(_pids(lines, page + "/answer")) == 2, "both workers must have taken answers"
    with Session(app.extensions["engine"]) as session:
        counted = session.exec(
            select(func.count(LiveAnswer.id)).where(
                LiveAnswer.session_id == current.id, LiveAnswer.step == current.step
            )
        ).one()
        distinct = session.exec(
            select(func.count(func.distinct(LiveAnswer.membership_id))).where(
                LiveAnswer.session_id == current.id
            )
        ).one()
        assert session.get(LiveSession, current.id).step == current.step + 1
    assert counted == distinct == STUDENTS
    app.extensions["engine"].dispose()
