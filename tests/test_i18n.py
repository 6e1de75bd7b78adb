"""Every word a user reads goes through Flask-Babel, and the language follows the person.

The tests of choosing a language use a small catalogue of their own (a few strings in
Spanish and German, compiled into a temporary folder), so they check the plumbing
whatever state the shipped catalogues are in; tests/test_catalogues.py checks those.
"""

from __future__ import annotations

import html
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import force_locale, format_date, get_locale
from sqlmodel import select

from app import create_app
from learner import coach, notifications
from learner.coach.rules import ADVICE
from learner.core.db import utc_now
from learner.core.extensions import babel as babel_extension
from learner.models import Invite, Level, PostFinding, User
from lessons.catalog import MODULES_DIR, load_catalog
from lessons.scenarios import SCENARIOS_DIR, load_scenarios
from tests.conftest import test_config
from tests.factories import make_family, make_post, set_level
from tests.helpers import csrf_token, forget_request_caches, login, logout, post, reload

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HUMAN_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "data-confirm", "content")
TAG = re.compile(r"<[^>]*>", re.S)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
ATTRIBUTE = re.compile(r"\b(" + "|".join(HUMAN_ATTRIBUTES) + r')="([^"]*)"')

UNTRANSLATED = "public-by-default"
UNTRANSLATED_SCENARIO = "home-alone-story"
PHONE = ADVICE["privacy.phone"]["message"]
DIGEST = (
    "%(num)d new thing on Driver's Ed for Social Media",
    "%(num)d new things on Driver's Ed for Social Media",
)
SMALL_CATALOGUE = {
    "es": {
        "Dashboard": "Panel",
        "Lessons": "Lecciones",
        "A practice post waits for your review.": "Una publicación de práctica espera tu revisión.",
        DIGEST: ("%(num)d novedad en Driver's Ed", "%(num)d novedades en Driver's Ed"),
        PHONE: "Un número de teléfono permite que cualquiera te llame.",
        "%(name)s invited you to %(group)s": "%(name)s te invitó a %(group)s",
    },
    "de": {
        "Dashboard": "Übersicht",
        "Lessons": "Lektionen",
        "A practice post waits for your review.": "Ein Übungsbeitrag wartet auf deine Prüfung.",
        DIGEST: ("%(num)d Neuigkeit bei Driver's Ed", "%(num)d Neuigkeiten bei Driver's Ed"),
        PHONE: "Mit einer Telefonnummer kann dich jeder anrufen.",
        "%(name)s invited you to %(group)s": "%(name)s hat dich zu %(group)s eingeladen",
    },
}


@pytest.fixture(scope="module")
def small_catalogues(tmp_path_factory) -> Path:
    """A translations folder with a few strings in Spanish and German, compiled."""
    folder = tmp_path_factory.mktemp("translations")
    for lang, messages in SMALL_CATALOGUE.items():
        catalog = Catalog(locale=lang)
        for msgid, msgstr in messages.items():
            catalog.add(msgid, msgstr)
        target = folder / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "messages.mo").open("wb") as out:
            write_mo(out, catalog)
    return folder


@pytest.fixture(scope="module")
def lessons_dir(tmp_path_factory) -> Path:
    """The shipped modules, but one of them not (yet) translated into German."""
    folder = tmp_path_factory.mktemp("modules")
    shutil.copytree(MODULES_DIR, folder, dirs_exist_ok=True)
    (folder / "de" / f"{UNTRANSLATED}.md").unlink()
    return folder


@pytest.fixture(scope="module")
def scenarios_dir(tmp_path_factory) -> Path:
    """The shipped scenarios, but one of them not (yet) translated into German."""
    folder = tmp_path_factory.mktemp("scenarios")
    shutil.copytree(SCENARIOS_DIR, folder, dirs_exist_ok=True)
    (folder / "de" / f"{UNTRANSLATED_SCENARIO}.yaml").unlink()
    return folder


@pytest.fixture
def app(database_url, small_catalogues, lessons_dir, scenarios_dir):
    """The app on a fresh database, speaking the small catalogues. Flask-Babel keeps the
    translations it loaded in one cache for every app of the process, keyed by locale
    only: it is emptied before and after, or the small catalogues would speak for the
    next test's app."""
    made = create_app(
        test_config(
            database_url,
            BABEL_TRANSLATION_DIRECTORIES=str(small_catalogues),
            LESSONS_DIR=str(lessons_dir),
            SCENARIOS_DIR=str(scenarios_dir),
        )
    )
    with made.app_context():
        babel_extension.domain_instance.cache.clear()
    yield made
    made.extensions["engine"].dispose()
    with made.app_context():
        babel_extension.domain_instance.cache.clear()


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


def _lang(page: str) -> str:
    return re.search(r'<html lang="([^"]+)">', page).group(1)


