"""The coach's learned layer: a small linear model beside the rules.

One logistic regression per category over word unigrams, word bigrams and character
3- and 4-grams of each word, trained offline by `learner/coach/train.py` on the labeled
corpora in tests/coach/. Only the n-grams the model kept are shipped, with their weights,
in `model.json` next to this file; applying it is a dictionary look-up per n-gram and a
sum, in plain Python. A category fires when its probability reaches the threshold chosen
for high precision on held-out posts. A finding names the words that weighed most.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from pathlib import Path

from learner.coach.text import Text

MODEL_FILE = Path(__file__).with_name("model.json")
# Words, or single marks that mean something here (@ # $ ! and emoji, one at a time).
TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9'.,;:\"()\[\]-]")
DIGIT = re.compile("[1-9]")


def _word_grams(token: str) -> list[str]:
    """The features one token brings on its own: itself and its character n-grams."""
    grams = ["w" + token]
    if len(token) > 2 and token[0].isalnum():
        padded = "<" + token + ">"
        for size in (3, 4):
            grams += ["c" + padded[i : i + size] for i in range(len(padded) - size + 1)]
    return grams


def _shape(lower: str) -> str:
    """Digits all read as 0, so the shapes of numbers generalise (same length)."""
    return DIGIT.sub("0", lower)


def words_of(lower: str) -> list[str]:
    """The tokens of a lower-cased post."""
    return TOKEN.findall(_shape(lower))


def features(lower: str) -> list[str]:
    """Every feature of a post, with repeats (the training script uses this too)."""
    words = words_of(lower)
    out: list[str] = []
    for word in words:
        out += _word_grams(word)
    out += ["b" + a + " " + b for a, b in itertools.pairwise(words)]
    return out


class Model:
    """Weights per feature (a vector over the categories), a bias and a threshold each."""

    def __init__(self, data: dict) -> None:
        self.categories: list[str] = data["categories"]
        scale = data["scale"]
        self.bias: list[float] = data["bias"]
        self.thresholds: dict[str, float] = data["thresholds"]
        width = len(self.categories)
        self.weights: dict[str, tuple[float, ...]] = {}
        # Bigrams by first word then second: most first words start no kept bigram.
        self.pairs: dict[str, dict[str, tuple[float, ...]]] = {}
        for name, packed in data["weights"].items():
            vector = [0.0] * width
            for index, value in packed:
                vector[index] = value / scale
            self.weights[name] = tuple(vector)
            if name.startswith("b"):
                first, second = name[1:].split(" ")
                self.pairs.setdefault(first, {})[second] = tuple(vector)
        # The logit each category must reach: thresholds are probabilities.
        self._logit_cut = [
            math.log(p / (1 - p)) if p < 1 else math.inf
            for p in (self.thresholds.get(c, 1.0) for c in self.categories)
        ]
        # Per word: its summed vector (None if no n-gram of it was kept) and its count.
        self._words: dict[str, tuple[tuple[float, ...] | None, int]] = {}

    def _word(self, token: str) -> tuple[tuple[float, ...] | None, int]:
        known = self._words.get(token)
        if known is None:
            grams = _word_grams(token)
            found = [self.weights[g] for g in grams if g in self.weights]
            total = tuple(map(sum, zip(*found, strict=True))) if found else None
            if len(self._words) > 100_000:  # bounded: posts bring new words forever
                self._words.clear()
            known = self._words[token] = (total, len(grams))
        return known

    def logits(self, lower: str) -> list[float]:
        """Raw scores per category."""
        words = words_of(lower)
        if not words:
            return list(self.bias)
        columns = []
        count = len(words) - 1
        cache = self._words
        for word in words:
            known = cache.get(word) or self._word(word)
            count += known[1]
            if known[0] is not None:
                columns.append(known[0])
        pairs = self.pairs
        previous = words[0]
        for word in words[1:]:
            following = pairs.get(previous)
            if following is not None:
                vector = following.get(word)
                if vector is not None:
                    columns.append(vector)
            previous = word
        if not columns:
            return list(self.bias)
        scale = 1 / math.sqrt(count)
        sums = map(sum, zip(*columns, strict=True))
        return [b + s * scale for b, s in zip(self.bias, sums, strict=True)]

    def fired(self, lower: str) -> list[str]:
        """The categories whose score reaches their threshold."""
        values = self.logits(lower)
        return [
            c
            for c, v, cut in zip(self.categories, values, self._logit_cut, strict=True)
            if v >= cut
        ]

    def probabilities(self, lower: str) -> dict[str, float]:
        """Each category's probability (for training reports and tests)."""
        values = self.logits(lower)
        return {c: 1 / (1 + math.exp(-v)) for c, v in zip(self.categories, values, strict=True)}

    def span(self, lower: str, category: str) -> tuple[int, int]:
        """Where the words that weighed most for a category are, in the lower-case text."""
        index = self.categories.index(category)
        found = list(TOKEN.finditer(_shape(lower)))
        words = [m.group(0) for m in found]
        if not words:
            return 0, 0
        weight = [(self._word(w)[0] or (0.0,) * len(self.categories))[index] for w in words]
        for position in range(len(words) - 1):
            vector = self.pairs.get(words[position], {}).get(words[position + 1])
            if vector is not None:
                weight[position] += vector[index] / 2
                weight[position + 1] += vector[index] / 2
        best = max(range(len(words)), key=weight.__getitem__)
        first = last = best
        # Grow the highlight over neighbours that also pushed towards the category.
        floor = weight[best] * 0.3
        while first > 0 and best - first < 3 and weight[first - 1] > floor:
            first -= 1
        while last < len(words) - 1 and last - best < 3 and weight[last + 1] > floor:
            last += 1
        return found[first].start(), found[last].end()


def model_file(lang: str = "en") -> Path:
    """Where a language's weights are: model.json for English, model.<lang>.json else."""
    return MODEL_FILE if lang == "en" else MODEL_FILE.with_name(f"model.{lang}.json")


@functools.cache
def shipped(lang: str = "en") -> Model | None:
    """The language's model shipped with the package (None if it has not been trained)."""
    path = model_file(lang)
    if not path.exists():
        return None
    return Model(json.loads(path.read_text(encoding="utf-8")))


def findings(text: Text, taken: dict, lang: str = "en") -> list[tuple[str, int, int, dict]]:
    """What the language's shipped model adds to the rules: (category, start, end, advice)
    for each category it finds that no rule found, the span on the words that weighed most."""
    from learner.coach.rules import ADVICE

    model = shipped(lang)
    if model is None:
        return []
    added = []
    for category in model.fired(text.lower):
        if taken.get(category):
            continue
        start, end = model.span(text.lower, category)
        if start == end:
            continue
        added.append((category, start, end, ADVICE[category]))
    return added
