"""Train the coach's learned layer and measure it the honest way: leave one writer out.

    PYTHONPATH=. .venv/bin/python -m learner.coach.train            # train, write the models
    PYTHONPATH=. .venv/bin/python -m learner.coach.train --report   # measure only

Data: every labeled corpus in tests/coach/: the project's own corpora (corpus.jsonl,
holdout.jsonl, English, written beside the rules) and the writers' corpora
(tests/coach/writers/writer*.jsonl in English, tests/coach/<lang>/writer*.jsonl in
Spanish and German), each written by someone who saw only the category definitions, and
the blind sets of the rounds already scored (tests/coach/blind/<lang>_round*.jsonl), one
more writer each.

**Leave one writer out** is the measure that predicts a blind set: for each writer, a
model is trained on every other corpus, of every language, and scores that writer's posts,
which it never saw; the coach's verdict on a post is the rules' categories plus the
categories that model adds. The thresholds used on a writer are chosen on the other
writers' out-of-writer scores only. The figures per language and per category are written
to learner/coach/lowo.json, and docs/COACH.md shows them (`make coach-report`). (The rules
were written reading some of these writers, writer 1 of each language and English writer
2: their figures flatter the rules; writers 3 and 4 in English and writer 2 in Spanish and
German were never read to write a rule.)

**The shipped model** is one logistic regression per category over n-grams
(learner/coach/model.py: word unigrams, bigrams and pairs one word apart of a normalised
text, character 3- and 4-grams of each word), trained on all the corpora pooled, every
language together. Its thresholds, per category, are the lowest probability at which the
findings the model adds to the rules' were still right `TARGET_PRECISION` of the time on
all the writers' out-of-writer scores, as in the measure. One file, model.json, holds the
weights and each language's copy of the thresholds (the guard may raise one for a
language: `guard`).

NumPy and SciPy are needed here only (requirements-dev.txt); the app applies the model in
plain Python. Deterministic: fixed data, full-batch Adam from a fixed seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from learner.coach import CATEGORIES, categories, rule_findings
from learner.coach.evaluate import load_corpus
from learner.coach.model import features, model_file
from learner.coach.text import Text

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "tests" / "coach"
REPORT = Path(__file__).with_name("lowo.json")
LANGS = ("en", "es", "de")
# The English writers the earlier model trained on (tests and docs still name them).
WRITERS = ("writer1.jsonl", "writer2.jsonl")
PROJECT = ("corpus.jsonl", "holdout.jsonl")
LABELS = [c for c in CATEGORIES if c != "image.gps"]
# Of what the model adds; 0.9 let false alarms reach 4-5 %. On 27 writers, 0.93 gains 2.5
# to 3.4 points of recall over 0.95 for 0.4 to 0.5 of false alarms (lowo.json).
TARGET_PRECISION = 0.93
SCALE = 1000  # weights are stored as integers in thousandths


def held_out(text: str) -> bool:
    """Whether a writer's post is in the fixed quarter the earlier models held out (a hash
    of the text); kept for the tests that still measure that quarter."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] % 4 == 0


def writer_files(lang: str) -> list[Path]:
    """A language's writers' corpora, in order: the writers' folders, then the blind sets
    of the rounds already scored (tests/coach/blind/<lang>_round*.jsonl), each one more
    writer."""
    folder = CORPORA / ("writers" if lang == "en" else lang)
    return sorted(folder.glob("writer*.jsonl")) + sorted(
        (CORPORA / "blind").glob(f"{lang}_round*.jsonl")
    )


# Kept for bench/coach_report.py: the writers of each other language (their folders).
LANGUAGE_CORPORA = {
    lang: tuple(p.name for p in writer_files(lang) if p.parent.name == lang)
    for lang in ("es", "de")
}
# Word pairs one word apart as features too (model.features).
SKIP = True


@dataclass
class Post:
    text: str
    labels: set[str]
    lang: str
    group: str  # "en/writer3", or "en/project" for the project's own corpora
    rules: set[str] = field(default_factory=set)
    grams: list[str] = field(default_factory=list)


def load_posts() -> list[Post]:
    """Every labeled post, with the rules' categories and the model's features."""
    posts = []
    for name in PROJECT:
        posts += [Post(t, c, "en", "en/project") for t, c in load_corpus(CORPORA / name)]
    for lang in LANGS:
        for path in writer_files(lang):
            group = f"{lang}/{path.stem}"
            posts += [Post(t, c, lang, group) for t, c in load_corpus(path)]
    for post in posts:
        post.rules = set(categories(rule_findings(post.text, post.lang)))
        post.grams = features(Text.of(post.text).lower, SKIP)
    return posts


