"""Words a page repeats on every row, translated once for the page.

In a template, `_()` looks the request's catalogue up on every call; a list of a few
hundred lines pays for it a few hundred times. A view can instead look the catalogue up
once (`catalogue()`), translate each fixed text once, and hand the template the result:
`marked()` makes it Markup, as `_()` in a template does, so that `text % {"name": name}`
in the loop escapes the name and gives the very same output as `_(text, name=name)`.
"""

from __future__ import annotations

import flask_babel
from markupsafe import Markup


def catalogue():
    """This request's translations (`.ugettext`, `.ungettext`), looked up once."""
    return flask_babel.get_translations()


def marked(translated: str) -> Markup:
    """A text from the catalogue as Markup, as `_()` gives it in a template: formatting it
    with `%` escapes the values put in."""
    return Markup(translated)  # noqa: S704  # nosec B704  (the catalogue's own text)
