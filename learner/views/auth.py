"""Signing up, logging in and out, and joining a group with a code or an invite link."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from learner import accounts, groups
from learner.core import labels, sessions
from learner.core.db import get_session, utc_now
from learner.core.extensions import limiter, per_invite_link
from learner.core.sessions import acting_user
from learner.errors import (
    DomainError,
    JoinThrottled,
    LoginFailed,
    LoginThrottled,
    UnknownJoinCode,
)
from learner.forms import (
    EmptyForm,
    JoinCodeForm,
    LearnerInviteSignupForm,
    LoginForm,
    RegisterWithCodeForm,
    SignupForm,
    SupervisorInviteSignupForm,
    fit_age_band,
)
from learner.models import AccountKind, AgeBand, Group, Role
from learner.views.forms import refuse

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """A `next` address only if it stays on this site (a path, no scheme, no host)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _after_login() -> str:
    return safe_next(request.args.get("next")) or url_for("main.dashboard")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    """Sign up as a parent or mentor, a teacher or an organisation admin."""
    if acting_user().is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignupForm(kind=request.args.get("kind"))
    if not form.validate_on_submit():
        return render_template("auth/signup.html", form=form), 400 if form.errors else 200
    session = get_session()
    try:
        user = accounts.create_supervisor_account(
            session=session,
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            kind=AccountKind(form.kind.data),
            # The language they signed up in: their e-mails are written in it.
            locale=str(get_locale() or "en"),
        )
    except DomainError as error:
        refuse(form, error)
        return render_template("auth/signup.html", form=form), 400
    session.commit()
    sessions.start(user)
    flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
    if safe_next(request.args.get("next")):
        return redirect(_after_login())
    kind = labels.FIRST_GROUP[user.kind]
    return redirect(url_for("groups.new", kind=kind.value))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with an e-mail or a username; failures are throttled per account and address."""
    if acting_user().is_authenticated:
        return redirect(_after_login())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    session = get_session()
    try:
        user = accounts.authenticate(
            session=session,
            login=form.login.data,
            password=form.password.data,
            address=request.remote_addr or "unknown",
            now=utc_now(),
        )
    except LoginThrottled as error:
        refuse(form, error)
        headers = {"Retry-After": str(error.retry_after)}
        return render_template("auth/login.html", form=form), 429, headers
    except LoginFailed as error:
        session.commit()  # the failure must count towards the throttle
        refuse(form, error)
        return render_template("auth/login.html", form=form), 401
    session.commit()
    sessions.start(user)
    return redirect(_after_login())


@bp.post("/logout")
@login_required
def logout():
    """Log out; every session cookie issued before now stops working, on every device."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = get_session()
    accounts.end_all_sessions(session=session, user=acting_user())
    session.commit()
    sessions.end()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.landing"))


@bp.route("/join", methods=["GET", "POST"])
def join():
    """Join a group with its code: logged in, or by making a learner account on the way.

    Wrong codes are throttled per address (in the database, across workers); right
    ones never count, so a whole class behind one school router can join at once.
    """
    logged_in = acting_user().is_authenticated
    form = JoinCodeForm() if logged_in else RegisterWithCodeForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if not form.validate_on_submit():
        return render_template("auth/join.html", form=form), 400 if form.errors else 200
    session = get_session()
    where = {"address": request.remote_addr or "unknown", "now": utc_now()}
    try:
        if logged_in:
            user = acting_user()
            membership = groups.join_with_code(
                session=session, code=form.code.data, user=user, **where
            )
        else:
            user, membership = groups.register_with_code(
                session=session,
                code=form.code.data,
                username=form.username.data,
                display_name=form.display_name.data,
                age_band=AgeBand(form.age_band.data),
                password=form.password.data,
                **where,
            )
    except JoinThrottled as error:
        refuse(form, error)
        headers = {"Retry-After": str(error.retry_after)}
        return render_template("auth/join.html", form=form), 429, headers
    except UnknownJoinCode as error:
        session.commit()  # the wrong guess must count towards the throttle
        refuse(form, error)
        return render_template("auth/join.html", form=form), 400
    except DomainError as error:
        refuse(form, error)
        return render_template("auth/join.html", form=form), 400
    session.commit()
    if not logged_in:
        sessions.start(user)
    group = session.get(Group, membership.group_id)
    flash(_("You joined %(name)s.", name=group.name), "success")
    return redirect(url_for("groups.show", group_id=group.id))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=per_invite_link)
def invite(token: str):
    """Accept an invite: join with this account, or make one on the way."""
    session = get_session()
    invite = groups.find_invite(session, token)
    problem = groups.invite_problem(invite, utc_now())
    if problem is not None:
        return render_template("auth/invite_invalid.html", problem=problem), 404
    group = session.get(Group, invite.group_id)
    # The page speaks the language the inviter chose for them (unless they chose one).
    g.invite_locale = invite.locale
    if acting_user().is_authenticated:
        form = EmptyForm()
    elif invite.role is Role.LEARNER:
        form = fit_age_band(LearnerInviteSignupForm(email=invite.email), group.kind)
    else:
        form = SupervisorInviteSignupForm(email=invite.email)
    page = {"form": form, "invite": invite, "group": group, "token": token}
    if not form.validate_on_submit():
        return render_template("auth/invite.html", **page), 400 if form.errors else 200
    new_account = not acting_user().is_authenticated
    try:
        user = _invitee_account(form, invite, group) if new_account else acting_user()
        groups.accept_invite(
            session=session, token=token, user=user, now=utc_now(), new_account=new_account
        )
    except DomainError as error:
        refuse(form, error)
        return render_template("auth/invite.html", **page), 400
    session.commit()
    if not acting_user().is_authenticated:
        sessions.start(user)
    flash(_("You joined %(name)s.", name=group.name), "success")
    return redirect(url_for("groups.show", group_id=group.id))


def _invitee_account(form, invite, group):
    """The account an invited person makes on the invite page, in the invite's language."""
    user = _new_invitee(form, invite, group)
    user.locale = invite.locale
    return user


def _new_invitee(form, invite, group):
    session = get_session()
    if invite.role is Role.LEARNER:
        return accounts.create_learner(
            session=session,
            username=form.username.data,
            display_name=form.display_name.data,
            age_band=AgeBand(form.age_band.data),
            password=form.password.data,
            email=form.email.data or None,
        )
    return accounts.create_supervisor_account(
        session=session,
        email=form.email.data,
        display_name=form.display_name.data,
        password=form.password.data,
        kind=labels.SIGNUP_KIND_FOR_GROUP[group.kind],
    )
