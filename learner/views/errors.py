"""Error pages in the site's layout: a plain explanation, a way on, and nothing internal."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from learner.core.extensions import login_manager

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 413, 429, 500, 503}


def _render(code: int, error: Exception | None = None):
    headers = {}
    if code == 429 and getattr(error, "retry_after", None):
        headers["Retry-After"] = str(error.retry_after)
    return render_template(f"errors/{code}.html", code=code), code, headers


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template("errors/400.html", code=400, csrf=True), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request_ctx.url_adapter is None:
            return error  # a refused host: no URLs can be built, so the plain page
        if error.code in PAGES:
            response = _render(error.code, error)
            if error.code == 405 and error.valid_methods:
                response[2]["Allow"] = ", ".join(error.valid_methods)
            return response
        return error

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        log.warning("database unavailable: %s", type(error.orig).__name__)
        # The page must not need the database: no unread count, and the navigation of a
        # visitor (reading the signed-in user could need the database again). The cookie
        # is untouched: the person is still signed in on the next page.
        g.database_down = True
        g._login_user = login_manager.anonymous_user()
        # (No rollback here: it would expire the signed-in user and reload it. The request's
        # teardown rolls back.)
        page = _render(503)
        page[2]["Retry-After"] = "5"
        return page
