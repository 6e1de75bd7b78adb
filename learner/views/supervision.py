"""A learner's progress as their supervisors (and they) see it; discussing and co-signing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from learner import (
    agreements,
    groups,
    ladder,
    learning,
    notifications,
    personal_data,
    policy,
    privacy,
    profile,
    progress,
    scenarios,
    transparency,
)
from learner.core import passwords
from learner.core.db import get_session, utc_now, write_transaction
from learner.core.labels import COACH_CATEGORY, LEVEL, STAGE
from learner.core.sessions import acting_user
from learner.core.words import catalogue, marked
from learner.errors import DomainError
from learner.forms import DiscussedForm, EmptyForm, EraseForm, LevelForm, agreement_form_class
from learner.models import FamilyAgreement, Group, Level, Membership, Role, User
from learner.views.downloads import json_file, readable_data_page
from learner.views.forms import refuse
from lessons import get_catalog

bp = Blueprint("supervision", __name__, url_prefix="/groups/<int:group_id>/members/<int:member_id>")


def _discussed_form(module_id: str, note: str | None = None) -> DiscussedForm:
    """The note form of one module, filled with the saved note (its own prefix keeps the
    page's ids unique)."""
    return DiscussedForm(prefix=f"m-{module_id}", formdata=None, data={"note": note or ""})


def _progress_page(
    group, mine, target, learner, *, failed: tuple[str, DiscussedForm] | None = None
):
    session = get_session()
    modules = get_catalog().modules(tracks=progress.tracks_for([group.kind]))
    done = progress.progress_map(session, learner.id)
    discussed = progress.discussions(session, target)
    forms = {
        m.id: _discussed_form(m.id, discussed[m.id].note if m.id in discussed else None)
        for m in modules
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    setup, signoff = profile.privacy_setup_and_signoff(session, target)
    results = scenarios.results_for(session, learner.id, scenarios.get_scenarios())
    asked = scenarios.help_asked(session, learner.id)
    read = {r.run.id: r.run for r in results} | {run.id: run for _a, run in asked}
    if read and policy.can_supervise(mine, target):
        # Reading a learner's scenario results is logged for them, as reading posts is
        # (once an hour per result): the one write this page makes, in its own transaction.
        with write_transaction(session):
            scenarios.record_viewed(
                session=session,
                target=target,
                supervisor=acting_user(),
                runs=list(read.values()),
                now=utc_now(),
            )
    page = render_template(
        "supervision/progress.html",
        group=group,
        target=target,
        learner=learner,
        supervising=policy.can_supervise(mine, target),
        modules=modules,
        progress=done,
        stages=progress.stage_progress(modules, done),
        discussed=discussed,
        discussed_forms=forms,
        setup=setup,
        review=privacy.review(setup.choices, learner.age_band) if setup else None,
        signoff=signoff,
        empty_form=EmptyForm(),
        learning_mine=learning.for_learner(session, learner.id, group),
        scenario_results=results,
        help_asked=asked,
        describe_done=scenarios.describe_done,
        describe_match=scenarios.describe_match,
        # The coach's categories name a scenario action's findings: only with results.
        category_names={c: str(label) for c, label in COACH_CATEGORY.items()} if results else {},
        lesson_words=_lesson_words(),
    )
    return page, 400 if failed is not None else 200


def _lesson_words() -> dict:
    """The words of each lesson's panel on the progress page, translated once for the page
    (not once a lesson); `% {...}` on a format string escapes what is put in, as `_()`."""
    t = catalogue()
    words = {
        "completed": t.ugettext("Completed"),
        "not_passed": t.ugettext("Not passed yet"),
        "started": t.ugettext("Started"),
        "not_started": t.ugettext("Not started"),
        "best_score": t.ugettext("Best score: %(score)s"),
        "attempts": t.ugettext("Attempts: %(count)s"),
        "time": t.ugettext("Time: %(minutes)s min"),
        "talk": t.ugettext("Talk about it"),
        "discussed_on": t.ugettext("discussed on %(date)s"),
        "try_together": t.ugettext("Try together:"),
        "note": t.ugettext("Note:"),
        "update_note": t.ugettext("Update the note"),
        "mark_discussed": t.ugettext("Mark as discussed"),
        # The note field of DiscussedForm, drawn in the loop as render_field draws it.
        "note_label": t.ugettext("Note (optional)"),
        "note_hint": t.ugettext(
            "What you talked about, or what to come back to. The learner sees it."
        ),
    }
    return {key: marked(text) for key, text in words.items()} | {
        "stage": {stage: marked(str(text)) for stage, text in STAGE.items()}
    }


@bp.get("/progress")
@login_required
@policy.member_route()
def show(group: Group, mine: Membership, target: Membership, learner: User):
    """Lessons, quiz results, 'Talk about it' prompts and the privacy setup of one learner."""
    return _progress_page(group, mine, target, learner)


@bp.post("/modules/<module_id>/discussed")
@login_required
@policy.member_route()
def discussed(group: Group, mine: Membership, target: Membership, learner: User, module_id: str):
    """A supervisor marks a module of the group's tracks discussed with the learner."""
    session = get_session()
    if not policy.can_supervise(mine, target):
        abort(403)
    module = get_catalog().get(module_id)
    if module is None or module.track not in progress.tracks_for([group.kind]):
        abort(404)
    form = DiscussedForm(prefix=f"m-{module.id}")
    if not form.validate_on_submit():
        return _progress_page(group, mine, target, learner, failed=(module.id, form))
    progress.mark_discussed(
        session=session,
        membership=target,
        module=module,
        supervisor=acting_user(),
        note=form.note.data,
        now=utc_now(),
    )
    session.commit()
    flash(_("Marked as discussed."), "success")
    return redirect(
        url_for("supervision.show", group_id=group.id, member_id=target.id) + f"#module-{module.id}"
    )


@bp.post("/privacy/cosign")
@login_required
@policy.member_route()
def cosign(group: Group, mine: Membership, target: Membership, _learner: User):
    """A supervisor co-signs the learner's privacy setup after walking through it."""
    session = get_session()
    if not policy.can_supervise(mine, target):
        abort(403)
    revision = request.form.get("revision", type=int)
    if not EmptyForm().validate_on_submit() or revision is None:
        abort(400)
    try:
        profile.cosign_privacy(
            session=session,
            membership=target,
            supervisor=acting_user(),
            revision=revision,
            now=utc_now(),
        )
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("supervision.show", group_id=group.id, member_id=target.id))
    session.commit()
    flash(_("You co-signed the privacy setup."), "success")
    return redirect(
        url_for("supervision.show", group_id=group.id, member_id=target.id) + "#privacy"
    )


def _agreement_page(group, target, learner, form, current, status=200):
    people = {u.id: u for u in agreements.signers(get_session(), current)}
    page = render_template(
        "supervision/agreement.html",
        group=group,
        target=target,
        learner=learner,
        state=current,
        form=form,
        people=people,
        terms=agreements.TERMS,
        empty_form=EmptyForm(),
        is_learner=acting_user().id == learner.id,
    )
    return page, status


@bp.route("/agreement", methods=["GET", "POST"])
@login_required
@policy.member_route()
def agreement(group: Group, mine: Membership, target: Membership, learner: User):
    """The family agreement: read it, propose a version or a change (which you sign)."""
    session = get_session()
    if not policy.can_take_part_in_agreement(mine, target, group):
        abort(404)
    current = agreements.state(session, target)
    base = current.proposed or current.active
    form = agreement_form_class()(data=base.terms if base else None)
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return _agreement_page(group, target, learner, form, current, status)
    try:
        agreements.propose(
            session=session,
            membership=target,
            proposer=acting_user(),
            terms={t.id: form[t.id].data for t in agreements.TERMS},
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return _agreement_page(group, target, learner, form, current, 400)
    session.commit()
    flash(
        _(
            "Your proposal is saved and signed by you. It takes effect when the other side "
            "signs too."
        ),
        "success",
    )
    return redirect(url_for("supervision.agreement", group_id=group.id, member_id=target.id))


@bp.post("/agreement/<int:agreement_id>/sign")
@login_required
@policy.member_route()
def sign_agreement(
    group: Group, mine: Membership, target: Membership, _learner: User, agreement_id: int
):
    """Sign the proposed version; it takes effect once the teen and a parent have signed."""
    session = get_session()
    if not policy.can_take_part_in_agreement(mine, target, group):
        abort(404)
    version = session.get(FamilyAgreement, agreement_id)
    if version is None or version.membership_id != target.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        active = agreements.sign(
            session=session,
            membership=target,
            agreement=version,
            signer=acting_user(),
            now=utc_now(),
        )
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("supervision.agreement", group_id=group.id, member_id=target.id))
    session.commit()
    flash(
        _("The agreement is signed by both sides and now in force.")
        if active
        else _("You signed. It takes effect when the other side signs too."),
        "success",
    )
    return redirect(url_for("supervision.agreement", group_id=group.id, member_id=target.id))


@bp.get("/ladder")
@login_required
@policy.member_route()
def ladder_page(group: Group, mine: Membership, target: Membership, learner: User):
    """The checklist between the learner and the next level, for both sides."""
    session = get_session()
    if notifications.has_unread_about(session, acting_user(), membership_id=target.id):
        with write_transaction(session):
            notifications.mark_read_about(
                session=session, user=acting_user(), membership_id=target.id, now=utc_now()
            )
    rules = ladder.rules_for(session, group)
    modules = get_catalog().modules(tracks=progress.tracks_for([group.kind]))
    return render_template(
        "supervision/ladder.html",
        group=group,
        target=target,
        learner=learner,
        standing=ladder.standing(
            session, membership=target, group=group, modules=modules, now=utc_now(), rules=rules
        ),
        supervising=policy.can_supervise(mine, target),
        mine=mine,
        is_learner=mine.id == target.id,
        certificate=ladder.certificate(session, target),
        can_step_back=ladder.previous_level(target.level, rules) is not None,
        road=ladder.learner_road(
            session, rules=rules, membership=target, user=learner, group=group
        ),
        level_form=LevelForm(level=target.level.value),
        empty_form=EmptyForm(),
    )


def _to_ladder(group_id: int, member_id: int):
    return redirect(url_for("supervision.ladder_page", group_id=group_id, member_id=member_id))


@bp.post("/ladder/request")
@login_required
@policy.member_route()
def request_signoff(group: Group, mine: Membership, target: Membership, _learner: User):
    """The learner asks their supervisors for sign-off once every requirement holds."""
    session = get_session()
    if mine.id != target.id:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    modules = get_catalog().modules(tracks=progress.tracks_for([group.kind]))
    try:
        asked = ladder.request_signoff(
            session=session, membership=target, group=group, modules=modules, now=utc_now()
        )
    except DomainError as error:
        flash(str(error.message), "error")
        return _to_ladder(group.id, target.id)
    session.commit()
    flash(
        _("Your supervisors know you are ready.")
        if asked
        else _("You asked already; your supervisors know."),
        "success",
    )
    return _to_ladder(group.id, target.id)


@bp.post("/ladder/signoff")
@login_required
@policy.member_route()
def sign_off(group: Group, mine: Membership, target: Membership, learner: User):
    """A supervisor moves the learner up one level (the server checks every requirement)."""
    session = get_session()
    if not policy.can_supervise(mine, target):
        abort(403)
    form = LevelForm()
    if not form.validate_on_submit() or form.level.data not in {level.value for level in Level}:
        abort(400)
    try:
        event = ladder.sign_off(
            session=session,
            membership=target,
            group=group,
            supervisor=acting_user(),
            learner=learner,
            expected_level=Level(form.level.data),
            modules=get_catalog().modules(tracks=progress.tracks_for([group.kind])),
            now=utc_now(),
        )
    except DomainError as error:
        session.rollback()
        flash(str(error.message), "error")
        return _to_ladder(group.id, target.id)
    session.commit()
    flash(
        _(
            "Signed off: %(name)s is now at %(level)s.",
            name=learner.display_name,
            level=LEVEL[event.level_to],
        ),
        "success",
    )
    return _to_ladder(group.id, target.id)


@bp.route("/ladder/step-back", methods=["GET", "POST"])
@login_required
@policy.member_route()
def step_back(group: Group, mine: Membership, target: Membership, learner: User):
    """A supervisor steps the learner back one level, with a reason the learner reads."""
    session = get_session()
    if not policy.can_supervise(mine, target):
        abort(403)
    rules = ladder.rules_for(session, group)
    lower = ladder.previous_level(target.level, rules)
    form = LevelForm(level=target.level.value)
    page = "supervision/step_back.html"
    if lower is None or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(
            page, group=group, target=target, learner=learner, form=form, lower=lower
        ), status
    try:
        ladder.step_back(
            session=session,
            membership=target,
            group=group,
            supervisor=acting_user(),
            learner=learner,
            expected_level=Level(form.level.data)
            if form.level.data in {lv.value for lv in Level}
            else None,
            reason=form.reason.data or "",
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return render_template(
            page, group=group, target=target, learner=learner, form=form, lower=lower
        ), 400
    session.commit()
    flash(
        _(
            "%(name)s is back at %(level)s. They can read your reason.",
            name=learner.display_name,
            level=LEVEL[lower],
        ),
        "success",
    )
    return _to_ladder(group.id, target.id)


@bp.get("/log")
@login_required
@policy.member_route()
def log(group: Group, _mine: Membership, target: Membership, learner: User):
    """Every supervisor action about the learner: decisions, flags, level changes, views."""
    return render_template(
        "supervision/log.html",
        group=group,
        target=target,
        learner=learner,
        events=transparency.log(get_session(), target),
    )


@bp.get("/visibility")
@login_required
@policy.member_route()
def visibility(group: Group, _mine: Membership, target: Membership, learner: User):
    """What this learner's supervisors can see at their level, and who they are."""
    people = [
        r for r in groups.members(get_session(), group) if r.membership.role is Role.SUPERVISOR
    ]
    return render_template(
        "supervision/visibility.html",
        group=group,
        target=target,
        learner=learner,
        supervisors=people,
    )


@bp.get("/certificate")
@login_required
@policy.member_route()
def certificate(group: Group, _mine: Membership, target: Membership, learner: User):
    """The printable license certificate, with the code anyone can verify."""
    issued = ladder.certificate(get_session(), target)
    if issued is None:
        abort(404)
    return render_template(
        "supervision/certificate.html",
        group=group,
        target=target,
        learner=learner,
        certificate=issued,
        verify_url=url_for("main.verify", code=issued.code, _external=True),
    )


@bp.get("/data.json")
@login_required
@policy.member_route(minor=True)
def child_data(_group: Group, _mine: Membership, _target: Membership, learner: User):
    """A parent downloads everything about their child under 13, as JSON."""
    data = personal_data.export(get_session(), learner)
    return json_file(data, f"data-{learner.id}.json")


@bp.get("/data")
@login_required
@policy.member_route(minor=True)
def child_data_readable(group: Group, _mine: Membership, target: Membership, learner: User):
    """A parent reads (and prints) everything about their child under 13."""
    ids = {"group_id": group.id, "member_id": target.id}
    return readable_data_page(
        learner,
        back=url_for("supervision.ladder_page", **ids),
        json_url=url_for("supervision.child_data", **ids),
    )


@bp.route("/erase", methods=["GET", "POST"])
@login_required
@policy.member_route(minor=True)
def erase_child(group: Group, _mine: Membership, _target: Membership, learner: User):
    """A parent erases their child's account (under 13), after typing their own password."""
    form = EraseForm()
    page = "main/erase.html"
    if not form.validate_on_submit():
        return render_template(page, form=form, person=learner, group=group), (
            400 if form.errors else 200
        )
    if not passwords.verify_password(acting_user().password_hash, form.password.data):
        form.password.errors = [_("That is not your password.")]
        return render_template(page, form=form, person=learner, group=group), 400
    session = get_session()
    name = learner.display_name
    personal_data.erase(session=session, user=learner, now=utc_now())
    session.commit()
    flash(_("%(name)s's account and data are erased.", name=name), "success")
    return redirect(url_for("groups.show", group_id=group.id))
