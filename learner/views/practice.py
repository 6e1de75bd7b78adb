"""The practice feed: compose and revise posts, reply, and the supervisors' review queue."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from learner import ladder, notifications, policy, practice, progress
from learner.core import images, labels
from learner.core.db import get_session, utc_now, write_transaction
from learner.core.sessions import acting_user
from learner.core.words import catalogue, marked
from learner.errors import DomainError
from learner.forms import (
    DecisionForm,
    DismissForm,
    EmptyForm,
    LadderForm,
    NoteForm,
    PostForm,
    ReplyForm,
)
from learner.models import (
    Audience,
    EventKind,
    Group,
    Level,
    Membership,
    PostStatus,
    User,
)
from learner.views.forms import refuse, small_int
from lessons import get_catalog

bp = Blueprint("practice", __name__, url_prefix="/groups/<int:group_id>")


def _coach_names() -> dict[str, str]:
    return {category: str(label) for category, label in labels.COACH_CATEGORY.items()}


def card_words() -> dict:
    """The words of the post cards (practice/_post_cards.html), translated once for the
    page, not once a post; `replies` gives the plural form for a count."""
    t = catalogue()

    def replies(num: int) -> Markup:
        return marked(t.ungettext("%(num)d reply", "%(num)d replies", num))

    return {
        "replies": replies,
        "a_reply": marked(t.ugettext("a reply")),
        "flagged": marked(t.ugettext("flagged for a talk")),
        "photo": marked(t.ugettext("Photo in the post")),
        "open": marked(t.ugettext("Open")),
        "audience": {key: marked(str(text)) for key, text in labels.AUDIENCE.items()},
        "status": {key: marked(str(text)) for key, text in practice.STATUS_TEXT.items()},
    }


@bp.get("/feed")
@login_required
@policy.group_route()
def feed(group: Group, membership: Membership):
    """The group's practice feed, and for learners their own posts in every status."""
    session = get_session()
    before = request.args.get("before", type=small_int)
    items = practice.feed(session, membership, before=before)
    return render_template(
        "practice/feed.html",
        group=group,
        membership=membership,
        items=items,
        mine=practice.my_posts(session, membership) if policy.can_post(membership) else [],
        waiting=sum(practice.queue_counts(session, group).values())
        if policy.can_manage_group(membership)
        else 0,
        older=items[-1].post.id if len(items) == practice.FEED_PAGE else None,
        card_words=card_words(),
    )


def _member_choices(form: PostForm, session, group, membership) -> None:
    form.members.choices = [
        (m.id, u.display_name) for m, u in practice.audience_members(session, group, membership)
    ]


def _draft_from(form: PostForm) -> practice.Draft:
    """The form as a draft; ImageError for a photo we cannot take."""
    upload = form.photo.data
    image = None
    if upload and getattr(upload, "filename", ""):
        image = images.clean_image(
            upload.read(),
            max_bytes=current_app.config["IMAGE_MAX_BYTES"],
            max_pixels=current_app.config["IMAGE_MAX_PIXELS"],
        )
    return practice.Draft(
        body=form.body.data or "",
        audience=Audience(form.audience.data),
        member_ids=tuple(form.members.data or ()),
        image=image,
        remove_image=bool(form.remove_photo.data),
    )


def _compose_page(group, membership, form, post=None, status=200):
    current = practice.revision(get_session(), post, post.revision) if post else None
    page = render_template(
        "practice/compose.html",
        group=group,
        membership=membership,
        form=form,
        post=post,
        has_photo=current is not None and current.image is not None,
        category_names=_coach_names(),
    )
    return page, status


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
@policy.group_route()
def new_post(group: Group, membership: Membership):
    """Write a practice post: save it as a draft or send it (what happens depends on level)."""
    session = get_session()
    if not policy.can_post(membership):
        abort(403)
    form = PostForm()
    _member_choices(form, session, group, membership)
    if not form.token.data:
        form.token.data = secrets.token_urlsafe(16)
    if not form.validate_on_submit():
        return _compose_page(group, membership, form, status=400 if form.errors else 200)
    submit = request.form.get("action") == "submit"
    try:
        post, created = practice.compose(
            session=session,
            group=group,
            author=membership,
            draft=_draft_from(form),
            submit=submit,
            client_token=form.token.data[:40],
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return _compose_page(group, membership, form, status=400)
    session.commit()
    if created:
        flash(_after_save_message(post), "success")
    elif submit:
        flash(_("You had sent this post already: here it is. It was not sent twice."), "info")
    return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id))


