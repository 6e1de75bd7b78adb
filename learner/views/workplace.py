"""A workplace: its personal social-media policy (versions, acknowledgements), managers,
and the completion report."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from learner import (
    classroom,
    groups,
    notifications,
    policy,
    progress,
    reminders,
    roster,
    workplace,
)
from learner.core import labels, mail
from learner.core.db import get_session, utc_now, write_transaction
from learner.core.markdown import render_markdown
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import (
    AcknowledgeForm,
    AssignForm,
    DeadlineForm,
    EmailListForm,
    EmptyForm,
    ManagerForm,
    PolicyForm,
)
from learner.models import (
    Group,
    GroupEventKind,
    GroupKind,
    Membership,
    PolicyStatus,
    PolicyVersion,
    Role,
)
from learner.views import learning as learning_views
from learner.views.downloads import csv_file
from learner.views.forms import refuse, small_int
from lessons import get_catalog

bp = Blueprint("workplace", __name__, url_prefix="/groups/<int:group_id>")


def _policy_page(group, membership, form, status=200):
    session = get_session()
    in_force = workplace.current(session, group)
    mine = workplace.acknowledgement(session, in_force, acting_user().id)
    due = (
        workplace.acknowledge_by(in_force, membership.joined_at)
        if in_force is not None and mine is None and membership.role is Role.LEARNER
        else None
    )
    page = render_template(
        "workplace/policy.html",
        group=group,
        membership=membership,
        in_force=in_force,
        body=render_markdown(in_force.body) if in_force else None,
        mine=mine,
        due=due,
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


def _deadline_form() -> DeadlineForm:
    """The deadline form, a week from today unless the person typed a date."""
    form = DeadlineForm()
    if form.acknowledge_by.data is None:
        form.acknowledge_by.data = (utc_now() + workplace.ACKNOWLEDGE_WITHIN).date()
    return form


def _edit_page(group, form, draft, deadline_form):
    return render_template(
        "workplace/edit.html", group=group, form=form, draft=draft, deadline_form=deadline_form
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
    starter_title, starter_body = workplace.starter_policy()
    form = PolicyForm(
        data={
            "title": base.title if base else starter_title,
            "body": base.body if base else starter_body,
        }
        if request.method == "GET"
        else None
    )
    draft = workplace.draft(session, group)
    if not form.validate_on_submit():
        page = _edit_page(group, form, draft, _deadline_form())
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
        return _edit_page(group, form, draft, _deadline_form()), 400
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
    draft = workplace.draft(session, group)
    if draft is None:
        flash(_("There is no draft to publish. Save one first."), "error")
        return redirect(url_for("workplace.edit_policy", group_id=group.id))
    form = DeadlineForm()
    policy_form = PolicyForm(data={"title": draft.title, "body": draft.body})
    if not form.validate_on_submit():
        return _edit_page(group, policy_form, draft, form), 400
    try:
        workplace.publish(
            session=session,
            group=group,
            version=draft,
            admin=acting_user(),
            now=utc_now(),
            # No date given: a week from now, as the form suggests.
            acknowledge_by=form.acknowledge_by.data
            or (utc_now() + workplace.ACKNOWLEDGE_WITHIN).date(),
        )
    except DomainError as error:
        refuse(form, error)
        return _edit_page(group, policy_form, draft, form), 400
    session.commit()
    flash(
        _(
            "Version %(n)d is in force. Staff are asked to acknowledge it by %(date)s.",
            n=draft.version,
            date=format_date(draft.acknowledge_by),
        ),
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


def _report_data(group, membership, assigned=None, *, entries=False):
    """The report's rows: HR sees everyone (or one manager's staff), a manager only their
    own; and the current managers. `entries`: StaffEntries, whose rows are built only for
    the page shown, rather than every ReportRow."""
    session = get_session()
    modules = get_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))
    manager_id = request.args.get("manager", type=small_int)
    if not policy.can_edit_policy(membership):
        manager_id = membership.id
    read = workplace.report_staff if entries else workplace.report
    in_force, rows, managers = read(
        session, group, modules, manager_id=manager_id, today=utc_now().date(), assigned=assigned
    )
    return in_force, rows, manager_id, managers


EVENT_TEXT = {
    GroupEventKind.INVITE_RESENT: _l("%(actor)s sent a fresh invite link to %(detail)s"),
    GroupEventKind.INVITE_CANCELLED: _l("%(actor)s cancelled the invite to %(detail)s"),
    GroupEventKind.DEADLINE_SET: _l("%(actor)s set the deadline of version %(detail)s"),
}


def _event_line(event: workplace.LoggedAction) -> str:
    detail = event.detail
    if event.kind is GroupEventKind.DEADLINE_SET:
        number, _sep, day = detail.partition(":")
        detail = (
            _("%(n)s to %(date)s", n=number, date=format_date(date_of(day)))
            if day
            else _("%(n)s: none", n=number)
        )
    if event.kind is GroupEventKind.REMINDED:
        count = int(detail) if detail.isdigit() else 0
        return ngettext(
            "%(actor)s reminded %(num)d person who was not done",
            "%(actor)s reminded %(num)d people who were not done",
            count,
            actor=event.actor,
        )
    return str(EVENT_TEXT[event.kind]) % {"actor": event.actor, "detail": detail}


def date_of(text: str) -> date:
    """A date from its ISO form (as the log stores it)."""
    return date.fromisoformat(text)


@bp.get("/report")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def report(group: Group, membership: Membership):
    """Each staff member's lessons, policy acknowledgement, level and overdue items; for HR
    also who was invited and has not joined, the deadline, "remind now" and the log."""
    return _report_page(group, membership, None)


def _lesson_form(form: AssignForm | None = None) -> AssignForm:
    """The form HR assigns a workplace lesson with, worded for staff."""
    form = form or AssignForm()
    form.module_id.choices = [(m.id, m.title) for m in _workplace_modules()]
    form.due_on.description = _(
        "Staff see it as late after this day; assigning it again moves the date."
    )
    return form


def _workplace_modules():
    return get_catalog().modules(tracks=progress.tracks_for([GroupKind.WORKPLACE]))


def _report_page(
    group: Group,
    membership: Membership,
    deadline: DeadlineForm | None,
    lesson_form: AssignForm | None = None,
):
    session = get_session()
    assigned = classroom.assignments(session, group)
    # Everyone's status (the filters, the counts and "remind" cover them all); whole
    # rows only for the page shown.
    in_force, all_rows, manager_id, managers = _report_data(
        group, membership, assigned, entries=True
    )
    hr = policy.can_edit_policy(membership)
    # People invited have no manager yet: they are listed in the unfiltered report only.
    all_invites = (
        workplace.pending_invites(session, group, utc_now()) if hr and manager_id is None else []
    )
    # A company may have thousands of staff: the page shows 50 at a time, filtered by
    # status and by a piece of a name or e-mail (the CSV stays whole).
    status = request.args.get("status", "")
    status = status if status in workplace.REPORT_STATUSES else None
    search = request.args.get("q", "").strip()[:100]
    shown = workplace.report_page(
        all_rows,
        all_invites,
        status=status,
        search=search,
        page=small_int(request.args.get("page")) or 1,
    )
    rows, invites = [entry.row() for entry in shown.rows], shown.invites
    logged = workplace.events(session, group) if hr else []
    # Words and dates are looked up once, not once per row.
    days = {r.acknowledged_at.date() for r in rows if r.acknowledged_at}
    days |= {r.policy_due for r in rows if r.policy_due}
    days |= {i.invited_at.date() for i in invites}
    titles = {m.id: m.title for m in _workplace_modules()}
    if deadline is None:
        deadline = DeadlineForm(
            data={"acknowledge_by": in_force.acknowledge_by if in_force else None}
        )
    return render_template(
        "workplace/report.html",
        dates={day: format_date(day) for day in days},
        levels={level: str(label) for level, label in labels.LEVEL.items()},
        of_format=_("%(done)d of %(total)d"),
        version_format=_("version %(n)d, %(date)s"),
        not_current=_("not the current one"),
        not_yet=_("not yet"),
        due_format=_("due %(date)s"),
        group=group,
        in_force=in_force,
        rows=rows,
        managers=managers if hr else [],
        selected=manager_id,
        hr=hr,
        invites=invites,
        shown=shown,
        staff_total=len(all_rows),
        invites_total=len(all_invites),
        status=status or "",
        statuses=[
            ("todo", _("Something still to do")),
            ("overdue", _("Overdue")),
            ("done", _("Nothing to do")),
            ("invited", _("Invited, not joined")),
        ],
        search=search,
        page_url=lambda number: url_for(
            "workplace.report",
            group_id=group.id,
            manager=manager_id if hr else None,
            status=status,
            q=search or None,
            page=number,
        ),
        times={
            i.id: format_datetime(i.emailed_at or i.email_failed_at)
            for i in invites
            if i.emailed_at or i.email_failed_at
        },
        smtp=mail.can_send(),
        not_done=sum(1 for r in all_rows if r.not_done),
        logged=[(e, _event_line(e)) for e in logged],
        deadline_form=deadline,
        lesson_form=_lesson_form(lesson_form),
        assigned=[
            (a, titles.get(a.module_id, a.module_id), format_date(a.due_on)) for a in assigned
        ]
        if hr
        else [],
        empty_form=EmptyForm(),
        csv_url=url_for(
            "workplace.report_csv", group_id=group.id, manager=manager_id if hr else None
        ),
        learning_section=learning_views.group_section(session, group),
    )


@bp.get("/report.csv")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def report_csv(group: Group, membership: Membership):
    """The completion report as a spreadsheet (formula cells neutralised); HR's includes
    people invited who have not joined yet."""
    in_force, rows, manager_id, _managers = _report_data(group, membership)
    show_invites = policy.can_edit_policy(membership) and manager_id is None
    invites = workplace.pending_invites(get_session(), group, utc_now()) if show_invites else []
    return csv_file(
        workplace.report_csv(in_force, rows, invites), f"workplace-{group.id}-report.csv"
    )


def _require_hr(membership: Membership) -> None:
    if not policy.can_edit_policy(membership):
        abort(403)


@bp.post("/policy/deadline")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def set_deadline(group: Group, membership: Membership):
    """Move the day staff should acknowledge the version in force by."""
    session = get_session()
    _require_hr(membership)
    in_force = workplace.current(session, group)
    if in_force is None:
        abort(404)
    form = DeadlineForm()
    valid = form.validate_on_submit()
    if valid and form.acknowledge_by.data is None:
        form.acknowledge_by.errors = [_("Choose a date.")]
        valid = False
    if not valid:
        return _report_page(group, membership, form), 400
    try:
        workplace.set_deadline(
            session=session,
            group=group,
            version=in_force,
            acknowledge_by=form.acknowledge_by.data,
            admin=acting_user(),
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return _report_page(group, membership, form), 400
    session.commit()
    flash(
        _("Staff should acknowledge it by %(date)s.", date=format_date(in_force.acknowledge_by)),
        "success",
    )
    return redirect(url_for("workplace.report", group_id=group.id) + "#deadline")


@bp.post("/report/lessons")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def assign_lesson(group: Group, membership: Membership):
    """HR assigns a workplace lesson to all staff with a due date (or moves the date), as a
    teacher assigns one to a class."""
    session = get_session()
    _require_hr(membership)
    form = _lesson_form()
    if not form.validate_on_submit():
        return _report_page(group, membership, None, form), 400
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
        return _report_page(group, membership, None, form), 400
    session.commit()
    flash(
        _(
            "Assigned: %(title)s, due %(date)s.",
            title=module.title,
            date=format_date(form.due_on.data),
        ),
        "success",
    )
    return redirect(url_for("workplace.report", group_id=group.id) + "#lessons")


@bp.post("/report/remind")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def remind_now(group: Group, membership: Membership):
    """Remind, now, everyone who still has the policy or a late lesson to do (once a day)."""
    session = get_session()
    _require_hr(membership)
    if not EmptyForm().validate_on_submit():
        abort(400)
    modules = {m.id: m for m in get_catalog().modules()}
    count = reminders.remind_now(
        session=session,
        group=group,
        actor=acting_user(),
        now=utc_now(),
        modules=modules,
        link=url_for("workplace.policy_page", group_id=group.id, _external=True),
    )
    session.commit()
    if count:
        flash(
            ngettext("%(num)d person was reminded.", "%(num)d people were reminded.", count),
            "success",
        )
    else:
        flash(_("Nobody was reminded: everyone not done was reminded today already."), "info")
    return redirect(url_for("workplace.report", group_id=group.id))


@bp.route("/report/invites/<int:invite_id>/cancel", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def cancel_invite(group: Group, membership: Membership, invite_id: int):
    """Cancel an invite that was not taken up, after a confirmation page (the link stops
    working at once)."""
    session = get_session()
    _require_hr(membership)
    invite = policy.load_invite_of_group(session, group, invite_id)
    try:
        workplace.check_pending(invite)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("workplace.report", group_id=group.id)), 303
    form = EmptyForm()
    if not form.validate_on_submit():
        page = render_template(
            "workplace/cancel_invite.html", group=group, invite=invite, form=form
        )
        return page, 400 if form.is_submitted() else 200
    workplace.cancel_invite(
        session=session, group=group, invite=invite, by=acting_user(), now=utc_now()
    )
    session.commit()
    flash(
        _("The invite to %(a)s is cancelled; its link no longer works.", a=invite.email),
        "success",
    )
    return redirect(url_for("workplace.report", group_id=group.id))


@bp.post("/report/invites/<int:invite_id>/resend")
@login_required
@policy.group_route(kind=GroupKind.WORKPLACE, manage=True)
def resend_invite(group: Group, membership: Membership, invite_id: int):
    """A fresh link for someone who has not joined: e-mailed when e-mail is set up, shown
    once either way (the old link stops working)."""
    session = get_session()
    _require_hr(membership)
    invite = policy.load_invite_of_group(session, group, invite_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        workplace.check_pending(invite)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("workplace.report", group_id=group.id)), 303
    fresh, token = workplace.resend_invite(
        session=session, group=group, invite=invite, by=acting_user(), now=utc_now()
    )
    session.commit()
    return _invites_result(
        group, [(fresh, fresh.email, url_for("auth.invite", token=token, _external=True))]
    )


def _invites_result(group, made):
    """Send each invite (when e-mail is set up), remember how it went, show the links once."""
    session = get_session()
    results = []
    for invite, address, link in made:
        outcome = mail.deliver_invite(
            to=address, group=group, inviter=acting_user(), link=link, locale=invite.locale
        )
        workplace.record_delivery(session=session, invite=invite, sent=outcome, now=utc_now())
        results.append((address, link, outcome))
    session.commit()
    sent = [(address, link) for address, link, _outcome in results]
    csv_text = classroom.to_csv(
        [_("Name"), _("E-mail"), _("Link")], [["", a, link] for a, link in sent]
    )
    page = {
        "group": group,
        "sent": sent,
        "outcomes": {a: outcome for a, _link, outcome in results},
        "emailed": bool(results) and all(o for _a, _l, o in results),
        "smtp": mail.can_send(),
        "all_links": "\n".join(link for _a, link in sent),
        "csv_href": "data:text/csv;charset=utf-8," + quote("\ufeff" + csv_text),
    }
    return render_template("workplace/invites_sent.html", **page)


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
    made = []
    for address in addresses:
        invite, token = groups.create_invite(
            session=session,
            group=group,
            role=Role.LEARNER,
            created_by=acting_user(),
            email=address,
            now=utc_now(),
            locale=form.locale.data,
        )
        made.append((invite, address, url_for("auth.invite", token=token, _external=True)))
    session.commit()
    return _invites_result(group, made)
