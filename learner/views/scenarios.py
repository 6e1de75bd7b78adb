"""Scenario practice on the web: the list, the play page (a phone-like feed that works
without JavaScript: every action is a POST form that redirects back), its JSON state for
the script that pops events in, the end screen and the reflection.

`try_bp` is the visitor's try-out from the landing page: one short scenario with the
coach, its state in the signed session cookie only (no database row, ever), dropped at
the end.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from learner import coach, groups, policy, progress
from learner import scenarios as service
from learner.core import labels
from learner.core.db import get_session, utc_now
from learner.core.extensions import limiter
from learner.core.markdown import render_shipped_markdown
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import EmptyForm, ScenarioActForm, ScenarioHintForm
from learner.scenario_engine import Act, check_act, happened, next_second, score
from lessons.scenarios import Scenario

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")
try_bp = Blueprint("try_scenario", __name__, url_prefix="/try")
# Visitors are not signed in, so their coach calls are limited per address (a class trying
# it together behind one school address stays well under).
TRY_LIMIT = "120 per minute"

# The try-out keeps its actions in the cookie: a few short ones fit.
TRY_MAX_ACTS = 25
TRY_MAX_TEXT = 280
TRY_KEY = "try_scenario"


def _lang() -> str:
    return str(get_locale() or "en")


def _tracks() -> set[str]:
    """The learner's tracks: core, and their groups' settings (one query)."""
    rows = groups.learner_memberships(get_session(), acting_user().id)
    return progress.tracks_for(group.kind for _m, group in rows)


def _scenario(scenario_id: str) -> Scenario:
    return policy.load_scenario(acting_user(), scenario_id, _tracks())


def _category_names() -> dict[str, str]:
    return {category: str(label) for category, label in labels.COACH_CATEGORY.items()}


def _hint_texts(scenario: Scenario) -> dict[str, str]:
    return {h.at: h.text for h in scenario.guided}


# --- The list ---------------------------------------------------------------------------


@bp.get("")
@login_required
def index():
    """The scenarios for this learner's age and settings, with where they stand."""
    user = acting_user()
    if not policy.can_play_scenarios(user):
        abort(403)
    band = user.age_band.value if user.age_band is not None else None
    suited = service.get_scenarios().suited(lang=_lang(), age_band=band, tracks=_tracks())
    return render_template(
        "scenarios/index.html",
        scenarios=suited,
        runs=service.latest_runs(get_session(), user.id),
    )


# --- Playing ----------------------------------------------------------------------------


def _current(scenario: Scenario):
    """The learner's latest run and its actions (two queries; none without a run)."""
    db = get_session()
    run = service.current_run(db, acting_user().id, scenario.id)
    return run, (service.actions_of(db, run.id) if run else [])


def _play_urls(scenario: Scenario) -> dict[str, str]:
    sid = scenario.id
    return {
        "page": url_for("scenarios.show", scenario_id=sid),
        "act": url_for("scenarios.act", scenario_id=sid),
        "continue": url_for("scenarios.continue_", scenario_id=sid),
        "hint": url_for("scenarios.hint", scenario_id=sid),
        "finish": url_for("scenarios.finish", scenario_id=sid),
        "state": url_for("scenarios.state", scenario_id=sid),
        "link": url_for("scenarios.link", scenario_id=sid, target="TARGET"),
        "check": url_for("coach.check"),
        "lessons": url_for("lessons.index") + "/",
    }


def _render_play(
    scenario: Scenario,
    state: service.PlayState,
    urls: dict,
    *,
    guided: bool,
    trying: bool = False,
    form: ScenarioActForm | None = None,
    failed: dict | None = None,
    status: int = 200,
):
    return (
        render_template(
            "scenarios/play.html",
            scenario=scenario,
            state=state,
            screen=service.build_screen(state),
            urls=urls,
            guided=guided,
            trying=trying,
            hint_texts=_hint_texts(scenario),
            form=form or ScenarioActForm(formdata=None),
            failed=failed or {},
            category_names=_category_names(),
            reasons=service.REPORT_REASON,
        ),
        status,
    )


@bp.get("/<scenario_id>")
@login_required
def show(scenario_id: str):
    """The play page of the run under way; the backstory and a start button otherwise."""
    scenario = _scenario(scenario_id)
    run, actions = _current(scenario)
    if run is None or run.finished_at is not None:
        return render_template(
            "scenarios/intro.html",
            scenario=scenario,
            backstory=render_shipped_markdown(scenario.backstory),
            last=run,
            form=EmptyForm(),
            start_url=url_for("scenarios.start", scenario_id=scenario.id),
            trying=False,
        )
    state = service.state_of(scenario, run, actions, utc_now())
    return _render_play(scenario, state, _play_urls(scenario), guided=run.guided)


