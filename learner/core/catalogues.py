"""The translation catalogues compiled: each `translations/<lang>/LC_MESSAGES/messages.po`
into the `.mo` file Flask-Babel reads (`make translations`, and the test suite).

A message that is fuzzy, or whose placeholders do not match the English, is left out of
the `.mo`: the reader sees the English text instead of a guess, or of an error page
(a translation that names a placeholder the code does not pass fails when it is shown).
tests/test_catalogues.py lists those messages for the translators.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent.parent / "translations"


def compile_catalogue(po: Path, *, force: bool = False) -> tuple[int, int] | None:
    """Compile one catalogue when its .mo is older (or `force`); (kept, left out), or
    None when the .mo was up to date."""
    mo = po.with_suffix(".mo")
    if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return None
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    catalog.fuzzy = False  # the header's flag; each message's own flag is checked below
    left_out = 0
    for message in list(catalog):
        if not message.id:
            continue
        if message.fuzzy or message.check(catalog):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            catalog.delete(message.id, context=message.context)
            left_out += any(strings)
    # Written aside and moved into place: two test processes may compile at once.
    handle, partial = tempfile.mkstemp(dir=po.parent, suffix=".mo.part")
    with os.fdopen(handle, "wb") as out:
        write_mo(out, catalog)
    os.replace(partial, mo)
    return len(catalog), left_out


def compile_all(root: Path = TRANSLATIONS, *, force: bool = False) -> dict[str, tuple[int, int]]:
    """Compile every language's catalogue that changed; {lang: (kept, left out)}."""
    done = {}
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        result = compile_catalogue(po, force=force)
        if result is not None:
            done[po.parent.parent.name] = result
    return done


if __name__ == "__main__":
    for lang, (kept, left_out) in compile_all(force="--force" in sys.argv).items():
        note = f", {left_out} fuzzy or broken left out" if left_out else ""
        print(f"{lang}: {kept} messages compiled{note}")
