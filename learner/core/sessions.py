"""Login sessions: who is logged in, for how long, and how every old cookie is made to stop.

A session cookie carries the user's id and session version (User.get_id). Logging out,
changing a password and deactivation bump the version, so a cookie captured earlier
(even one copied off the machine) no longer loads a user. Sessions also end after a
time without activity and after an absolute lifetime, whatever the activity.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.local import LocalProxy

from learner.core.db import get_session
from learner.core.extensions import login_manager
from learner.models import User

SEEN_REFRESH_SECONDS = 60


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie is `Secure` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

    # A session begun by an LTI launch lives in the platform's iframe, a third-party
    # context: over HTTPS its cookie is `SameSite=None; Secure; Partitioned`, or the
    # browser would not send it. Every other session keeps `Lax`.
    def get_cookie_samesite(self, app: Flask) -> str | None:
        if request.is_secure and session.get("lti_frame"):
            return "None"
        return super().get_cookie_samesite(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        if request.is_secure and session.get("lti_frame"):
            return True
        return super().get_cookie_partitioned(app)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user a session token names, if the token is still current and the user active."""
    user_id, _sep, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def acting_user() -> User:
    """The person making this request as the real object, never Flask-Login's proxy.

    Views pass this on to services and to `start`: a proxy handed to `login_user` makes
    `current_user` resolve to itself, and the worker dies of infinite recursion.
    """
    return current_user._get_current_object()


def start(user: User) -> None:
    """Log a user in on a fresh session (nothing from before login is carried over)."""
    if isinstance(user, LocalProxy):
        raise TypeError("start() needs the user object, not the current_user proxy")
    session.clear()
    login_user(user)
    now = int(time.time())
    session["auth_at"] = now
    session["seen_at"] = now


def end() -> None:
    """Log out of this browser and forget the whole session."""
    logout_user()
    session.clear()


def _enforce_timeouts() -> None:
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    auth_at = session.get("auth_at", 0)
    seen_at = session.get("seen_at", 0)
    if now - seen_at > idle or now - auth_at > absolute:
        end()
        flash(_("You were logged out after a while without activity. Please log in again."), "info")
        return
    if now - seen_at >= SEEN_REFRESH_SECONDS:
        session["seen_at"] = now


def _forget_request_caches() -> None:
    # Flask-Login caches the user and Flask-WTF the CSRF token on `g`; when one app
    # context serves several requests (pytest-flask does this), neither may outlive its
    # request, or one person's user or token would leak into the next request.
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def init_app(app: Flask) -> None:
    """Install the cookie interface and the timeout check."""
    app.session_interface = SessionInterface()
    app.before_request(_forget_request_caches)
    app.before_request(_enforce_timeouts)
