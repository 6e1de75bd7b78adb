"""Every real module meets the curriculum's bar, and its words are our own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from learner.markdown import render_markdown
from lessons.catalog import MODULES_DIR, load_catalog

CATALOG = load_catalog(MODULES_DIR)
MODULES = CATALOG.modules()
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
REQUIRED = {
    "public-by-default",
    "personal-information",
    "personal-brand",
    "privacy-settings",
    "strangers-and-followers",
    "netiquette",
    "social-not-spam",
    "mistakes-happen",
    "several-audiences",
    "presence-you-are-proud-of",
    "keeping-yourself-in-check",
    "personal-social-media-policy",
    "social-selling-not-spamming",
    "family-agreement",
}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def test_the_curriculum_has_every_required_module():
    assert {m.id for m in MODULES} >= REQUIRED
    stages = {m.id: (m.track, m.stage) for m in MODULES}
    assert stages["social-not-spam"] == ("core", "permit")
    assert stages["keeping-yourself-in-check"] == ("core", "license")
    assert stages["personal-social-media-policy"] == ("workplace", "instruction")
    assert stages["family-agreement"] == ("family", "instruction")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.id)
def test_module_meets_the_bar(module):
    assert 5 <= module.minutes <= 10
    assert len(module.quiz) >= 5
    assert sum(q.scenario for q in module.quiz) >= 2
    for question in module.quiz:
        assert all(choice.feedback for choice in question.choices)
        assert question.correct_ids
    assert all(required in {m.id for m in MODULES} for required in module.requires)
    sections = module.sections
    assert len(sections) >= 3 and all(text for _heading, text in sections)
    assert 400 <= len(words(module.body)) <= 1000
    if module.track == "core":
        assert module.talk is not None and 2 <= len(module.talk.prompts) <= 3


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.id)
def test_module_renders_without_raw_html(module):
    html = str(render_markdown(module.body))
    assert "<h2>" in html and "<script" not in html and "<img" not in html


def _seed_shingles(size: int = 8) -> set[tuple[str, ...]]:
    shingles: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        tokens = words(seed.read_text(encoding="utf-8", errors="replace"))
        shingles.update(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return shingles


def test_no_sentence_is_copied_from_the_source_articles():
    assert SEEDS.is_dir(), f"the source articles are expected at {SEEDS}"
    shingles = _seed_shingles()
    assert shingles, "no seed text was read"
    copied = []
    for module in MODULES:
        tokens = words(module.path.read_text(encoding="utf-8"))
        copied += [
            (module.id, " ".join(tokens[i : i + 8]))
            for i in range(len(tokens) - 7)
            if tuple(tokens[i : i + 8]) in shingles
        ]
    assert copied == []
