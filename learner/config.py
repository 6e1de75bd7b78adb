"""Configuration: defaults, then the environment, then what the caller passes (tests)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent

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
    "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    "SUPPORTED_LOCALES": ["en", "es", "de"],
    # A visitor's choice from the footer's language chooser (no account to keep it in).
    "LOCALE_COOKIE": "dessm_lang",
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
    "SCENARIOS_DIR",
)


def configure(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    """Fill `app.config` and check it; raises RuntimeError when a required value is missing."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(from_environment(app))
    app.config.from_mapping(overrides or {})
    _check(app)


def from_environment(app: Flask) -> dict[str, Any]:
    """The settings the environment gives, plus the secret kept in `instance/`."""
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


def _check(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        if not app.testing:
            raise RuntimeError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable, or run "
                "`make run`, which creates instance/secret_key once."
            )
        app.config["SECRET_KEY"] = secrets.token_hex(32)