def _after_save_message(post) -> str:
    if post.status is PostStatus.DRAFT:
        return _("Saved as a draft. Only you can see it.")
    if post.status is PostStatus.PENDING and post.held_by_coach:
        return _("The coach found something serious, so a supervisor will look first.")
    if post.status is PostStatus.PENDING:
        return _("Sent. A supervisor will review it before it appears.")
    return _("Posted.")


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@policy.group_route()
def edit_post(group: Group, membership: Membership, post_id: int):
    """Change a draft, or send a new revision of a post that waits for review."""
    session = get_session()
    post = policy.load_post(session, group, membership, post_id)
    if not policy.can_revise(membership, post):
        abort(403)
    current = practice.current_revision(session, post)
    form = PostForm(
        data={
            "body": current.body,
            "audience": post.audience.value,
            "members": sorted(practice.audience_ids(session, post)),
            "base_revision": str(post.revision),
        }
        if request.method == "GET"
        else None
    )
    _member_choices(form, session, group, membership)
    if post.status not in (PostStatus.DRAFT, *practice.OPEN_STATUSES):
        flash(
            _(
                "This post is %(status)s; it cannot be changed.",
                status=practice.STATUS_TEXT[post.status],
            ),
            "error",
        )
        return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id))
    if not form.validate_on_submit() or small_int(form.base_revision.data) is None:
        return _compose_page(
            group, membership, form, post, 400 if request.method == "POST" else 200
        )
    try:
        saved = practice.revise(
            session=session,
            group=group,
            author=membership,
            post=post,
            draft=_draft_from(form),
            base_revision=small_int(form.base_revision.data),
            submit=request.form.get("action") == "submit",
            now=utc_now(),
        )
    except practice.Conflict as error:
        session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id)), 303
    except DomainError as error:
        refuse(form, error)
        return _compose_page(group, membership, form, post, 400)
    session.commit()
    if saved:
        flash(_after_save_message(post), "success")
    return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id))


def _post_page(group, membership, post, *, forms=None, status=200, problem=None):
    """Everything about one post that this viewer may see."""
    session = get_session()
    author = session.get(User, post.author_id)
    history = practice.revisions(session, post)
    current = history[-1]
    supervising = policy.is_supervisor(membership)
    coaching = supervising or policy.is_author(membership, post)
    findings = practice.findings_of(session, [current.id]).get(current.id, []) if coaching else []
    forms = forms or {}
    page = render_template(
        "practice/post.html",
        group=group,
        membership=membership,
        post=post,
        author=author,
        current=current,
        history=history if coaching else [],
        diffs={
            r.number: practice.word_diff(history[i - 1].body, r.body)
            for i, r in enumerate(history)
            if i and coaching
        },
        findings=findings,
        events=practice.post_events(session, post) if coaching else [],
        replies=practice.replies(session, membership, post) if post.parent_id is None else [],
        card_words=card_words(),
        reply_form=forms.get("reply") or ReplyForm(token=secrets.token_urlsafe(16)),
        decision_form=forms.get("decision") or DecisionForm(revision=str(post.revision)),
        flag_form=forms.get("flag") or NoteForm(),
        dismiss_form=forms.get("dismiss") or DismissForm(),
        empty_form=EmptyForm(),
        can_review=policy.can_review(membership, post),
        can_revise=policy.can_revise(membership, post),
        can_reply=policy.can_reply(membership, post),
        status_text=practice.STATUS_TEXT,
        reasons=practice.CHANGE_REASONS,
        problem=problem,
    )
    return page, status


@bp.get("/posts/<int:post_id>")
@login_required
@policy.group_route()
def show_post(group: Group, membership: Membership, post_id: int):
    """One post: its text and photo, replies; for its author and supervisors the coach's
    findings, every revision with what changed, and the supervisors' decisions."""
    session = get_session()
    post = policy.load_post(session, group, membership, post_id)
    now = utc_now()
    # A write only when there is something to write (most openings have nothing new).
    unlogged = (
        practice.not_yet_opened(session, posts=[post], supervisor=acting_user(), now=now)
        if policy.is_supervisor(membership)
        else []
    )
    unread = notifications.has_unread_about(session, acting_user(), post_id=post.id)
    if unlogged or unread:
        with write_transaction(session):
            practice.record_opened_many(
                session=session, posts=unlogged, supervisor=acting_user(), now=now
            )
            notifications.mark_read_about(
                session=session, user=acting_user(), post_id=post.id, now=now
            )
    return _post_page(group, membership, post)


@bp.get("/posts/<int:post_id>/photo/<int:number>")
@login_required
@policy.group_route()
def photo(group: Group, membership: Membership, post_id: int, number: int):
    """A revision's photo (stored without metadata), for those who may see the post."""
    session = get_session()
    post = policy.load_post(session, group, membership, post_id)
    if not policy.can_see_revision_photo(membership, post, number):
        abort(404)
    revision = practice.revision(session, post, number)
    if revision is None or revision.image is None:
        abort(404)
    response = Response(revision.image, mimetype=revision.image_type)
    return response


