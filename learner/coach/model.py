"""The coach's learned layer: a small linear model beside the rules.

One logistic regression per category over word unigrams, word bigrams and character
3- and 4-grams of each word, trained offline by `learner/coach/train.py` on the labeled
corpora in tests/coach/. Only the n-grams the model kept are shipped, with their weights,
in `model.json` next to this file; applying it is a dictionary look-up per n-gram and a
sum, in plain Python. A category fires when its probability reaches the threshold chosen
for high precision on held-out posts. A finding names the words that weighed most.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import math
import operator
import re
import unicodedata
from pathlib import Path

from learner.coach.text import LETTERS, TOKEN, Text  # noqa: F401

MODEL_FILE = Path(__file__).with_name("model.json")
# Words, or single marks that mean something here (@ # $ ! and emoji, one at a time):
# learner.coach.text.TOKEN. Accented letters are part of words (the model folds them away,
# word by word).
DIGIT = re.compile("[1-9]")
# Leetspeak inside a word ("l0s3r", "st00pid", "1d10t"): a digit between letters.
LEET_WORD = re.compile(r"[a-z][0134579$]+[a-z]")
LEET = str.maketrans("013457", "oieast")
REPEATS = re.compile(r"([a-z])\1{2,}")


def _fold_table() -> dict[int, str]:
    """Accented Latin letters to their base letter ("é" reads "e"); ß stays."""
    table = {}
    for code in range(0xC0, 0x250):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if c.isascii())
        if len(base) == 1 and base.isalpha():
            table[code] = base.lower()
    return table


FOLD = _fold_table()


def normal(token: str) -> str:
    """A token as the model reads it: accents folded, leetspeak inside a word undone,
    every other digit read as 0 (numbers generalise by their shape), a letter repeated
    three or more times written twice ("sooooo" reads "soo")."""
    if not token.isascii():
        token = token.translate(FOLD)
    if LEET_WORD.search(token):
        token = token.translate(LEET)
    token = DIGIT.sub("0", token)
    return REPEATS.sub(r"\1\1", token) if len(token) > 2 else token


def _word_grams(token: str) -> list[str]:
    """The features one (normalised) token brings on its own: itself and its character
    n-grams."""
    grams = ["w" + token]
    if len(token) > 2 and token[0].isalnum():
        padded = "<" + token + ">"
        for size in (3, 4):
            grams += ["c" + padded[i : i + size] for i in range(len(padded) - size + 1)]
    return grams


def words_of(lower: str) -> list[str]:
    """The normalised tokens of a lower-cased post."""
    return [normal(token) for token in TOKEN.findall(lower)]


def features(lower: str, skip: bool = False) -> list[str]:
    """Every feature of a post, with repeats (the training script uses this too); `skip`
    adds the word pairs one word apart ("s" features: "told me not" gives "stold not")."""
    words = words_of(lower)
    out: list[str] = []
    for word in words:
        out += _word_grams(word)
    out += ["b" + a + " " + b for a, b in itertools.pairwise(words)]
    if skip:
        out += ["s" + a + " " + c for a, c in zip(words, words[2:], strict=False)]
    return out


# A weight vector is packed into one integer, FIELD bits per category, each weight (in
# thousandths) stored plus OFFSET so that it is never negative: adding two vectors is one
# integer addition, and the sums are unpacked once per post. FIELD leaves room for the
# sum of far more n-grams than a post of MAX_LENGTH characters has.
FIELD = 48
OFFSET = 1 << 26
MASK = (1 << FIELD) - 1
_PACKED = operator.itemgetter(1)


def _pack(values: list[int]) -> int:
    total = 0
    for index, value in enumerate(values):
        total |= (value + OFFSET) << (FIELD * index)
    return total


class Model:
    """Weights per feature (a vector over the categories), a bias and a threshold each."""

    def __init__(self, data: dict) -> None:
        self.categories: list[str] = data["categories"]
        self.scale: int = data["scale"]
        self.bias: list[float] = data["bias"]
        self.thresholds: dict[str, float] = data["thresholds"]
        width = len(self.categories)
        # Per n-gram: its weights as a packed integer (see FIELD).
        self.weights: dict[str, int] = {}
        # Bigrams by first word then second: most first words start no kept bigram.
        self.pairs: dict[str, dict[str, int]] = {}
        # Word pairs one word apart, the same way (when the model was trained with them).
        self.skip: bool = bool(data.get("skip", False))
        self.skips: dict[str, dict[str, int]] = {}
        for name, packed in data["weights"].items():
            # Flat pairs: category index, weight, category index, weight...
            vector = [0] * width
            for index, value in zip(packed[::2], packed[1::2], strict=True):
                vector[index] = value
            self.weights[name] = _pack(vector)
            if name.startswith("b"):
                first, second = name[1:].split(" ")
                self.pairs.setdefault(first, {})[second] = self.weights[name]
            elif name.startswith("s"):
                first, second = name[1:].split(" ")
                self.skips.setdefault(first, {})[second] = self.weights[name]
        # The logit each category must reach: thresholds are probabilities.
        self._logit_cut = [
            math.log(p / (1 - p)) if p < 1 else math.inf
            for p in (self.thresholds.get(c, 1.0) for c in self.categories)
        ]
        self._shifts = [FIELD * index for index in range(width)]
        # Past the categories' fields, two counts: n-grams kept, and n-grams in all.
        self._kept_shift = FIELD * width
        self._size_shift = FIELD * (width + 1)
        self._bigram = 1 << self._kept_shift  # a kept bigram counts one kept n-gram
        # Per raw token: see _word.
        self._words: dict[str, tuple[str, int, dict | None, dict | None]] = {}

    def with_thresholds(self, thresholds: dict[str, float]) -> Model:
        """The same weights (shared, not copied) with other thresholds."""
        other = copy.copy(self)
        other.thresholds = thresholds
        other._logit_cut = [
            math.log(p / (1 - p)) if p < 1 else math.inf
            for p in (thresholds.get(c, 1.0) for c in self.categories)
        ]
        return other

    def vector(self, gram: str) -> tuple[float, ...]:
        """One n-gram's weights (zeros when it was not kept)."""
        return self._unpack(self.weights.get(gram, 0), 1 if gram in self.weights else 0)

    def _unpack(self, total: int, kept: int) -> tuple[float, ...]:
        base = kept * OFFSET
        return tuple(((total >> s) & MASK) - base for s in self._shifts)

    def _word(self, token: str) -> tuple[str, int, dict | None, dict | None]:
        """A raw token's normal form, the packed sum of its kept n-grams with how many were
        kept and how many it has in the two fields past the categories' (see COUNTS), and
        the kept bigrams and word pairs one word apart it starts (None if none): kept per
        token."""
        known = self._words.get(token)
        if known is None:
            word = normal(token)
            grams = _word_grams(word)
            found = [self.weights[g] for g in grams if g in self.weights]
            packed = sum(found) + (len(found) << self._kept_shift)
            packed += len(grams) << self._size_shift
            if len(self._words) > 100_000:  # bounded: posts bring new words forever
                self._words.clear()
            known = self._words[token] = (
                word,
                packed,
                self.pairs.get(word),
                self.skips.get(word),
            )
        return known

    def logits(self, lower: str) -> list[float]:
        """Raw scores per category."""
        return self.logits_of(TOKEN.findall(lower))

    def logits_of(self, tokens: list[str]) -> list[float]:
        """Raw scores per category, from the lower-case text's tokens (Text.tokens)."""
        if not tokens:
            return list(self.bias)
        cache = self._words
        known = [cache.get(token) or self._word(token) for token in tokens]
        total = sum(map(_PACKED, known))
        bigram = self._bigram
        following = known[0][2]
        for entry in known[1:]:
            if following is not None:
                packed = following.get(entry[0])
                if packed is not None:
                    total += packed + bigram
            following = entry[2]
        if self.skip:
            for first, entry in zip(known, known[2:], strict=False):
                skipping = first[3]
                if skipping is not None:
                    packed = skipping.get(entry[0])
                    if packed is not None:
                        total += packed + bigram
        kept = (total >> self._kept_shift) & MASK
        if not kept:
            return list(self.bias)
        count = len(tokens) - 1 + ((total >> self._size_shift) & MASK)
        if self.skip:
            count += max(0, len(tokens) - 2)
        scale = 1 / (math.sqrt(count) * self.scale)
        base = kept * OFFSET
        return [
            b + (((total >> s) & MASK) - base) * scale
            for b, s in zip(self.bias, self._shifts, strict=True)
        ]

    def fired(self, lower: str, tokens: list[str] | None = None) -> list[str]:
        """The categories whose score reaches their threshold (`tokens`: the text's tokens,
        when the caller has them)."""
        values = self.logits(lower) if tokens is None else self.logits_of(tokens)
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
        found = list(TOKEN.finditer(lower))
        if not found:
            return 0, 0
        known = [self._word(m.group(0)) for m in found]
        words = [entry[0] for entry in known]
        shift = self._shifts[index]
        weight = [
            float(((packed >> shift) & MASK) - ((packed >> self._kept_shift) & MASK) * OFFSET)
            for _w, packed, _f, _s in known
        ]
        for position in range(len(words) - 1):
            packed = (known[position][2] or {}).get(words[position + 1])
            if packed is not None:
                value = ((packed >> shift) & MASK) - OFFSET
                weight[position] += value / 2
                weight[position + 1] += value / 2
        for position in range(len(words) - 2):
            packed = (known[position][3] or {}).get(words[position + 2])
            if packed is not None:
                value = ((packed >> shift) & MASK) - OFFSET
                weight[position] += value / 2
                weight[position + 2] += value / 2
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
    """Where the weights are: one model for every language, in model.json (each language
    has its own thresholds in it)."""
    return MODEL_FILE


@functools.cache
def _data() -> dict | None:
    if not MODEL_FILE.exists():
        return None
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


@functools.cache
def shipped(lang: str = "en") -> Model | None:
    """The model shipped with the package, with the language's thresholds (None if it has
    not been trained). Every language shares the one set of weights."""
    data = _data()
    if data is None:
        return None
    if lang == "en":
        return Model(data)
    base = shipped("en")
    return base.with_thresholds(data.get("languages", {}).get(lang, data["thresholds"]))


@functools.cache
def _advice() -> dict:
    from learner.coach.rules import ADVICE

    return ADVICE


def findings(text: Text, taken: dict, lang: str = "en") -> list[tuple[str, int, int, dict]]:
    """What the language's shipped model adds to the rules: (category, start, end, advice)
    for each category it finds that no rule found, the span on the words that weighed most."""
    model = shipped(lang)
    if model is None:
        return []
    added = []
    for category in model.fired(text.lower, text.tokens):
        if taken.get(category):
            continue
        start, end = model.span(text.lower, category)
        if start == end:
            continue
        added.append((category, start, end, _advice()[category]))
    return added
