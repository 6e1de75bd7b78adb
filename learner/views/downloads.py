"""Files people download: spreadsheets and data exports, named and sent as attachments."""

from __future__ import annotations

import json

from flask import Response


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
