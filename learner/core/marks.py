"""N_: marks a text for the catalogue (`make i18n` extracts it) without translating it.

The text stays English where it is kept (a coach rule, a stored finding, a default
title) and is translated by gettext where it is shown, in the reader's language.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Return the text unchanged; the extractor lists it."""
    return text
