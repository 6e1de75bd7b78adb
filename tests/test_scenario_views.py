"""Scenario pages: the list, playing without JavaScript (every action a form that redirects
back), resuming after a reload, the state endpoint, links, telling an adult, the end
screen and reflection, what supervisors read, and the visitor's try-out that stores
nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlmodel import select

from learner.core.db import utc_now
from learner.models import (
    AgeBand,
    EventKind,
    GroupKind,
    Notification,
    ScenarioAction,
    ScenarioReflection,
    ScenarioRun,
    SupervisionEvent,
)
from tests import factories
from tests.helpers import count_rows, login, post, reload, snapshot

SID = "new-follower-dm"
PLAY = f"/scenarios/{SID}"


@pytest.fixture
def family(db):
    return factories.make_family(db)


def _start(client):
    response = post(client, f"{PLAY}/start")
    assert response.status_code == 302 and response.location.endswith(PLAY)


def _act(client, **data):
    return post(client, f"{PLAY}/act", data)


def _run(db, user) -> ScenarioRun:
    db.rollback()
    return db.exec(select(ScenarioRun).where(ScenarioRun.user_id == user.id)).all()[-1]


def _wind(db, run, seconds):
    """Move the run's clock on, as time passing would."""
    run = reload(db, run)
    run.clock_at = run.clock_at - timedelta(seconds=seconds)
    db.add(run)
    db.commit()


def test_the_list_shows_the_scenarios_for_the_learner_s_age_and_state(client, db, family):
    login(client, family.teen)
    page = client.get("/scenarios").get_data(as_text=True)
    assert "A new follower slides into your DMs" in page
    assert "The comments turn mean" in page  # 13-15 and core: suits the teen
    assert "Not started" in page
    _start(client)
    assert "In progress" in client.get("/scenarios").get_data(as_text=True)


def test_a_scenario_for_another_age_is_not_there(client, db):
    parent = factories.make_supervisor(db)
    group = factories.make_group(db, parent)
    adult, _m = factories.make_learner(db, group, age_band=AgeBand.ADULT)
    login(client, adult)
    assert "The comments turn mean" not in client.get("/scenarios").get_data(as_text=True)
    assert client.get("/scenarios/group-chat-pile-on").status_code == 404


def test_supervisors_do_not_play_and_visitors_log_in_first(client, family):
    assert client.get("/scenarios").status_code == 302
    login(client, family.parent)
    assert client.get("/scenarios").status_code == 403
    assert client.get(PLAY).status_code == 403


def test_playing_without_javascript(client, db, family):
    login(client, family.teen)
    page = client.get(PLAY).get_data(as_text=True)
    assert "You posted a clip of your bike jump" in page  # the backstory first
    _start(client)
    page = client.get(PLAY).get_data(as_text=True)
    assert "Look at who is writing to you" in page  # the guided run's first hint
    assert "loved ur jump" not in page
    assert post(client, f"{PLAY}/hint", {"at": "start"}).status_code == 302
    assert post(client, f"{PLAY}/continue").status_code == 302  # the clock jumps to dm1
    page = client.get(PLAY).get_data(as_text=True)
    assert "Look at who is writing to you" not in page
    assert "loved ur jump. what school do u go to?" in page
    response = _act(client, kind="reply", target="dm1", text="my number is 555-201-3344")
    assert response.status_code == 302 and response.location.endswith(f"{PLAY}#item-dm1")
    db.rollback()
    action = db.exec(select(ScenarioAction)).one()
    assert "privacy.phone" in action.categories and action.rules
    post(client, f"{PLAY}/continue")
    page = client.get(PLAY).get_data(as_text=True)
    assert "whats ur number" in page  # dm2, set off by the reply
    assert "A stranger is asking for something private" in page  # its hint
    assert "send me a pic of where u live" not in page
    _act(client, kind="reply", target="dm2", text="ok 555-201-3344")
    page = client.get(PLAY).get_data(as_text=True)
    assert "send me a pic of where u live" in page  # dm3: the coach found the number
    assert _act(client, kind="block", target="rio").status_code == 302
    response = post(client, f"{PLAY}/finish")
    run = _run(db, family.teen)
    assert response.location.endswith(f"{PLAY}/runs/{run.id}")
    assert (run.score, run.passed) == (0, False)  # block +2, the number -3: at least 0
    page = client.get(response.location).get_data(as_text=True)
    assert "0 %" in page and "Your number is now with someone you have never met." in page
    assert "Blocked Rio." in page
    assert "my number is 555-201-3344" in page
    assert 'href="/lessons/personal-information"' in page
    assert "What made you trust or not trust Rio?" in page


