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
from learner.coach.rules import ADVICE, RULES
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
    "MAX_LENGTH",
    "CoachInputError",
    "Finding",
    "analyze",
    "categories",
    "explain",
    "image_findings",
    "rule_findings",
]


def analyze(text: str) -> list[Finding]:
    """Every finding in a post, in reading order; CoachInputError for text it cannot take.

    The rules run first; the learned layer (learner.coach.model) adds the categories it
    is confident of that no rule found."""
    return run(RULES, text, model.findings)


def rule_findings(text: str) -> list[Finding]:
    """The rules' findings alone, without the learned layer (for training and tests)."""
    return run(RULES, text)


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
    texts = {rule.id: (rule.message, rule.suggestion) for rule in RULES}
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
