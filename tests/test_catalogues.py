"""The Spanish and German catalogues are complete: every message of the template is there,
translated, not fuzzy, with the same placeholders as the English.

This is the guard that keeps a new English string from reaching a Spanish or German
reader untranslated: it fails until the translators have written it (`make i18n` brings
the new strings into the catalogues first).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("es", "de")
# %(name)s and %s, %d; '%%' is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxX%]")


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted ('%%' is text, not a placeholder)."""
    return sorted(p for p in PLACEHOLDER.findall(text) if p != "%%")


def problems(template, catalogue) -> list[str]:
    """Every message of the template that the catalogue lacks, leaves empty, marks fuzzy
    or translates with other placeholders."""
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        ours = catalogue.get(message.id)
        if ours is None:
            found.append(f"missing: {key!r}")
            continue
        if ours.fuzzy:
            found.append(f"fuzzy: {key!r}")
        if isinstance(message.id, str):
            english, translated = [message.id], [ours.string]
        else:
            english = list(message.id)
            translated = list(ours.string) if isinstance(ours.string, tuple | list) else []
            if len(translated) != catalogue.num_plurals:
                found.append(f"plural forms: {key!r}")
                continue
        if not all(isinstance(t, str) and t.strip() for t in translated):
            found.append(f"untranslated: {key!r}")
            continue
        wanted = placeholders(english[-1])
        for text in translated:
            # A singular form may leave the number out ("ein Beitrag"), nothing else.
            have = placeholders(text)
            if have != wanted and sorted({*have, "%(num)d"}) != sorted({*wanted}):
                found.append(f"placeholders {have} for {wanted}: {key!r}")
                break
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete_and_consistent(lang):
    template = _read(TRANSLATIONS / "messages.pot")
    catalogue = _read(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", lang)
    found = problems(template, catalogue)
    assert found == [], f"{len(found)} messages of {lang} need a translator:\n" + "\n".join(
        found[:40]
    )


def test_the_guard_finds_missing_fuzzy_and_broken_messages(tmp_path):
    from babel.messages.catalog import Catalog

    template = Catalog()
    for msgid in ("Hello", "Bye %(name)s", "Soon", "Later", "Gone"):
        template.add(msgid)
    template.add(("%(num)d post", "%(num)d posts"))
    catalogue = Catalog(locale="de")
    catalogue.add("Hello", "Hallo")
    catalogue.add("Bye %(name)s", "Tschüss %(nom)s")
    catalogue.add("Soon", "Bald", flags=["fuzzy"])
    catalogue.add("Later", "")
    catalogue.add(("%(num)d post", "%(num)d posts"), ("ein Beitrag", "%(num)d Beiträge"))
    assert problems(template, catalogue) == [
        "placeholders ['%(nom)s'] for ['%(name)s']: 'Bye %(name)s'",
        "fuzzy: 'Soon'",
        "untranslated: 'Later'",
        "missing: 'Gone'",
    ]


def test_the_template_lists_every_string_of_the_code():
    """`make i18n` was run: every string the code and templates mark is in the template
    (so the test above sees it, and the translators get it)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = TRANSLATIONS.parent
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}
    method_map = [("**.py", "python"), ("**.html", "jinja2")]
    marked = set()
    for folder in ("learner", "lessons", "templates"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            root / folder, method_map=method_map, keywords=keywords
        ):
            marked.add(message if isinstance(message, str) else message[0])
    listed = {
        m.id if isinstance(m.id, str) else m.id[0] for m in _read(TRANSLATIONS / "messages.pot")
    }
    assert sorted(marked - listed) == []


def test_a_fuzzy_or_broken_message_is_left_out_of_the_compiled_catalogue(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import write_po

    from learner.core.catalogues import compile_catalogue

    catalogue = Catalog(locale="de")
    catalogue.add("Hello", "Hallo")
    catalogue.add("Bye %(name)s", "Tschüss %(nom)s", flags=["python-format"])
    catalogue.add("Soon", "Bald", flags=["fuzzy"])
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as out:
        write_po(out, catalogue)
    assert compile_catalogue(folder / "messages.po") == (1, 2)  # "Hello" kept, two left out
    with (folder / "messages.mo").open("rb") as source:
        compiled = read_mo(source)
    assert compiled.get("Hello").string == "Hallo"
    assert compiled.get("Bye %(name)s") is None and compiled.get("Soon") is None
    assert compile_catalogue(folder / "messages.po") is None  # up to date: not redone
