"""Every word a user reads goes through Flask-Babel, and the language follows the person."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask_babel import get_locale

from tests.factories import make_family
from tests.helpers import login

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HUMAN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-confirm", "content")
TAG = re.compile(r"<[^>]*>", re.S)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ATTRIBUTE = re.compile(r"\b(" + "|".join(HUMAN_ATTRIBUTES) + r')="([^"]*)"')


def untranslated_text(source: str) -> list[str]:
    """Human words in a template's own markup, outside every `{{ ... }}` and `{% ... %}`."""
    markup = JINJA.sub("\x00", source)
    found = []
    for tag in TAG.findall(markup):
        for name, text in ATTRIBUTE.findall(tag):
            if name == "content" and "width=" in text:
                continue  # the viewport meta tag is not prose
            if re.search(r"[A-Za-z]{2,}", text):
                found.append(f'{name}="{text}"')
    prose = html.unescape(TAG.sub(" ", markup))
    found += [
        words.strip()
        for words in re.findall(r"[A-Za-z][A-Za-z' ,.!?-]*", prose)
        if re.search(r"[A-Za-z]{2,}", words)
    ]
    return found


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_template_has_no_text_outside_gettext(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    assert untranslated_text(source) == []


def test_the_checker_catches_bare_text_and_attributes():
    source = '<p>Hello there</p><img alt="A cat" src="{{ x }}"> {{ _("Fine") }} {# note #}'
    assert untranslated_text(source) == ['alt="A cat"', "Hello there"]


def test_locale_follows_the_browser_then_the_persons_setting(app, client, db):
    with app.test_request_context(headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}):
        assert str(get_locale()) == "en"  # the only catalogue so far
    family = make_family(db)
    family.parent.locale = "en"
    db.add(family.parent)
    db.commit()
    login(client, family.parent)
    page = client.get("/dashboard", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_translation_catalogue_template_lists_the_strings():
    pot = (TEMPLATES.parent / "translations" / "messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Learn social media the way you learn to drive"' in pot
    assert 'msgid "That login and password do not match."' in pot
