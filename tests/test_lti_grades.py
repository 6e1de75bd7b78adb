"""Deep linking and grade passback against the suite's platform, over HTTP."""

# ruff: noqa: F401, F811 - the `app` and `platform` fixtures come from tests.lti_helpers

from __future__ import annotations

import re

import requests
from sqlmodel import Session, select
from werkzeug.datastructures import MultiDict

from learner.lti import grades
from learner.models import LtiGrade
from tests.factories import real_catalog
from tests.helpers import csrf_token, snapshot
from tests.lti_helpers import app, launch, platform
from tests.lti_platform import INSTRUCTOR, LEARNER

MODULE = real_catalog().get("public-by-default")
OTHER = real_catalog().get("keeping-yourself-in-check")


def right_answers(module=MODULE) -> MultiDict:
    return MultiDict([(f"q-{q.id}", c) for q in module.quiz for c in sorted(q.correct_ids)])


def wrong_answers(module=MODULE) -> MultiDict:
    return MultiDict(
        [(f"q-{q.id}", next(c.id for c in q.choices if not c.correct)) for q in module.quiz]
    )


def one_wrong(module=MODULE) -> MultiDict:
    """Every answer right but the first question's: enough to pass, not full marks."""
    first, *rest = module.quiz
    wrong = next(c.id for c in first.choices if not c.correct)
    return MultiDict(
        [(f"q-{first.id}", wrong)] + [(f"q-{q.id}", c) for q in rest for c in sorted(q.correct_ids)]
    )


ONE_WRONG_SCORE = (len(MODULE.quiz) - 1) * 100 // len(MODULE.quiz)


def take_quiz(client, answers: MultiDict, module=MODULE):
    answers["csrf_token"] = csrf_token(client)
    return client.post(f"/lessons/{module.id}/quiz", data=answers)


def deep_link(app, platform, targets: list[str]):
    """A teacher's deep linking launch, the picker, and the response posted back."""
    client = app.test_client()
    response, _ = launch(client, platform, "t-1", [INSTRUCTOR], deep_linking=True)
    assert response.status_code == 303 and response.headers["Location"] == "/lti/deep-link"
    picker = client.get("/lti/deep-link")
    assert picker.status_code == 200 and MODULE.title in picker.get_data(as_text=True)
    data = MultiDict([("csrf_token", csrf_token(client))] + [("targets", t) for t in targets])
    page = client.post("/lti/deep-link", data=data)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    action = re.search(r'action="([^"]+)"', html.split('id="lti-deep-link-return"')[0][-300:])
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    assert f"form-action 'self' {platform.url}" in page.headers["Content-Security-Policy"]
    assert action and action.group(1) == platform.url + "/deep-link-return"
    back = requests.post(action.group(1), data={"JWT": token}, timeout=10)
    assert back.status_code == 200, back.text
    return client


def test_deep_linking_sends_lessons_back_as_links_with_a_gradebook_column(app, platform):
    deep_link(app, platform, [f"lesson/{MODULE.id}", f"lesson/{OTHER.id}"])
    items = platform.deep_link_items
    assert [i["title"] for i in items] == [MODULE.title, OTHER.title]
    assert all(i["type"] == "ltiResourceLink" for i in items)
    assert items[0]["custom"] == {"target": f"lesson/{MODULE.id}"}
    assert items[0]["lineItem"]["scoreMaximum"] == 100
    assert items[0]["url"] == "http://localhost/lti/launch"
    assert len(platform.lineitems) == 2


def test_the_picker_refuses_nothing_picked_or_something_unknown(app, platform):
    client = app.test_client()
    launch(client, platform, "t-1", [INSTRUCTOR], deep_linking=True)
    empty = client.post("/lti/deep-link", data={"csrf_token": csrf_token(client)})
    assert empty.status_code == 400 and "Pick at least one." in empty.get_data(as_text=True)
    unknown = client.post(
        "/lti/deep-link", data={"csrf_token": csrf_token(client), "targets": "lesson/nope"}
    )
    assert unknown.status_code == 400 and "Pick from the list." in unknown.get_data(as_text=True)
    assert platform.deep_link_items == []


def test_a_student_cannot_start_deep_linking(app, db, platform):
    response, _ = launch(app.test_client(), platform, "s-1", [LEARNER], deep_linking=True)
    assert response.status_code == 403 and "Only teachers" in response.get_data(as_text=True)


