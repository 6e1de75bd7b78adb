"""Classrooms: assignments and lateness, the dashboard's figures, the misconception view,
CSV exports, and live sessions through the web."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, timedelta

import pytest
from sqlmodel import select

from learner import classroom, live, privacy, profile
from learner.core.db import utc_now
from learner.models import (
    Assignment,
    GroupKind,
    LessonProgress,
    Level,
    LiveAnswer,
    LiveSession,
    LiveStatus,
)
from lessons.quiz import score
from tests.factories import (
    answer_quiz,
    complete_stage,
    cosign,
    fresh,
    make_classroom,
    make_group,
    make_learner,
    make_supervisor,
    pass_scenarios,
    real_catalog,
    set_level,
)
from tests.helpers import QueryCounter, login, post, reload
from tests.test_query_counts import MAX_QUERIES

TODAY = date(2026, 11, 22)
MODULE = "public-by-default"


@pytest.fixture
def klass(db):
    return make_classroom(db, students=3)


@pytest.mark.parametrize(
    ("completed", "started", "due", "today", "key"),
    [
        (date(2026, 11, 20), True, date(2026, 11, 21), TODAY, "done"),
        (date(2026, 11, 22), True, date(2026, 11, 21), TODAY, "done_late"),
        (None, True, date(2026, 11, 21), TODAY, "late"),
        (None, False, date(2026, 11, 22), TODAY, "todo"),
        (None, True, date(2026, 11, 25), TODAY, "started"),
    ],
)
def test_a_cell_says_done_late_or_to_do(completed, started, due, today, key):
    from datetime import UTC, datetime

    row = None
    if started:
        row = LessonProgress(user_id=1, module_id=MODULE, best_score=90 if completed else 50)
        if completed:
            row.completed_at = datetime(
                completed.year, completed.month, completed.day, 9, tzinfo=UTC
            )
    assert classroom.cell(row, due, today).key == key


def test_assigning_shows_on_the_students_to_do_list_with_lateness(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    url = f"/groups/{group.id}/assignments"
    past = post(
        client, url, {"module_id": MODULE, "due_on": (date.today() - timedelta(days=1)).isoformat()}
    )
    assert past.status_code == 400 and "Choose today or a later date." in past.get_data(
        as_text=True
    )
    assert (
        post(client, url, {"module_id": MODULE, "due_on": date.today().isoformat()}).status_code
        == 302
    )
    assert (
        post(
            client, url, {"module_id": "privacy-settings", "due_on": date.today().isoformat()}
        ).status_code
        == 302
    )
    # Due yesterday, as if time had passed: the lesson is late for whoever has not done it.
    row = fresh(db).exec(select(Assignment).where(Assignment.module_id == MODULE)).one()
    row.due_on = date.today() - timedelta(days=1)
    db.add(row)
    db.commit()
    student, _m = students[0]
    login(client, student)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Your to-do list" in page and "late" in page
    answer_quiz(db, student, MODULE)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Your to-do list" in page and "done" in page


def test_unknown_lessons_and_other_groups_are_refused(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    response = post(
        client, f"/groups/{group.id}/assignments", {"module_id": "no-such", "due_on": "2099-01-01"}
    )
    assert response.status_code == 400
    family_parent = make_supervisor(db)
    family = make_group(db, family_parent)
    login(client, family_parent)
    assert client.get(f"/groups/{family.id}/dashboard").status_code == 404
    login(client, students[0][0])
    assert client.get(f"/groups/{group.id}/dashboard").status_code == 403


def test_dashboard_figures_match_what_students_did(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    for module_id in (MODULE, "privacy-settings"):
        classroom.assign(
            session=db,
            group=group,
            module=real_catalog().get(module_id),
            due_on=date.today() + timedelta(days=3),
            teacher=teacher,
            today=date.today(),
        )
    db.commit()
    module = real_catalog().get(MODULE)
    q1 = module.quiz[0]
    wrong = next(c.id for c in q1.choices if not c.correct)
    (ada, _a), (bo, _b), (cy, _c) = students
    answer_quiz(db, ada, MODULE)  # all right: 100
    answer_quiz(db, bo, MODULE, {q1.id: {wrong}})  # first attempt wrong on q1
    answer_quiz(db, bo, MODULE)  # retake, all right
    answer_quiz(db, cy, MODULE, {q1.id: {wrong}})
    rows = classroom.dashboard(db, group, classroom.assignments(db, group), date.today())
    by_name = {r.user.id: r for r in rows}
    assert [c.key for c in by_name[ada.id].cells] == ["done", "todo"]
    assert by_name[ada.id].cells[0].score == 100
    assert by_name[bo.id].cells[0].score == 100 and by_name[bo.id].done == 1
    expected_cy = score(
        module, {**{q.id: set(q.correct_ids) for q in module.quiz}, q1.id: {wrong}}
    ).score
    assert by_name[cy.id].cells[0].score == expected_cy
    stats = classroom.question_stats(db, group, [module])
    first = next(s for s in stats if s.question_id == q1.id)
    # First attempts only: Bo's retake does not hide the misconception.
    assert first.answered == 3
    assert first.misconception.choice_id == wrong and first.misconception.count == 2
    login(client, teacher)
    page = client.get(f"/groups/{group.id}/dashboard").get_data(as_text=True)
    assert "most chosen wrong answer" in page and "2 (67 %)" in page


def _save_privacy(db, user) -> None:
    choices = {setting.id: setting.options[0].value for setting in privacy.SETTINGS}
    profile.save_privacy(session=db, user=user, choices=choices, now=utc_now())
    db.commit()


@pytest.mark.parametrize("page", ["dashboard", "assignments"])
def test_dashboard_queries_do_not_grow_with_the_class(app, client, db, page):
    counts = []
    for size in (5, 40):
        teacher = make_supervisor(db)
        group = make_group(db, teacher, kind=GroupKind.CLASSROOM)
        classroom.assign(
            session=db,
            group=group,
            module=real_catalog().get(MODULE),
            due_on=date.today(),
            teacher=teacher,
            today=date.today(),
        )
        db.commit()
        for i in range(size):
            user, _m = make_learner(db, group)
            if i % 2:
                answer_quiz(db, user, MODULE)
            if i % 3 == 0:
                _save_privacy(db, user)
        login(client, teacher)
        with QueryCounter(app.extensions["engine"]) as counter:
            assert client.get(f"/groups/{group.id}/{page}").status_code == 200
        counts.append(counter.count)
    # The dashboard is the class's whole picture (lessons, permit, learning figures,
    # scenario figures, the live session): fixed, with more room than other pages.
    assert counts[0] == counts[1] <= MAX_QUERIES, counts


def test_both_pages_say_what_stands_between_each_student_and_the_permit(client, db, klass):
    teacher, group = klass.teacher, klass.group
    (ana, ana_m), (ben, _ben_m), (cleo, cleo_m) = klass.students
    for module in (real_catalog().get(MODULE), real_catalog().get("netiquette")):
        classroom.assign(
            session=db,
            group=group,
            module=module,
            due_on=date.today(),
            teacher=teacher,
            today=date.today(),
        )
    db.commit()
    # Ana: every instruction lesson and scenario passed, her privacy setup co-signed: ready.
    complete_stage(db, ana, kind=GroupKind.CLASSROOM)
    assert pass_scenarios(db, ana, kind=GroupKind.CLASSROOM) >= 1
    _save_privacy(db, ana)
    cosign(db, ana_m, by=teacher)
    # Ben: the two assigned lessons only, his setup saved and waiting.
    answer_quiz(db, ben, MODULE)
    answer_quiz(db, ben, "netiquette")
    _save_privacy(db, ben)
    set_level(db, cleo_m, Level.PERMIT)
    login(client, teacher)
    for url in (f"/groups/{group.id}/dashboard", f"/groups/{group.id}/assignments"):
        page = client.get(url).get_data(as_text=True)
        cells = re.findall(r'<td class="permit-gap">(.*?)</td>', page, re.S)
        by_name = dict(
            zip(
                sorted([ana.display_name, ben.display_name, cleo.display_name], key=str.lower),
                cells,
                strict=True,
            )
        )
        assert "ready for sign-off" in by_name[ana.display_name]
        ben_cell = html.unescape(by_name[ben.display_name])
        assert "4 lessons:" in ben_cell and "Privacy settings" in ben_cell
        assert "Netiquette" not in ben_cell
        assert "privacy setup waits for your co-signature" in ben_cell
        assert "practice scenario to pass: A new follower slides into your DMs" in ben_cell
        assert "has the permit" in by_name[cleo.display_name]
        assert "permit: every instruction lesson passed" in html.unescape(page)
        assert f"/groups/{group.id}/ladder" in page
    # The assignments page says which of the permit's lessons the class has not assigned.
    assert html.unescape(page).count("not assigned") == 4


def test_csv_exports_neutralise_formulas(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    student, _m = students[0]
    student.display_name = '=HYPERLINK("http://evil")'
    db.add(student)
    classroom.assign(
        session=db,
        group=group,
        module=real_catalog().get(MODULE),
        due_on=date.today(),
        teacher=teacher,
        today=date.today(),
    )
    db.commit()
    answer_quiz(db, student, MODULE)
    login(client, teacher)
    response = client.get(f"/groups/{group.id}/dashboard/progress.csv")
    assert (
        response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    quiz = client.get(f"/groups/{group.id}/dashboard/quiz.csv").get_data(as_text=True)
    assert "Students" in quiz.splitlines()[0]


def test_answers_csv_has_each_students_answer_per_question(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    module = real_catalog().get(MODULE)
    question = module.quiz[0]
    wrong = next(c for c in question.choices if not c.correct)
    (ana, _m), (ben, _m2), _third = students
    ana.display_name = "@Ana"  # a name a spreadsheet would run as a formula
    db.add(ana)
    classroom.assign(
        session=db,
        group=group,
        module=module,
        due_on=date.today(),
        teacher=teacher,
        today=date.today(),
    )
    db.commit()
    answer_quiz(db, ana, MODULE, {question.id: {wrong.id}})
    answer_quiz(db, ana, MODULE)  # a second attempt does not replace the first
    login(client, teacher)
    response = client.get(f"/groups/{group.id}/dashboard/answers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["Student", "Username"]
    assert len(rows) == 1 + len(students) * len(module.quiz)
    ana_first = next(r for r in rows if r[0] == "'@Ana" and r[3] == question.question)
    assert ana_first[4:] == [wrong.text, "no"]
    ben_first = next(r for r in rows if r[1] == ben.login_name and r[3] == question.question)
    assert ben_first[4:] == ["", ""]  # Ben has not taken the quiz
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "plain"])
def test_safe_cell(value):
    assert classroom.safe_cell(value) == (value if value == "plain" else "'" + value)


def _start(client, group):
    response = post(client, f"/groups/{group.id}/live", {"module_id": MODULE})
    assert response.status_code == 302
    return response.headers["Location"]


def _control(client, url, db, action):
    session = fresh(db).exec(select(LiveSession).order_by(LiveSession.id.desc())).first()
    return post(client, url + "/control", {"action": action, "version": str(session.version)})


def test_a_live_session_from_start_to_end(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    url = _start(client, group)
    steps = live.steps(real_catalog().get(MODULE))
    quiz_at = next(i for i, s in enumerate(steps) if s.kind == "quiz")
    for _ in range(quiz_at):
        _control(client, url, db, "next")
    question = steps[quiz_at].question
    right = sorted(question.correct_ids)
    student, _m = students[0]
    login(client, student)
    # A student who has not joined sees the join button, not the question.
    gate = client.get(url).get_data(as_text=True)
    assert "Join the live session" in gate and question.question not in gate
    assert post(client, url + "/join").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert question.question in page and "Send my answer" in page
    data = {"step": str(quiz_at), "choice": right[0]}
    assert post(client, url + "/answer", data).status_code == 302
    assert post(client, url + "/answer", data).status_code == 302  # counted once
    assert len(fresh(db).exec(select(LiveAnswer)).all()) == 1
    login(client, teacher)
    presenter = client.get(url).get_data(as_text=True)
    assert "<strong data-answered>1</strong>" in presenter
    assert "<strong data-joined>1</strong>" in presenter
    assert student.display_name not in presenter  # no names unless the teacher asks
    assert client.get(url + "/state").get_json() | {} == {
        "version": fresh(db).exec(select(LiveSession)).one().version,
        "step": quiz_at,
        "revealed": False,
        "ended": False,
        "joined": 1,
        "answered": 1,
    }
    _control(client, url, db, "reveal")
    login(client, student)
    assert client.get(url + "/state").get_json() | {} == {
        "version": fresh(db).exec(select(LiveSession)).one().version,
        "step": quiz_at,
        "revealed": True,
        "ended": False,
    }
    # After the reveal: the right answer, and the next step to wait for.
    revealed = client.get(url).get_data(as_text=True)
    assert "Waiting for the next step." in revealed
    assert "Wait for your teacher to go on" not in revealed
    assert 'class="right"' in revealed
    # After the reveal answers are closed.
    other, _o = students[1]
    login(client, other)
    post(client, url + "/answer", {"step": str(quiz_at), "choice": right[0]})
    assert len(fresh(db).exec(select(LiveAnswer)).all()) == 1
    login(client, teacher)
    ended = _control(client, url, db, "end")
    assert ended.status_code == 302 and "/dashboard" in ended.headers["Location"]
    assert fresh(db).exec(select(LiveSession)).one().status is LiveStatus.ENDED
    dashboard = client.get(f"/groups/{group.id}/dashboard").get_data(as_text=True)
    assert "Latest live session" in dashboard and question.question in dashboard


def test_an_old_control_version_moves_the_session_once(client, db, klass):
    teacher, group = klass.teacher, klass.group
    login(client, teacher)
    url = _start(client, group)
    version = fresh(db).exec(select(LiveSession)).one().version
    for _ in range(2):
        post(client, url + "/control", {"action": "next", "version": str(version)})
    assert reload(db, fresh(db).exec(select(LiveSession)).one()).step == 1


def test_answers_to_a_step_that_moved_on_are_refused(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    url = _start(client, group)
    login(client, students[0][0])
    response = post(client, url + "/answer", {"step": "0", "choice": "a"})
    assert response.status_code == 302
    assert fresh(db).exec(select(LiveAnswer)).all() == []
    page = client.get(url).get_data(as_text=True)
    assert "Your teacher moved on" in page


def test_students_cannot_drive_and_others_cannot_look(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    url = _start(client, group)
    login(client, students[0][0])
    assert post(client, url + "/control", {"action": "next", "version": "1"}).status_code == 403
    outsider = make_supervisor(db)
    make_group(db, outsider, kind=GroupKind.CLASSROOM)
    login(client, outsider)
    assert client.get(url).status_code == 404
    assert client.get(url + "/state").status_code == 404


def test_names_of_who_joined_show_on_the_teachers_screen_only(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    url = _start(client, group)
    (ana, _a), (ben, _b), _third = students
    for student in (ana, ben):
        login(client, student)
        assert post(client, url + "/join").status_code == 302
        assert post(client, url + "/join").status_code == 302  # twice counts once
    login(client, ana)
    # A student asking for names gets the same page as ever: no one's name.
    student_page = client.get(url + "?names=1").get_data(as_text=True)
    assert ben.display_name not in student_page and "Who joined" not in student_page
    login(client, teacher)
    plain = client.get(url).get_data(as_text=True)
    assert "<strong data-joined>2</strong>" in plain
    assert ana.display_name not in plain and ben.display_name not in plain
    assert "on my screen only" in plain
    named = client.get(url + "?names=1").get_data(as_text=True)
    assert ana.display_name in named and ben.display_name in named
    assert client.get(url + "/state").get_json()["joined"] == 2


def test_a_timed_question_refuses_a_late_answer_politely(client, db, klass):
    teacher, group, students = klass.teacher, klass.group, klass.students
    login(client, teacher)
    response = post(client, f"/groups/{group.id}/live", {"module_id": MODULE, "seconds": "20"})
    url = response.headers["Location"]
    steps = live.steps(real_catalog().get(MODULE))
    quiz_at = next(i for i, s in enumerate(steps) if s.kind == "quiz")
    for _ in range(quiz_at):
        _control(client, url, db, "next")
    running = fresh(db).exec(select(LiveSession)).one()
    assert running.seconds_per_question == 20
    student, _membership = students[0]
    login(client, student)
    post(client, url + "/join")
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'data-countdown="(1\d|20)"', page), "the countdown starts near 20 s"
    # The clock runs out (the step began 30 s ago): the answer is refused, politely.
    session = fresh(db)
    moved = session.get(LiveSession, running.id)
    moved.step_started_at = utc_now() - timedelta(seconds=30)
    session.add(moved)
    session.commit()
    right = sorted(steps[quiz_at].question.correct_ids)[0]
    post(client, url + "/answer", {"step": str(quiz_at), "choice": right})
    landed = client.get(url).get_data(as_text=True)
    assert "Time was up for this question, so your answer was not saved" in landed
    assert fresh(db).exec(select(LiveAnswer)).all() == []
    assert 'data-countdown="0"' in landed


def test_the_timer_accepts_only_the_times_offered(client, db, klass):
    login(client, klass.teacher)
    response = post(client, f"/groups/{klass.group.id}/live", {"module_id": MODULE, "seconds": "7"})
    assert response.status_code == 400
    assert fresh(db).exec(select(LiveSession)).all() == []


def test_the_presenters_poll_does_not_grow_with_the_class(app, client, db):
    counts = []
    for size in (3, 30):
        made = make_classroom(db, students=size)
        running = live.start(
            session=db,
            group=made.group,
            module=real_catalog().get(MODULE),
            teacher=made.teacher,
            now=utc_now(),
        )
        running.step = next(
            i for i, s in enumerate(live.steps(real_catalog().get(MODULE))) if s.asks
        )
        db.add(running)
        for _user, membership in made.students:
            live.join(session=db, live=running, membership=membership, now=utc_now())
        db.commit()
        login(client, made.teacher)
        url = f"/groups/{made.group.id}/live/{running.id}"
        sizes = []
        for page in (url + "/state", url, url + "?names=1"):
            with QueryCounter(app.extensions["engine"]) as counter:
                assert client.get(page).status_code == 200
            sizes.append(counter.count)
        counts.append(sizes)
    assert counts[0] == counts[1], counts
    assert max(counts[1]) <= 15