def get(client, url: str, **kwargs) -> str:
    """A page as a new request sees it (nothing cached from the one before)."""
    forget_request_caches()
    return client.get(url, **kwargs).get_data(as_text=True)


def test_a_visitor_gets_the_browsers_language_then_the_footer_choice(client):
    assert _lang(get(client, "/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})) == "de"
    assert _lang(get(client, "/", headers={"Accept-Language": "fr"})) == "en"
    # The footer's chooser keeps the choice in a cookie, which wins over the browser.
    response = post(client, "/language", {"locale": "es", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert "dessm_lang=es" in response.headers["Set-Cookie"]
    page = get(client, "/login", headers={"Accept-Language": "de"})
    assert _lang(page) == "es" and 'value="es" selected' in page


def test_the_language_chooser_refuses_other_languages_and_outside_links(client):
    token = csrf_token(client)
    refused = client.post("/language", data={"csrf_token": token, "locale": "fr"})
    assert refused.status_code == 400 and "dessm_lang" not in refused.headers.get("Set-Cookie", "")
    outside = post(client, "/language", {"locale": "de", "next": "//evil.example/"})
    assert outside.status_code == 303 and outside.headers["Location"] == "/"


def test_the_accounts_language_wins_and_parent_and_teen_can_differ(client, db):
    family = make_family(db)
    family.parent.locale, family.teen.locale = "es", "de"
    db.add_all([family.parent, family.teen])
    db.commit()
    client.set_cookie("dessm_lang", "en")
    login(client, family.parent)
    page = get(client, "/dashboard", headers={"Accept-Language": "en"})
    assert _lang(page) == "es" and ">Panel<" in page and ">Lecciones<" in page
    login(client, family.teen)
    page = get(client, "/dashboard", headers={"Accept-Language": "en"})
    assert _lang(page) == "de" and ">Übersicht<" in page and ">Lektionen<" in page


def test_the_account_setting_offers_spanish_and_german(client, db):
    family = make_family(db)
    login(client, family.teen)
    response = post(client, "/account", {"display_name": "Leo", "locale": "de"})
    assert response.status_code == 302
    assert reload(db, family.teen).locale == "de"
    assert _lang(get(client, "/account")) == "de"


def test_a_parent_makes_a_teens_account_in_another_language(client, db):
    family = make_family(db)
    login(client, family.parent)
    data = {
        "display_name": "Mia",
        "username": "mia.de",
        "age_band": "13_15",
        "locale": "de",
        "password": "a long practice password 7",
        "confirm": "a long practice password 7",
    }
    response = post(client, f"/groups/{family.group.id}/learners/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.exec(select(User).where(User.username == "mia.de")).one().locale == "de"


def test_each_digest_goes_out_in_its_recipients_language(app, db, caplog):
    family = make_family(db)
    family.parent.locale = "de"
    db.add(family.parent)
    set_level(db, family.teen_membership, Level.PERMIT)
    make_post(db, family.group, family.teen_membership)
    with app.app_context(), caplog.at_level("INFO", logger="learner.core.mail"):
        assert notifications.send_digests(session=db, now=utc_now(), link="http://x/n") == 1
    mails = [r.getMessage() for r in caplog.records if "E-mail" in r.getMessage()]
    assert len(mails) == 1
    assert "1 Neuigkeit bei Driver's Ed" in mails[0]
    assert "Ein Übungsbeitrag wartet auf deine Prüfung." in mails[0]


def test_an_invite_is_written_in_the_language_chosen_for_the_invitee(client, db, caplog):
    family = make_family(db)
    family.parent.locale = "en"
    db.add(family.parent)
    db.commit()
    login(client, family.parent)
    data = {"role": "supervisor", "email": "abuela@example.com", "locale": "es"}
    with caplog.at_level("INFO", logger="learner.core.mail"):
        response = post(client, f"/groups/{family.group.id}/invites/new", data)
    assert response.status_code == 200
    mails = [r.getMessage() for r in caplog.records if "E-mail" in r.getMessage()]
    assert len(mails) == 1 and "te invitó a" in mails[0]
    invite = db.exec(select(Invite).where(Invite.email == "abuela@example.com")).one()
    assert invite.locale == "es"
    # The invite page speaks Spanish to a visitor who has not chosen a language.
    link = re.search(r"/invite/[A-Za-z0-9_-]+", response.get_data(as_text=True)).group(0)
    logout(client)
    page = get(client, link, headers={"Accept-Language": "en"})
    assert _lang(page) == "es"


def test_a_stored_finding_reads_in_the_readers_language(client, db):
    family = make_family(db)
    set_level(db, family.teen_membership, Level.PERMIT)
    made = make_post(db, family.group, family.teen_membership, "Text me on 555-201-3344 ok")
    stored = db.exec(select(PostFinding).where(PostFinding.category == "privacy.phone")).one()
    assert stored.message == PHONE  # kept in English; translated by rule id when shown
    family.parent.locale = "de"
    db.add(family.parent)
    db.commit()
    login(client, family.parent)
    page = get(client, f"/groups/{family.group.id}/posts/{made.id}")
    assert "Mit einer Telefonnummer kann dich jeder anrufen." in page
    assert PHONE not in page


def test_explain_looks_findings_up_by_rule_id(app):
    found = [f for f in coach.analyze("call me at 555-201-3344") if f.category == "privacy.phone"]
    assert found
    with app.test_request_context(), force_locale("es"):
        message, _suggestion = coach.explain(found[0])
        assert message == "Un número de teléfono permite que cualquiera te llame."
        # A finding of a rule since removed keeps the English it was stored with.
        gone = PostFinding(rule="privacy.gone", message="Old words", suggestion=None)
        assert coach.explain(gone) == ("Old words", None)


def test_dates_and_numbers_follow_the_locale(app):
    day = date(2026, 12, 1)
    with app.test_request_context():
        with force_locale("de"):
            assert format_date(day) == "01.12.2026"
        with force_locale("es"):
            assert "dic" in format_date(day)
        with force_locale("en"):
            assert str(get_locale()) == "en"


def test_a_lesson_shows_in_the_learners_language_or_english_with_a_notice(client, db):
    shipped = load_catalog(MODULES_DIR)
    family = make_family(db)
    family.teen.locale = "es"
    db.add(family.teen)
    db.commit()
    login(client, family.teen)
    page = get(client, f"/lessons/{UNTRANSLATED}")
    assert html.escape(shipped.get(UNTRANSLATED, "es").title, quote=False) in page
    assert "untranslated" not in page
    family.teen.locale = "de"
    db.add(family.teen)
    db.commit()
    login(client, family.teen)
    page = get(client, f"/lessons/{UNTRANSLATED}")
    assert html.escape(shipped.get(UNTRANSLATED, "en").title, quote=False) in page
    assert (
        'class="flash flash-info untranslated"' in page
        and '<article class="lesson" lang="en">' in page
    )
    index = get(client, "/lessons")
    assert 'lang="de"' in index and 'lang="en"' in index  # the rest is German


def test_a_scenario_plays_in_the_learners_language_or_english_with_a_notice(client, db):
    shipped = load_scenarios(SCENARIOS_DIR, load_catalog(MODULES_DIR))
    family = make_family(db)
    url = f"/scenarios/{UNTRANSLATED_SCENARIO}"
    for lang, shown, notice in (("es", "es", False), ("de", "en", True)):
        family.teen.locale = lang
        db.add(family.teen)
        db.commit()
        login(client, family.teen)
        page = get(client, url)
        assert html.escape(shipped.get(UNTRANSLATED_SCENARIO, shown).title, quote=False) in page
        assert ('class="flash flash-info untranslated"' in page) is notice
    index = get(client, "/scenarios")
    assert index.count("untranslated") == 0 and 'lang="en"' in index and 'lang="de"' in index


def test_an_account_signed_up_in_spanish_gets_its_e_mails_in_spanish(client, db):
    client.set_cookie("dessm_lang", "es")
    data = {
        "kind": "parent",
        "display_name": "Marta",
        "email": "marta@example.com",
        "password": "a long practice password 7",
        "confirm": "a long practice password 7",
        "adult": "y",
    }
    response = post(client, "/signup", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.exec(select(User).where(User.email == "marta@example.com")).one().locale == "es"


@pytest.mark.parametrize("lang", ["en", "es", "de"])
@pytest.mark.parametrize("zone", ["UTC", "America/Chicago", "Asia/Kolkata"])
def test_the_fast_short_moment_reads_as_flask_babels(app, lang, zone):
    """Lists format many moments with format_datetime_short: the same text as
    Flask-Babel's short form, in every language and time zone, naive (UTC) or aware."""
    from datetime import UTC, datetime, timedelta

    from flask_babel import format_datetime, get_timezone, refresh

    from learner.core.web import format_datetime_short

    app.extensions["babel"].default_timezone = zone
    with app.test_request_context("/"), force_locale(lang):
        refresh()
        assert str(get_timezone()) == zone
        start = datetime(2026, 3, 8, 0, 0)
        for step in range(0, 60 * 24 * 3, 37):
            moment = start + timedelta(minutes=step)
            assert format_datetime_short(moment) == format_datetime(moment, "short")
            aware = moment.replace(tzinfo=UTC)
            assert format_datetime_short(aware) == format_datetime(aware, "short")
        assert format_datetime_short(None) == ""
