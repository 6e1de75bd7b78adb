"""The post coach on the web: a page to try it, and the JSON endpoint for live hints."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask_login import login_required

from learner import coach
from learner.core import labels, sessions
from learner.core.db import reads_only
from learner.core.extensions import limiter, per_person
from learner.forms import CoachForm

bp = Blueprint("coach", __name__, url_prefix="/coach")


@bp.route("", methods=["GET", "POST"])
@login_required
def try_it():
    """Write a practice post and see what the coach says (works without JavaScript)."""
    form = CoachForm()
    findings = None
    if form.validate_on_submit():
        findings = coach.analyze(form.text.data, sessions.acting_user().locale)
    status = 400 if form.errors else 200
    names = {category: str(label) for category, label in labels.COACH_CATEGORY.items()}
    page = render_template("coach/try.html", form=form, findings=findings, category_names=names)
    return page, status


@bp.post("/check")
@login_required
@limiter.limit("120 per minute", key_func=per_person)
@reads_only
def check():
    """Findings for a draft as JSON, for the hints shown while typing (CSRF header needed)."""
    data = request.get_json(silent=True)
    text = data.get("text") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return jsonify(error='Send JSON with a "text" string.'), 400
    try:
        findings = coach.analyze(text, sessions.acting_user().locale)
    except coach.CoachInputError as error:
        return jsonify(error=str(error)), 400
    return jsonify(
        categories=coach.categories(findings), findings=[coach.translated(f) for f in findings]
    )
