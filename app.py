"""The application factory: configuration, extensions, blueprints, CLI, error pages."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from learner import config


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app from defaults, then the environment, then `overrides` (tests pass one)."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config.configure(app, overrides)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
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


def register_extensions(app: Flask) -> None:
    """Wire the database, rate limits, sessions, CSRF, logins, translations and templates."""
    from learner.coach.rules import set_phone_region
    from learner.core import db, sessions, web
    from learner.core.extensions import csrf, init_babel, limiter, login_manager
    from lessons.catalog import MODULES_DIR, shipped_catalog
    from lessons.scenarios import SCENARIOS_DIR, shipped_scenarios

    db.init_app(app)
    set_phone_region(app.config["COACH_PHONE_REGION"])
    app.extensions["catalog"] = shipped_catalog(str(app.config.get("LESSONS_DIR", MODULES_DIR)))
    # Scenarios name lessons: they are checked against the catalog just loaded.
    app.extensions["scenarios"] = shipped_scenarios(
        str(app.config.get("SCENARIOS_DIR", SCENARIOS_DIR)), app.extensions["catalog"]
    )
    # Limits are counted before anything else opens the request's database session: on
    # SQLite a POST's session holds the write lock, which the counter's own write needs.
    limiter.init_app(app)
    sessions.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_babel(app)
    web.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint."""
    from learner.views import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the site's layout that say what happened and leak nothing."""
    from learner.views import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    """The `flask --app app ...` commands."""
    from learner import cli

    cli.register(app)