def vocabulary_of(posts: list[Post], min_count: int) -> dict[str, int]:
    seen: dict[str, int] = {}
    for post in posts:
        for gram in set(post.grams):
            seen[gram] = seen.get(gram, 0) + 1
    kept = sorted(gram for gram, count in seen.items() if count >= min_count)
    return {gram: index for index, gram in enumerate(kept)}


def matrix(posts: list[Post], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Scaled feature counts, exactly as Model.logits computes them (1/sqrt of the number
    of features of the post, known or not)."""
    rows, cols, vals = [], [], []
    for row, post in enumerate(posts):
        if not post.grams:
            continue
        scale = 1 / np.sqrt(len(post.grams))
        for gram in post.grams:
            column = vocabulary.get(gram)
            if column is not None:
                rows.append(row)
                cols.append(column)
                vals.append(scale)
    shape = (len(posts), len(vocabulary))
    return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32)


def labels(posts: list[Post]) -> np.ndarray:
    return np.array([[c in p.labels for c in LABELS] for p in posts], dtype=np.float32)


def fit(x: sparse.csr_matrix, y: np.ndarray, l2: float, steps: int = 800):
    """One-vs-rest logistic regression, positives weighted up, full-batch Adam from a fixed
    seed (the earlier recipe ran 800 steps; 400 do as well on the cross-writer measure)."""
    rng = np.random.default_rng(18)
    weights = rng.normal(0, 0.01, (x.shape[1], y.shape[1])).astype(np.float32)
    bias = np.zeros(y.shape[1], dtype=np.float32)
    positives = y.sum(axis=0)
    balance = np.where(
        y > 0, np.clip((len(y) - positives) / np.maximum(positives, 1), 1, 8) ** 0.5, 1.0
    ).astype(np.float32)
    xt = x.T.tocsr()
    moments = [np.zeros_like(p) for p in (weights, weights, bias, bias)]
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        logits = x @ weights + bias
        error = (1 / (1 + np.exp(-logits)) - y) * balance / len(y)
        grads = (xt @ error + l2 * weights, error.sum(axis=0))
        for index, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            m, v = moments[2 * index], moments[2 * index + 1]
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return weights, bias


def train(posts: list[Post], l2: float, min_count: int, steps: int):
    vocabulary = vocabulary_of(posts, min_count)
    weights, bias = fit(matrix(posts, vocabulary), labels(posts), l2, steps)
    return vocabulary, weights, bias


def probabilities(posts: list[Post], model) -> np.ndarray:
    vocabulary, weights, bias = model
    return 1 / (1 + np.exp(-(matrix(posts, vocabulary) @ weights + bias)))


def choose_thresholds(prob: np.ndarray, posts: list[Post], target: float) -> dict[str, float]:
    """Per category, the threshold at which the model adds the most right findings to the
    rules' (on posts the rules did not flag for it) while at least `target` of what it adds
    is right and it adds at least three; 1.0 (never) when no threshold is. (Scanning down
    and stopping at the first threshold that misses the target, as before, stopped at a
    few unlucky posts near the top and gave away recall at the same precision.)"""
    chosen = {}
    for index, name in enumerate(LABELS):
        truth = np.array([name in p.labels for p in posts])
        by_rules = np.array([name in p.rules for p in posts])
        best, most = 1.0, 0
        for cut in np.arange(0.98, 0.095, -0.01):
            added = ~by_rules & (prob[:, index] >= cut)
            count, right = int(added.sum()), int((added & truth).sum())
            if count >= 3 and right >= target * count and right > most:
                best, most = float(round(cut, 2)), right
        chosen[name] = best
    return chosen


def verdicts(prob: np.ndarray, posts: list[Post], thresholds: dict[str, float]) -> list[set]:
    cuts = np.array([thresholds[c] for c in LABELS])
    return [
        p.rules | {c for c, hit in zip(LABELS, row >= cuts, strict=True) if hit}
        for p, row in zip(posts, prob, strict=True)
    ]


def score(posts: list[Post], found: list[set]) -> dict:
    """Micro precision, recall and false alarms on clean posts, and per category."""
    per = {c: {"tp": 0, "fp": 0, "fn": 0} for c in LABELS}
    clean = flagged = 0
    for post, got in zip(posts, found, strict=True):
        for c in got & post.labels:
            per[c]["tp"] += 1
        for c in got - post.labels:
            per[c]["fp"] += 1
        for c in post.labels - got:
            per[c]["fn"] += 1
        if not post.labels:
            clean += 1
            flagged += bool(got)
    tp, fp, fn = (sum(v[k] for v in per.values()) for k in ("tp", "fp", "fn"))
    return {
        "posts": len(posts),
        "clean": clean,
        "clean_flagged": flagged,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "false_alarms": flagged / clean if clean else 0.0,
        "categories": per,
    }


def leave_one_writer_out(
    posts: list[Post],
    l2: float,
    min_count: int,
    steps: int,
    target: float,
    before: bool = False,
    known: np.ndarray | None = None,
) -> dict:
    """Out-of-writer probabilities for every writer's post, and the figures they give.
    `before`: the earlier recipe (one model per language, Adam), for comparison. `known`:
    the out-of-writer probabilities of an earlier run with the same data and settings
    (--probabilities), to choose thresholds again without training every fold again."""
    groups = sorted({p.group for p in posts if not p.group.endswith("/project")})
    prob = np.zeros((len(posts), len(LABELS)))
    for group in groups if known is None else ():
        lang = group.split("/")[0]
        inside = [
            i for i, p in enumerate(posts) if p.group != group and (not before or p.lang == lang)
        ]
        outside = [i for i, p in enumerate(posts) if p.group == group]
        model = train([posts[i] for i in inside], l2, min_count, steps)
        prob[outside] = probabilities([posts[i] for i in outside], model)
        print(f"  {group}: trained on {len(inside)}, scored {len(outside)}", flush=True)
    if known is not None:
        prob = known
    found: list[set | None] = [None] * len(posts)
    for group in groups:
        # Thresholds for a writer come from the other writers' out-of-writer scores.
        lang = group.split("/")[0]
        others = [
            i
            for i, p in enumerate(posts)
            if p.group != group and p.group in groups and (not before or p.lang == lang)
        ]
        thresholds = choose_thresholds(prob[others], [posts[i] for i in others], target)
        outside = [i for i, p in enumerate(posts) if p.group == group]
        for i, got in zip(
            outside, verdicts(prob[outside], [posts[i] for i in outside], thresholds), strict=True
        ):
            found[i] = got
    report: dict = {"groups": {}, "languages": {}, "rules_alone": {}}
    for group in groups:
        index = [i for i, p in enumerate(posts) if p.group == group]
        report["groups"][group] = score([posts[i] for i in index], [found[i] for i in index])
    for lang in LANGS:
        index = [i for i, p in enumerate(posts) if p.lang == lang and p.group in groups]
        chosen = [posts[i] for i in index]
        report["languages"][lang] = score(chosen, [found[i] for i in index])
        report["rules_alone"][lang] = score(chosen, [p.rules for p in chosen])
    return {"prob": prob, "groups": groups, "report": report}


def known_posts() -> list[tuple[str, set[str]]]:
    """Posts the coach's tests (tests/test_coach*.py) pin down exactly: hard clean posts,
    and posts with exactly one expected category. The model must add nothing to them,
    whatever its out-of-writer precision says."""
    from tests import test_coach, test_coach_misses

    clean = [
        *test_coach.HARD_NEGATIVES,
        *test_coach_misses.GENERIC_SCHOOL,
        *test_coach_misses.CLEAN,
        "I'm home now",
        "home alone movie night with the family?",
        "Home Alone 2 is the best",
        "hello",
        "x",
    ]
    exact = [
        ("my pin is 4821", "privacy.credentials"),
        ("call me 555-0147", "privacy.phone"),
        ("call me on 555-0147", "privacy.phone"),
        ("u r a l0s3r", "tone.hurtful"),
        ("home alone all weekend!!", "privacy.away"),
        ("I go to Lincoln High and we swam in the lake today.", "privacy.school"),
        ("I am home alone this weekend", "privacy.away"),
        ("Im home alone this weekend", "privacy.away"),
        *((text, "privacy.away") for text in test_coach_misses.TRIPS),
    ]
    return [(text, set()) for text in clean] + [(text, {name}) for text, name in exact]


# Spanish and German posts the tests pin down exactly (tests/test_coach_lang.py).
KNOWN_POSTS = {
    "es": [("mi número es 612 48 93 07", {"privacy.phone"})],
    "de": [
        ("neue nummer 0176 55812093", {"privacy.phone"}),
        ("ok 0176 55812093", {"privacy.phone"}),
        ("meine neue nummer 0176 55812093 schreibt mir", {"privacy.phone"}),
    ],
}


def _guarded(model, thresholds: dict, known: list, lang: str) -> dict:
    thresholds = dict(thresholds)
    for text, allowed in known:
        found = set(categories(rule_findings(text, lang)))
        for name, probability in model.probabilities(Text.of(text).lower).items():
            if name not in found | allowed and probability >= thresholds[name]:
                thresholds[name] = min(1.0, float(np.ceil(probability * 100 + 1e-9) / 100))
    return thresholds


def guard(data: dict) -> dict:
    """Raise a category's threshold just above the probability of any known post that the
    model alone would flag for it wrongly (the posts the tests pin down, per language)."""
    from learner.coach.model import Model

    model = Model(data)
    languages = {
        lang: _guarded(model, thresholds, KNOWN_POSTS.get(lang, []), lang)
        for lang, thresholds in data.get("languages", {}).items()
    }
    english = _guarded(model, data["thresholds"], known_posts(), "en")
    return {**data, "thresholds": english, "languages": languages}


def pack(model, prune: float) -> tuple[dict, list[float]]:
    vocabulary, weights, bias = model
    packed = {}
    for gram, column in vocabulary.items():
        row = [(i, round(float(w) * SCALE)) for i, w in enumerate(weights[column])]
        row = [part for i, w in row if abs(w) >= prune * SCALE for part in (i, w)]
        if row:
            packed[gram] = row  # flat pairs: category index, weight, ...
    return packed, [round(float(b), 4) for b in bias]


def summary(report: dict) -> str:
    lines = []
    for lang in LANGS:
        for kind in ("languages", "rules_alone"):
            r = report[kind][lang]
            lines.append(
                f"{lang} {'coach' if kind == 'languages' else 'rules'}: P {r['precision']:.3f} "
                f"R {r['recall']:.3f} FA {r['false_alarms']:.1%} ({r['clean_flagged']}/"
                f"{r['clean']})"
            )
        per = report["languages"][lang]["categories"]
        weak = [
            f"{c} {v['tp'] / (v['tp'] + v['fn']):.2f}"
            for c, v in per.items()
            if v["tp"] + v["fn"] and v["tp"] / (v["tp"] + v["fn"]) < 0.8
        ]
        lines.append("   below 0.80: " + ", ".join(weak))
    for group, r in report["groups"].items():
        lines.append(
            f"  {group}: P {r['precision']:.3f} R {r['recall']:.3f} FA {r['false_alarms']:.1%}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=1e-6)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--prune", type=float, default=0.7)
    parser.add_argument("--target", type=float, default=TARGET_PRECISION)
    parser.add_argument("--report", action="store_true", help="measure only, write nothing")
    parser.add_argument("--before", action="store_true", help="the earlier recipe (with --report)")
    parser.add_argument("--save", type=Path, help="with --report: write the figures there")
    parser.add_argument("--save-probabilities", type=Path, help="the out-of-writer scores (.npy)")
    parser.add_argument("--no-skip", action="store_true", help="without word pairs one apart")
    parser.add_argument(
        "--probabilities", type=Path, help="out-of-writer scores saved by an earlier run (.npy)"
    )
    args = parser.parse_args()
    global SKIP
    SKIP = not args.no_skip
    posts = load_posts()
    print(f"{len(posts)} posts loaded", flush=True)
    known = np.load(args.probabilities) if args.probabilities else None
    lowo = leave_one_writer_out(
        posts, args.l2, args.min_count, args.steps, args.target, args.before, known
    )
    print(summary(lowo["report"]), flush=True)
    if args.save_probabilities:
        np.save(args.save_probabilities, lowo["prob"])
    if args.report:
        if args.save:
            args.save.write_text(json.dumps(lowo["report"], indent=1, sort_keys=True) + "\n")
            np.save(args.save.with_suffix(".npy"), lowo["prob"])
        return
    settings = {
        "l2": args.l2,
        "min_count": args.min_count,
        "steps": args.steps,
        "target": args.target,
    }
    REPORT.write_text(
        json.dumps({"settings": settings, **lowo["report"]}, indent=1, sort_keys=True) + "\n"
    )
    writers_index = [i for i, p in enumerate(posts) if p.group in lowo["groups"]]
    model = train(posts, args.l2, args.min_count, args.steps)
    packed, bias = pack(model, args.prune)
    # The thresholds come from every writer's out-of-writer scores, as in the measure
    # (thresholds chosen per language from one or two writers each proved noisier); each
    # language keeps its own copy, which the guard may raise.
    chosen = choose_thresholds(
        lowo["prob"][writers_index], [posts[i] for i in writers_index], args.target
    )
    thresholds = {lang: dict(chosen) for lang in LANGS}
    data = {
        "about": "Trained by learner/coach/train.py; see docs/COACH.md.",
        "categories": LABELS,
        "scale": SCALE,
        "skip": SKIP,
        "bias": bias,
        "thresholds": thresholds["en"],
        "languages": {lang: thresholds[lang] for lang in LANGS if lang != "en"},
        "weights": packed,
    }
    data = guard(data)
    out = model_file()
    out.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{len(packed)} n-grams kept; thresholds: {data['thresholds']} {data['languages']}")


if __name__ == "__main__":
    main()
