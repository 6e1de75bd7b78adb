"""The post coach: a pure-Python, offline analyzer that explains every risk it finds.

`analyze(text)` returns findings (rule, category, severity, span, message, lesson,
suggestion) from the rule registry in `learner.coach.rules`; `check_image(data)` reports
GPS metadata in a photo. Category ids are a public contract (DESIGN §4).
"""

from __future__ import annotations

import functools

from flask_babel import gettext

from learner.coach import model
from learner.coach.engine import MAX_LENGTH, CoachInputError, Finding, run
from learner.coach.lang import LANGUAGES, detect, resolve
from learner.coach.rules import ADVICE, RULES
from learner.coach.rules_intl import REGISTRIES
from learner.coach.text import Text
from learner.core.marks import N_

CATEGORIES = (
    "privacy.birthdate",
    "privacy.phone",
    "privacy.email",
    "privacy.address",
    "privacy.school",
    "privacy.location",
    "privacy.away",
    "privacy.credentials",
    "spam.ask",
    "spam.link_only",
    "spam.hype",
    "spam.auto_dm",
    "spam.mass_tag",
    "tone.hurtful",
    "tone.private_exposure",
    "image.gps",
)

__all__ = [
    "CATEGORIES",
    "LANGUAGES",
    "MAX_LENGTH",
    "CoachInputError",
    "Finding",
    "analyze",
    "categories",
    "explain",
    "image_findings",
    "rule_findings",
]


def language_of(text: str, lang: str | None = None) -> str:
    """The language the coach reads a post in: `lang` (the author's setting, "en", "es"
    or "de", a region such as "es-MX" allowed) when given, else a guess from the text."""
    return resolve(lang) or (detect(Text.of(text)) if isinstance(text, str) else "en")


def analyze(text: str, lang: str | None = None) -> list[Finding]:
    """Every finding in a post, in reading order; CoachInputError for text it cannot take.

    The post is read in `lang` (the author's setting) when given, else in the language
    guessed from it: that language's rules run with the language-neutral ones (e-mail
    addresses, links, card numbers, mass tags), then that language's learned layer
    (learner.coach.model) adds the categories it is confident of that no rule found."""
    rules, layer, normal = _registry(text, lang)
    return run(rules, text, layer, normal)


def rule_findings(text: str, lang: str | None = None) -> list[Finding]:
    """The rules' findings alone, without the learned layer (for training and tests)."""
    rules, _layer, normal = _registry(text, lang)
    return run(rules, text, None, normal)


_LAYERS = {
    "en": model.findings,
    **{code: functools.partial(model.findings, lang=code) for code in LANGUAGES if code != "en"},
}


def _registry(text: str, lang: str | None):
    """The rules and learned layer for a post, and the post normalised if that was needed
    to guess its language (run() reuses it)."""
    code, normal = resolve(lang), None
    if code is None:
        if not isinstance(text, str) or len(text) > MAX_LENGTH or not text.strip():
            code = "en"  # run() refuses it or finds nothing: no need to guess
        else:
            normal = Text.of(text)
            code = detect(normal)
    return REGISTRIES[code], _LAYERS[code], normal


def categories(findings: list[Finding]) -> list[str]:
    """The sorted, unique categories of some findings."""
    return sorted({f.category for f in findings})


def image_findings(had_gps: bool) -> list[Finding]:
    """The finding for a photo that carried GPS metadata (the stored copy has none)."""
    if not had_gps:
        return []
    return [
        Finding(
            rule="image.gps.exif",
            category="image.gps",
            severity="high",
            start=0,
            end=0,
            excerpt="",
            lesson="personal-information",
            message=N_(
                "This photo carried the exact place it was taken; we removed it, but "
                "photos you post elsewhere may still carry it."
            ),
            suggestion=N_("Turn off location for your camera app."),
        )
    ]


@functools.cache
def _texts_by_rule() -> dict[str, tuple[str, str | None]]:
    """Each rule id's explanation and suggestion, as written (the catalogue's msgids)."""
    texts = {
        rule.id: (rule.message, rule.suggestion)
        for rules in (RULES, *REGISTRIES.values())
        for rule in rules
    }
    for category, advice in ADVICE.items():
        texts["model." + category] = (advice["message"], advice.get("suggestion"))
    gps = image_findings(True)[0]
    texts[gps.rule] = (gps.message, gps.suggestion)
    return texts


def explain(finding) -> tuple[str, str | None]:
    """A finding's explanation and suggestion in the reader's language, looked up by its
    rule id (a stored finding keeps the English of the day it was found; a rule since
    removed keeps that English)."""
    message, suggestion = _texts_by_rule().get(finding.rule, (finding.message, finding.suggestion))
    return gettext(message), gettext(suggestion) if suggestion else None


def translated(finding: Finding) -> dict:
    """A finding as JSON-ready data, its explanation in the reader's language."""
    message, suggestion = explain(finding)
    return {**finding.as_dict(), "message": message, "suggestion": suggestion}
