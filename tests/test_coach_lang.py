"""The coach in Spanish and German: the language it reads, its rules, its corpora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from learner import coach
from learner.coach.evaluate import evaluate, load_corpus
from learner.coach.rules import RULES
from learner.coach.rules_intl import NEUTRAL, REGISTRIES
from learner.coach.train import held_out
from lessons.catalog import shipped_catalog
from tests.factories import make_family
from tests.helpers import csrf_token, least_cpu_seconds, login
from tests.test_coach import BACKTRACKING

CORPORA = Path(__file__).resolve().parent / "coach"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("mañana no hay clase y me voy con mis amigos al parque", "es"),
        ("¿alguien sabe a qué hora abre la biblioteca?", "es"),
        ("ich hab heute echt keine Lust auf die Schule, wer kommt mit?", "de"),
        ("Grüße aus dem Büro, das Wochenende war schön", "de"),
        ("going to the park with my friends tomorrow", "en"),
        ("lol", "en"),
    ],
)
def test_the_language_is_guessed_from_the_post(text, lang):
    assert coach.language_of(text) == lang


def test_the_authors_setting_wins_over_the_guess():
    assert coach.language_of("ok", "es-MX") == "es" and coach.language_of("ok", "fr") == "en"
    german = "meine neue nummer 0176 55812093 schreibt mir"
    assert "privacy.phone" in coach.categories(coach.analyze(german, "de"))


@pytest.mark.parametrize(
    ("text", "lang", "category"),
    [
        ("mi número nuevo es 612 48 93 07, agregadme", "es", "privacy.phone"),
        (
            "Fiesta en mi casa! Calle Almendros, 14, 2º A, llamad al telefonillo",
            "es",
            "privacy.address",
        ),
        ("yo voy al IES Valle del Jerte, saludadme en el recreo", "es", "privacy.school"),
        ("nací el 2 de abril de 2010 y estudio mucho", "es", "privacy.birthdate"),
        ("mis padres se van de crucero 10 días y yo me quedo solo en casa", "es", "privacy.away"),
        ("la clave del wifi es Familia_Gomez_2020", "es", "privacy.credentials"),
        ("eres una idiota y nadie te quiere", "es", "tone.hurtful"),
        ("síganme y les sigo de vuelta", "es", "spam.ask"),
        ("wir wohnen jetzt Am Mühlbach 4a in 80331 München", "de", "privacy.address"),
        ("Party bei mir: Lindenstraße 12, einfach klingeln", "de", "privacy.address"),
        ("erster tag an der Gesamtschule Eichenhain, 7c", "de", "privacy.school"),
        ("Nach den Ferien wieder in die Realschule Plus Talheim", "de", "privacy.school"),
        ("Handy geklaut, neue nummer: 0176/55 81 20 93", "de", "privacy.phone"),
        ("Fürs Festival meldet euch: +41 76 318 44 02", "de", "privacy.phone"),
        ("meine neue nummer +43 664 381 2290", "de", "privacy.phone"),
        ("geboren am 14.03.2009 und jetzt 16", "de", "privacy.birthdate"),
        ("sturmfrei von Freitag bis Sonntag, party bei mir", "de", "privacy.away"),
        ("mein insta passwort ist sonnenblume2009", "de", "privacy.credentials"),
        ("du bist so hässlich, halt die fresse", "de", "tone.hurtful"),
        ("Ich hab in 2 Wochen 8.000 € verdient, nur mit dem Handy", "de", "spam.hype"),
    ],
)
def test_each_language_finds_its_own_formats(text, lang, category):
    findings = coach.analyze(text, lang)
    assert category in coach.categories(findings)
    found = next(f for f in findings if f.category == category)
    assert text[found.start : found.end] == found.excerpt and found.excerpt


@pytest.mark.parametrize("lang", ["es", "de"])
def test_language_neutral_rules_read_every_language(lang):
    text = "escribidme / schreibt mir: ana.lopez@example.com https://example.com/x"
    assert "privacy.email" in coach.categories(coach.analyze(text, lang))
    assert {r.id for r in NEUTRAL} <= {r.id for r in REGISTRIES[lang]}


def test_english_posts_run_exactly_the_english_rules():
    assert REGISTRIES["en"] is RULES


def test_every_rule_of_every_language_is_well_formed_and_explained():
    lessons = {m.id for m in shipped_catalog().modules()}
    for lang, rules in REGISTRIES.items():
        ids = [rule.id for rule in rules]
        assert len(ids) == len(set(ids)), lang
        for rule in rules:
            assert rule.category in coach.CATEGORIES and rule.id.startswith(rule.category + ".")
            assert rule.lesson in lessons and rule.message.endswith(".")
            # Explained by rule id, so a stored finding reads in the reader's language.
            assert coach._texts_by_rule()[rule.id] == (rule.message, rule.suggestion)


# Floors just under earlier figures, so that a change that makes them worse fails. The
# model now trains on this quarter too: the figures that predict unseen posts are the
# leave-one-writer-out ones in docs/COACH.md (learner/coach/train.py).
@pytest.mark.parametrize(("lang", "precision", "recall"), [("es", 0.82, 0.60), ("de", 0.88, 0.58)])
def test_precision_and_recall_on_the_held_out_quarter(lang, precision, recall, capsys):
    """The fixed quarter of writer 1's corpus (no rule was written reading it)."""
    rows = [row for row in load_corpus(CORPORA / lang / "writer1.jsonl") if held_out(row[0])]
    report = evaluate(rows, lang)
    with capsys.disabled():
        print(f"\n{lang} held-out quarter: {len(rows)} posts\n{report.table()}")
    assert len(rows) >= 200
    assert report.precision >= precision and report.recall >= recall


