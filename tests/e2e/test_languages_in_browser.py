"""The main pages in Spanish and in German, in Chromium, at 1280 and 375 px wide.

Each page is checked for its `<html lang>`, for interface text left in English (a line
of the page that is an English message of the catalogue, or an English lesson title),
and for a layout that a long German word pushes wider than the screen. Screenshots of
every page at both widths are saved under tests/e2e/artifacts/i18n/ to be looked at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlmodel import Session, select

from app import create_app
from learner.models import LicenseCertificate, User
from lessons.catalog import MODULES_DIR, load_catalog
from lessons.scenarios import SCENARIOS_DIR
from tests.conftest import test_config
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import log_in
from tests.e2e.test_accessibility import _arrange

pytestmark = pytest.mark.slow
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


def _pages(i: dict) -> dict[str | None, list[str]]:
    fam, cls, co = f"/groups/{i['family']}", f"/groups/{i['class']}", f"/groups/{i['company']}"
    return {
        None: ["/", "/login", "/signup", "/join", f"/verify?code={i['code']}"],
        "parent@example.com": [
            "/dashboard",
            fam,
            f"{fam}/review",
            f"{fam}/members/{i['leo']}/progress",
            f"{fam}/members/{i['leo']}/ladder",
            f"{fam}/members/{i['mia']}/certificate",
            f"{fam}/invites/new",
            "/account",
        ],
        "leo": [
            "/dashboard",
            "/lessons",
            "/lessons/public-by-default",
            "/coach",
            "/scenarios",
            "/scenarios/home-alone-story",
            f"{fam}/posts/new",
        ],
        "teacher@example.com": [f"{cls}/dashboard", f"{cls}/posts/{i['post']}"],
        "hr@example.com": [co, f"{co}/policy", f"{co}/report"],
    }


def english_lines(lang: str) -> tuple[set[str], list[re.Pattern]]:
    """What English interface text looks like: the catalogue's messages whose translation
    differs (a brand name kept as it is is no English left), and the English lesson
    titles."""
    with (TRANSLATIONS / "messages.pot").open("rb") as source:
        template = read_po(source)
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalogue = read_po(source, locale=lang)
    exact: set[str] = set()
    patterns: list[re.Pattern] = []
    for message in template:
        if not message.id:
            continue
        for english in [message.id] if isinstance(message.id, str) else list(message.id):
            ours = catalogue.get(message.id)
            translated = ours.string if ours else ""
            if english in (translated if isinstance(translated, tuple) else (translated,)):
                continue
            for line in english.replace("%%", "%").splitlines():
                words = PLACEHOLDER.sub("", line).split()
                # One word counts when it is a word ("Start", "Scenarios"), not "OK" or "-".
                if not words or (len(words) == 1 and not re.fullmatch(r"[A-Za-z]{3,}", words[0])):
                    continue
                if PLACEHOLDER.search(line):
                    parts = [re.escape(p) for p in PLACEHOLDER.split(line.strip())]
                    if sum(len(p) for p in parts) >= 12:
                        patterns.append(re.compile("^" + ".+?".join(parts) + "$"))
                else:
                    exact.add(line.strip())
    translated_titles = {m.title for m in load_catalog(MODULES_DIR).modules(lang=lang)}
    exact |= {m.title for m in load_catalog(MODULES_DIR).modules(lang="en")} - translated_titles
    return exact, patterns


def _visible_lines(page) -> list[str]:
    text = page.evaluate("document.body.innerText")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _set_languages(url: str, lang: str, ids: dict) -> None:
    """Everyone reads `lang`; Mia's certificate (its page and its code) joins the ids. The
    demo workplace's policy is what its HR lead would have published in `lang`: the
    starter policy in that language (a policy is the organisation's own words, stored
    as written, not interface text)."""
    from flask_babel import force_locale

    from learner.models import PolicyVersion
    from learner.workplace import starter_policy

    app = create_app(test_config(url))
    with app.app_context(), Session(app.extensions["engine"]) as session:
        for user in session.exec(select(User)).all():
            user.locale = lang
            session.add(user)
        with app.test_request_context(), force_locale(lang):
            title, body = starter_policy()
        for version in session.exec(select(PolicyVersion)).all():
            version.title, version.body = title, body
            session.add(version)
        session.commit()
        certificate = session.exec(select(LicenseCertificate)).first()
        ids["mia"], ids["code"] = certificate.membership_id, certificate.code
    app.extensions["engine"].dispose()


@pytest.mark.parametrize("lang", ["es", "de"])
@pytest.mark.parametrize("server_database_url", ["sqlite"], indirect=True)
def test_main_pages_speak_the_language_and_keep_their_layout(
    browser, server_database_url, tmp_path, lang
):
    from tests.servers import gunicorn

    logins, ids = _arrange(server_database_url)
    _set_languages(server_database_url, lang, ids)
    exact, patterns = english_lines(lang)
    folder = ARTIFACTS / "i18n"
    folder.mkdir(parents=True, exist_ok=True)
    english, wide, wrong_lang = [], [], []
    shipped = {"SCENARIOS_DIR": str(SCENARIOS_DIR)}
    with gunicorn(server_database_url, tmp_path, workers=2, environment=shipped) as server:
        for width, viewport in WIDTHS.items():
            for login, urls in _pages(ids).items():
                context = browser.new_context(viewport=viewport, locale="en-US")
                page = context.new_page()
                if login is None:
                    # A visitor chooses the language in the footer (the browser says English).
                    page.goto(server.url + "/")
                    page.select_option("#footer-locale", lang)
                    page.locator(".language-chooser button").click()
                    page.wait_for_url(server.url + "/")
                else:
                    log_in(page, server.url, login, logins[login])
                for url in urls:
                    response = page.goto(server.url + url)
                    assert response.status == 200, (login, url, response.status)
                    name = re.sub(r"[^a-z0-9]+", "-", f"{login or 'visitor'}{url}").strip("-")
                    page.screenshot(path=str(folder / f"{lang}-{width}-{name}.png"), full_page=True)
                    if page.evaluate("document.documentElement.lang") != lang:
                        wrong_lang.append(url)
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if overflow > 1:
                        wide.append((width, login, url, overflow))
                    if width == "desktop":
                        for line in _visible_lines(page):
                            if line in exact or any(p.match(line) for p in patterns):
                                english.append((login or "visitor", url, line))
                context.close()
    assert wrong_lang == [], wrong_lang
    assert wide == [], f"pages wider than the screen: {wide}"
    assert english == [], f"{len(english)} lines left in English:\n" + "\n".join(
        map(str, sorted(set(english))[:60])
    )