def _author_action(group: Group, membership: Membership, post_id: int, action, done):
    """Load, authorize and run an author's action on their post; `done(post)` says what
    happened."""
    session = get_session()
    post = policy.load_post(session, group, membership, post_id)
    if not policy.can_revise(membership, post):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(session=session, post=post, now=utc_now())
    except practice.Conflict as error:
        session.rollback()
        return _post_page(group, membership, post, status=409, problem=error.message)
    session.commit()
    flash(done(post), "success")
    return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id))


@bp.post("/posts/<int:post_id>/withdraw")
@login_required
@policy.group_route()
def withdraw(group: Group, membership: Membership, post_id: int):
    """The author takes back a draft or a post waiting for review."""
    return _author_action(
        group,
        membership,
        post_id,
        practice.withdraw,
        lambda _post: _("Withdrawn. It stays in your history."),
    )


@bp.post("/posts/<int:post_id>/remove")
@login_required
@policy.group_route()
def remove(group: Group, membership: Membership, post_id: int):
    """The author takes a published post off the feed."""
    return _author_action(
        group,
        membership,
        post_id,
        practice.remove,
        lambda _post: _("Taken down. It stays in your history."),
    )


@bp.post("/posts/<int:post_id>/share")
@login_required
@policy.group_route()
def share(group: Group, membership: Membership, post_id: int):
    """A licensed learner shows a post to their supervisors, or stops showing it."""
    return _author_action(
        group,
        membership,
        post_id,
        practice.toggle_shared,
        lambda post: (
            _("Your supervisors can see this post now.")
            if post.shared_with_supervisors
            else _("Your supervisors no longer see this post.")
        ),
    )


@bp.post("/posts/<int:post_id>/replies")
@login_required
@policy.group_route()
def reply(group: Group, membership: Membership, post_id: int):
    """Reply to a post; the reply follows the same ladder rules as a post."""
    session = get_session()
    post = policy.load_post(session, group, membership, post_id)
    if not policy.can_reply(membership, post):
        abort(403)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _post_page(group, membership, post, forms={"reply": form}, status=400)
    try:
        answer, created = practice.compose(
            session=session,
            group=group,
            author=membership,
            draft=practice.Draft(body=form.body.data, audience=post.audience),
            submit=True,
            client_token=(form.token.data or "")[:40] or None,
            parent=post,
            now=utc_now(),
        )
    except DomainError as error:
        refuse(form, error)
        return _post_page(group, membership, post, forms={"reply": form}, status=400)
    session.commit()
    if created:
        flash(_after_save_message(answer), "success")
    return redirect(
        url_for("practice.show_post", group_id=group.id, post_id=post.id) + f"#post-{answer.id}"
    )


@bp.post("/posts/<int:post_id>/decision")
@login_required
@policy.group_route()
def decide(group: Group, membership: Membership, post_id: int):
    """Approve, ask for changes, or comment on the revision the supervisor looked at."""
    session = get_session()
    post = policy.load_post_to_review(session, group, membership, post_id)
    form = DecisionForm()
    form.reasons.choices = list(practice.CHANGE_REASONS.items())
    if not form.validate_on_submit() or small_int(form.revision.data) is None:
        return _post_page(group, membership, post, forms={"decision": form}, status=400)
    try:
        practice.decide(
            session=session,
            post=post,
            supervisor=acting_user(),
            decision=EventKind(form.decision.data),
            revision=small_int(form.revision.data),
            reasons=form.reasons.data or [],
            note=form.note.data or "",
            now=utc_now(),
        )
    except practice.Conflict as error:
        session.rollback()
        return _post_page(group, membership, post, status=409, problem=error.message)
    except DomainError as error:
        refuse(form, error)
        return _post_page(group, membership, post, forms={"decision": form}, status=400)
    session.commit()
    flash(_("Your decision is sent to the learner."), "success")
    return redirect(url_for("practice.review_queue", group_id=group.id))


@bp.post("/posts/<int:post_id>/flag")
@login_required
@policy.group_route()
def flag(group: Group, membership: Membership, post_id: int):
    """Flag a published post for a talk (it resets the learner's clean streak)."""
    session = get_session()
    post = policy.load_post_to_review(session, group, membership, post_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return _post_page(group, membership, post, forms={"flag": form}, status=400)
    try:
        practice.flag(
            session=session, post=post, supervisor=acting_user(), note=form.note.data, now=utc_now()
        )
    except practice.Conflict as error:
        session.rollback()
        return _post_page(group, membership, post, status=409, problem=error.message)
    session.commit()
    flash(_("Flagged for a talk. The learner sees your note."), "success")
    return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id))


