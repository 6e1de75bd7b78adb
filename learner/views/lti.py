"""LTI 1.3: the tool's keys, login initiation, launch, the class choice, deep linking, and
the site admin's page of registered platforms.

The paths `/lti/login`, `/lti/launch` and `/lti/jwks.json` are a contract with the
platforms: keep them. The platform posts to the first two from another site, so they are
exempt from CSRF; the launch is protected by the OIDC state (a cookie) and the nonce.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import (
    LtiException,
    LtiInvalidNonceException,
    LtiKeyException,
    OIDCException,
)
from pylti1p3.lineitem import LineItem

from learner import policy
from learner.core import sessions
from learner.core.db import get_session, utc_now
from learner.core.extensions import csrf
from learner.core.sessions import acting_user
from learner.errors import DomainError
from learner.forms import LtiClassForm, LtiDeepLinkForm, LtiPlatformForm
from learner.lti import grades, keys, launch, links, platforms, tool
from learner.views.forms import refuse

bp = Blueprint("lti", __name__, url_prefix="/lti")
log = logging.getLogger(__name__)


def tool_urls() -> dict[str, str]:
    """The four URLs a platform's admin pastes in."""
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch_view", _external=True),
        "deep_link": url_for("lti.launch_view", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
    }


@bp.before_app_request
def _frame_for_the_platform() -> None:
    """Pages of a session begun by a launch may be framed by that platform only."""
    # `g` may outlive a request when one app context serves several (tests do this).
    g.pop("frame_ancestors", None)
    g.pop("form_action", None)
    origins = session.get("lti_frame")
    if origins:
        g.frame_ancestors = set(origins)


