"""The learner's side of the curriculum: lessons, quizzes, the privacy setup and the brand."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from learner import coach, groups, learning, policy, privacy, profile, progress
from learner.core import images
from learner.core.db import get_session, utc_now, write_transaction
from learner.core.markdown import render_shipped_markdown
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import BrandForm, EmptyForm, privacy_form_class
from learner.lti import grades as lti_grades
from learner.lti import links as lti_links
from learner.models import ConfidenceMoment, Group, GroupKind, Membership, QuizAttempt
from learner.views.forms import refuse
from lessons import get_catalog
from lessons.catalog import DONT_KNOW, Choice, Module
from lessons.pretest import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_TEXT,
    PretestInputError,
    read_confidence,
    read_pretest,
)
from lessons.quiz import QuizInputError, choice_order, choice_orders, read_answers, score

bp = Blueprint("lessons", __name__)


def _module_or_404(module_id: str) -> Module:
    module = get_catalog().get(module_id, str(get_locale() or "en"))
    if module is None:
        abort(404)
    return module


def _my_learning() -> list[tuple[Membership, Group]]:
    """The user's current learner memberships with their groups (one query)."""
    return groups.learner_memberships(get_session(), acting_user().id)


def _my_tracks(learning: list[tuple[Membership, Group]] | None = None) -> set[str]:
    """The tracks of the user's learner memberships (core always)."""
    rows = _my_learning() if learning is None else learning
    return progress.tracks_for(group.kind for _membership, group in rows)


def _next_attempt_orders(module: Module) -> dict[str, list[Choice]]:
    """The choice order of the learner's next attempt: kept on a reload, new after a submit."""
    user_id = acting_user().id
    made = progress.attempts_made(get_session(), user_id, module.id)
    return choice_orders(module, user_id=user_id, attempts_before=made)


@bp.get("/lessons")
@login_required
def index():
    """Every lesson for this learner's settings, by stage, with their progress."""
    modules = get_catalog().modules(lang=str(get_locale() or "en"), tracks=_my_tracks())
    done = progress.progress_map(get_session(), acting_user().id)
    return render_template(
        "lessons/index.html",
        modules=modules,
        progress=done,
        stages=progress.stage_progress(modules, done),
        next_module=progress.next_module(modules, done),
        learning_mine=learning.for_learner(get_session(), acting_user().id),
    )


@bp.get("/lessons/<module_id>")
@login_required
def show(module_id: str):
    """A lesson and its quiz; opening it counts as starting it."""
    module = _module_or_404(module_id)
    session = get_session()
    learning = _my_learning()
    if module.track in _my_tracks(learning):
        # Recording that a learner opened one of their lessons is the one write a GET
        # makes here: harmless if forged, and it runs in its own write transaction.
        with write_transaction(session):
            progress.open_module(session=session, user=acting_user(), module=module, now=utc_now())
    done = progress.progress_map(session, acting_user().id)
    catalog = get_catalog()
    first = [catalog.get(r) for r in module.requires if not progress.completed(done.get(r))]
    return render_template(
        "lessons/show.html",
        module=module,
        body=render_shipped_markdown(module.body),
        form=EmptyForm(),
        orders=_next_attempt_orders(module),
        progress=done.get(module.id),
        requires_first=first,
        **_learning_parts(module),
        # The family agreement lesson leads straight to the agreement of each family.
        agreements=[
            (m, g) for m, g in learning if module.track == "family" and g.kind is GroupKind.FAMILY
        ],
    )


