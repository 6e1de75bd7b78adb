"""Measure the coach on a labeled corpus: precision, recall and false alarms per category,
overall and per language (a post's "lang" field, else the corpus's language, else the
language the coach guesses)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from learner.coach import analyze, categories, language_of


@dataclass
class Report:
    """Counts per category over a corpus, and the overall (micro) figures."""

    true_pos: Counter = field(default_factory=Counter)
    false_pos: Counter = field(default_factory=Counter)
    false_neg: Counter = field(default_factory=Counter)
    clean_posts: int = 0
    clean_flagged: int = 0
    mistakes: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of flagged categories that were right."""
        flagged = sum(self.true_pos.values()) + sum(self.false_pos.values())
        return sum(self.true_pos.values()) / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of labeled categories the coach found."""
        labeled = sum(self.true_pos.values()) + sum(self.false_neg.values())
        return sum(self.true_pos.values()) / labeled if labeled else 1.0

    @property
    def false_alarm_rate(self) -> float:
        """Share of clean posts the coach flagged anyway."""
        return self.clean_flagged / self.clean_posts if self.clean_posts else 0.0

    def table(self) -> str:
        """A per-category table for people."""
        names = sorted(set(self.true_pos) | set(self.false_pos) | set(self.false_neg))
        lines = [f"{'category':<24}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}"]
        for name in names:
            tp, fp, fn = self.true_pos[name], self.false_pos[name], self.false_neg[name]
            precision = tp / (tp + fp) if tp + fp else 1.0
            recall = tp / (tp + fn) if tp + fn else 1.0
            lines.append(f"{name:<24}{tp:>5}{fp:>5}{fn:>5}{precision:>11.2f}{recall:>8.2f}")
        lines.append(
            f"{'micro':<24}{sum(self.true_pos.values()):>5}"
            f"{sum(self.false_pos.values()):>5}{sum(self.false_neg.values()):>5}"
            f"{self.precision:>11.3f}{self.recall:>8.3f}"
        )
        lines.append(
            f"false alarms on clean posts: {self.clean_flagged}/{self.clean_posts}"
            f" ({self.false_alarm_rate:.1%})"
        )
        return "\n".join(lines)


def load_corpus(path: Path, with_lang: bool = False) -> list[tuple]:
    """A JSON Lines corpus of {"text", "categories"} objects (and an optional "lang":
    with `with_lang`, each row is (text, categories, lang or None))."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            row = (item["text"], set(item["categories"]))
            rows.append((*row, item.get("lang")) if with_lang else row)
    return rows


def evaluate(samples: Iterable[tuple], lang: str | None = None) -> Report:
    """Run the coach over labeled posts and count hits, false alarms and misses. Each
    post is read in its own language (a third item of the row), else in `lang`, else in
    the language the coach guesses."""
    report = Report()
    for text, expected, *own in samples:
        found = set(categories(analyze(text, (own[0] if own else None) or lang)))
        for name in found & expected:
            report.true_pos[name] += 1
        for name in found - expected:
            report.false_pos[name] += 1
        for name in expected - found:
            report.false_neg[name] += 1
        if not expected:
            report.clean_posts += 1
            report.clean_flagged += bool(found)
        if found != expected:
            report.mistakes.append((text, sorted(expected), sorted(found)))
    return report


def evaluate_by_language(samples: Iterable[tuple], lang: str | None = None) -> dict[str, Report]:
    """One report per language the posts are read in (as `evaluate` chooses it), and
    "all" for the whole corpus."""
    rows = list(samples)
    groups: dict[str, list] = {}
    for text, expected, *own in rows:
        code = language_of(text, (own[0] if own else None) or lang)
        groups.setdefault(code, []).append((text, expected, code))
    reports = {code: evaluate(group) for code, group in sorted(groups.items())}
    return {"all": evaluate(rows, lang), **reports}