@bp.get("/jwks.json")
def jwks():
    """The tool's public keys (the signing key and the one before a rotation)."""
    response = jsonify(keys.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _refused(message: str, status: int):
    get_session().rollback()
    return render_template("lti/refused.html", message=message), status


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """OIDC login initiation: the platform sends `iss` and `login_hint`; we answer with a
    redirect to its authorization URL, carrying a new state (cookie) and nonce."""
    db = get_session()
    g.frame_ancestors = platforms.all_frame_origins(db)
    params = request.values
    if not params.get("iss") or not params.get("login_hint"):
        return _refused(_("This address is for learning platforms starting a launch."), 400)
    if platforms.find(db, params["iss"], params.get("client_id")) is None:
        return _refused(_("This learning platform is not registered with us."), 403)
    if not params.get("lti1p3_new_window"):
        # A page that checks the browser keeps cookies in this frame before going on, and
        # offers a new window when it does not.
        wanted = {k: params[k] for k in tool.LOGIN_PARAMETERS if params.get(k)}
        return render_template(
            "lti/cookie_check.html",
            continue_url=url_for("lti.login", lti1p3_new_window="1", **wanted),
        )
    try:
        redirect_to = tool.oidc_login(db).get_redirect_object(
            url_for("lti.launch_view", _external=True)
        )
    except (OIDCException, LtiException) as error:
        log.info("LTI login refused: %s", error)
        return _refused(_("This learning platform is not registered with us."), 403)
    db.commit()
    return redirect_to.do_redirect()


def _launch_refusal(error: Exception):
    """A clear 4xx for each way a launch can be wrong."""
    text = str(error)
    log.info("LTI launch refused: %s", text)
    if isinstance(error, LtiInvalidNonceException):
        return _refused(
            _("This launch was already used. Open the link again from your course."), 400
        )
    if isinstance(error, LtiKeyException):
        return _refused(_("The launch was signed with a key the platform does not publish."), 401)
    if "expired" in text.lower():
        return _refused(_("The launch has expired. Open the link again from your course."), 401)
    if text.startswith("Can't decode id_token"):
        return _refused(_("The launch's signature does not check out."), 401)
    if "deployment" in text.lower():
        return _refused(_("This deployment of the tool is not registered with us."), 403)
    if "Registration not found" in text or "Client id" in text:
        return _refused(_("This learning platform is not registered with us."), 403)
    if "State" in text or "state" in text:
        return _refused(
            _(
                "Your browser did not keep the launch's cookie. Open the link again from "
                "your course, or in a new window."
            ),
            400,
        )
    return _refused(_("This launch could not be read. Open the link again from your course."), 400)


@bp.post("/launch")
@csrf.exempt
def launch_view():
    """The platform posts the signed id_token here: check it, sign the person in, open
    what the link points to (or the deep linking picker)."""
    db = get_session()
    g.frame_ancestors = platforms.all_frame_origins(db)
    if not request.form.get("id_token"):
        return _refused(_("This address is for learning platforms starting a launch."), 400)
    message = tool.message_launch(db)
    try:
        message.validate()
        claims = message.get_launch_data()
        deep_linking = message.is_deep_link_launch()
    except (LtiException, OIDCException, ValueError, KeyError, TypeError) as error:
        return _launch_refusal(error)
    platform = platforms.find(db, claims["iss"], message.get_client_id())
    if platform is None:  # validated above; removed meanwhile
        return _refused(_("This learning platform is not registered with us."), 403)
    if deep_linking and not launch.is_teacher(claims):
        return _refused(_("Only teachers add lessons to a course."), 403)
    try:
        outcome = launch.resource_launch(
            session=db, platform=platform, claims=claims, now=utc_now()
        )
    except launch.Under13Refused:
        return _refused(
            _(
                "Students under 13 can use this class once your teacher has confirmed a "
                "parent's consent. Ask your teacher, then open the link again."
            ),
            403,
        )
    if not outcome.user.is_active:
        return _refused(_("This account is deactivated. Ask your school's administrator."), 403)
    db.commit()
    if outcome.grades_to_send:
        grades.send(session=db, now=utc_now(), grade_ids=outcome.grades_to_send)
    sessions.start(outcome.user)
    session["lti_frame"] = sorted(platforms.frame_origins_of(platform))
    g.frame_ancestors = set(session["lti_frame"])
    if deep_linking:
        session["lti_deep_link"] = message.get_launch_id()
        return redirect(url_for("lti.deep_link"), 303)
    after = links.opens(outcome.target) or url_for("main.dashboard")
    if outcome.pending_context is not None:
        session["lti_context"] = outcome.pending_context
        session["lti_next"] = after
        return redirect(url_for("lti.choose_class"), 303)
    return redirect(after, 303)


@bp.route("/class", methods=["GET", "POST"])
@login_required
def choose_class():
    """A teacher's first launch from a course, when they have classes already: link the
    course to one of them, or make a new class."""
    db = get_session()
    pending = session.get("lti_context")
    if not pending:
        abort(404)
    mine = launch.teacher_classes(db, acting_user())
    form = LtiClassForm()
    form.group.choices = [("new", _("A new class named %(name)s", name=pending["title"]))] + [
        (str(group.id), group.name) for group in mine
    ]
    if not form.validate_on_submit():
        status = 400 if form.errors or request.method == "POST" else 200
        return render_template("lti/choose_class.html", form=form, pending=pending), status
    chosen = None
    if form.group.data != "new":
        chosen = next((group for group in mine if str(group.id) == form.group.data), None)
        if chosen is None:
            form.group.errors = [_("Choose one of your classes.")]
            return render_template("lti/choose_class.html", form=form, pending=pending), 400
    group = launch.link_context(
        session=db,
        issuer=pending["issuer"],
        context={"id": pending["id"], "title": pending["title"]},
        teacher=acting_user(),
        group=chosen,
    )
    db.commit()
    session.pop("lti_context", None)
    flash(_("This course now uses the class %(name)s.", name=group.name), "success")
    return redirect(session.pop("lti_next", None) or url_for("groups.show", group_id=group.id))


def _deep_link_launch():
    launch_id = session.get("lti_deep_link")
    if not launch_id:
        abort(404)
    try:
        message = tool.restored_launch(get_session(), launch_id)
    except LtiException:
        abort(404)
    if not message.is_deep_link_launch() or not launch.is_teacher(message.get_launch_data()):
        abort(404)
    return message


@bp.route("/deep-link", methods=["GET", "POST"])
@login_required
def deep_link():
    """The picker: a teacher chooses lessons; they go back to the platform as resource
    links, each with a line item, so the gradebook gets a column."""
    message = _deep_link_launch()
    form = LtiDeepLinkForm()
    choices = links.pickable()
    form.targets.choices = [
        (item.target, item.title) for _label, items in choices for item in items
    ]
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("lti/deep_link.html", form=form, choices=choices), status
    picked = [links.split(target) for target in form.targets.data]
    if not all(picked):
        form.targets.errors = [_("Pick from the list.")]
        return render_template("lti/deep_link.html", form=form, choices=choices), 400
    titles = {item.target: item.title for _label, items in choices for item in items}
    resources = []
    for target, (kind, _key) in zip(form.targets.data, picked, strict=True):
        line_item = (
            LineItem()
            .set_label(titles[target])
            .set_score_maximum(kind.score_maximum)
            .set_resource_id(target)
        )
        resources.append(
            DeepLinkResource()
            .set_url(url_for("lti.launch_view", _external=True))
            .set_title(titles[target])
            .set_custom_params({links.CUSTOM_PARAMETER: target})
            .set_lineitem(line_item)
        )
    deep_link = message.get_deep_link()
    token = deep_link.get_response_jwt(resources)
    return_url = deep_link._deep_link_settings["deep_link_return_url"]
    g.form_action = {platforms.origin(return_url)} - {None}
    session.pop("lti_deep_link", None)
    return render_template("lti/deep_link_return.html", return_url=return_url, token=token)


# --- The site admin's page ---------------------------------------------------------------

admin_bp = Blueprint("lti_admin", __name__, url_prefix="/admin/lti")


@admin_bp.route("/", methods=["GET", "POST"])
@login_required
@policy.site_admin_required
def platforms_page():
    """The registered platforms, the values to paste into a platform, and a form to
    register one (registering the same one again only updates it)."""
    db = get_session()
    form = LtiPlatformForm()
    status = 200
    if form.validate_on_submit():
        try:
            done = platforms.register(
                session=db,
                issuer=form.issuer.data,
                client_id=form.client_id.data,
                deployment_id=form.deployment_id.data,
                auth_login_url=form.auth_login_url.data,
                auth_token_url=form.auth_token_url.data,
                key_set_url=form.key_set_url.data,
                frame_origins=form.frame_origins.data or "",
            )
        except DomainError as error:
            refuse(form, error)
            status = 400
        else:
            db.commit()
            flash(_("%(issuer)s is registered.", issuer=done.platform.issuer), "success")
            return redirect(url_for("lti_admin.platforms_page"))
    elif request.method == "POST":
        status = 400
    return render_template(
        "lti/platforms.html",
        form=form,
        registered=platforms.all_with_deployments(db),
        urls=tool_urls(),
    ), status
