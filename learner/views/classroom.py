"""A teacher's class: assignments, the class dashboard with exports, and live sessions."""

from __future__ import annotations

from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from learner import (
    class_scenarios,
    classroom,
    groupdata,
    ladder,
    live,
    policy,
    progress,
    scenarios,
)
from learner.core import labels
from learner.core.db import get_session, utc_now
from learner.core.markdown import render_markdown
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import AssignForm, EmptyForm, LiveStartForm
from learner.models import (
    Assignment,
    Group,
    GroupKind,
    Level,
    LiveSession,
    LiveStatus,
    Membership,
)
from learner.scenarios import get_scenarios
from learner.views import class_scenarios as scenario_parts
from learner.views import learning as learning_views
from learner.views.downloads import csv_file
from learner.views.forms import refuse
from lessons import get_catalog

bp = Blueprint("classroom", __name__, url_prefix="/groups/<int:group_id>")


def _class_modules():
    return get_catalog().modules(tracks=progress.tracks_for([GroupKind.CLASSROOM]))


def _module_choices(form) -> None:
    form.module_id.choices = [(m.id, m.title) for m in _class_modules()]


def _permit(session, group, memberships, users, *, rules=None, completed=None, latest_runs=None):
    """The first step's rule for the class and what each student still misses for it
    (`users`: the students' accounts by id; `completed`: the first step's lessons each
    student has done, by user id, if known; `latest_runs`: the page's loader of their
    latest scenario runs)."""
    rules = rules or ladder.rules_for(session, group)
    modules = _class_modules()
    return {
        "rules": rules,
        "first_stop": ladder.group_road(rules, group, Level.INSTRUCTION)[0],
        "first_lessons": ladder.stage_modules(modules, Level.INSTRUCTION, rules),
        "gaps": ladder.permit_gaps(
            session,
            memberships,
            modules=modules,
            rules=rules,
            completed=completed,
            users=users,
            group=group,
            latest_runs=latest_runs,
        ),
    }


def gap_words() -> dict[str, str]:
    """The permit column's fixed words (templates/classroom/_permit_gap.html)."""
    return {
        "has_permit": _("has the permit"),
        "past_permit": _("past the permit"),
        "ready": _("ready for sign-off"),
        "privacy_missing": _("privacy setup not done yet"),
        "privacy_waiting": _("privacy setup waits for your co-signature"),
    }


def _assignments_page(group, form, status=200, scenario_form=None):
    session = get_session()
    titles = {m.id: m.title for m in _class_modules()}
    assigned = classroom.assignments(session, group)
    people = classroom.students(session, group)
    page = render_template(
        "classroom/assignments.html",
        group=group,
        form=form,
        assigned=assigned,
        assigned_ids={a.module_id for a in assigned},
        titles=titles,
        today=classroom.as_of(utc_now()),
        empty_form=EmptyForm(),
        people=people,
        gap_text=gap_words(),
        **_permit(session, group, [m for m, _u in people], {u.id: u for _m, u in people}),
        **scenario_parts.assignments_context(group, scenario_form),
    )
    return page, status


def assignments_page(group, *, scenario_form, status):
    """The assignments page with a refused scenario form (its errors next to its fields)."""
    form = AssignForm(formdata=None)
    _module_choices(form)
    return _assignments_page(group, form, status, scenario_form)


