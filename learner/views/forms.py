"""Small helpers shared by views for putting a domain error next to the right field."""

from __future__ import annotations

from flask_wtf import FlaskForm

from learner.errors import DomainError


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Attach a service's error to its field, or to the form as a whole."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


MAX_ID = 2**31 - 1


def small_int(value: object) -> int | None:
    """A whole number from a form or query string that fits a database id; None otherwise."""
    text = str(value or "")
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if number <= MAX_ID else None