@pytest.mark.parametrize("lang", ["es", "de"])
def test_each_corpus_has_thirty_posts_per_category_and_as_many_clean(lang):
    rows = load_corpus(CORPORA / lang / "writer1.jsonl")
    counts = {c: sum(c in labels for _t, labels in rows) for c in coach.CATEGORIES}
    assert all(n >= 30 for c, n in counts.items() if c != "image.gps")
    assert sum(1 for _t, labels in rows if not labels) >= 30


def test_cli_honours_the_lang_field_and_refuses_an_unknown_one(app, tmp_path):
    source = tmp_path / "posts.jsonl"
    lines = [
        {"text": "mi número es 612 48 93 07", "lang": "es"},
        {"text": "neue nummer 0176 55812093", "lang": "de"},
        {"text": "hello"},
    ]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["coach", "check", str(source)])
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["categories"] for o in out] == [["privacy.phone"], ["privacy.phone"], []]
    bad = app.test_cli_runner().invoke(
        args=["coach", "check"], input='{"text": "hola", "lang": "fr"}\n'
    )
    assert bad.exit_code == 2 and "line 1:" in bad.output


def test_cli_evaluate_reports_per_language(app, tmp_path):
    source = tmp_path / "mixed.jsonl"
    lines = [
        {"text": "mi número es 612 48 93 07", "categories": ["privacy.phone"], "lang": "es"},
        {"text": "Passwort ist Sommer2024!", "categories": ["privacy.credentials"], "lang": "de"},
        {"text": "call me 555-0147", "categories": ["privacy.phone"]},
    ]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["coach", "evaluate", str(source)])
    assert result.exit_code == 0
    assert "\nde:\n" in result.output and "\nes:\n" in result.output and "\nen:\n" in result.output


def test_live_hints_read_the_learners_language(client, db):
    family = make_family(db)
    family.teen.locale = "de"
    db.add(family.teen)
    db.commit()
    login(client, family.teen)
    headers = {"X-CSRFToken": csrf_token(client)}
    text = "ok 0176 55812093"  # no telling word: only the setting says German
    response = client.post("/coach/check", json={"text": text}, headers=headers)
    assert response.get_json()["categories"] == ["privacy.phone"]


@pytest.mark.parametrize("lang", ["es", "de"])
@pytest.mark.parametrize(
    "text",
    [
        "1" * 1000,
        "@" * 1000,
        "1 " * 500,
        "1-" * 500,
        "a@" * 500,
        "de la " * 166,
        "punto " * 166,
        "calle " * 166,
        "sola en el " * 90,
        "ich bin " * 125,
        ("x" * 60 + " ") * 16,
    ],
)
def test_worst_cases_stay_far_from_backtracking_in_every_language(text, lang):
    coach.analyze("hola" if lang == "es" else "hallo", lang)  # loaded once, not timed here
    assert least_cpu_seconds(lambda: coach.analyze(text[: coach.MAX_LENGTH], lang)) < BACKTRACKING


# The last rounds' blind sets, scored once before they came into the repository (docs/
# COACH.md, Blind sets): the coach must not fall below what it scores on them. Since round
# 4 the model trains on them too, so the floors are the figures of that fit (the blind
# figures were 0.90-0.91 / 0.75-0.77 in English, 0.87-0.91 / 0.72-0.75 in Spanish and
# 0.90 / 0.77 in German).
BLIND_FLOORS = {
    ("round2", "en"): (0.94, 0.89),
    ("round2", "es"): (0.94, 0.94),
    ("round2", "de"): (0.94, 0.92),
    ("round3", "en"): (0.95, 0.90),
    ("round3", "es"): (0.91, 0.92),
    ("round3", "de"): (0.93, 0.92),
    # Round 4: scored once on the coach of 70f423e before coming in, trained on since.
    ("round4", "en"): (0.94, 0.81),
    ("round4", "es"): (0.88, 0.86),
    ("round4", "de"): (0.90, 0.83),
    # Round 5: scored once on the coach of 1054b6b before coming in; not trained on yet.
    ("round5", "en"): (0.92, 0.82),
    ("round5", "es"): (0.90, 0.88),
    ("round5", "de"): (0.91, 0.83),
}


@pytest.mark.parametrize(("round_name", "lang"), sorted(BLIND_FLOORS))
def test_the_last_rounds_blind_sets_keep_their_figures(round_name, lang):
    precision, recall = BLIND_FLOORS[round_name, lang]
    report = evaluate(
        load_corpus(Path(__file__).parent / "coach" / "blind" / f"{lang}_{round_name}.jsonl"), lang
    )
    assert report.precision >= precision and report.recall >= recall, report.table()
