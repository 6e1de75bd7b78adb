"""A workplace: its personal social-media policy (versions, acknowledgements), managers,
and the completion report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required

from learner import groups, learning, notifications, policy, progress, roster, workplace
from learner.core import labels, mail
from learner.core.db import get_session, utc_now, write_transaction
from learner.core.markdown import render_markdown
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import AcknowledgeForm, EmailListForm, EmptyForm, ManagerForm, PolicyForm
from learner.models import Group, GroupKind, Membership, PolicyStatus, PolicyVersion, Role
from learner.views.downloads import csv_file
from learner.views.forms import refuse, small_int
from lessons import get_catalog

bp = Blueprint("workplace", __name__, url_prefix="/groups/<int:group_id>")


def _policy_page(group, membership, form, status=200):
    session = get_session()
    in_force = workplace.current(session, group)
    page = render_template(
        "workplace/policy.html",
        group=group,
        membership=membership,
        in_force=in_force,
        body=render_markdown(in_force.body) if in_force else None,
        mine=workplace.acknowledgement(session, in_force, acting_user().id),
        versions=[
            v
            for v in workplace.versions(session, group)
            if v.status is not PolicyStatus.DRAFT or policy.can_edit_policy(membership)
        ],
        editing=policy.can_edit_policy(membership),
        form=form,
    )
    return page, status


@bp.get("/policy")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE)
def policy_page(group: Group, membership: Membership):
    """The policy in force, with the acknowledgement form; earlier versions listed."""
    session = get_session()
    if notifications.has_unread_policy_news(session, acting_user(), group.id):
        with write_transaction(session):
            notifications.mark_policy_news_read(
                session=session, user=acting_user(), group_id=group.id, now=utc_now()
            )
    return _policy_page(group, membership, AcknowledgeForm())


@bp.post("/policy/acknowledge")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE)
def acknowledge(group: Group, membership: Membership):
    """Acknowledge the version in force by typing one's full name (once, permanently)."""
    session = get_session()
    form = AcknowledgeForm()
    version = session.get(PolicyVersion, small_int(request.form.get("version")) or 0)
    if version is None or version.group_id != group.id:
        abort(400)
    if not form.validate_on_submit():
        return _policy_page(group, membership, form, 400)
    try:
        workplace.acknowledge(
            session=session,
            version=version,
            user=acting_user(),
            typed_name=form.typed_name.data,
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return _policy_page(group, membership, form, 400)
    session.commit()
    flash(
        _("Thank you: your acknowledgement of version %(n)d is recorded.", n=version.version),
        "success",
    )
    return redirect(url_for("workplace.policy_page", group_id=group.id))


@bp.get("/policy/versions/<int:version_id>")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE)
def policy_version(group: Group, membership: Membership, version_id: int):
    """One version as it was (drafts only for those who edit the policy)."""
    session = get_session()
    version = session.get(PolicyVersion, version_id)
    if version is None or version.group_id != group.id:
        abort(404)
    if version.status is PolicyStatus.DRAFT and not policy.can_edit_policy(membership):
        abort(404)
    return render_template(
        "workplace/version.html", group=group, version=version, body=render_markdown(version.body)
    )


@bp.route("/policy/edit", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE)
def edit_policy(group: Group, membership: Membership):
    """The policy editor: a draft, started from the version in force or the starter text."""
    session = get_session()
    if not policy.can_edit_policy(membership):
        abort(403)
    base = workplace.draft(session, group) or workplace.current(session, group)
    form = PolicyForm(
        data={
            "title": base.title if base else workplace.STARTER_TITLE,
            "body": base.body if base else workplace.STARTER_POLICY,
        }
        if request.method == "GET"
        else None
    )
    draft = workplace.draft(session, group)
    if not form.validate_on_submit():
        page = render_template(
            "workplace/edit.html", group=group, form=form, draft=draft, empty_form=EmptyForm()
        )
        return page, 400 if form.errors else 200
    try:
        workplace.save_draft(
            session=session,
            group=group,
            title=form.title.data,
            body=form.body.data,
            editor=acting_user(),
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        page = render_template(
            "workplace/edit.html", group=group, form=form, draft=draft, empty_form=EmptyForm()
        )
        return page, 400
    session.commit()
    flash(_("Draft saved. Staff see it once you publish it."), "success")
    return redirect(url_for("workplace.edit_policy", group_id=group.id))


@bp.post("/policy/publish")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE)
def publish_policy(group: Group, membership: Membership):
    """Put the draft in force; every staff member is asked to acknowledge it."""
    session = get_session()
    if not policy.can_edit_policy(membership):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    draft = workplace.draft(session, group)
    if draft is None:
        flash(_("There is no draft to publish. Save one first."), "error")
        return redirect(url_for("workplace.edit_policy", group_id=group.id))
    workplace.publish(
        session=session, group=group, version=draft, admin=acting_user(), now=utc_now()
    )
    session.commit()
    flash(
        _("Version %(n)d is in force. Staff are asked to acknowledge it.", n=draft.version),
        "success",
    )
    return redirect(url_for("workplace.policy_page", group_id=group.id))


