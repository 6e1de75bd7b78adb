"""The site admin's pages: platform counts and health, and (de)activating accounts.

Least privilege: nothing here shows a learner's posts, answers or progress.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from learner import accounts, groups, policy, practice
from learner.core.db import get_session
from learner.core.sessions import acting_user
from learner.forms import EmptyForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 50


@bp.get("/")
@login_required
@policy.site_admin_required
def index():
    """How many accounts and groups there are."""
    session = get_session()
    return render_template(
        "admin/index.html",
        accounts=accounts.account_counts(session),
        groups=groups.count_groups(session),
    )


@bp.get("/users")
@login_required
@policy.site_admin_required
def users():
    """Find an account by name, e-mail or username."""
    query = request.args.get("q", "").strip()[:100]
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 10_000)
    rows = accounts.search(get_session(), query, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    return render_template(
        "admin/users.html",
        users=rows[:PAGE_SIZE],
        query=query,
        page=page,
        has_more=len(rows) > PAGE_SIZE,
    )


@bp.route("/users/<int:user_id>/active", methods=["GET", "POST"])
@login_required
def set_active(user_id: int):
    """Deactivate an account (its sessions end at once) or reactivate it, after confirming."""
    session = get_session()
    user = policy.load_user_for_admin(session, acting_user(), user_id)
    if not policy.can_set_active(acting_user(), user):
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("admin.users"))
    form = EmptyForm()
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("admin/set_active.html", form=form, user=user), status
    # The form says which state it asks for, so a stale tab cannot flip it back.
    wanted = request.form.get("active")
    if wanted not in ("0", "1"):
        abort(400)
    accounts.set_active(session=session, user=user, active=wanted == "1")
    session.commit()
    if user.active:
        flash(_("%(name)s can log in again.", name=user.display_name), "success")
    else:
        flash(
            _("%(name)s is deactivated and logged out everywhere.", name=user.display_name),
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.get("/coach")
@login_required
@policy.site_admin_required
def coach_rules():
    """Per rule: how often the coach fired on submitted posts and how often supervisors
    dismissed it, and the precision that suggests (counts only: no post text reaches this
    page). The noisiest rules come first."""
    return render_template(
        "admin/coach.html",
        rows=practice.rule_precisions(get_session()),
        minimum=practice.PRECISION_MINIMUM,
    )