@bp.post("/posts/<int:post_id>/findings/<rule>/dismiss")
@login_required
@policy.group_route()
def dismiss(group: Group, membership: Membership, post_id: int, rule: str):
    """Dismiss a coach finding that does not apply, with a reason (counted per rule)."""
    session = get_session()
    post = policy.load_post_to_review(session, group, membership, post_id)
    form = DismissForm()
    if not form.validate_on_submit():
        return _post_page(group, membership, post, forms={"dismiss": form}, status=400)
    try:
        practice.dismiss_rule(
            session=session,
            post=post,
            supervisor=acting_user(),
            rule=rule,
            reason=form.reason.data,
            now=utc_now(),
        )
    except practice.Conflict as error:
        session.rollback()
        return _post_page(group, membership, post, status=409, problem=error.message)
    session.commit()
    flash(_("Finding dismissed. Thank you: it helps us improve the coach."), "success")
    return redirect(url_for("practice.show_post", group_id=group.id, post_id=post.id) + "#findings")


@bp.get("/review")
@login_required
@policy.group_route(manage=True)
def review_queue(group: Group, _membership: Membership):
    """Posts waiting for review, oldest first, with counts per learner and a filter."""
    session = get_session()
    learner = request.args.get("learner", type=small_int)
    counts = practice.queue_counts(session, group)
    now = utc_now()
    items = practice.queue(session, group, learner=learner, supervisor=acting_user(), now=now)
    recent = practice.recent_provisional(session, group, now, supervisor=acting_user())
    # Reading a learner's post in the queue is in their log, like opening it.
    unlogged = practice.not_opened_among(items + recent, acting_user())
    if unlogged:
        with write_transaction(session):
            practice.record_opened_many(
                session=session, posts=unlogged, supervisor=acting_user(), now=utc_now()
            )
    learners = practice.queue_learners(session, group)
    return render_template(
        "practice/queue.html",
        # Formats looked up once for the whole list (Jinja's _() would format at once).
        sent_format=_("sent %(when)s"),
        revision_format=_("revision %(n)d"),
        group=group,
        items=items,
        counts=counts,
        total=sum(counts.values()),
        learners=learners,
        selected=learner,
        recent=recent,
        card_words=card_words(),
        held_text=marked(_("held by the coach")),
        category_text={key: marked(str(text)) for key, text in labels.COACH_CATEGORY.items()},
    )


def _first_step_lessons(group: Group):
    """The instruction lessons a group's supervisors choose from for the first step."""
    modules = get_catalog().modules(tracks=progress.tracks_for([group.kind]))
    return ladder.stage_modules(modules, Level.INSTRUCTION)


def _ladder_page(group, form, rules, offered, status=200):
    page = render_template(
        "practice/ladder.html",
        group=group,
        form=form,
        rules=rules,
        always=ladder.always_required(group.kind),
        offered=offered,
    )
    return page, status


@bp.route("/ladder", methods=["GET", "POST"])
@login_required
@policy.group_route(manage=True)
def ladder_settings(group: Group, _membership: Membership):
    """The group's numbers for the ladder and the lessons of its first step, in bounds."""
    session = get_session()
    rules = ladder.rules_for(session, group)
    offered = _first_step_lessons(group)
    required = rules.first_lessons if rules.first_lessons is not None else {m.id for m in offered}
    data = {**vars(rules.numbers), "first_lessons": sorted(required)}
    form = LadderForm(data=data if request.method == "GET" else None)
    form.first_lessons.choices = [SelectChoice(m.id, m.title) for m in offered]
    # A number chosen when more scenarios were offered stays a choice.
    form.set_scenario_choices(
        max(ladder.offered_scenarios(group), rules.numbers.permit_scenarios or 0)
    )
    if not form.validate_on_submit():
        return _ladder_page(group, form, rules, offered, 400 if form.errors else 200)
    always = ladder.always_required(group.kind) & {m.id for m in offered}
    try:
        ladder.save_numbers(
            session=session,
            group=group,
            numbers=ladder.Numbers(**{name: form[name].data for name in ladder.BOUNDS}),
            supervisor=acting_user(),
            now=utc_now(),
            first_lessons=frozenset(form.first_lessons.data or ()) | always
            if form.lessons_shown.data == "1"
            else ladder.UNCHANGED,
            offered=offered,
        )
    except DomainError as error:
        refuse(form, error)
        return _ladder_page(group, form, rules, offered, 400)
    session.commit()
    flash(_("The ladder's numbers are saved. Checklists use them from now on."), "success")
    return redirect(url_for("practice.ladder_settings", group_id=group.id))
