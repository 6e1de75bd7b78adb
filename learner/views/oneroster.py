"""The site admin imports a district's OneRoster 1.1 CSV zip: all or nothing, with a report."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from learner import oneroster, policy
from learner.core.db import get_session
from learner.core.sessions import acting_user
from learner.forms import OneRosterForm

bp = Blueprint("oneroster", __name__, url_prefix="/admin/oneroster")


@bp.route("/", methods=["GET", "POST"])
@login_required
@policy.site_admin_required
def upload():
    """A wrong zip gets every problem by file and row and saves nothing; a good one is
    imported and the page says what was created, updated or left as it was."""
    session = get_session()
    form = OneRosterForm()
    if not form.validate_on_submit():
        return render_template("oneroster/upload.html", form=form), 400 if form.errors else 200
    data = form.roster_zip.data.read(oneroster.MAX_ZIP_BYTES + 1)
    try:
        roster = oneroster.read(data)
        report = oneroster.apply(
            session=session,
            roster=roster,
            under13_consent=form.under13_consent.data,
            consent_by=acting_user(),
        )
    except oneroster.OneRosterError as error:
        session.rollback()
        return render_template("oneroster/upload.html", form=form, error=error), 400
    session.commit()
    return render_template(
        "oneroster/upload.html", form=OneRosterForm(formdata=None), report=report
    )