@bp.route("/assignments", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def assignments(group: Group, _membership: Membership):
    """Assign lessons with due dates; change a date by assigning again."""
    session = get_session()
    form = AssignForm()
    _module_choices(form)
    if not form.validate_on_submit():
        return _assignments_page(group, form, 400 if form.errors else 200)
    module = get_catalog().get(form.module_id.data)
    try:
        classroom.assign(
            session=session,
            group=group,
            module=module,
            due_on=form.due_on.data,
            teacher=acting_user(),
            today=classroom.as_of(utc_now()),
        )
    except DomainError as error:
        refuse(form, error)
        return _assignments_page(group, form, 400)
    session.commit()
    flash(_("Assigned: %(title)s.", title=module.title), "success")
    return redirect(url_for("classroom.assignments", group_id=group.id))


@bp.post("/assignments/<int:assignment_id>/remove")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def unassign(group: Group, _membership: Membership, assignment_id: int):
    """Take a lesson off the class's list (students keep their progress)."""
    session = get_session()
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.group_id != group.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    classroom.unassign(session=session, assignment=assignment)
    session.commit()
    flash(_("The lesson is off the list. Students keep what they did."), "success")
    return redirect(url_for("classroom.assignments", group_id=group.id))


def _dashboard_data(group, also_modules=(), today=None):
    session = get_session()
    assigned = classroom.assignments(session, group)
    modules = {m.id: m for m in _class_modules()}
    today = today or classroom.as_of(utc_now())
    rows = classroom.dashboard(session, group, assigned, today, also_modules=also_modules)
    assigned_modules = [modules[a.module_id] for a in assigned if a.module_id in modules]
    # No students, no answers to count.
    stats = classroom.question_stats(session, group, assigned_modules) if rows else []
    return assigned, modules, rows, stats


@bp.get("/dashboard")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def dashboard(group: Group, _membership: Membership):
    """Students by assigned lessons, levels, waiting posts, and the misconception view."""
    session = get_session()
    modules = {m.id: m for m in _class_modules()}
    # The tables and figures change only when the class's data does: made once per data
    # version (and the reader's words, time zone and day), then kept (learner/groupdata.py).
    today = classroom.as_of(utc_now())
    made = groupdata.kept(
        group,
        "classroom.dashboard",
        (str(get_locale()), str(get_timezone()), acting_user().locale, today),
        lambda: _dashboard_sections(session, group, today),
    )
    last = live.latest(session, group)
    return render_template(
        "classroom/dashboard.html",
        group=group,
        modules=modules,
        sections=made.html,
        start_form=_start_form(),
        last_live=last,
        live_results=live.results(get_session(), last, steps)
        if (steps := _steps_of(last, modules))
        else [],
        **scenario_parts.dashboard_context(
            group,
            made.user_ids,
            lambda: scenarios.latest_outcomes(session, group, made.user_ids),
        ),
    )


@dataclass(frozen=True)
class DashboardSections:
    """The class dashboard's tables and figures, rendered (`html` by section name), and the
    students' user ids."""

    html: dict[str, Markup]
    user_ids: list[int]


def _dashboard_sections(session, group: Group, today) -> DashboardSections:
    rules = ladder.rules_for(session, group)
    first = ladder.stage_modules(_class_modules(), Level.INSTRUCTION, rules)
    assigned, modules, rows, stats = _dashboard_data(group, [m.id for m in first], today)
    user_ids = [r.user.id for r in rows]

    # The students' latest scenario runs serve the permit column and the scenario figures:
    # read once (they are kept), when either needs them.
    def latest_runs():
        return scenarios.latest_outcomes(session, group, user_ids)

    context = {
        "group": group,
        "assigned": assigned,
        "modules": modules,
        "rows": rows,
        "stats": stats,
        # The table's fixed words, translated once for the page (not once a cell).
        "cell_text": {key: str(text) for key, text in classroom.CELL_TEXT.items()},
        "level_text": {level: str(text) for level, text in labels.LEVEL.items()},
        "gap_text": gap_words(),
        **_permit(
            session,
            group,
            [r.membership for r in rows],
            {r.user.id: r.user for r in rows},
            rules=rules,
            completed={r.user.id: r.completed for r in rows},
            latest_runs=latest_runs,
        ),
    }
    return DashboardSections(
        html={
            name: Markup(render_template(template, **context))  # noqa: S704 (our templates)
            for name, template in (
                ("progress", "classroom/_dashboard_progress.html"),
                ("quiz", "classroom/_dashboard_quiz.html"),
            )
        }
        # The class's learners are the rows: no need to count them again.
        | {"learning": learning_views.group_section(session, group, learners=len(rows))},
        user_ids=user_ids,
    )


def _steps_of(current: LiveSession | None, modules: dict) -> list | None:
    """A live session's steps: its scenario's, or its lesson's (None when gone)."""
    if current is None:
        return None
    if current.scenario_id:
        scenario = get_scenarios().get(current.scenario_id)
        return class_scenarios.live_steps(scenario) if scenario else None
    return live.steps(modules[current.module_id]) if current.module_id in modules else None


@bp.get("/dashboard/progress.csv")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def progress_csv(group: Group, _membership: Membership):
    """The dashboard as a spreadsheet (cells that look like formulas are neutralised)."""
    assigned, modules, rows, _stats = _dashboard_data(group)
    titles = {module_id: m.title for module_id, m in modules.items()}
    return csv_file(
        classroom.progress_csv(rows, assigned, titles), f"class-{group.id}-progress.csv"
    )


@bp.get("/dashboard/quiz.csv")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def quiz_csv(group: Group, _membership: Membership):
    """First-attempt answers per question and choice, as a spreadsheet."""
    _assigned, _modules, _rows, stats = _dashboard_data(group)
    return csv_file(classroom.quiz_csv(stats), f"class-{group.id}-quiz.csv")


@bp.get("/dashboard/answers.csv")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def answers_csv(group: Group, _membership: Membership):
    """Each student's first-attempt answer to each question, as a spreadsheet."""
    assigned, modules, rows, _stats = _dashboard_data(group)
    assigned_modules = [modules[a.module_id] for a in assigned if a.module_id in modules]
    answers = classroom.student_answers(get_session(), group, assigned_modules) if rows else {}
    return csv_file(
        classroom.answers_csv(rows, assigned_modules, answers), f"class-{group.id}-answers.csv"
    )


# --- Live sessions ----------------------------------------------------------------------


def _start_form() -> LiveStartForm:
    form = LiveStartForm()
    _module_choices(form)
    return form


@bp.post("/live")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def start_live(group: Group, _membership: Membership):
    """Start a live session on a lesson and open the presenter view."""
    session = get_session()
    form = _start_form()
    if not form.validate_on_submit():
        abort(400)
    started = live.start(
        session=session,
        group=group,
        module=get_catalog().get(form.module_id.data),
        teacher=acting_user(),
        now=utc_now(),
        seconds_per_question=form.seconds.data,
    )
    session.commit()
    return redirect(url_for("classroom.live_page", group_id=group.id, session_id=started.id))


def _load_live(group: Group, session_id: int):
    """The class's live session and its lesson's steps; 404 for another group's."""
    session = get_session()
    current = session.get(LiveSession, session_id)
    if current is None or current.group_id != group.id:
        abort(404)
    if current.scenario_id:
        scenario = get_scenarios().get(current.scenario_id)
        if scenario is None:
            abort(404)
        content = class_scenarios.live_content(scenario)
        return session, current, class_scenarios.live_steps(scenario), content
    module = get_catalog().get(current.module_id)
    if module is None:
        abort(404)
    return session, current, live.steps(module), module


def _live_state(current: LiveSession, counts: tuple[int, int | None] | None) -> dict:
    """What devices compare to know the page changed; the presenter's has the counts
    (`counts`: joined, answered), a student's never does."""
    state = {
        "version": current.version,
        "step": current.step,
        "revealed": current.revealed,
        "ended": current.status is LiveStatus.ENDED,
    }
    if counts is not None:
        state["joined"], state["answered"] = counts
    return state


@bp.get("/live/<int:session_id>")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM)
def live_page(group: Group, membership: Membership, session_id: int):
    """The presenter view for teachers (names of who joined only on their own screen, with
    ?names=1); for students, the step the class is on now, once they joined."""
    session, current, steps, module = _load_live(group, session_id)
    presenting = policy.can_manage_group(membership)
    step = steps[min(current.step, len(steps) - 1)]
    page = {"group": group, "live": current, "module": module, "empty_form": EmptyForm()}
    running = current.status is LiveStatus.RUNNING
    if not presenting and running and not live.joined(session, current, membership):
        return render_template("classroom/live_join.html", **page)
    counts = live.tally(session, current, current.step) if step.asks else None
    mine = (
        live.my_answer(session, current, membership, current.step)
        if step.asks and not presenting
        else None
    )
    names = presenting and request.args.get("names") == "1"
    joined = live.joined_count(session, current) if presenting else None
    return render_template(
        "classroom/live_presenter.html" if presenting else "classroom/live_student.html",
        step=step,
        total=len(steps),
        text=render_markdown(step.text) if step.text else None,
        tally=counts,
        mine=mine,
        joined=joined,
        names=names,
        roll=live.roll(session, current, current.step) if names else None,
        seconds_left=live.seconds_left(current, step, utc_now()),
        show_counts=presenting or current.revealed,
        state=_live_state(
            current, (joined, counts.answered if counts else None) if presenting else None
        ),
        **page,
    )


