"""The landing page, each person's dashboard, their account settings and a health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy import text

from learner import (
    accounts,
    class_scenarios,
    classroom,
    groups,
    ladder,
    notifications,
    personal_data,
    policy,
    progress,
    todo,
)
from learner import learning as learning_figures
from learner.core import labels, passwords, sessions
from learner.core.db import get_engine, get_session, utc_now
from learner.core.extensions import limiter
from learner.core.sessions import acting_user
from learner.core.words import catalogue, marked
from learner.errors import AccountError
from learner.forms import (
    AccountForm,
    ChangePasswordForm,
    EmptyForm,
    EraseForm,
    JoinCodeForm,
    LanguageForm,
    VerifyForm,
)
from learner.models import Role
from learner.views.downloads import json_file, readable_data_page
from learner.views.forms import refuse
from lessons import get_catalog

bp = Blueprint("main", __name__)


@bp.get("/")
def landing():
    """What the product is, the three stages, and the ways in."""
    return render_template("main/landing.html")


@bp.post("/language")
def choose_language():
    """A visitor's language from the footer, kept in a cookie for a year; an account keeps
    its own setting (Account), which wins over the cookie."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    from learner.views.auth import safe_next

    response = redirect(safe_next(form.next.data) or url_for("main.landing"), 303)
    response.set_cookie(
        current_app.config["LOCALE_COOKIE"],
        form.locale.data,
        max_age=365 * 24 * 3600,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


def todo_line_words() -> dict:
    """The supervisor's to-do lines' words (main/_supervisor_todos.html), translated once
    for the page, not once a line; `review` gives the plural form for a count."""
    translations = catalogue()

    def review(num: int) -> Markup:
        return marked(
            translations.ungettext(
                "%(name)s: %(num)d post waits for your review",
                "%(name)s: %(num)d posts wait for your review",
                num,
            )
        )

    words = {
        "review_button": translations.ugettext("Review"),
        "signoff": translations.ugettext("%(name)s asks you to sign off to the next level"),
        "signoff_button": translations.ugettext("Check and sign off"),
        "cosign": translations.ugettext(
            "%(name)s saved their privacy setup: walk through it together and co-sign it"
        ),
        "cosign_button": translations.ugettext("Co-sign"),
        "agreement": translations.ugettext(
            "%(name)s proposed a family agreement: read it and sign it"
        ),
        "agreement_button": translations.ugettext("Read and sign"),
        "flag": translations.ugettext("Talk with %(name)s about a flagged post"),
        "flag_button": translations.ugettext("Open the post"),
        "talk": translations.ugettext("%(name)s finished “%(title)s”: talk about it"),
        "talk_button": translations.ugettext("See the prompts"),
        "scenarios": translations.ugettext(
            "%(name)s finished a practice scenario without passing it: go through it together"
        ),
        "scenarios_button": translations.ugettext("Their next level"),
    }
    return {"review": review} | {key: marked(text) for key, text in words.items()}


@bp.get("/dashboard")
@login_required
def dashboard():
    """Everything a person supervises and learns, with next steps when there is nothing yet."""
    session = get_session()
    summaries = groups.groups_of(session, acting_user())
    supervising = [s for s in summaries if s.membership.role is Role.SUPERVISOR]
    learning = [s for s in summaries if s.membership.role is Role.LEARNER]
    modules = get_catalog().modules(tracks=progress.tracks_for(s.group.kind for s in learning))
    done = progress.progress_map(session, acting_user().id) if learning else {}
    lessons_by_id = {m.id: m for m in modules}
    return render_template(
        "main/dashboard.html",
        supervisor_todos=todo.for_supervisor(
            session, acting_user(), modules=get_catalog().modules(), now=utc_now()
        )
        if supervising
        else [],
        todo_words=todo_line_words() if supervising else None,
        waiting=todo.for_learner(session, acting_user()) if learning else [],
        todos=class_scenarios.todo_list(
            session, acting_user(), lessons_by_id, classroom.as_of(utc_now())
        )
        if learning
        else [],
        supervising=supervising,
        learning=learning,
        stages=progress.stage_progress(modules, done) if learning else [],
        next_module=progress.next_module(modules, done) if learning else None,
        first_group=None
        if acting_user().is_site_admin
        else labels.FIRST_GROUP.get(acting_user().kind),
        join_form=JoinCodeForm(),
        is_site_admin=policy.can_administer_site(acting_user()),
        refreshers=learning_figures.dashboard_refreshers(session, acting_user().id)
        if learning
        else [],
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """A person's own name and language."""
    user = acting_user()
    form = AccountForm(obj=user)
    if not form.validate_on_submit():
        return render_template("main/account.html", form=form), 400 if form.errors else 200
    user.display_name = form.display_name.data.strip()
    user.locale = form.locale.data or None
    get_session().add(user)
    get_session().commit()
    flash(_("Your settings are saved."), "success")
    return redirect(url_for("main.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's password; every other session ends, this one starts afresh."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("main/password.html", form=form), 400 if form.errors else 200
    session = get_session()
    user = acting_user()
    try:
        accounts.change_password(
            session=session,
            user=user,
            current=form.current_password.data,
            new=form.password.data,
        )
    except AccountError as error:
        refuse(form, error)
        return render_template("main/password.html", form=form), 400
    session.commit()
    sessions.start(user)
    flash(_("Your password is changed. You were logged out everywhere else."), "success")
    return redirect(url_for("main.dashboard"))


@bp.get("/healthz")
def health():
    """For load balancers and the site admin: is the database answering?"""
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/notifications")
@login_required
def notifications_page():
    """The latest notifications, the unread ones marked."""
    session = get_session()
    return render_template(
        "main/notifications.html",
        items=notifications.latest(session, acting_user()),
        empty_form=EmptyForm(),
    )


@bp.post("/notifications/read")
@login_required
def notifications_read():
    """Mark every notification read."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    notifications.mark_read(session=session, user=acting_user(), now=utc_now())
    session.commit()
    return redirect(url_for("main.notifications_page"))


@bp.get("/verify")
@limiter.limit("30 per minute")
def verify():
    """Anyone checks a license certificate: first name, level and date only."""
    form = VerifyForm(request.args)
    found = None
    if request.args and form.validate():
        found = ladder.verify(get_session(), form.code.data)
        if found is None:
            form.code.errors = [_("No certificate has this code. Check it letter by letter.")]
    status = 200
    if request.args and found is None:
        status = 404 if form.code.data else 400
    return render_template("main/verify.html", form=form, found=found), status


@bp.get("/account/data")
@login_required
def my_data():
    """Download everything about oneself, or erase one's account."""
    return render_template("main/my_data.html")


@bp.get("/account/data.json")
@login_required
def my_data_json():
    """Everything the platform keeps about the signed-in person, as JSON."""
    data = personal_data.export(get_session(), acting_user())
    return json_file(data, f"my-data-{acting_user().id}.json")


@bp.get("/account/data/readable")
@login_required
def my_data_readable():
    """The same data as the JSON download, as a page to read and print."""
    return readable_data_page(
        acting_user(), back=url_for("main.my_data"), json_url=url_for("main.my_data_json")
    )


@bp.route("/account/erase", methods=["GET", "POST"])
@login_required
def erase_me():
    """Erase one's own account after typing the password; it cannot be undone."""
    form = EraseForm()
    if not form.validate_on_submit():
        return render_template("main/erase.html", form=form, person=acting_user()), (
            400 if form.errors else 200
        )
    if not passwords.verify_password(acting_user().password_hash, form.password.data):
        form.password.errors = [_("That is not your password.")]
        return render_template("main/erase.html", form=form, person=acting_user()), 400
    session = get_session()
    personal_data.erase(session=session, user=acting_user(), now=utc_now())
    session.commit()
    sessions.end()
    flash(_("Your account and your data are erased. Goodbye, and take care online."), "success")
    return redirect(url_for("main.landing"))