@bp.post("/lessons/<module_id>/quiz")
@login_required
def submit_quiz(module_id: str):
    """Score a quiz; a tampered or incomplete submission is a 400 and stores nothing."""
    module = _module_or_404(module_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        answers = read_answers(module, request.form.to_dict(flat=False))
    except QuizInputError as error:
        page = render_template(
            "lessons/show.html",
            module=module,
            form=form,
            body=render_shipped_markdown(module.body),
            orders=_next_attempt_orders(module),
            quiz_error=error.message,
            missing=error.missing,
            chosen=request.form.to_dict(flat=False),
            **_learning_parts(module),
        )
        return page, 400
    try:
        sure = read_confidence(request.form.to_dict(flat=False))
    except ValueError:
        abort(400)
    session = get_session()
    now = utc_now()
    attempt = progress.submit_quiz(
        session=session,
        user=acting_user(),
        module=module,
        result=score(module, answers),
        now=now,
    )
    if sure is not None:
        learning.record_confidence(
            session=session,
            user=acting_user(),
            module=module,
            moment=ConfidenceMoment.AFTER,
            value=sure,
            now=now,
        )
    session.commit()
    if attempt.passed:
        # A lesson linked from a learning platform sends its score to the gradebook.
        lti_grades.after_completion(
            session=session,
            user_id=attempt.user_id,
            target=lti_links.target_for("lesson", module.id),
            score=attempt.score,
            now=utc_now(),
        )
    # A fragment of its own, so the browser does not carry the form's "#quiz-heading" over.
    return redirect(
        url_for("lessons.attempt", module_id=module.id, attempt_id=attempt.id) + "#result"
    )


def _learning_parts(module: Module) -> dict:
    """What the lesson page needs from the pre-test: whether it is still offered, and
    whether to ask "how sure are you now?" with the quiz (once, after the lesson)."""
    session = get_session()
    user_id = acting_user().id
    mine = module.track in _my_tracks()
    return {
        "pretest_offered": mine and learning.pretest_offered(session, user_id, module),
        "ask_confidence": mine
        and ConfidenceMoment.AFTER not in learning.confidence(session, user_id, module.id),
        "confidence_levels": [(v, CONFIDENCE_TEXT[v]) for v in CONFIDENCE_LEVELS],
    }


def _pretest_page(module: Module, form, *, error: str | None = None, chosen=None):
    page = render_template(
        "lessons/pretest.html",
        module=module,
        form=form,
        error=error,
        chosen=chosen or {},
        dont_know=DONT_KNOW,
        orders=choice_orders_for_pretest(module),
        confidence_levels=[(v, CONFIDENCE_TEXT[v]) for v in CONFIDENCE_LEVELS],
    )
    return page, 400 if error else 200


def choice_orders_for_pretest(module: Module) -> dict[str, list[Choice]]:
    """The pre-test's choices shuffled per learner (the same on a reload)."""
    user_id = acting_user().id
    return {q.id: choice_order(q, user_id=user_id, attempts_before=-1) for q in module.pretest}


@bp.route("/lessons/<module_id>/pretest", methods=["GET", "POST"])
@login_required
def pretest(module_id: str):
    """The short check before a lesson: optional, with "I don't know yet" on every item;
    skipping it is recorded as skipped. Once answered, skipped or after a quiz, it is closed."""
    module = _module_or_404(module_id)
    if not module.pretest:
        abort(404)
    session = get_session()
    if module.track not in _my_tracks() or not learning.pretest_offered(
        session, acting_user().id, module
    ):
        flash(_("The check before this lesson is done. Here is the lesson."), "info")
        return redirect(url_for("lessons.show", module_id=module.id))
    form = EmptyForm()
    if request.method == "GET":
        return _pretest_page(module, form)
    if not form.validate_on_submit():
        abort(400)
    data = request.form.to_dict(flat=False)
    try:
        sure = read_confidence(data)
        result = None if "skip" in data else read_pretest(module, data)
    except PretestInputError as error:
        return _pretest_page(module, form, error=error.message, chosen=data)
    except ValueError:
        return _pretest_page(
            module, form, error=_("Choose one of the answers to “how sure are you?”."), chosen=data
        )
    now = utc_now()
    try:
        learning.record_pretest(
            session=session, user=acting_user(), module=module, result=result, now=now
        )
    except learning.PretestClosed:
        session.rollback()
        flash(_("The check before this lesson is done. Here is the lesson."), "info")
        return redirect(url_for("lessons.show", module_id=module.id))
    if sure is not None:
        learning.record_confidence(
            session=session,
            user=acting_user(),
            module=module,
            moment=ConfidenceMoment.BEFORE,
            value=sure,
            now=now,
        )
    session.commit()
    if result is None:
        flash(_("Check skipped. Here is the lesson."), "info")
    else:
        flash(
            _(
                "Thanks: %(right)d of %(total)d known before the lesson. "
                "Now the lesson, then the quiz shows what you learned.",
                right=result.right,
                total=len(result.results),
            ),
            "success",
        )
    return redirect(url_for("lessons.show", module_id=module.id))


@bp.get("/lessons/<module_id>/attempts/<int:attempt_id>")
@login_required
def attempt(module_id: str, attempt_id: int):
    """A scored attempt, only for its author: feedback on the learner's own choices, and
    the right answers once the quiz is passed or has been tried often enough."""
    module = _module_or_404(module_id)
    session = get_session()
    row = session.get(QuizAttempt, attempt_id)
    if row is None or row.user_id != acting_user().id or row.module_id != module.id:
        abort(404)
    number = progress.attempt_number(session, row)
    return render_template(
        "lessons/attempt.html",
        module=module,
        attempt=row,
        number=number,
        result=score(module, progress.attempt_answers(session, row)),
        orders=choice_orders(module, user_id=row.user_id, attempts_before=number - 1),
        reveal=progress.answers_revealed(session, row.user_id, module.id),
        reveal_from=progress.REVEAL_FROM_ATTEMPT,
    )


@bp.route("/privacy", methods=["GET", "POST"])
@login_required
def privacy_setup():
    """The simulated settings panel of the practice profile, scored for the age band."""
    session = get_session()
    saved = profile.privacy_setup(session, acting_user().id)
    form = privacy_form_class()(data=saved.choices if saved else None)
    if form.validate_on_submit():
        choices = {s.id: form[s.id].data for s in privacy.SETTINGS}
        profile.save_privacy(session=session, user=acting_user(), choices=choices, now=utc_now())
        session.commit()
        flash(
            _("Your privacy setup is saved. Ask a supervisor to go through it with you."), "success"
        )
        return redirect(url_for("lessons.privacy_setup"))
    review = privacy.review(saved.choices, acting_user().age_band) if saved else None
    page = render_template(
        "lessons/privacy.html",
        form=form,
        saved=saved,
        review=review,
        settings=privacy.SETTINGS,
        signed_in=profile.signed_groups(session, saved),
        band=acting_user().age_band,
    )
    return page, 400 if form.errors else 200


@bp.route("/brand", methods=["GET", "POST"])
@login_required
def brand():
    """The personal brand builder: handle, name, bio and photo of the practice profile."""
    session = get_session()
    saved = profile.brand_profile(session, acting_user().id)
    form = BrandForm(obj=saved)
    if not form.validate_on_submit():
        return render_template("lessons/brand.html", form=form, saved=saved), (
            400 if form.errors else 200
        )
    upload = form.photo.data
    try:
        avatar = (
            images.clean_image(
                upload.read(),
                max_side=512,
                max_bytes=current_app.config["IMAGE_MAX_BYTES"],
                max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
            )
            if upload
            else None
        )
        profile.save_brand(
            session=session,
            user=acting_user(),
            handle=form.handle.data,
            display_name=form.display_name.data,
            bio=form.bio.data or "",
            avatar=avatar,
            now=utc_now(),
        )
    except DomainError as error:
        if isinstance(error, images.ImageError):
            error.field = "photo"
        refuse(form, error)
        return render_template("lessons/brand.html", form=form, saved=saved), 400
    session.commit()
    if avatar is not None and avatar.had_gps:
        flash(coach.explain(coach.image_findings(True)[0])[0], "info")
    flash(_("Your profile is saved. See how others would see it below."), "success")
    return redirect(url_for("lessons.brand_preview"))


@bp.get("/brand/preview")
@login_required
def brand_preview():
    """The profile as an admissions officer or employer would first see it."""
    saved = profile.brand_profile(get_session(), acting_user().id)
    if saved is None:
        return redirect(url_for("lessons.brand"))
    return render_template(
        "lessons/brand_preview.html",
        saved=saved,
        checks=profile.brand_checklist(saved),
        coach_findings=profile.bio_findings(saved.bio),
    )


@bp.get("/brand/<int:user_id>/avatar")
@login_required
def avatar(user_id: int):
    """A practice-profile photo, for its owner and the supervisors of the owner's groups."""
    session = get_session()
    saved = profile.brand_profile(session, user_id)
    if (
        saved is None
        or saved.avatar is None
        or not policy.can_see_avatar(session, acting_user(), user_id)
    ):
        abort(404)
    headers = {"Content-Type": saved.avatar_type, "Cache-Control": "private, max-age=300"}
    return saved.avatar, 200, headers
