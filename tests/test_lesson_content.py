"""Every real module meets the curriculum's bar, and its words are our own."""

from __future__ import annotations

import re

import pytest

from learner.core.markdown import render_markdown
from lessons.catalog import MODULES_DIR, load_catalog
from tests import fingerprints

CATALOG = load_catalog(MODULES_DIR)
MODULES = CATALOG.modules()
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


words = fingerprints.words


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


def test_a_bare_https_address_becomes_a_safe_link_and_a_bare_domain_does_not():
    html = str(render_markdown("Read https://intranet.example/rules first. Not paypa1-login.com."))
    assert (
        '<a href="https://intranet.example/rules" rel="noopener noreferrer nofollow">'
        "https://intranet.example/rules</a>" in html
    )
    assert "paypa1-login.com." in html and html.count("<a ") == 1
    assert "<a " not in str(render_markdown("javascript:alert(1) and <script>x</script>"))


def test_no_sentence_is_copied_from_the_source_articles():
    """No 8-word run of a module is one of the source articles' (kept as fingerprints)."""
    sources = fingerprints.load()
    assert len(sources) > 10_000, "the source fingerprints are missing"
    assert all(re.fullmatch(r"[0-9a-f]{12}", value) for value in sources)
    copied = [
        (module.id, run)
        for module in MODULES
        for run in fingerprints.runs(module.path.read_text(encoding="utf-8"))
        if fingerprints.fingerprint(run) in sources
    ]
    assert copied == []


def test_a_copied_run_would_be_found(tmp_path):
    """The check itself works: an article's run, once fingerprinted, is found again."""
    article = tmp_path / "article.txt"
    article.write_text("Never share your password with anyone, not even your best friend.")
    path = tmp_path / "prints.txt"
    assert fingerprints.write([article], path) == 4
    lesson = "Remember: never share your password with anyone, not even your best friend!"
    assert (
        sum(
            fingerprints.fingerprint(run) in fingerprints.load(path)
            for run in fingerprints.runs(lesson)
        )
        == 4
    )


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.id)
def test_module_has_a_parallel_pretest(module):
    """3 to 5 items of our own, each a parallel form of a quiz item, never its copy."""
    assert 3 <= len(module.pretest) <= 5
    quiz = {q.id: q for q in module.quiz}
    for item in module.pretest:
        assert item.parallel_to in quiz and item.id not in quiz
        assert item.question != quiz[item.parallel_to].question
        assert all(choice.feedback for choice in item.choices) and item.correct_ids
        feedback = {c.feedback for c in item.choices}
        assert not feedback & {c.feedback for c in quiz[item.parallel_to].choices}
