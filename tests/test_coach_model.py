"""The coach's learned layer: what it ships, how it explains itself, and how well it
keeps its floors on the writers' corpora. (The model now trains on every corpus, the
fixed quarter included: how well it generalises is the leave-one-writer-out measure of
learner/coach/train.py, in docs/COACH.md.)"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from learner import coach
from learner.coach.evaluate import evaluate, load_corpus
from learner.coach.model import MODEL_FILE, features, shipped
from learner.coach.rules import ADVICE
from learner.coach.text import Text
from learner.coach.train import held_out

CORPORA = Path(__file__).resolve().parent / "coach"
WRITERS = ["writer1.jsonl", "writer2.jsonl"]


def _posts() -> list[tuple[str, set[str]]]:
    rows = []
    for name in WRITERS:
        rows += load_corpus(CORPORA / "writers" / name)
    return rows


def test_the_model_ships_small_with_a_threshold_per_category():
    model = shipped()
    # One file for every language (it replaced three that came to 2.9 MB together).
    assert model is not None and MODEL_FILE.stat().st_size < 2_500_000
    assert model.categories == [c for c in coach.CATEGORIES if c != "image.gps"]
    assert all(0 < model.thresholds[c] <= 1 for c in model.categories)


def test_plain_python_scoring_is_the_trained_linear_model():
    """The run-time shortcuts (per-word cache, bigram index) give the same sums as the
    features the training script used."""
    model = shipped()
    width = len(model.categories)
    for text, _labels in load_corpus(CORPORA / "holdout.jsonl")[:80]:
        lower = Text.of(text).lower
        grams = features(lower, model.skip)
        expected = [
            model.bias[k]
            + sum(model.vector(g)[k] for g in grams) / model.scale / math.sqrt(len(grams))
            for k in range(width)
        ]
        assert model.logits(lower) == pytest.approx(expected, abs=1e-9)


def test_every_model_finding_names_its_category_span_explanation_and_lesson():
    seen = 0
    for text, _labels in _posts():
        rules = {f.category for f in coach.rule_findings(text)}
        for finding in coach.analyze(text):
            if not finding.rule.startswith("model."):
                continue
            seen += 1
            assert finding.rule == "model." + finding.category
            assert finding.category not in rules  # the model only adds what rules missed
            assert finding.excerpt and text[finding.start : finding.end] == finding.excerpt
            advice = ADVICE[finding.category]
            assert finding.message == advice["message"] and finding.lesson == advice["lesson"]
            assert finding.severity == advice["severity"]
    assert seen >= 20


def test_the_model_highlights_the_words_that_weighed_most():
    text = "no one wants you at our table tomorrow, take the hint"
    findings = [f for f in coach.analyze(text) if f.category == "tone.hurtful"]
    assert findings and findings[0].excerpt in text and len(findings[0].excerpt) < len(text)


@pytest.mark.parametrize("name", WRITERS)
def test_precision_and_recall_on_the_writers_held_out_quarter(name, capsys):
    samples = [row for row in load_corpus(CORPORA / "writers" / name) if held_out(row[0])]
    report = evaluate(samples)
    with capsys.disabled():
        print(f"\n{name} (held out): {len(samples)} posts\n{report.table()}")
    assert len(samples) >= 150
    # Floors that keep what was reached, not the goal of 0.90 / 0.90. This quarter is
    # trained on now: a floor against breakage, not a measure of generalisation.
    assert report.precision >= 0.85 and report.recall >= 0.45
    assert report.false_alarm_rate <= 0.03