def _graded_launch(app, platform, sub="s-1"):
    """A teacher adds the lesson by deep linking; a student opens the link it made."""
    if not platform.deep_link_items:
        deep_link(app, platform, [f"lesson/{MODULE.id}"])
    item = platform.deep_link_items[0]
    client = app.test_client()
    response, _ = launch(
        client,
        platform,
        sub,
        [LEARNER],
        resource_link_id="link-for-" + item["title"],
        custom=item["custom"],
        lineitem=item["created_lineitem"],
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/lessons/{MODULE.id}"
    return client


def test_completing_the_linked_lesson_posts_the_score_once(app, db, platform):
    client = _graded_launch(app, platform)
    assert take_quiz(client, wrong_answers()).status_code == 302
    assert platform.scores == []  # not completed yet
    assert take_quiz(client, right_answers()).status_code == 302
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["userId"] == "s-1" and score["scoreGiven"] == 100
    assert score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert platform.token_requests[0]["claims"]["iss"] == platform.client_id
    # Passing again, and the retry job, send nothing more.
    take_quiz(client, right_answers())
    result = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "0 scores sent" in result.output
    assert len(platform.scores) == 1
    assert db.exec(select(LtiGrade.status)).all() == ["sent"]


def test_a_platform_that_is_down_gets_the_score_later_from_the_job(app, db, platform):
    client = _graded_launch(app, platform)
    platform.down = True
    assert take_quiz(client, right_answers()).status_code == 302  # the student sees no error
    assert platform.scores == []
    grade = db.exec(select(LtiGrade)).one()
    assert grade.status == "pending" and grade.tries == 1
    assert grade.sent_at is None and "error" in grade.last_error
    failed = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "0 scores sent; 1 still waiting" in failed.output
    platform.down = False
    result = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "1 scores sent" in result.output
    assert len(platform.scores) == 1 and platform.scores[0]["scoreGiven"] == 100
    again = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "0 scores sent; 0 still waiting" in again.output
    assert len(platform.scores) == 1


def test_a_lesson_completed_before_the_link_sends_its_score_at_launch(app, db, platform):
    client = _graded_launch(app, platform, sub="s-early")
    take_quiz(client, right_answers())
    assert len(platform.scores) == 1
    # A second graded link to the same lesson, opened after completing it.
    item = platform.deep_link_items[0]
    launch(
        client,
        platform,
        "s-early",
        [LEARNER],
        resource_link_id="second-link",
        custom=item["custom"],
        lineitem=platform.add_lineitem("Again", 100),
    )
    assert len(platform.scores) == 2 and platform.scores[1]["lineitem"] == 2


def test_a_teachers_launch_of_a_graded_link_waits_for_no_score(app, db, platform):
    deep_link(app, platform, [f"lesson/{MODULE.id}"])
    item = platform.deep_link_items[0]
    before = len(snapshot(db)["lti_grade"])
    launch(
        app.test_client(),
        platform,
        "t-1",
        [INSTRUCTOR],
        custom=item["custom"],
        lineitem=item["created_lineitem"],
    )
    db.rollback()
    assert len(snapshot(db)["lti_grade"]) == before == 0


def given(platform) -> list[int]:
    return [score["scoreGiven"] for score in platform.scores]


def test_a_better_score_is_sent_again_the_same_or_a_lower_one_never(app, db, platform):
    assert 80 <= ONE_WRONG_SCORE < 100  # passes, with room to improve
    client = _graded_launch(app, platform)
    take_quiz(client, one_wrong())
    assert given(platform) == [ONE_WRONG_SCORE]
    take_quiz(client, one_wrong())  # the same score again
    assert given(platform) == [ONE_WRONG_SCORE]
    # A better score while the platform is down waits; a lower one after it changes nothing.
    platform.down = True
    take_quiz(client, right_answers())
    take_quiz(client, one_wrong())
    assert given(platform) == [ONE_WRONG_SCORE]
    db.rollback()
    grade = db.exec(select(LtiGrade)).one()
    assert (grade.status, grade.score) == ("pending", 100)
    platform.down = False
    result = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "1 scores sent" in result.output
    assert given(platform) == [ONE_WRONG_SCORE, 100]
    assert platform.scores[1]["activityProgress"] == "Completed"
    take_quiz(client, right_answers())
    again = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "0 scores sent; 0 still waiting" in again.output
    assert given(platform) == [ONE_WRONG_SCORE, 100]
    db.rollback()
    assert db.exec(select(LtiGrade.status, LtiGrade.score)).all() == [("sent", 100)]


def test_a_better_score_arriving_while_one_is_sent_goes_next(app, db, platform):
    """The student passes again, better, while the first score is on its way: the first
    sender does not mark the row sent over the better score, which goes out after it."""
    client = _graded_launch(app, platform)
    engine = app.extensions["engine"]

    def better_meanwhile(score: dict) -> None:
        platform.on_score = None
        with Session(engine) as other:
            grade = other.exec(select(LtiGrade)).one()
            assert grade.status == "sending"
            grades.completed(
                session=other, user_id=grade.user_id, target=f"lesson/{MODULE.id}", score=100
            )
            other.commit()

    platform.on_score = better_meanwhile
    take_quiz(client, one_wrong())
    assert given(platform) == [ONE_WRONG_SCORE]
    db.rollback()
    grade = db.exec(select(LtiGrade)).one()
    assert (grade.status, grade.score, grade.sent_at) == ("pending", 100, None)
    result = app.test_cli_runner().invoke(args=["grades", "send"])
    assert "1 scores sent" in result.output
    assert given(platform) == [ONE_WRONG_SCORE, 100]
    db.rollback()
    assert db.exec(select(LtiGrade.status, LtiGrade.score)).all() == [("sent", 100)]


def test_a_token_the_platform_forgot_is_asked_for_again(app, db, platform):
    """After a platform restart the cached access token is refused (401): the tool drops
    it, asks for a new one, and the score goes through at once."""
    client = _graded_launch(app, platform)
    take_quiz(client, one_wrong())
    assert given(platform) == [ONE_WRONG_SCORE] and len(platform.token_requests) == 1
    platform.tokens.clear()
    take_quiz(client, right_answers())
    assert given(platform) == [ONE_WRONG_SCORE, 100]
    assert len(platform.token_requests) == 2


def test_access_tokens_are_kept_per_client_id_not_per_issuer():
    """Every school on hosted Canvas has the same issuer: one school's token must never
    be sent with another school's registration."""
    from pylti1p3.registration import Registration

    from learner.lti.tool import ServiceConnector

    def key(client_id: str, host: str = "sso.example") -> str:
        registration = (
            Registration()
            .set_issuer("https://canvas.instructure.com")
            .set_client_id(client_id)
            .set_auth_token_url(f"https://{host}/token")
        )
        return ServiceConnector(registration)._scope_key([grades.SCORE_SCOPE])

    assert key("school-a") != key("school-b")
    assert key("school-a") != key("school-a", "sso.test.example")
    assert key("school-a") == key("school-a")