def test_a_reload_resumes_the_run_where_it_was(client, db, family):
    login(client, family.teen)
    _start(client)
    run = _run(db, family.teen)
    _wind(db, run, 12)
    _act(client, kind="reply", target="dm1", text="hi who is this")
    before = client.get(PLAY).get_data(as_text=True)
    again = client.get(PLAY).get_data(as_text=True)
    assert "hi who is this" in before and "hi who is this" in again
    assert count_rows(db, ScenarioRun) == 1  # a reload starts nothing new
    # Away for a day: the clock moved on two minutes at most, the run is still there.
    _wind(db, _run(db, family.teen), 86400)
    state = client.get(f"{PLAY}/state").get_json()
    assert state["clock"] == reload(db, run).clock + 120
    assert [e["id"] for e in state["events"]][:2] == ["dm1", "dm2"]


def test_the_state_endpoint_says_what_happened(client, db, family):
    login(client, family.teen)
    assert client.get(f"{PLAY}/state").status_code == 404
    _start(client)
    state = client.get(f"{PLAY}/state").get_json()
    assert state["events"] == [] and state["next_at"] == 10 and state["hints"] == ["start"]
    _wind(db, _run(db, family.teen), 31)
    state = client.get(f"{PLAY}/state").get_json()
    assert [e["id"] for e in state["events"]] == ["dm1", "req1"]
    assert state["events"][0]["text"] == "hey! loved ur jump. what school do u go to?"
    assert state["version"] == "2.0.1"


def test_a_muted_actor_s_events_arrive_silently(client, db, family):
    login(client, family.teen)
    _start(client)
    _act(client, kind="mute", target="rio")
    _wind(db, _run(db, family.teen), 40)
    events = client.get(f"{PLAY}/state").get_json()["events"]
    assert [(e["id"], e["silent"]) for e in events] == [("dm1", True), ("req1", True)]


def test_a_refused_action_says_why_and_stores_nothing(client, db, family):
    login(client, family.teen)
    _start(client)
    response = _act(client, kind="reply", target="dm1", text="hello")  # dm1 is not there yet
    assert response.status_code == 400
    assert "That is not on your screen." in response.get_data(as_text=True)
    response = _act(client, kind="report", target="p2", reason="boring")
    assert response.status_code == 400
    assert "Choose why you are reporting it." in response.get_data(as_text=True)
    response = _act(client, kind="reply", target="p2", text="x" * 1001)
    assert response.status_code == 400
    assert count_rows(db, ScenarioAction) == 0


def test_opening_a_link_shows_the_safe_page(client, db, family):
    login(client, family.teen)
    _start(client)
    response = _act(client, kind="open_link", target="p2")
    assert response.location.endswith(f"{PLAY}/link/p2")
    page = client.get(response.location).get_data(as_text=True)
    assert "asked for your home address" in page
    assert client.get(f"{PLAY}/link/p1").status_code == 404  # p1 has no link


def test_telling_a_trusted_adult_notifies_the_supervisors(client, db, family):
    login(client, family.teen)
    _start(client)
    response = _act(client, kind="tell_adult", text="someone weird is messaging me")
    page = client.get(response.location).get_data(as_text=True)
    assert "We told your supervisors" in page
    db.rollback()
    note = db.exec(select(Notification)).one()
    assert (note.user_id, note.membership_id) == (family.parent.id, family.teen_membership.id)
    login(client, family.parent)
    page = client.get("/notifications").get_data(as_text=True)
    assert "asked for your help in a practice scenario" in page
    assert (
        f"/groups/{family.group.id}/members/{family.teen_membership.id}/progress#scenarios" in page
    )


