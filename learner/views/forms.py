"""Small helpers shared by views: a refused form, and numbers read from a form."""

from __future__ import annotations

from flask_wtf import FlaskForm

from learner.core.db import get_session
from learner.errors import DomainError


def refuse(form: FlaskForm, error: DomainError) -> None:
    """A service refused the form: undo whatever the request wrote so far (nothing is
    half-saved), and put the error next to its field, or on the form as a whole.

    A view that must keep something despite the refusal (a failed login counts towards
    the throttle) commits that first; rolling back after a commit undoes nothing."""
    get_session().rollback()
    if not error.fields:
        form.form_errors.append(error.message)
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


MAX_ID = 2**31 - 1


def small_int(value: object) -> int | None:
    """A whole number from a form or query string that fits a database id; None otherwise."""
    text = str(value or "")
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if number <= MAX_ID else None
