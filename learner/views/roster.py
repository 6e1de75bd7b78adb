"""Class lists: a teacher uploads a CSV file and prints a login card for every student."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from learner import classroom, policy, roster
from learner.core.db import get_session, utc_now
from learner.core.sessions import acting_user
from learner.forms import NewCardsForm, RosterForm
from learner.models import AgeBand, Group, GroupKind, Membership

bp = Blueprint("roster", __name__, url_prefix="/groups/<int:group_id>/roster")


@bp.route("", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def upload(group: Group, _membership: Membership):
    """The upload page; a wrong file gets a report of its rows and creates nothing, a good
    one creates every account and shows the login cards (the passwords only this once)."""
    session = get_session()
    form = RosterForm()
    page = {"form": form, "group": group, "example": roster.EXAMPLE, "most": roster.MAX_STUDENTS}
    if not form.validate_on_submit():
        return render_template("roster/upload.html", **page), 400 if form.errors else 200
    try:
        checked = roster.read_roster(
            form.class_list.data.read(), taken_usernames=roster.usernames_in_use(session)
        )
        logins = roster.create_roster(
            session=session, group=group, rows=checked.rows, age_band=AgeBand(form.age_band.data)
        )
    except roster.RosterError as error:
        session.rollback()
        return render_template("roster/upload.html", error=error, **page), 400
    session.commit()
    return render_template(
        "roster/cards.html",
        group=group,
        logins=logins,
        blank_rows=checked.blank_rows,
        login_url=url_for("auth.login", _external=True),
    )


@bp.route("/cards", methods=["GET", "POST"])
@login_required
@policy.group_route(kind=GroupKind.CLASSROOM, manage=True)
def new_cards(group: Group, membership: Membership):
    """The teacher picks students and confirms; their passwords are reset (each reset in
    the student's log) and the new cards shown for printing, this once."""
    session = get_session()
    people = classroom.students(session, group)
    resettable = [(m, u) for m, u in people if policy.can_reset_password(membership, m)]
    form = NewCardsForm()
    form.members.choices = [
        SelectChoice(m.id, f"{u.display_name} ({u.login_name})") for m, u in resettable
    ]
    page = {"form": form, "group": group, "others": len(people) - len(resettable)}
    if not form.validate_on_submit():
        return render_template("roster/new_cards.html", **page), 400 if form.errors else 200
    chosen = set(form.members.data)
    logins = roster.new_cards(
        session=session,
        students=[(m, u) for m, u in resettable if m.id in chosen],
        supervisor=acting_user(),
        now=utc_now(),
    )
    session.commit()
    return render_template(
        "roster/cards.html",
        group=group,
        logins=logins,
        blank_rows=0,
        renewed=True,
        login_url=url_for("auth.login", _external=True),
    )