def test_telling_without_a_group_says_so_kindly(client, db, family):
    login(client, family.teen)
    with client.application.test_request_context():
        from learner import groups

        groups.remove_member(session=db, membership=family.teen_membership, now=utc_now())
    db.commit()
    _start(client)
    response = _act(client, kind="tell_adult", text="help")
    page = client.get(response.location).get_data(as_text=True)
    assert "You are not in a group yet, so nobody was told here." in page
    assert count_rows(db, Notification) == 0


def test_the_reflection_needs_every_answer_then_is_kept(client, db, family):
    login(client, family.teen)
    _start(client)
    post(client, f"{PLAY}/finish")
    run = _run(db, family.teen)
    url = f"{PLAY}/runs/{run.id}/reflection"
    response = post(client, url, {"r-feel": "they were too nice"})
    assert response.status_code == 400
    assert "Answer this one, please." in response.get_data(as_text=True)
    assert count_rows(db, ScenarioReflection) == 0
    response = post(client, url, {"r-feel": "they were too nice", "r-next-time": "b"})
    assert response.status_code == 302
    page = client.get(f"{PLAY}/runs/{run.id}").get_data(as_text=True)
    assert "Check who it is and tell someone I trust" in page


def test_a_replay_is_a_new_free_run_and_old_runs_stay(client, db, family):
    login(client, family.teen)
    _start(client)
    post(client, f"{PLAY}/finish")
    _start(client)
    db.rollback()
    runs = db.exec(select(ScenarioRun).order_by(ScenarioRun.id)).all()
    assert [r.guided for r in runs] == [True, False]
    assert "Look at who is writing to you" not in client.get(PLAY).get_data(as_text=True)


def test_someone_else_s_run_does_not_exist(client, db, family):
    login(client, family.teen)
    _start(client)
    post(client, f"{PLAY}/finish")
    run = _run(db, family.teen)
    other, _m = factories.make_learner(db, family.group)
    login(client, other)
    assert client.get(f"{PLAY}/runs/{run.id}").status_code == 404
    assert post(client, f"{PLAY}/runs/{run.id}/reflection", {"r-feel": "x"}).status_code == 404


def test_supervisors_read_the_result_and_the_learner_sees_it_in_the_log(client, db, family):
    login(client, family.teen)
    _start(client)
    _wind(db, _run(db, family.teen), 12)
    _act(client, kind="reply", target="dm1", text="call me on 555-201-3344")
    post(client, f"{PLAY}/finish")
    run = _run(db, family.teen)
    post(client, f"{PLAY}/runs/{run.id}/reflection", {"r-feel": "seemed fine", "r-next-time": "a"})
    login(client, family.parent)
    base = f"/groups/{family.group.id}/members/{family.teen_membership.id}"
    page = client.get(f"{base}/progress").get_data(as_text=True)
    assert "A new follower slides into your DMs" in page
    assert "call me on 555-201-3344" in page
    assert "Phone number" in page  # the coach's finding
    assert "seemed fine" in page and "Answer and see what they want" in page
    client.get(f"{base}/progress")  # read again within the hour: logged once
    db.rollback()
    events = db.exec(select(SupervisionEvent)).all()
    assert [(e.kind, e.scenario_run_id) for e in events] == [(EventKind.SCENARIO_VIEWED, run.id)]
    login(client, family.teen)
    log = client.get(f"{base}/log").get_data(as_text=True)
    assert "read the result of a practice scenario" in log
    assert "A new follower slides into your DMs" in log
    client.get(f"{base}/progress")  # the learner reading their own: not logged
    assert count_rows(db, SupervisionEvent) == 1


# --- The visitor's try-out --------------------------------------------------------------