@bp.get("/live/<int:session_id>/state")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM)
def live_state(_group: Group, membership: Membership, session_id: int):
    """What devices poll: the session's version and step (and for the teacher, how many
    joined and answered). A fixed number of queries, whatever the class's size."""
    session, current, steps, _module = _load_live(_group, session_id)
    presenting = policy.can_manage_group(membership)
    step = steps[min(current.step, len(steps) - 1)]
    counts = None
    if presenting:
        answered = live.tally(session, current, current.step).answered if step.asks else None
        counts = (live.joined_count(session, current), answered)
    return jsonify(_live_state(current, counts))


@bp.post("/live/<int:session_id>/join")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM)
def live_join(group: Group, membership: Membership, session_id: int):
    """A student joins the session (the presenter counts them) and follows it."""
    session, current, _steps, _module = _load_live(group, session_id)
    if not policy.can_post(membership):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if current.status is LiveStatus.RUNNING:
        live.join(session=session, live=current, membership=membership, now=utc_now())
        session.commit()
    return redirect(url_for("classroom.live_page", group_id=group.id, session_id=current.id))


@bp.post("/live/<int:session_id>/answer")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM)
def live_answer(group: Group, membership: Membership, session_id: int):
    """A student answers the current step; it counts once. An answer that is not saved
    (the step moved on, the session ended) says so on the page the student lands on."""
    session, current, steps, _module = _load_live(group, session_id)
    if not policy.can_post(membership):
        abort(403)
    step_number = request.form.get("step", type=int)
    if not EmptyForm().validate_on_submit() or step_number is None:
        abort(400)
    to_page = redirect(url_for("classroom.live_page", group_id=group.id, session_id=current.id))
    try:
        counted = live.answer(
            session=session,
            live=current,
            membership=membership,
            step_number=step_number,
            steps=steps,
            choice_ids=set(request.form.getlist("choice")),
            now=utc_now(),
        )
    except DomainError as error:
        session.rollback()
        flash(str(error.message), "error")
        return to_page
    session.commit()
    if not counted:
        flash(_("You had answered already; your first answer counts."), "info")
    return to_page


@bp.post("/live/<int:session_id>/control")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM)
def live_control(group: Group, membership: Membership, session_id: int):
    """The teacher moves the session: next step, back, show the answer, or end."""
    session, current, steps, _module = _load_live(group, session_id)
    if not policy.can_manage_group(membership):
        abort(403)
    version = request.form.get("version", type=int)
    action = request.form.get("action", "")
    if not EmptyForm().validate_on_submit() or version is None or action not in live.ACTIONS:
        abort(400)
    live.control(
        session=session,
        live=current,
        action=action,
        version=version,
        total_steps=len(steps),
        now=utc_now(),
    )
    session.commit()
    if current.status is LiveStatus.ENDED:
        flash(_("The session has ended. The class's results are on the dashboard."), "success")
        return redirect(url_for("classroom.dashboard", group_id=group.id))
    return redirect(url_for("classroom.live_page", group_id=group.id, session_id=current.id))
