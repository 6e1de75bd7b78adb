"""Scenarios in a class: assign one with a due date, start a live session on one, and the
class's scenario figures as a spreadsheet. The pages these forms sit on (assignments,
dashboard) belong to `views.classroom`; their scenario parts are partials of their own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from learner import class_scenarios, classroom, groupdata, live, policy, scenarios
from learner.core.db import get_session, utc_now
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import EmptyForm, ScenarioAssignForm, ScenarioLiveForm
from learner.models import Group, GroupKind, Membership, ScenarioAssignment
from learner.views.downloads import csv_file
from learner.views.forms import refuse
from lessons import get_catalog

bp = Blueprint("class_scenarios", __name__, url_prefix="/groups/<int:group_id>")


@bp.app_template_global()
def scenario_url(scenario_id: str) -> str:
    """The address of a scenario's page (its introduction, where a run starts)."""
    return url_for("scenarios.show", scenario_id=scenario_id)


def _offered():
    return class_scenarios.class_scenarios(scenarios.get_scenarios(), acting_user().locale or "en")


def _choices(form) -> None:
    form.scenario_id.choices = [(s.id, s.title) for s in _offered()]


def assign_form() -> ScenarioAssignForm:
    """The form that assigns a scenario, with the class's scenarios to choose from."""
    form = ScenarioAssignForm(prefix="scenario")
    _choices(form)
    return form


def live_form() -> ScenarioLiveForm:
    """The form that starts a live session on a scenario."""
    form = ScenarioLiveForm(prefix="scenario")
    _choices(form)
    return form


def assignments_context(group: Group, form: ScenarioAssignForm | None = None) -> dict:
    """What the scenario part of the assignments page shows (one query)."""
    library = scenarios.get_scenarios()
    lang = acting_user().locale or "en"
    assigned = class_scenarios.assignments(get_session(), group)
    return {
        "scenario_form": form or assign_form(),
        "scenario_assigned": assigned,
        "scenario_titles": {
            a.scenario_id: s.title
            for a in assigned
            if (s := library.get(a.scenario_id, lang)) is not None
        },
    }


def dashboard_context(group: Group, user_ids: list[int], latest_runs=None) -> dict:
    """What the scenario part of the class dashboard shows: each assigned scenario's
    figures (three queries whatever the class size and number of scenarios; two with the
    page's loader of the students' latest runs, `latest_runs`)."""
    session = get_session()
    assigned = class_scenarios.assignments(session, group)
    lang = acting_user().locale or "en"
    # Plain figures in the reader's words, kept against the group's data version.
    return {
        "scenario_assigned": assigned,
        "scenario_figures": groupdata.kept(
            group,
            "class_scenarios.figures",
            (lang, str(get_locale()), tuple(a.scenario_id for a in assigned)),
            lambda: class_scenarios.class_figures(
                session, user_ids, assigned, scenarios.get_scenarios(), lang, latest_runs
            ),
        ),
        "scenario_live_form": live_form(),
    }


@bp.post("/scenario-assignments")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def assign(group: Group, _membership: Membership):
    """Assign a scenario with a due date; change the date by assigning it again."""
    from learner.views.classroom import assignments_page

    session = get_session()
    form = assign_form()
    if not form.validate_on_submit():
        return assignments_page(group, scenario_form=form, status=400)
    scenario = scenarios.get_scenarios().get(form.scenario_id.data, acting_user().locale or "en")
    try:
        class_scenarios.assign(
            session=session,
            group=group,
            scenario=scenario,
            due_on=form.due_on.data,
            teacher=acting_user(),
            today=classroom.as_of(utc_now()),
        )
    except DomainError as error:
        refuse(form, error)
        return assignments_page(group, scenario_form=form, status=400)
    session.commit()
    flash(_("Assigned: %(title)s.", title=scenario.title), "success")
    return redirect(url_for("classroom.assignments", group_id=group.id))


@bp.post("/scenario-assignments/<int:assignment_id>/remove")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def unassign(group: Group, _membership: Membership, assignment_id: int):
    """Take a scenario off the class's list (students keep their runs)."""
    session = get_session()
    assignment = session.get(ScenarioAssignment, assignment_id)
    if assignment is None or assignment.group_id != group.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    class_scenarios.unassign(session=session, assignment=assignment)
    session.commit()
    flash(_("The scenario is off the list. Students keep what they did."), "success")
    return redirect(url_for("classroom.assignments", group_id=group.id))


@bp.post("/live/scenario")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def start_live(group: Group, _membership: Membership):
    """Start a live session on a scenario and open the presenter view."""
    session = get_session()
    form = live_form()
    if not form.validate_on_submit():
        abort(400)
    scenario = scenarios.get_scenarios().get(form.scenario_id.data)
    module = get_catalog().get(scenario.lessons[0])
    if module is None:
        abort(404)
    started = live.start(
        session=session,
        group=group,
        module=module,
        teacher=acting_user(),
        now=utc_now(),
        scenario_id=scenario.id,
    )
    session.commit()
    return redirect(url_for("classroom.live_page", group_id=group.id, session_id=started.id))


@bp.get("/dashboard/scenarios.csv")
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def figures_csv(group: Group, _membership: Membership):
    """Per assigned scenario, the share of students who took each expected action and
    made each mistake, as a spreadsheet (cells that look like formulas are neutralised)."""
    session = get_session()
    figures = class_scenarios.class_figures(
        session,
        class_scenarios.student_ids(session, group),
        class_scenarios.assignments(session, group),
        scenarios.get_scenarios(),
        acting_user().locale or "en",
    )
    return csv_file(class_scenarios.figures_csv(figures), f"class-{group.id}-scenarios.csv")