def _csrf(client, url="/try") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_a_visitor_tries_a_scenario_and_nothing_is_stored(client, db):
    before = snapshot(db)
    assert "Try a scenario" in client.get("/").get_data(as_text=True)
    token = _csrf(client)
    assert client.post("/try/start", data={"csrf_token": token}).status_code == 302
    page = client.get("/try").get_data(as_text=True)
    assert "A new follower slides into your DMs" in page  # the shortest core one
    client.post("/try/continue", data={"csrf_token": token})
    response = client.post(
        "/try/act", data={"csrf_token": token, "kind": "reply", "target": "dm1", "text": "hi"}
    )
    assert response.status_code == 302
    assert "whats ur number" not in client.get("/try").get_data(as_text=True)
    client.post("/try/continue", data={"csrf_token": token})
    assert "whats ur number" in client.get("/try").get_data(as_text=True)
    response = client.post(
        "/try/check",
        json={"text": "text me 555-201-3344"},
        headers={"X-CSRFToken": token},
    )
    assert "privacy.phone" in response.get_json()["categories"]
    client.post("/try/act", data={"csrf_token": token, "kind": "block", "target": "rio"})
    client.post("/try/act", data={"csrf_token": token, "kind": "tell_adult", "text": "help"})
    assert client.post("/try/finish", data={"csrf_token": token}).location.endswith("/try/end")
    page = client.get("/try/end").get_data(as_text=True)
    assert "100 %" in page and "Blocked Rio." in page
    with client.session_transaction() as cookie:
        assert "try_scenario" not in cookie  # dropped at the end
    assert client.get("/try/end").status_code == 302
    assert snapshot(db) == before  # no row, in any table


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_shipped_scenario_plays_and_ends(database_url):
    """The content author's files, on the real pages: every event on screen, the end."""
    from sqlmodel import Session

    from app import create_app
    from lessons.scenarios import SCENARIOS_DIR
    from tests.conftest import test_config

    app = create_app(test_config(database_url, SCENARIOS_DIR=str(SCENARIOS_DIR)))
    client = app.test_client()
    shipped = app.extensions["scenarios"].all()
    assert len(shipped) >= 12
    with app.app_context(), Session(app.extensions["engine"], expire_on_commit=False) as db:
        owner = factories.make_supervisor(db)
        workplace = factories.make_group(db, owner, kind=GroupKind.WORKPLACE)
        for scenario in shipped:
            band = AgeBand(scenario.ages[-1])
            learner, _m = factories.make_learner(db, workplace, age_band=band)
            learner.locale = scenario.lang  # each translation plays in its own language
            db.add(learner)
            db.commit()
            login(client, learner)
            base = f"/scenarios/{scenario.id}"
            assert post(client, f"{base}/start").status_code == 302, scenario.id
            run = _run(db, learner)
            run.clock = scenario.last_timed_second
            db.add(run)
            db.commit()
            page = client.get(base)
            assert page.status_code == 200, scenario.id
            html = page.get_data(as_text=True)
            assert escape(scenario.title) in html and "untranslated" not in html, scenario.id
            for event in scenario.events:
                if event.timed and event.text:
                    assert event.id in html, (scenario.id, event.id)
            assert client.get(f"{base}/state").status_code == 200
            finished = post(client, f"{base}/finish")
            assert client.get(finished.location).status_code == 200, scenario.id
    app.extensions["engine"].dispose()


def test_the_learner_s_data_download_and_page_hold_their_runs(client, db, family):
    login(client, family.teen)
    _start(client)
    _wind(db, _run(db, family.teen), 12)
    _act(client, kind="reply", target="dm1", text="who are you really")
    page = client.get("/account/data/readable").get_data(as_text=True)
    assert "A new follower slides into your DMs" in page and "who are you really" in page
    exported = client.get("/account/data.json")
    assert exported.status_code == 200
    data = exported.get_json(force=True)
    assert [a["text"] for a in data["scenario_actions"]] == ["who are you really"]


def test_a_call_for_help_is_on_the_progress_page_before_the_run_ends(client, db, family):
    login(client, family.teen)
    _start(client)
    _act(client, kind="tell_adult", text="a stranger wants my number")
    login(client, family.parent)
    base = f"/groups/{family.group.id}/members/{family.teen_membership.id}"
    page = client.get(f"{base}/progress").get_data(as_text=True)
    assert "Asked for help" in page and "a stranger wants my number" in page
    db.rollback()
    viewed = db.exec(select(SupervisionEvent)).all()
    assert [(e.kind, e.scenario_run_id) for e in viewed] == [
        (EventKind.SCENARIO_VIEWED, _run(db, family.teen).id)
    ]
