"""Groups: create one, see its members, manage its join code, invites and learners' accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from learner import accounts, class_scenarios, classroom, groups, ladder, live, policy, todo
from learner.core import mail
from learner.core.db import get_session, utc_now
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import (
    EmptyForm,
    JoinCodeSettingsForm,
    NewLearnerForm,
    fit_age_band,
    group_form,
    invite_form,
)
from learner.models import AgeBand, Group, GroupKind, Level, Membership, Role
from learner.views.forms import refuse
from learner.views.main import todo_line_words
from lessons import get_catalog

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create a family, a class or a workplace, with oneself as its first supervisor."""
    every_kind = request.args.get("every") == "1"
    form = group_form(acting_user().kind, every_kind=every_kind, kind=request.args.get("kind"))
    page = {"form": form, "every_kind": every_kind or len(form.kind.choices) > 1}
    if not form.validate_on_submit():
        return render_template("groups/new.html", **page), 400 if form.errors else 200
    session = get_session()
    group = groups.create_group(
        session=session,
        owner=acting_user(),
        kind=GroupKind(form.kind.data),
        name=form.name.data,
        school_year=form.school_year.data if "school_year" in form else None,
    )
    session.commit()
    flash(_("%(name)s is ready. Next, add the people in it.", name=group.name), "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.get("/<int:group_id>")
@login_required
@policy.group_route()
def show(group: Group, membership: Membership):
    """The group page: everything for supervisors, the essentials for learners."""
    session = get_session()
    manage = policy.can_manage_group(membership)
    rows = groups.members(session, group)
    if not manage:
        rows = [
            r for r in rows if r.membership.role is Role.SUPERVISOR or r.user.id == acting_user().id
        ]
    return render_template(
        "groups/show.html",
        group=group,
        membership=membership,
        manage=manage,
        supervisors=[r for r in rows if r.membership.role is Role.SUPERVISOR],
        learners=[r for r in rows if r.membership.role is Role.LEARNER],
        invites=groups.open_invites(session, group, utc_now()) if manage else [],
        code_form=JoinCodeSettingsForm(enabled=group.join_code_enabled),
        empty_form=EmptyForm(),
        join_code=groups.format_code(group.join_code) if group.join_code else None,
        live_now=live.running(session, group) if group.kind is GroupKind.CLASSROOM else None,
        todos=[]
        if manage or group.kind is not GroupKind.CLASSROOM
        else [t for t in _todos(session) if t.group.id == group.id],
        supervisor_todos=todo.for_supervisor(
            session, acting_user(), modules=get_catalog().modules(), now=utc_now(), group=group
        )
        if manage
        else [],
        todo_words=todo_line_words() if manage else None,
        waiting=[] if manage else todo.for_learner(session, acting_user(), group=group),
        road=_road(session, group, membership),
        people=_who_is_where(rows) if manage else None,
    )


def _road(session, group: Group, membership: Membership) -> list:
    """The road on the group page: a learner's own (with their scenarios to pass), or the
    group's for its supervisors."""
    rules = ladder.rules_for(session, group)
    if membership.role is Role.LEARNER:
        return ladder.learner_road(
            session, rules=rules, membership=membership, user=acting_user(), group=group
        )
    return ladder.group_road(rules, group, membership.level or Level.INSTRUCTION)


def _who_is_where(rows) -> dict:
    """The learners' names at each level, for the road on a supervisor's group page."""
    at: dict = {}
    for row in rows:
        if row.membership.role is Role.LEARNER:
            at.setdefault(row.membership.level, []).append(row.user.display_name)
    return at


def _todos(session):
    modules = {m.id: m for m in get_catalog().modules()}
    return class_scenarios.todo_list(session, acting_user(), modules, classroom.as_of(utc_now()))


@bp.post("/<int:group_id>/code/rotate")
@login_required
@policy.group_route(manage=True)
def rotate_code(group: Group, _membership: Membership):
    """Replace the join code; the old one stops working."""
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    groups.rotate_join_code(session=session, group=group)
    session.commit()
    flash(_("The join code is new. The old one no longer works."), "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/<int:group_id>/code/settings")
@login_required
@policy.group_route(manage=True)
def code_settings(group: Group, _membership: Membership):
    """Turn joining with the code on or off."""
    session = get_session()
    form = JoinCodeSettingsForm()
    if not form.validate_on_submit():
        abort(400)
    groups.set_join_code_enabled(session=session, group=group, enabled=form.enabled.data)
    session.commit()
    message = (
        _("People can now join with the code.")
        if form.enabled.data
        else _("The code is switched off. Nobody can join with it.")
    )
    flash(message, "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.post("/<int:group_id>/consent")
@login_required
@policy.group_route(manage=True)
def consent(group: Group, _membership: Membership):
    """A supervisor confirms consent for under-13 learners joining with the code."""
    session = get_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    groups.record_under13_consent(session=session, group=group, supervisor=acting_user())
    session.commit()
    flash(_("Consent is recorded. Learners under 13 can now join with the code."), "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/<int:group_id>/learners/new", methods=["GET", "POST"])
@login_required
@policy.group_route(manage=True)
def new_learner(group: Group, _membership: Membership):
    """A supervisor creates a learner's account in the group (no e-mail needed)."""
    session = get_session()
    form = fit_age_band(NewLearnerForm(), group.kind)
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("groups/new_learner.html", form=form, group=group), status
    try:
        user, _learner = accounts.create_learner_account(
            session=session,
            group=group,
            username=form.username.data,
            display_name=form.display_name.data,
            age_band=AgeBand(form.age_band.data),
            password=form.password.data,
        )
    except DomainError as error:
        refuse(form, error)
        return render_template("groups/new_learner.html", form=form, group=group), 400
    user.locale = form.locale.data or None
    session.commit()
    flash(
        _(
            "%(name)s can now log in as %(username)s.",
            name=user.display_name,
            username=user.username,
        ),
        "success",
    )
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/<int:group_id>/invites/new", methods=["GET", "POST"])
@login_required
@policy.group_route(manage=True)
def new_invite(group: Group, _membership: Membership):
    """Make a single-use invite link; it is shown once, and e-mailed when an address is given."""
    session = get_session()
    form = invite_form(group.kind, role=request.args.get("role"))
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("groups/new_invite.html", form=form, group=group), status
    invite, token = groups.create_invite(
        session=session,
        group=group,
        role=Role(form.role.data),
        created_by=acting_user(),
        email=form.email.data,
        now=utc_now(),
        locale=form.locale.data,
    )
    session.commit()
    link = url_for("auth.invite", token=token, _external=True)
    sent = bool(invite.email) and mail.send_invite(
        to=invite.email, group=group, inviter=acting_user(), link=link, locale=invite.locale
    )
    page = {"group": group, "invite": invite, "link": link, "sent": sent}
    return render_template("groups/invite_created.html", **page)


@bp.post("/<int:group_id>/invites/<int:invite_id>/revoke")
@login_required
@policy.group_route(manage=True)
def revoke_invite(group: Group, _membership: Membership, invite_id: int):
    """Withdraw an invite link that has not been used."""
    session = get_session()
    invite = policy.load_invite_of_group(session, group, invite_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    groups.revoke_invite(session=session, invite=invite, now=utc_now())
    session.commit()
    flash(_("The invite link no longer works."), "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/<int:group_id>/members/<int:member_id>/password", methods=["GET", "POST"])
@login_required
@policy.group_route(manage=True)
def reset_password(group: Group, membership: Membership, member_id: int):
    """A supervisor gives a learner a new password (shown once) after a confirmation."""
    session = get_session()
    target, learner = policy.load_member(session, group, member_id)
    if not policy.can_reset_password(membership, target):
        abort(403)
    form = EmptyForm()
    page = {"form": form, "group": group, "learner": learner}
    if not form.validate_on_submit():
        return render_template("groups/reset_password.html", **page), 400 if form.errors else 200
    password = accounts.reset_learner_password(
        session=session, learner=learner, membership=target, supervisor=acting_user(), now=utc_now()
    )
    session.commit()
    return render_template("groups/reset_password.html", new_password=password, **page)


@bp.route("/<int:group_id>/members/<int:member_id>/remove", methods=["GET", "POST"])
@login_required
@policy.group_route(manage=True)
def remove_member(group: Group, membership: Membership, member_id: int):
    """Take a member out of the group after a confirmation; their history stays."""
    session = get_session()
    target, person = policy.load_member(session, group, member_id)
    if not policy.can_remove_member(membership, target):
        abort(403)
    form = EmptyForm()
    if not form.validate_on_submit():
        page = {"form": form, "group": group, "person": person}
        return render_template("groups/remove_member.html", **page), 400 if form.errors else 200
    groups.remove_member(session=session, membership=target, now=utc_now())
    session.commit()
    flash(
        _("%(name)s is no longer in %(group)s.", name=person.display_name, group=group.name),
        "success",
    )
    return redirect(url_for("groups.show", group_id=group.id))
