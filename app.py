"""The application factory: configuration, extensions, blueprints, CLI, error pages, headers."""

from __future__ import annotations

import gc
import logging
import os
import random
import secrets
from pathlib import Path
from typing import Any

import flask_babel
from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from learner import db, labels, policy, sessions
from learner.coach.rules import set_phone_region
from learner.extensions import babel, csrf, limiter, login_manager, select_locale
from lessons.catalog import MODULES_DIR, shipped_catalog

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "dessm_session",
    "SESSION_IDLE_MINUTES": 60,
    "SESSION_ABSOLUTE_HOURS": 12,
    "WTF_CSRF_TIME_LIMIT": None,
    # Counters live in the app's database, so every worker and host shares them.
    "RATELIMIT_STORAGE_URI": "database://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
    "SUPPORTED_LOCALES": ["en"],
    "MAIL_FROM": "no-reply@localhost",
    "COACH_PHONE_REGION": "US",
    "IMAGE_MAX_BYTES": 5 * 1024 * 1024,
    "IMAGE_MAX_PIXELS": 25_000_000,
    # Where people reach the app, for links in e-mails sent outside a request (digests).
    "PUBLIC_URL": "http://127.0.0.1:5000",
    # Drafts and withdrawn posts older than this are purged by `flask retention purge`.
    "RETENTION_DAYS": 180,
}

ENVIRONMENT_KEYS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "COACH_PHONE_REGION",
    "PUBLIC_URL",
    "RETENTION_DAYS",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from defaults, then the environment, then `config` (tests pass one)."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(_from_environment(app))
    app.config.from_mapping(config or {})
    _check_config(app)

    app.url_map.converters["int"] = BoundedInt
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    app.after_request(_security_headers)
    if app.config.get("PROXY_FIX_HOPS"):
        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    # Everything made so far lives as long as the process (modules, the lesson catalog,
    # the coach's rules): leave it out of the garbage collector's full sweeps, which
    # otherwise pause a big page (a 500-row report) now and then.
    if not app.testing:
        gc.freeze()
    return app


def shuffled(items, seed: str) -> list:
    """The items in an order fixed by the seed: quiz choices differ per learner, so the
    position of the right answer gives nothing away, yet stay put on a reload."""
    order = list(items)
    random.Random(seed).shuffle(order)  # noqa: S311  (not for security)
    return order


class BoundedInt(IntegerConverter):
    """Ids in URLs fit a database integer; a larger number is simply not found (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _from_environment(app: Flask) -> dict[str, Any]:
    values: dict[str, Any] = {key: os.environ[key] for key in ENVIRONMENT_KEYS if key in os.environ}
    secret_file = Path(app.instance_path) / "secret_key"
    if "SECRET_KEY" not in values and secret_file.exists():
        values["SECRET_KEY"] = secret_file.read_text().strip()
    if "DATABASE_URL" not in values:
        values["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'app.db'}"
    if os.environ.get("TRUSTED_HOSTS"):
        values["TRUSTED_HOSTS"] = [h.strip() for h in os.environ["TRUSTED_HOSTS"].split(",")]
    if os.environ.get("PROXY_FIX_HOPS"):
        values["PROXY_FIX_HOPS"] = os.environ["PROXY_FIX_HOPS"]
    if os.environ.get("SESSION_COOKIE_SECURE") == "1":
        values["SESSION_COOKIE_SECURE"] = True
    return values


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        if not app.testing:
            raise RuntimeError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable, or run "
                "`make run`, which creates instance/secret_key once."
            )
        app.config["SECRET_KEY"] = secrets.token_hex(32)


def register_extensions(app: Flask) -> None:
    """Wire the database, sessions, CSRF, rate limits, logins and translations."""
    db.init_app(app)
    set_phone_region(app.config["COACH_PHONE_REGION"])
    app.extensions["catalog"] = shipped_catalog(str(app.config.get("LESSONS_DIR", MODULES_DIR)))
    # Limits are counted before anything else opens the request's database session: on
    # SQLite a POST's session holds the write lock, which the counter's own write needs.
    limiter.init_app(app)
    sessions.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(labels.template_globals())
    app.jinja_env.filters["shuffled"] = shuffled
    app.jinja_env.globals.update(
        policy=policy,
        format_date=flask_babel.format_date,
        format_datetime=lambda value: flask_babel.format_datetime(value, "short"),
        format_number=flask_babel.format_decimal,
        current_locale_code=lambda: str(flask_babel.get_locale() or "en"),
        unread_notifications=_unread_notifications,
    )


def _unread_notifications() -> int:
    """The signed-in person's unread notifications, for the navigation."""
    from flask import g
    from flask_login import current_user

    from learner import notifications
    from learner.db import get_session

    if g.get("database_down"):
        return 0
    return notifications.unread_count(get_session(), current_user)


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint."""
    from learner.views import (
        admin,
        auth,
        classroom,
        coach,
        groups,
        lessons,
        main,
        practice,
        roster,
        supervision,
        workplace,
    )

    blueprints = (
        main.bp,
        auth.bp,
        groups.bp,
        lessons.bp,
        supervision.bp,
        practice.bp,
        classroom.bp,
        roster.bp,
        workplace.bp,
        coach.bp,
        admin.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the site's layout that say what happened and leak nothing."""
    from learner.views import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    """The `flask --app app ...` commands."""
    from learner import cli

    cli.register(app)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "Cache-Control" not in headers and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return response
