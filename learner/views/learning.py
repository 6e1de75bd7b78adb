"""Learning that shows: the figures' spreadsheets, refreshers answered or dismissed, and
the charts that the class dashboard, the family progress page and the workplace report
include."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup

from learner import charts, groupdata, learning, policy
from learner.classroom import to_csv
from learner.core.db import get_session, utc_now
from learner.core.sessions import acting_user
from learner.forms import EmptyForm
from learner.learning import GAIN_BUCKETS, MIN_N, GroupFigures, LearnerModule
from learner.models import Group, Membership
from learner.views.downloads import csv_file
from lessons import get_catalog

bp = Blueprint("learning", __name__)


def group_section(session, group: Group, *, learners: int | None = None) -> Markup:
    """A group's learning figures as the supervisors' pages show them (charts and table,
    learning/_group.html), rendered once per data version of the group and reader's words,
    then kept (learner/groupdata.py). `learners`: the group's current learners, if counted."""
    return groupdata.kept(
        group,
        "learning.group_section",
        (str(get_locale()), str(get_timezone())),
        lambda: Markup(  # noqa: S704 (our template's output, escaped as it was made)
            render_template(
                "learning/_group.html",
                group=group,
                learning_figures=learning.for_group(session, group, learners=learners),
            )
        ),
    )


def _series():
    return (
        charts.Series(_("Before the lesson"), "bar-pre"),
        charts.Series(_("After (first quiz)"), "bar-post"),
    )


def _retention_series():
    return (
        charts.Series(_("After (first quiz)"), "bar-post"),
        charts.Series(_("+7 days"), "bar-r7"),
        charts.Series(_("+30 days"), "bar-r30"),
    )


def gain_bucket_labels() -> list[str]:
    """The gain distribution's column labels ("below 0", "0-0.25"...)."""
    labels = [_("below 0")]
    labels += [f"{low:g}–{high:g}" for low, high in GAIN_BUCKETS[1:]]
    return labels


@bp.app_template_global("learning_group_charts")
def group_charts(figures: GroupFigures) -> dict[str, Markup | list]:
    """The charts of a group's figures: pre/post per module, retention, gain distribution."""
    rows = figures.by_module()
    pre_post = charts.bars(
        _("Average score before and after the lesson, per module"),
        _(
            "Per module, the average pre-test score and first quiz score of the learners who "
            "took both, on a scale of 0 to 100 %%. Modules with fewer than %(n)d such learners "
            "say not enough data. The table below has the same figures.",
            n=MIN_N,
        ),
        _series(),
        [charts.Row(m.title, (f.mean_pre, f.mean_post)) for m, f in rows],
    )
    retention = charts.bars(
        _("What was still known 7 and 30 days later"),
        _(
            "Per module, the first quiz score and the refresher scores 7 and 30 days after "
            "completing it, for the learners who answered refreshers; fewer than %(n)d learners "
            "say not enough data.",
            n=MIN_N,
        ),
        _retention_series(),
        [
            charts.Row(
                m.title,
                (
                    f.retention[0].post if f.retention[0].enough else f.retention[1].post,
                    f.retention[0].refresher,
                    f.retention[1].refresher,
                ),
            )
            for m, f in rows
        ],
    )
    distributions = [
        (
            m,
            charts.columns(
                _("How much each learner gained: %(title)s", title=m.title),
                _(
                    "The number of learners per band of normalised gain (the share of what "
                    "they did not know before that they knew after): %(counts)s.",
                    counts=", ".join(
                        f"{label}: {count}"
                        for label, count in zip(gain_bucket_labels(), f.gain_counts, strict=True)
                    ),
                ),
                gain_bucket_labels(),
                f.gain_counts,
            ),
        )
        for m, f in rows
        if f.gain_counts is not None
    ]
    return {"pre_post": pre_post, "retention": retention, "distributions": distributions}


@bp.app_template_global("learning_learner_chart")
def learner_chart(rows: list[tuple[object, LearnerModule]]) -> Markup | None:
    """One learner's before and after per module (only modules with a score)."""
    shown = [(m, r) for m, r in rows if r.pre is not None or r.post is not None]
    if not shown:
        return None
    return charts.bars(
        _("Before and after the lesson, per module"),
        _(
            "Per module, the pre-test score and the first quiz score, 0 to 100 %%. The table "
            "beside it has the same numbers and the refresher scores."
        ),
        _series(),
        [charts.Row(m.title, (r.pre, r.post)) for m, r in shown],
    )


@bp.get("/groups/<int:group_id>/learning.csv")
@login_required
@policy.group_route(manage=True)
def group_csv(group: Group, _membership: Membership):
    """Per module: how much the group learned and kept, with n (formula cells neutralised)."""
    header, rows = learning.group_csv_rows(learning.for_group(get_session(), group))
    return csv_file(to_csv(header, rows), f"group-{group.id}-learning.csv")


@bp.get("/groups/<int:group_id>/learning-by-learner.csv")
@login_required
@policy.group_route(manage=True)
def learners_csv(group: Group, _membership: Membership):
    """One line per learner and module: pre, post, gain, confidence, refreshers."""
    rows = learning.learner_rows(get_session(), group, learning.group_modules(group))
    header, lines = learning.learners_csv_rows(rows)
    return csv_file(to_csv(header, lines), f"group-{group.id}-learning-by-learner.csv")


@bp.post("/refreshers/<int:item_id>")
@login_required
def answer_refresher(item_id: int):
    """Answer one refresher question (never required: dismissing is as good)."""
    session = get_session()
    item = policy.load_own_refresher(session, acting_user(), item_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    module = get_catalog().get(item.module_id)
    question = module.question(item.question_id) if module else None
    if question is None:
        abort(404)
    back = url_for("main.dashboard") + "#refreshers"
    if "dismiss" in request.form:
        learning.dismiss_refreshers(
            session=session,
            user_id=item.user_id,
            module_id=item.module_id,
            round_=item.round,
            now=utc_now(),
        )
        session.commit()
        flash(_("Refresher put away. It will not come back."), "info")
        return redirect(back)
    chosen = frozenset(request.form.getlist("choice"))
    if not chosen:
        page = render_template(
            "learning/refresher.html",
            item=item,
            module=module,
            question=question,
            form=form,
            error=_("Choose an answer first, or put the refresher away."),
        )
        return page, 400
    if chosen - {c.id for c in question.choices} or (question.type == "single" and len(chosen) > 1):
        abort(400)
    outcome = learning.answer_refresher(
        session=session, item=item, question=question, chosen=chosen, now=utc_now()
    )
    session.commit()
    right = [c.feedback for c in question.choices if c.id in chosen]
    if outcome.value == "right":
        flash(_("Right: you still know it. %(why)s", why=" ".join(right)), "success")
    else:
        flash(_("Not quite. %(why)s", why=" ".join(right)), "info")
    return redirect(back)
