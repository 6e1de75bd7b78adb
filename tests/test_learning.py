"""Pre-tests, learning gain, confidence and refreshers: pure figures, then through the app."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlmodel import select
from werkzeug.datastructures import MultiDict

from learner import learning, reminders
from learner.core.db import utc_now
from learner.learning import LearnerModule, aggregate, normalised_gain
from learner.models import (
    ConfidenceMoment,
    ConfidenceRating,
    ItemOutcome,
    Notification,
    NotificationKind,
    PretestAnswer,
    PretestAttempt,
    PretestStatus,
    RefresherItem,
)
from lessons.catalog import DONT_KNOW
from lessons.pretest import PretestInputError, read_confidence, read_pretest
from tests.factories import (
    answer_quiz,
    make_classroom,
    make_family,
    make_learner,
    make_workplace,
    real_catalog,
    take_pretest,
)
from tests.helpers import count_rows, login, post, reload

MODULE = real_catalog().get("netiquette")
TAKEN, SKIPPED = PretestStatus.TAKEN, PretestStatus.SKIPPED


# Pure figures


@pytest.mark.parametrize(
    ("pre", "post", "gain"),
    [
        (0, 100, 1.0),
        (50, 75, 0.5),
        (50, 50, 0.0),
        (80, 60, -1.0),
        (100, 100, None),  # at the ceiling: nothing left to gain
        (100, 80, None),
        (None, 80, None),  # skipped pre-test: no baseline, no gain
        (40, None, None),  # drop-out: no post yet
    ],
)
def test_normalised_gain(pre, post, gain):
    assert normalised_gain(pre, post) == gain


def rec(n: int, pre=None, post=None, status=TAKEN, **more) -> LearnerModule:
    return LearnerModule(
        user_id=n,
        module_id="m",
        pretest=status if pre is not None or status is SKIPPED else None,
        pre=pre,
        post=post,
        **more,
    )


@pytest.mark.parametrize(
    ("records", "learners", "expect"),
    [
        # Four paired learners: counted, but no averages.
        (
            [rec(i, 0, 100) for i in range(4)],
            4,
            {"paired": 4, "mean_gain": None, "improved_share": None, "enough": False},
        ),
        # Five: the figures appear.
        (
            [rec(i, 0, 100) for i in range(5)],
            5,
            {"paired": 5, "mean_gain": 1.0, "improved_share": 100, "mean_pre": 0, "enough": True},
        ),
        # Skipped pre-tests are counted as skipped, not as zero baselines.
        (
            [rec(i, 50, 100) for i in range(5)] + [rec(9, None, 100, status=SKIPPED)],
            7,
            {"paired": 5, "skipped": 1, "no_pretest": 1, "mean_pre": 50, "mean_gain": 1.0},
        ),
        # Drop-outs: a pre-test and no quiz; counted, and kept out of the paired figures.
        (
            [rec(i, 25, 75) for i in range(5)] + [rec(7, 0), rec(8, 0)],
            7,
            {"dropouts": 2, "paired": 5, "pretested": 7, "mean_pre": 25},
        ),
        # Pre = 100 %: in n and the share, out of the average gain.
        (
            [rec(i, 100, 100) for i in range(2)] + [rec(i, 0, 50) for i in range(2, 5)],
            5,
            {"at_ceiling": 2, "mean_gain": 0.5, "improved_share": 60},
        ),
        # Everyone at the ceiling: a share, and no average gain to speak of.
        ([rec(i, 100, 100) for i in range(5)], 5, {"mean_gain": None, "improved_share": 0}),
    ],
)
def test_aggregate(records, learners, expect):
    figures = aggregate("m", records, learners)
    for name, value in expect.items():
        assert getattr(figures, name) == value, name


def test_gain_distribution_counts_each_paired_learner_once():
    records = [rec(1, 80, 40), rec(2, 0, 20), rec(3, 0, 40), rec(4, 0, 60), rec(5, 0, 100)]
    assert aggregate("m", records, 5).gain_counts == (1, 1, 1, 1, 1)


def test_confidence_and_retention_need_five_too():
    four = [
        rec(i, 0, 80, confidence_before=1, confidence_after=3, refreshers={7: 60}) for i in range(4)
    ]
    figures = aggregate("m", four, 4)
    assert figures.confidence_n == 4 and figures.confidence_before is None
    assert figures.retention[0].n == 4 and figures.retention[0].refresher is None
    five = [*four, rec(9, 0, 80, confidence_before=2, confidence_after=4, refreshers={7: 100})]
    figures = aggregate("m", five, 5)
    assert figures.confidence_before == pytest.approx(1.2)
    assert figures.confidence_after == pytest.approx(3.2)
    week, month = figures.retention
    assert (week.round, week.n, week.post, week.refresher) == (7, 5, 80, 68)
    assert (month.round, month.n, month.refresher) == (30, 0, None)


@pytest.mark.parametrize(
    ("outcomes", "score"),
    [
        ([ItemOutcome.RIGHT, ItemOutcome.RIGHT, ItemOutcome.WRONG], 67),
        ([ItemOutcome.RIGHT, None, None], 100),  # unanswered items do not count
        ([None, None], None),
        ([ItemOutcome.DONT_KNOW, ItemOutcome.RIGHT], 50),
    ],
)
def test_refresher_score(outcomes, score):
    assert learning.refresher_score(outcomes) == score


def pretest_form(**overrides) -> dict[str, list[str]]:
    form = {f"p-{q.id}": sorted(q.correct_ids) for q in MODULE.pretest}
    form.update(overrides)
    return form


def test_i_dont_know_and_blanks_count_as_not_known():
    first, second = MODULE.pretest[0], MODULE.pretest[1]
    form = pretest_form(**{f"p-{first.id}": [DONT_KNOW]})
    form.pop(f"p-{second.id}")
    result = read_pretest(MODULE, form)
    outcomes = [r.outcome for r in result.results]
    assert outcomes[:2] == [ItemOutcome.DONT_KNOW, ItemOutcome.SKIPPED]
    assert result.right == len(MODULE.pretest) - 2
    assert result.score == (len(MODULE.pretest) - 2) * 100 // len(MODULE.pretest)
    assert read_pretest(MODULE, {}).score == 0


@pytest.mark.parametrize(
    "tamper",
    [
        {"p-made-up": ["a"]},
        {f"p-{MODULE.pretest[0].id}": ["z"]},
        {f"p-{MODULE.pretest[0].id}": ["a", DONT_KNOW]},
        {f"p-{MODULE.pretest[0].id}": ["a", "b"]},
    ],
)
def test_tampered_pretests_are_refused(tamper):
    with pytest.raises(PretestInputError):
        read_pretest(MODULE, pretest_form(**tamper))


@pytest.mark.parametrize(
    ("form", "value"), [({}, None), ({"confidence": [""]}, None), ({"confidence": ["3"]}, 3)]
)
def test_confidence_reads_1_to_4(form, value):
    assert read_confidence(form) == value


@pytest.mark.parametrize("bad", [["0"], ["5"], ["x"], ["1", "2"]])
def test_confidence_refuses_the_rest(bad):
    with pytest.raises(ValueError):
        read_confidence({"confidence": bad})


# Through the app


def send(client, form: dict[str, list[str]], module_id: str = MODULE.id):
    return post(
        client,
        f"/lessons/{module_id}/pretest",
        MultiDict([(k, v) for k, values in form.items() for v in values]),
    )


def test_the_lesson_offers_the_pretest_until_it_is_taken(client, db):
    family = make_family(db)
    login(client, family.teen)
    lesson = client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    assert "Take the check" in lesson
    page = client.get(f"/lessons/{MODULE.id}/pretest").get_data(as_text=True)
    assert str(escape(MODULE.pretest[0].question)) in page and 'value="idk"' in page
    assert str(escape(MODULE.quiz[0].question)) not in page
    first = MODULE.pretest[0]
    response = send(client, pretest_form(**{f"p-{first.id}": [DONT_KNOW]}, confidence=["2"]))
    assert response.status_code == 302
    attempt = db.exec(PretestAttempt.__table__.select()).one()
    assert attempt.status == "taken"
    assert attempt.score == (len(MODULE.pretest) - 1) * 100 // len(MODULE.pretest)
    outcomes = {a.question_id: a.outcome for a in db.exec(PretestAnswer.__table__.select())}
    assert outcomes[first.id] == "dont_know" and len(outcomes) == len(MODULE.pretest)
    rating = db.exec(ConfidenceRating.__table__.select()).one()
    assert (rating.moment, rating.value) == ("before", 2)
    assert "Take the check" not in client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    # A second submit (another tab) keeps the first baseline.
    again = send(client, pretest_form())
    assert again.status_code == 302 and count_rows(db, PretestAttempt) == 1


def test_skipping_is_recorded_as_skipped_not_zero(client, db):
    family = make_family(db)
    login(client, family.teen)
    response = send(client, {"skip": ["1"]})
    assert response.status_code == 302
    attempt = db.exec(PretestAttempt.__table__.select()).one()
    assert attempt.status == "skipped" and attempt.score is None
    assert count_rows(db, PretestAnswer) == 0


def test_no_pretest_once_the_quiz_is_taken(client, db):
    family = make_family(db)
    answer_quiz(db, family.teen, MODULE.id)
    login(client, family.teen)
    assert client.get(f"/lessons/{MODULE.id}/pretest").status_code == 302
    assert send(client, pretest_form()).status_code == 302
    assert count_rows(db, PretestAttempt) == 0


def test_a_tampered_pretest_is_a_400_and_stores_nothing(client, db):
    login(client, make_family(db).teen)
    response = send(client, pretest_form(**{"p-made-up": ["a"]}))
    assert response.status_code == 400 and "no such question" in response.get_data(as_text=True)
    bad = send(client, pretest_form(confidence=["9"]))
    assert bad.status_code == 400
    assert count_rows(db, PretestAttempt) == 0 and count_rows(db, ConfidenceRating) == 0


def test_the_quiz_asks_how_sure_once(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    assert 'name="confidence"' in page
    answers = {f"q-{q.id}": sorted(q.correct_ids) for q in MODULE.quiz}
    response = post(
        client,
        f"/lessons/{MODULE.id}/quiz",
        MultiDict([(k, v) for k, vs in {**answers, "confidence": ["4"]}.items() for v in vs]),
    )
    assert response.status_code == 302
    rating = db.exec(ConfidenceRating.__table__.select()).one()
    assert (rating.moment, rating.value) == (ConfidenceMoment.AFTER.value, 4)
    assert 'name="confidence"' not in client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)


# Gain shown: to the learner, to the group's supervisors, in the spreadsheets


def _class_that_learned(db, students: int, module_id: str = MODULE.id):
    """Each student: pre-test with one item right, then the quiz all right."""
    classroom = make_classroom(db, students=students)
    for user, _membership in classroom.students:
        take_pretest(db, user, module_id, right=1)
        answer_quiz(db, user, module_id)
    return classroom


def test_the_teacher_sees_the_gain_chart_and_table(client, db):
    classroom = _class_that_learned(db, 5)
    dropout, _m = make_learner(db, classroom.group)
    take_pretest(db, dropout, MODULE.id, right=0)
    login(client, classroom.teacher)
    page = client.get(f"/groups/{classroom.group.id}/dashboard").get_data(as_text=True)
    assert '<svg class="chart" role="img"' in page and "<title id=" in page
    pre = 100 // len(MODULE.pretest)  # one item of four right: 25 %
    row = page[page.index(f'<th scope="row">{MODULE.title}</th>') :][:900]
    assert f"{pre} % → 100 % (5)" in row and "1.00" in row and "100 %" in row
    assert "<td>1</td>" in row  # the drop-out, counted and shown
    assert "not enough data" in page  # the modules nobody has done yet


def test_below_five_learners_a_class_figure_says_not_enough_data(client, db):
    classroom = _class_that_learned(db, 4)
    login(client, classroom.teacher)
    page = client.get(f"/groups/{classroom.group.id}/dashboard").get_data(as_text=True)
    row = page[page.index(f'<th scope="row">{MODULE.title}</th>') :][:400]
    assert "not enough data" in row and "(4)" in row and "% →" not in row


def test_the_csv_carries_the_same_figures(client, db):
    classroom = _class_that_learned(db, 5)
    login(client, classroom.teacher)
    response = client.get(f"/groups/{classroom.group.id}/learning.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, line = rows[0], next(r for r in rows if r[0] == MODULE.title)
    figures = dict(zip(header, line, strict=True))
    assert figures["Pre and post (n)"] == "5" and figures["Average post %"] == "100"
    assert figures["Average pre %"] == str(100 // len(MODULE.pretest))
    assert figures["Average normalised gain"] == "1.0" and figures["Improved %"] == "100"
    per_learner = client.get(f"/groups/{classroom.group.id}/learning-by-learner.csv")
    lines = per_learner.get_data(as_text=True).splitlines()
    mine = [line for line in lines if MODULE.title in line]
    assert len(mine) == 5 and all(",taken,25,100,1.0," in line for line in mine)


def test_a_formula_in_a_name_is_neutralised_in_the_csv(client, db):
    classroom = _class_that_learned(db, 1)
    user = classroom.students[0][0]
    user.display_name = "=HYPERLINK(1)"
    db.add(user)
    db.commit()
    login(client, classroom.teacher)
    text = client.get(f"/groups/{classroom.group.id}/learning-by-learner.csv").get_data(
        as_text=True
    )
    assert "'=HYPERLINK(1)" in text


def test_a_learner_sees_their_own_figures(client, db):
    family = make_family(db)
    take_pretest(db, family.teen, MODULE.id, right=2)
    answer_quiz(db, family.teen, MODULE.id)
    login(client, family.teen)
    page = client.get("/lessons").get_data(as_text=True)
    row = page[page.index(f'<th scope="row">{MODULE.title}</th>') :][:300]
    assert "50 %" in row and "100 %" in row and "1.00" in row
    assert '<svg class="chart" role="img"' in page
    login(client, family.parent)
    progress_page = client.get(
        f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress"
    ).get_data(as_text=True)
    assert '<svg class="chart" role="img"' in progress_page and "50 %" in progress_page


def test_the_workplace_report_has_the_figures(client, db):
    workplace = make_workplace(db, staff=5)
    for user, _membership in workplace.staff:
        take_pretest(db, user, MODULE.id, skip=True)
        answer_quiz(db, user, MODULE.id)
    login(client, workplace.admin)
    page = client.get(f"/groups/{workplace.group.id}/report").get_data(as_text=True)
    row = page[page.index(f'<th scope="row">{MODULE.title}</th>') :][:600]
    # Five skipped pre-tests: no gain to show, and they are counted as skipped.
    assert "not enough data" in row and "<td>5 / 0</td>" in row


# Spaced refreshers: the scheduler, then the dashboard


def _completed(db, when, module_id: str = MODULE.id):
    family = make_family(db)
    answer_quiz(db, family.teen, module_id, when=when)
    return family


def _modules():
    return {m.id: m for m in real_catalog().modules()}


def _rounds(db, user_id):
    db.rollback()
    rows = db.exec(select(RefresherItem).where(RefresherItem.user_id == user_id)).all()
    return sorted({(r.module_id, r.round) for r in rows}), len(rows)


@pytest.mark.parametrize(
    ("after", "rounds"),
    [
        (timedelta(days=6, hours=23, minutes=59), []),
        (timedelta(days=7), [7]),
        (timedelta(days=29, hours=23), [7]),
        (timedelta(days=30), [7, 30]),
    ],
)
def test_due_rounds_compare_instants(after, rounds):
    done = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # late evening, before a DST change
    now = (done + after).astimezone(ZoneInfo("Pacific/Kiritimati"))  # UTC+14: another date
    assert learning.due_rounds(done, now) == rounds


def test_due_rounds_refuse_naive_times():
    with pytest.raises(ValueError):
        learning.due_rounds(datetime(2026, 1, 1), datetime(2026, 2, 1, tzinfo=UTC))


def test_the_scheduler_is_idempotent_and_spaced(db):
    start = datetime(2026, 1, 10, 23, 45, tzinfo=UTC)
    family = _completed(db, start)
    made = learning.schedule_refreshers(
        session=db, now=start + timedelta(days=6, hours=23), modules=_modules()
    )
    assert made == []
    week = start + timedelta(days=7, minutes=1)
    made = learning.schedule_refreshers(session=db, now=week, modules=_modules())
    db.commit()
    assert made == [(family.teen.id, MODULE.id, 7)]
    assert _rounds(db, family.teen.id) == ([(MODULE.id, 7)], learning.REFRESHER_ITEMS)
    # Running again (cron every hour, or two hosts at once) makes nothing more.
    assert learning.schedule_refreshers(session=db, now=week, modules=_modules()) == []
    assert (
        learning.schedule_refreshers(session=db, now=week + timedelta(hours=5), modules=_modules())
        == []
    )
    db.commit()
    month = start + timedelta(days=30)
    assert learning.schedule_refreshers(session=db, now=month, modules=_modules()) == [
        (family.teen.id, MODULE.id, 30)
    ]
    db.commit()
    assert learning.schedule_refreshers(session=db, now=month, modules=_modules()) == []
    rounds, items = _rounds(db, family.teen.id)
    assert rounds == [(MODULE.id, 7), (MODULE.id, 30)] and items == 2 * learning.REFRESHER_ITEMS
    # The two rounds ask different questions where the quiz has enough of them.
    asked = db.exec(select(RefresherItem.round, RefresherItem.question_id)).all()
    by_round = {r: {q for rr, q in asked if rr == r} for r in (7, 30)}
    assert len(MODULE.quiz) < 6 or not by_round[7] & by_round[30]


def test_a_learner_back_after_two_months_gets_one_round(db):
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    family = _completed(db, start)
    made = learning.schedule_refreshers(
        session=db, now=start + timedelta(days=61), modules=_modules()
    )
    db.commit()
    assert made == [(family.teen.id, MODULE.id, 30)]
    assert _rounds(db, family.teen.id)[0] == [(MODULE.id, 30)]


def test_completions_past_the_catch_up_get_no_refresher(db):
    start = utc_now() - timedelta(days=30 + learning.CATCH_UP_DAYS + 1)
    _completed(db, start)
    assert learning.schedule_refreshers(session=db, now=utc_now(), modules=_modules()) == []


def test_no_refresher_for_a_module_not_completed(db):
    family = make_family(db)
    wrong = {q.id: {next(c.id for c in q.choices if not c.correct)} for q in MODULE.quiz}
    answer_quiz(db, family.teen, MODULE.id, wrong, when=utc_now() - timedelta(days=40))
    assert learning.schedule_refreshers(session=db, now=utc_now(), modules=_modules()) == []


def test_the_reminders_job_tells_the_learner_once(db):
    family = _completed(db, utc_now() - timedelta(days=8))
    link = "http://example.test/dashboard"
    first = reminders.send(session=db, now=utc_now(), modules=_modules(), link=link)
    db.commit()
    again = reminders.send(session=db, now=utc_now(), modules=_modules(), link=link)
    db.commit()
    assert (first, again) == (1, 0)
    notes = db.exec(select(Notification).where(Notification.user_id == family.teen.id)).all()
    assert [(n.kind, n.detail) for n in notes] == [(NotificationKind.REMINDER, "refresher")]


def test_refreshers_on_the_dashboard_answered_and_dismissed(client, db):
    family = _completed(db, utc_now() - timedelta(days=8))
    learning.schedule_refreshers(session=db, now=utc_now(), modules=_modules())
    db.commit()
    login(client, family.teen)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Quick refreshers" in page and "7 days later" in page
    items = db.exec(select(RefresherItem).order_by(RefresherItem.id)).all()
    first = items[0]
    question = MODULE.question(first.question_id)
    right = sorted(question.correct_ids)
    response = post(client, f"/refreshers/{first.id}", MultiDict([("choice", c) for c in right]))
    assert response.status_code == 302
    assert reload(db, first).outcome is ItemOutcome.RIGHT and first.answered_at is not None
    # A second answer changes nothing: the first one counts.
    wrong = next(c.id for c in question.choices if not c.correct)
    post(client, f"/refreshers/{first.id}", {"choice": wrong})
    assert reload(db, first).outcome is ItemOutcome.RIGHT
    # No answer: a 400 with the message next to the question; nothing stored.
    empty = post(client, f"/refreshers/{items[1].id}", {})
    assert empty.status_code == 400 and "Choose an answer first" in empty.get_data(as_text=True)
    assert reload(db, items[1]).answered_at is None
    # Dismissing puts the rest of the round away for good.
    post(client, f"/refreshers/{items[1].id}", {"dismiss": "1"})
    db.rollback()
    assert all(i.dismissed_at is not None for i in db.exec(select(RefresherItem)).all()[1:])
    assert "Quick refreshers" not in client.get("/dashboard").get_data(as_text=True)
    # The answered one counts in the learner's own figures: 1 of 1 right at +7 days.
    records = learning.records(db, [family.teen.id], [MODULE.id])
    assert records[0].refreshers == {7: 100}


def test_someone_elses_refresher_is_a_404(client, db):
    family = _completed(db, utc_now() - timedelta(days=8))
    learning.schedule_refreshers(session=db, now=utc_now(), modules=_modules())
    db.commit()
    item = db.exec(select(RefresherItem)).first()
    login(client, family.parent)
    assert post(client, f"/refreshers/{item.id}", {"dismiss": "1"}).status_code == 404
    assert reload(db, item).dismissed_at is None


def test_retention_per_group(db):
    classroom = _class_that_learned(db, 5)
    for user, _m in classroom.students:
        for question in MODULE.quiz[:2]:
            db.add(
                RefresherItem(
                    user_id=user.id,
                    module_id=MODULE.id,
                    round=30,
                    question_id=question.id,
                    due_at=utc_now(),
                    answered_at=utc_now(),
                    outcome=ItemOutcome.RIGHT if question is MODULE.quiz[0] else ItemOutcome.WRONG,
                )
            )
    db.commit()
    figures = learning.for_group(db, classroom.group)
    mine = next(f for f in figures.figures if f.module_id == MODULE.id)
    week, month = mine.retention
    assert (week.n, month.n, month.post, month.refresher) == (0, 5, 100, 50)


def _random_learning(db, rng, users, module_ids):
    """Pre-tests (taken at 0-100 %, or skipped), quizzes (some taken again: the first
    counts), confidence before and after (either may be missing) and refresher rounds
    (answered, partly, or not at all) for these learners: each one drawn at random."""
    from learner.models import QuizAttempt

    when = utc_now()
    for user in users:
        for module_id in module_ids:
            if rng.random() < 0.8:
                taken = rng.random() < 0.85
                score = rng.choice((0, 25, 50, 75, 100)) if taken else None
                db.add(
                    PretestAttempt(
                        user_id=user.id,
                        module_id=module_id,
                        status=TAKEN if taken else SKIPPED,
                        score=score,
                        submitted_at=when,
                    )
                )
            for _attempt in range(rng.choice((0, 1, 1, 2))):
                score = rng.choice((0, 25, 33, 50, 67, 75, 100))
                db.add(
                    QuizAttempt(
                        user_id=user.id,
                        module_id=module_id,
                        score=score,
                        passed=score >= 80,
                        submitted_at=when,
                    )
                )
            for moment in (ConfidenceMoment.BEFORE, ConfidenceMoment.AFTER):
                if rng.random() < 0.75:
                    db.add(
                        ConfidenceRating(
                            user_id=user.id,
                            module_id=module_id,
                            moment=moment,
                            value=rng.randint(1, 4),
                        )
                    )
            for round_ in learning.ROUNDS:
                for number in range(rng.choice((0, 2, 3))):
                    outcome = rng.choice((ItemOutcome.RIGHT, ItemOutcome.WRONG, None))
                    db.add(
                        RefresherItem(
                            user_id=user.id,
                            module_id=module_id,
                            round=round_,
                            question_id=f"q{number}",
                            due_at=when,
                            answered_at=when if outcome else None,
                            outcome=outcome,
                        )
                    )
        db.flush()
    db.commit()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_adds_up_a_group_as_the_records_do(db, seed):
    """A group's figures are added up by the database; on random data they are the figures
    `aggregate` makes from the learners' records, module by module (the gain's average to
    the last bits a float sum in another order may change). Learners who left the class,
    and those of another class, count in neither."""
    import random
    from dataclasses import replace

    rng = random.Random(seed)
    classroom = make_classroom(db, students=14)
    other = make_classroom(db, students=2)
    modules = learning.group_modules(classroom.group)[:4]
    ids = [m.id for m in modules]
    users = [u for u, _m in classroom.students + other.students]
    _random_learning(db, rng, users, ids)
    gone = classroom.students[0][1]
    gone.removed_at = utc_now()
    db.add(gone)
    db.commit()
    found = learning.records(db, learning.group_learners(classroom.group), ids)
    figures = learning.group_figures(db, classroom.group, modules)
    assert figures.learners == 13
    for module_id, made in zip(ids, figures.figures, strict=True):
        expected = aggregate(module_id, [r for r in found if r.module_id == module_id], 13)
        if expected.mean_gain is not None:
            assert made.mean_gain == pytest.approx(expected.mean_gain, rel=1e-12)
        assert replace(made, mean_gain=expected.mean_gain) == expected
    assert any(f.enough for f in figures.figures) and any(f.retention[0].n for f in figures.figures)


# The charts: accessible SVG, nothing the Content-Security-Policy forbids


def test_a_bar_chart_is_an_accessible_image_without_styles(app):
    from learner import charts

    with app.test_request_context():
        svg = str(
            charts.bars(
                "Before <and> after",
                "What it shows",
                [charts.Series("Before", "bar-pre"), charts.Series("After", "bar-post")],
                [
                    charts.Row("<script>alert(1)</script>", (25.0, 100.0)),
                    charts.Row("Empty", (None, None)),
                ],
            )
        )
    assert svg.startswith('<svg class="chart" role="img"')
    title_id = re.search(r'<title id="([^"]+)">Before &lt;and&gt; after</title>', svg).group(1)
    assert f'aria-labelledby="{title_id} ' in svg and "<desc id=" in svg
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "style=" not in svg and " on" not in svg.replace(" one", "")
    assert 'width="350.0"' in svg and "100%" in svg and "25%" in svg  # 100 % is the full bar
    assert "Not enough data yet for 1 more" in svg and "Empty" not in svg


def test_gain_columns_label_every_count(app):
    from learner import charts

    with app.test_request_context():
        svg = str(charts.columns("Gain", "Counts", ["a", "b"], [0, 3]))
    assert svg.count('class="bar-gain"') == 2 and ">3</text>" in svg and ">0</text>" in svg


def test_a_learners_data_download_carries_their_pretests_and_refreshers(db):
    from learner import personal_data

    family = make_family(db)
    take_pretest(db, family.teen, MODULE.id, right=1)
    data = personal_data.export(db, family.teen)
    assert [p["status"] for p in data["pretests"]] == ["taken"]
    assert len(data["pretest_answers"]) == len(MODULE.pretest)
    assert data["confidence_ratings"] == [] and data["refreshers"] == []


def test_a_rounds_refresher_score_is_counted_by_the_database_as_by_hand(db):
    """The database counts each round's answered and right items: the score is the same
    as refresher_score over the items one by one (half rounded up, "I don't know" counted
    as answered and not known, unanswered items left out), per learner and round."""
    classroom = _class_that_learned(db, 2)
    (first, _m), (second, _m2) = classroom.students
    items = {
        (first.id, 7): [ItemOutcome.RIGHT, ItemOutcome.RIGHT, ItemOutcome.WRONG, None],
        (first.id, 30): [ItemOutcome.DONT_KNOW, ItemOutcome.RIGHT, ItemOutcome.WRONG],
        (second.id, 7): [ItemOutcome.WRONG, ItemOutcome.DONT_KNOW],
        (second.id, 30): [None, None],
    }
    for (user_id, round_), outcomes in items.items():
        for number, outcome in enumerate(outcomes):
            db.add(
                RefresherItem(
                    user_id=user_id,
                    module_id=MODULE.id,
                    round=round_,
                    question_id=f"q{number}",
                    due_at=utc_now(),
                    answered_at=utc_now() if outcome else None,
                    outcome=outcome,
                )
            )
    db.commit()
    found = {
        r.user_id: r.refreshers for r in learning.records(db, [first.id, second.id], [MODULE.id])
    }
    assert found == {first.id: {7: 67, 30: 33}, second.id: {7: 0}}
    for (user_id, round_), outcomes in items.items():
        assert found[user_id].get(round_) == learning.refresher_score(outcomes)
