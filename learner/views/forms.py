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
