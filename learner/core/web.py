"""What every response and template shares: URL ids, security headers, template helpers."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, time

import babel.dates
import flask_babel
from flask import Flask, g, request
from markupsafe import Markup, escape
from werkzeug.routing import IntegerConverter

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def content_security_policy() -> str:
    """The policy, with the exceptions a view asked for on `g`: the origins that may frame
    this page (`g.frame_ancestors`: an LTI launch's platform) and the origins a form may
    post to (`g.form_action`: a deep linking response going back to the platform)."""
    policy = CONTENT_SECURITY_POLICY
    ancestors = sorted(g.get("frame_ancestors") or ())
    if ancestors:
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors " + " ".join(ancestors))
    targets = sorted(g.get("form_action") or ())
    if targets:
        policy = policy.replace("form-action 'self'", "form-action 'self' " + " ".join(targets))
    return policy


class BoundedInt(IntegerConverter):
    """Ids in URLs fit a database integer; a larger number is simply not found (404)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def naming_post(label, post: Markup) -> Markup:
    """A translated sentence with `%(post)s` filled in by a link to the post (the sentence
    is escaped, the link is already safe markup)."""
    return escape(str(label)) % {"post": post}


def security_headers(response):
    """A strict Content-Security-Policy and the other headers, on every response."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if not g.get("frame_ancestors"):
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if "Cache-Control" not in headers and not request.path.startswith("/static/"):
        headers["Cache-Control"] = "no-store"
    return response


def _unread_notifications() -> int:
    """The signed-in person's unread notifications, for the navigation."""
    from learner import notifications
    from learner.core.db import get_session
    from learner.core.sessions import acting_user

    if g.get("database_down"):
        return 0
    return notifications.unread_count(get_session(), acting_user())


def scenario_title(scenario_id: str) -> str:
    """A scenario's title (its id when the file is gone), for logs that name one."""
    from learner.scenarios import get_scenarios

    found = get_scenarios().get(scenario_id, str(flask_babel.get_locale() or "en"))
    return found.title if found else scenario_id


def format_datetime_short(value: datetime | None) -> str:
    """A moment in the reader's language and time zone, short ("12/1/26, 6:05 PM"): the
    same text as Flask-Babel's format_datetime(value, "short"), at a fraction of the cost,
    since lists show many. The short form names only the day and the hour and minute, so
    each part is formatted once per language and kept."""
    if value is None:
        return ""
    locale = str(flask_babel.get_locale() or "en")
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
        flask_babel.get_timezone()
    )
    return (
        _short_pattern(locale)
        .replace("{0}", _short_time(locale, local.hour, local.minute))
        .replace("{1}", _short_date(locale, local.date()))
    )


@functools.cache
def _short_pattern(locale: str) -> str:
    return str(babel.dates.get_datetime_format("short", locale=locale)).replace("'", "")


@functools.lru_cache(maxsize=4096)
def _short_date(locale: str, day) -> str:
    return babel.dates.format_date(day, "short", locale=locale)


@functools.lru_cache(maxsize=4096)
def _short_time(locale: str, hour: int, minute: int) -> str:
    return babel.dates.format_time(time(hour, minute), "short", locale=locale)


def init_app(app: Flask) -> None:
    """Install the URL converter, the headers and the template helpers."""
    from learner import coach, policy
    from learner.core import labels

    app.url_map.converters["int"] = BoundedInt
    app.after_request(security_headers)
    app.jinja_env.globals.update(labels.template_globals())
    app.jinja_env.filters["naming_post"] = naming_post
    app.jinja_env.globals.update(
        policy=policy,
        format_date=flask_babel.format_date,
        format_datetime=format_datetime_short,
        format_number=flask_babel.format_decimal,
        current_locale_code=lambda: str(flask_babel.get_locale() or "en"),
        current_language_name=_current_language_name,
        languages=_languages,
        coach_explain=coach.explain,
        unread_notifications=_unread_notifications,
        scenario_title=scenario_title,
    )


def _languages() -> list[tuple[str, str]]:
    """(code, name in itself) of every language the site speaks."""
    from learner.forms import LANGUAGES

    return [(choice.value, choice.label) for choice in LANGUAGES]


def _current_language_name() -> str:
    """The page's language, named in itself ("Deutsch")."""
    code = str(flask_babel.get_locale() or "en")
    return dict(_languages()).get(code, code)