@bp.post("/<scenario_id>/start")
@login_required
def start(scenario_id: str):
    """Start a run (the first guided, replays free); earlier runs are kept."""
    scenario = _scenario(scenario_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.start_run(session=get_session(), user=acting_user(), scenario=scenario, now=utc_now())
    get_session().commit()
    return redirect(url_for("scenarios.show", scenario_id=scenario.id))


def _open_run(scenario: Scenario):
    run, actions = _current(scenario)
    if run is None or run.finished_at is not None:
        flash(_("Start the scenario first."), "error")
        return None, None
    return run, actions


@bp.post("/<scenario_id>/act")
@login_required
def act(scenario_id: str):
    """Do something in the scenario; the coach reads replies. Redirects back to the feed
    (or, for a link, to the safe page that explains it)."""
    scenario = _scenario(scenario_id)
    run, actions = _open_run(scenario)
    if run is None:
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    form = ScenarioActForm()
    db = get_session()
    now = utc_now()
    failed = {"kind": form.kind.data, "target": form.target.data}

    def refused():
        db.rollback()
        state = service.state_of(scenario, run, actions, now)
        return _render_play(
            scenario,
            state,
            _play_urls(scenario),
            guided=run.guided,
            form=form,
            failed=failed,
            status=400,
        )

    if not form.validate_on_submit():
        return refused()
    try:
        action = service.record_action(
            session=db,
            run=run,
            scenario=scenario,
            actions=actions,
            kind=form.kind.data,
            target=form.target.data or None,
            text=form.text.data,
            reason=form.reason.data or None,
            value=form.value.data or None,
            now=now,
        )
        told = None
        if action.kind == "tell_adult":
            told = service.tell_supervisors(session=db, user=acting_user(), now=now)
    except DomainError as error:
        _put_error(form, error)
        return refused()
    db.commit()
    if told is not None:
        flash(_told_message(told), "success" if told else "info")
    if action.kind == "open_link":
        return redirect(url_for("scenarios.link", scenario_id=scenario.id, target=action.target))
    return redirect(url_for("scenarios.show", scenario_id=scenario.id) + _anchor(action.target))


def _put_error(form: ScenarioActForm, error: DomainError) -> None:
    fields = error.fields or {"kind": error.message}
    for name, message in fields.items():
        field = getattr(form, name, None) or form.kind
        field.errors = [*field.errors, message]


def _told_message(groups_told: int) -> str:
    if groups_told:
        return _(
            "We told your supervisors. They can read what you wrote, and they will get back "
            "to you. In real life, a trusted adult is always a good call."
        )
    return _(
        "You are not in a group yet, so nobody was told here. In real life, talk to a parent, "
        "a teacher or another adult you trust: telling someone is always allowed."
    )


def _anchor(target: str | None) -> str:
    return f"#item-{target}" if target else ""


@bp.post("/<scenario_id>/continue")
@login_required
def continue_(scenario_id: str):
    """ "Continue": jump the clock to the next event."""
    scenario = _scenario(scenario_id)
    run, actions = _open_run(scenario)
    if run is not None:
        if not EmptyForm().validate_on_submit():
            abort(400)
        moved = service.continue_clock(
            session=get_session(),
            run=run,
            scenario=scenario,
            acts=service.acts_of(actions),
            now=utc_now(),
        )
        get_session().commit()
        if moved is None:
            flash(_("Nothing else is coming for now. Do what you think is right, or finish."))
    return redirect(url_for("scenarios.show", scenario_id=scenario.id))


@bp.post("/<scenario_id>/hint")
@login_required
def hint(scenario_id: str):
    """A guided hint was read."""
    scenario = _scenario(scenario_id)
    run, _actions = _open_run(scenario)
    if run is not None:
        form = ScenarioHintForm()
        if not form.validate_on_submit():
            abort(400)
        try:
            service.acknowledge_hint(
                session=get_session(), run=run, scenario=scenario, at=form.at.data
            )
        except DomainError:
            get_session().rollback()
            abort(400)
        get_session().commit()
    return redirect(url_for("scenarios.show", scenario_id=scenario.id))


@bp.post("/<scenario_id>/finish")
@login_required
def finish(scenario_id: str):
    """End the run and go to the end screen."""
    scenario = _scenario(scenario_id)
    run, actions = _open_run(scenario)
    if run is None:
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    service.finish(
        session=get_session(),
        run=run,
        scenario=scenario,
        acts=service.acts_of(actions),
        now=utc_now(),
    )
    get_session().commit()
    return redirect(url_for("scenarios.result", scenario_id=scenario.id, run_id=run.id))


@bp.get("/<scenario_id>/state")
@login_required
def state(scenario_id: str):
    """The run's state as JSON, for the script that pops events in without a reload."""
    scenario = _scenario(scenario_id)
    run, actions = _current(scenario)
    if run is None:
        return jsonify(error="not started"), 404
    play = service.state_of(scenario, run, actions, utc_now())
    return jsonify(service.state_json(play, service.build_screen(play)))


@bp.get("/<scenario_id>/link/<target>")
@login_required
def link(scenario_id: str, target: str):
    """The safe page behind a link: what would have happened had it been real."""
    scenario = _scenario(scenario_id)
    run, actions = _current(scenario)
    if run is None:
        abort(404)
    play = service.state_of(scenario, run, actions, utc_now())
    return _link_page(scenario, play, target, url_for("scenarios.show", scenario_id=scenario.id))


def _link_page(scenario: Scenario, play: service.PlayState, target: str, back: str):
    shown = {h.event.id for h in play.events} | {p.id for p in scenario.feed}
    shown |= {c.id for p in scenario.feed for c in p.comments}
    found = scenario.link_of(target) if target in shown else None
    if found is None:
        abort(404)
    return render_template("scenarios/link.html", scenario=scenario, found=found, back=back)


# --- The end ----------------------------------------------------------------------------


@bp.get("/<scenario_id>/runs/<int:run_id>")
@login_required
def result(scenario_id: str, run_id: int):
    """The end screen: what the learner did, what a careful person would have done and
    why (each with its lesson), then the reflection."""
    scenario = _scenario(scenario_id)
    db = get_session()
    run = policy.load_own_run(db, acting_user(), scenario.id, run_id)
    if run.finished_at is None:
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    actions = service.actions_of(db, run.id)
    answers = service.reflections_of(db, [run.id])[run.id]
    return _result_page(scenario, run, actions, answers)


def _result_page(scenario, run, actions, answers, *, errors=None, status=200):
    return (
        render_template(
            "scenarios/result.html",
            scenario=scenario,
            run=run,
            actions=actions,
            result=score(scenario, service.acts_of(actions)),
            answers={a.prompt_id: a for a in answers},
            errors=errors or {},
            given=request.form if errors else {},
            form=EmptyForm(),
            describe_done=service.describe_done,
            describe_match=service.describe_match,
            category_names=_category_names(),
            trying=False,
            reflect_url=url_for("scenarios.reflect", scenario_id=scenario.id, run_id=run.id),
            again_url=url_for("scenarios.start", scenario_id=scenario.id),
        ),
        status,
    )


@bp.post("/<scenario_id>/runs/<int:run_id>/reflection")
@login_required
def reflect(scenario_id: str, run_id: int):
    """Keep the reflection answers (every prompt needs one); the supervisors read them."""
    scenario = _scenario(scenario_id)
    db = get_session()
    run = policy.load_own_run(db, acting_user(), scenario.id, run_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if run.finished_at is None:
        flash(_("Finish the scenario first."), "error")
        return redirect(url_for("scenarios.show", scenario_id=scenario.id))
    actions = service.actions_of(db, run.id)
    try:
        answers = service.read_reflection(scenario, request.form.to_dict())
        service.save_reflection(session=db, run=run, answers=answers, now=utc_now())
    except DomainError as error:
        db.rollback()
        return _result_page(scenario, run, actions, [], errors=error.fields, status=400)
    db.commit()
    flash(_("Thank you. Your answers are saved for your next talk."), "success")
    return redirect(
        url_for("scenarios.result", scenario_id=scenario.id, run_id=run.id) + "#reflection"
    )


# --- The visitor's try-out ------------------------------------------------------------


def try_scenario() -> Scenario | None:
    """The shortest core scenario of the instruction stage (any core one if none)."""
    found = [s for s in service.get_scenarios().all() if s.track == "core" and s.lang == "en"]
    first = [s for s in found if s.stage == "instruction"] or found
    if not first:
        return None
    # Chosen in English (the same one in every language), shown in the visitor's.
    return service.get_scenarios().get(min(first, key=lambda s: (s.minutes, s.id)).id)


def _try_state() -> dict | None:
    data = session.get(TRY_KEY)
    scenario = try_scenario()
    if not isinstance(data, dict) or scenario is None or data.get("sid") != scenario.id:
        return None
    return data


def _try_acts(data: dict) -> list[Act]:
    return [Act(a[0], a[1], a[2], a[3], a[4], a[5], frozenset(a[6])) for a in data.get("acts", [])]


def _try_clock(data: dict) -> int:
    if data.get("finished"):
        return data["clock"]
    elapsed = int(time.time() - data["clock_at"])
    return data["clock"] + max(0, min(elapsed, service.IDLE_SECONDS))


def _try_play_state(scenario: Scenario, data: dict) -> service.PlayState:
    return service.play_state(
        scenario,
        acts=_try_acts(data),
        clock=_try_clock(data),
        guided=True,
        seen=set(data.get("seen", [])),
        finished=data.get("finished"),
    )


def _try_urls() -> dict[str, str]:
    return {
        "page": url_for("try_scenario.play"),
        "act": url_for("try_scenario.act"),
        "continue": url_for("try_scenario.continue_"),
        "hint": url_for("try_scenario.hint"),
        "finish": url_for("try_scenario.finish"),
        "state": url_for("try_scenario.state"),
        "link": url_for("try_scenario.link", target="TARGET"),
        "check": url_for("try_scenario.check"),
        "lessons": url_for("main.landing") + "#",
    }


def _try_or_404() -> Scenario:
    scenario = try_scenario()
    if scenario is None:
        abort(404)
    return scenario


@try_bp.get("")
def play():
    """The try-out: the backstory and a start button, or the feed once started."""
    scenario = _try_or_404()
    data = _try_state()
    if data is None or data.get("finished"):
        return render_template(
            "scenarios/intro.html",
            scenario=scenario,
            backstory=render_shipped_markdown(scenario.backstory),
            last=None,
            form=EmptyForm(),
            start_url=url_for("try_scenario.start"),
            trying=True,
        )
    return _render_play(
        scenario, _try_play_state(scenario, data), _try_urls(), guided=True, trying=True
    )


@try_bp.post("/start", endpoint="start")
def start_try():
    """Start (or start again) the try-out: its state goes in the session cookie only."""
    scenario = _try_or_404()
    if not EmptyForm().validate_on_submit():
        abort(400)
    session[TRY_KEY] = {
        "sid": scenario.id,
        "clock": 0,
        "clock_at": time.time(),
        "acts": [],
        "seen": [],
        "finished": False,
    }
    return redirect(url_for("try_scenario.play"))


def _try_open():
    scenario = _try_or_404()
    data = _try_state()
    if data is None or data.get("finished"):
        return scenario, None
    return scenario, data


@try_bp.post("/act", endpoint="act")
@limiter.limit(TRY_LIMIT)
def act_try():
    """Do something in the try-out (checked like a learner's action; nothing stored)."""
    scenario, data = _try_open()
    if data is None:
        return redirect(url_for("try_scenario.play"))
    form = ScenarioActForm()
    failed = {"kind": form.kind.data, "target": form.target.data}
    play_state = _try_play_state(scenario, data)
    if not form.validate_on_submit():
        return _render_play(
            scenario,
            play_state,
            _try_urls(),
            guided=True,
            trying=True,
            form=form,
            failed=failed,
            status=400,
        )
    text = (form.text.data or "").strip() or None
    try:
        if len(data["acts"]) >= TRY_MAX_ACTS:
            raise service.ScenarioError(
                _("That is a lot for a try-out: finish it to see how you did.")
            )
        if text and len(text) > TRY_MAX_TEXT:
            raise service.ScenarioError(
                _("In the try-out, keep it under %(n)s characters.", n=TRY_MAX_TEXT), field="text"
            )
        categories, _rules = service.coach_categories(text)
        act = Act(
            form.kind.data,
            form.target.data or None,
            play_state.clock,
            text,
            form.reason.data or None if form.kind.data == "report" else None,
            form.value.data or None if form.kind.data == "setting" else None,
            frozenset(categories),
        )
        check_act(scenario, happened(scenario, play_state.acts, act.second), act)
    except DomainError as error:
        _put_error(form, error)
        return _render_play(
            scenario,
            play_state,
            _try_urls(),
            guided=True,
            trying=True,
            form=form,
            failed=failed,
            status=400,
        )
    data["acts"] = [
        *data["acts"],
        [act.kind, act.target, act.second, act.text, act.reason, act.value, sorted(categories)],
    ]
    data["clock"], data["clock_at"] = act.second, time.time()
    session[TRY_KEY] = data
    if act.kind == "tell_adult":
        flash(
            _(
                "With an account, this tells your parent, teacher or manager. In the try-out "
                "nobody is told: in real life, talk to an adult you trust."
            ),
            "info",
        )
    if act.kind == "open_link":
        return redirect(url_for("try_scenario.link", target=act.target))
    return redirect(url_for("try_scenario.play") + _anchor(act.target))


@try_bp.post("/continue", endpoint="continue_")
def continue_try():
    """ "Continue" in the try-out."""
    scenario, data = _try_open()
    if data is not None:
        if not EmptyForm().validate_on_submit():
            abort(400)
        clock = _try_clock(data)
        upcoming = next_second(scenario, _try_acts(data), clock)
        if upcoming is None:
            flash(_("Nothing else is coming for now. Do what you think is right, or finish."))
        else:
            data["clock"], data["clock_at"] = upcoming, time.time()
            session[TRY_KEY] = data
    return redirect(url_for("try_scenario.play"))


@try_bp.post("/hint", endpoint="hint")
def hint_try():
    """A guided hint read, in the try-out."""
    scenario, data = _try_open()
    if data is not None:
        form = ScenarioHintForm()
        if not form.validate_on_submit() or form.at.data not in _hint_texts(scenario):
            abort(400)
        data["seen"] = sorted({*data.get("seen", []), form.at.data})
        session[TRY_KEY] = data
    return redirect(url_for("try_scenario.play"))


@try_bp.post("/finish", endpoint="finish")
def finish_try():
    """End the try-out and see how it went."""
    _, data = _try_open()
    if data is None:
        return redirect(url_for("try_scenario.play"))
    if not EmptyForm().validate_on_submit():
        abort(400)
    data["clock"] = _try_clock(data)
    data["finished"] = True
    session[TRY_KEY] = data
    return redirect(url_for("try_scenario.end"))


@try_bp.get("/state", endpoint="state")
def state_try():
    """The try-out's state as JSON."""
    scenario, data = _try_open()
    if data is None:
        return jsonify(error="not started"), 404
    play_state = _try_play_state(scenario, data)
    return jsonify(service.state_json(play_state, service.build_screen(play_state)))


@try_bp.get("/link/<target>", endpoint="link")
def link_try(target: str):
    """The safe page behind a link, in the try-out."""
    scenario, data = _try_open()
    if data is None:
        abort(404)
    return _link_page(
        scenario, _try_play_state(scenario, data), target, url_for("try_scenario.play")
    )


@try_bp.get("/end", endpoint="end")
def end_try():
    """The try-out's end screen; the state leaves the cookie as it is shown."""
    scenario = _try_or_404()
    data = _try_state()
    if data is None or not data.get("finished"):
        return redirect(url_for("try_scenario.play"))
    session.pop(TRY_KEY, None)
    acts = _try_acts(data)
    return render_template(
        "scenarios/result.html",
        scenario=scenario,
        run=None,
        actions=[
            _TryAction(a.kind, a.target, a.text, a.reason, a.value, ",".join(sorted(a.categories)))
            for a in acts
        ],
        result=score(scenario, acts),
        answers={},
        errors={},
        given={},
        form=EmptyForm(),
        describe_done=service.describe_done,
        describe_match=service.describe_match,
        category_names=_category_names(),
        trying=True,
        reflect_url=None,
        again_url=url_for("try_scenario.start"),
    )


class _TryAction:
    """An action of the try-out, shaped like a stored one for the end screen."""

    def __init__(self, kind, target, text, reason, value, categories) -> None:
        self.kind, self.target, self.text = kind, target, text
        self.reason, self.value, self.categories = reason, value, categories
        self.rules = ""


@try_bp.post("/check")
@limiter.limit(TRY_LIMIT)
def check():
    """The coach's live hints for the try-out's replies (JSON, CSRF header needed)."""
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return jsonify(error='Send JSON with a "text" string.'), 400
    try:
        findings = coach.analyze(text[: coach.MAX_LENGTH])
    except coach.CoachInputError as error:
        return jsonify(error=str(error)), 400
    return jsonify(categories=coach.categories(findings), findings=[f.as_dict() for f in findings])
