"""Files people download (spreadsheets and data exports, named and sent as attachments),
and the readable page of the same data."""

from __future__ import annotations

import json

from flask import Response, render_template
from flask_babel import get_locale

from learner import personal_data, practice
from learner.core.db import get_session, utc_now
from learner.models import User
from lessons import get_catalog


def attachment(body: str, *, mimetype: str, filename: str) -> Response:
    """A response the browser saves as `filename`."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_file(text: str, filename: str) -> Response:
    """A CSV file; the byte-order mark makes spreadsheets read it as UTF-8."""
    return attachment("\ufeff" + text, mimetype="text/csv", filename=filename)


def json_file(data: dict, filename: str) -> Response:
    """Data as a readable JSON file."""
    return attachment(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        filename=filename,
    )


def readable_data_page(person: User, *, back: str, json_url: str) -> str:
    """Everything about `person` as a page to read and print: the JSON download's data
    with names, titles and dates."""
    modules = {m.id: m for m in get_catalog().modules(lang=str(get_locale() or "en"))}
    data = personal_data.readable(get_session(), person, modules)
    return render_template(
        "main/readable_data.html",
        data=data,
        back=back,
        json_url=json_url,
        made_at=utc_now(),
        status_text=practice.STATUS_TEXT,
        reason_text=practice.CHANGE_REASONS,
    )