@bp.post("/members/<int:member_id>/manager")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def set_manager(group: Group, membership: Membership, member_id: int):
    """Say which manager a staff member reports to."""
    session = get_session()
    if not policy.can_edit_policy(membership):
        abort(403)
    staff, _user = policy.load_member(session, group, member_id)
    if staff.role is not Role.LEARNER:
        abort(404)
    form = ManagerForm()
    managers = groups.supervisors(session, group)
    form.manager.choices = [("", "")] + [(str(m.id), "") for m, _user in managers]
    if not form.validate_on_submit():
        abort(400)
    manager = (
        session.get(Membership, small_int(form.manager.data) or 0) if form.manager.data else None
    )
    try:
        workplace.set_manager(session=session, group=group, staff=staff, manager=manager)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("groups.show", group_id=group.id))
    session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("groups.show", group_id=group.id) + f"#member-{staff.id}")


def _report_data(group):
    session = get_session()
    modules = get_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    manager_id = request.args.get("manager", type=small_int)
    in_force, rows = workplace.report(
        session, group, modules, manager_id=manager_id, today=utc_now().date()
    )
    return in_force, rows, manager_id


@bp.get("/report")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def report(group: Group, _membership: Membership):
    """Each staff member's lessons, policy acknowledgement, level and overdue items."""
    in_force, rows, manager_id = _report_data(group)
    managers = groups.supervisors(get_session(), group)
    # Words and dates are looked up once, not once per row: a report may have thousands.
    days = {r.acknowledged_at.date() for r in rows if r.acknowledged_at}
    return render_template(
        "workplace/report.html",
        dates={day: format_date(day) for day in days},
        levels={level: str(label) for level, label in labels.LEVEL.items()},
        of_format=_("%(done)d of %(total)d"),
        version_format=_("version %(n)d, %(date)s"),
        not_current=_("not the current one"),
        not_yet=_("not yet"),
        group=group,
        in_force=in_force,
        rows=rows,
        managers=managers,
        selected=manager_id,
        learning_figures=learning.for_group(get_session(), group),
    )


@bp.get("/report.csv")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def report_csv(group: Group, _membership: Membership):
    """The completion report as a spreadsheet (formula cells neutralised)."""
    in_force, rows, _manager_id = _report_data(group)
    return csv_file(workplace.report_csv(in_force, rows), f"workplace-{group.id}-report.csv")


@bp.route("/invites/list", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def invite_list(group: Group, _membership: Membership):
    """Invite staff from a CSV of e-mail addresses: all of them, or none if a row is wrong."""
    session = get_session()
    form = EmailListForm()
    if not form.validate_on_submit():
        page = render_template(
            "workplace/invite_list.html",
            group=group,
            form=form,
            problems=None,
            example=workplace.EMAIL_EXAMPLE,
        )
        return page, 400 if form.errors else 200
    members, invited = workplace.known_addresses(session, group, utc_now())
    try:
        addresses = workplace.read_email_list(
            form.email_list.data.read(), members=members, invited=invited
        )
    except roster.RosterError as error:
        page = render_template(
            "workplace/invite_list.html",
            group=group,
            form=form,
            problems=error,
            example=workplace.EMAIL_EXAMPLE,
        )
        return page, 400
    sent = []
    for address in addresses:
        _invite, token = groups.create_invite(
            session=session,
            group=group,
            role=Role.LEARNER,
            created_by=acting_user(),
            email=address,
            now=utc_now(),
        )
        sent.append((address, url_for("auth.invite", token=token, _external=True)))
    session.commit()
    delivered = [
        mail.send_invite(to=address, group=group, inviter=acting_user(), link=link)
        for address, link in sent
    ]
    page = {"group": group, "sent": sent, "emailed": all(delivered) and bool(delivered)}
    return render_template("workplace/invites_sent.html", **page)
