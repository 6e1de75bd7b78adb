"""Normalised views of a post that keep offsets into the original text.

Rules match on a normalised copy (NFKC, zero-width characters removed, every apostrophe
written as ', and for the tone rules common leetspeak undone), and every match is mapped
back to the characters the learner typed, so the highlight lands where they wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"[a-z0-9]+")
# The learned layer's tokens (learner.coach.model): words, accented letters and apostrophes
# included, or single marks that mean something here (@ # $ ! and emoji, one at a time).
LETTERS = "a-z0-9'\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
TOKEN = re.compile(f'[{LETTERS}]+|[^\\s{LETTERS}.,;:"()\\[\\]-]')
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Phones and keyboards write "I'm" with any of these; the rules spell contractions with
# ', so they are folded here once, one character for one, before NFKC (which would
# split the acute accent in two).
APOSTROPHE_CHARACTERS = "\u2019\u2018\u201b\u02bc\u0060\u00b4\u2032"
APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHE_CHARACTERS, "'"))
ASCII_APOSTROPHE = "`"
# One character for one character, so offsets stay shared with the normalised text.
# '@' stays (handles name the target) and '!' stays (it ends sentences, not words).
LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "$": "s",
        "|": "l",
    }
)
# The same table for bytes: translating ASCII text as bytes is many times faster.
LEET_BYTES = bytes.maketrans(b"013457$|", b"oieastsl")
LEET_CHARACTERS = re.compile(r"[013457$|]")


class cached_property:  # named as functools' one, which it stands for
    """functools.cached_property without its lock (Python 3.11 takes one on every first
    read, which costs more than most of the values here): computed on first read, then
    kept in the instance's dict, which a non-data descriptor lets win from then on."""

    def __init__(self, function) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


APOSTROPHE = re.compile(f"[{APOSTROPHE_CHARACTERS}]")
ZERO_WIDTH_CHARACTER = re.compile("[" + "".join(sorted(ZERO_WIDTH)) + "]")
_STABLE: dict[str, bool] = {}


def _stable(char: str) -> bool:
    """Whether a character comes out of NFKC as itself (a zero-width one is dropped
    anyway); known per character."""
    known = _STABLE.get(char)
    if known is None:
        known = char in ZERO_WIDTH or unicodedata.normalize("NFKC", char) == char
        if len(_STABLE) > 20_000:
            _STABLE.clear()
        _STABLE[char] = known
    return known


@dataclass(frozen=True)
class Text:
    """A post as the rules see it."""

    original: str
    normal: str
    # normal[i] came from original[origin[i]]; one extra entry marks the end.
    origin: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> Text:
        """Normalise a post (fast path for plain ASCII without zero-width characters)."""
        if original.isascii():
            if ASCII_APOSTROPHE in original:
                return cls(original, original.replace(ASCII_APOSTROPHE, "'"), ())
            return cls(original, original, ())
        # The apostrophes fold one for one, so the offsets stay shared.
        folded = original.translate(APOSTROPHES) if APOSTROPHE.search(original) else original
        zero_width = ZERO_WIDTH_CHARACTER.search(original) is not None
        if not zero_width and unicodedata.is_normalized("NFKC", original):
            return cls(original, folded, ())
        if all(map(_stable, frozenset(folded))):
            # Every character reads as itself: only the zero-width ones go.
            origin: list[int] = []
            kept = 0
            for found in ZERO_WIDTH_CHARACTER.finditer(folded):
                origin += range(kept, found.start())
                kept = found.end()
            origin += range(kept, len(folded))
            origin.append(len(original))
            return cls(original, ZERO_WIDTH_CHARACTER.sub("", folded), tuple(origin))
        chars: list[str] = []
        origin = []
        for index, char in enumerate(folded):
            if char in ZERO_WIDTH:
                continue
            piece_of = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
            for piece in piece_of:
                chars.append(piece)
                origin.append(index)
        origin.append(len(original))
        return cls(original, "".join(chars), tuple(origin))

    @cached_property
    def lower(self) -> str:
        """The normalised text in lower case (same length for the characters we match)."""
        lowered = self.normal.lower()
        return lowered if len(lowered) == len(self.normal) else self.normal

    @cached_property
    def leet(self) -> str:
        """Lower case with common leetspeak undone (l0ser, stup1d), for the tone rules."""
        # Most posts have none of the characters it changes: then it is the same text.
        if LEET_CHARACTERS.search(self.lower) is None:
            return self.lower
        # As UTF-8 bytes: the characters it changes are ASCII, and no byte of a longer
        # character is, so the same byte table serves (and is many times faster).
        return self.lower.encode("utf-8").translate(LEET_BYTES).decode("utf-8")

    @cached_property
    def tokens(self) -> list[str]:
        """The learned layer's tokens of the lower-case text, in order."""
        return TOKEN.findall(self.lower)

    @cached_property
    def lower_tokens(self) -> frozenset[str]:
        """The words of the lower-case text, for the rules' cheap gates (WORD's matches).
        In ASCII text they are the learned layer's tokens that are words, cut at their
        apostrophes: found from those, without a second pass over the text."""
        lower = self.lower
        if lower.isascii():
            if "'" in lower:
                return frozenset(
                    piece for token in self.tokens for piece in token.split("'") if piece.isalnum()
                )
            return frozenset(filter(str.isalnum, self.tokens))
        if lower is self.normal:  # not lower-cased (see lower): capitals may be left
            return frozenset(WORD.findall(lower))
        # Each word lies inside one token (a run of LETTERS, which holds a-z and 0-9).
        found: set[str] = set()
        for token in self.tokens:
            if not token.isascii():
                found.update(WORD.findall(token))
            elif token.isalnum():
                found.add(token)
            elif "'" in token:
                found.update(piece for piece in token.split("'") if piece.isalnum())
        return frozenset(found)

    @cached_property
    def leet_tokens(self) -> frozenset[str]:
        """The words of the leetspeak-undone text."""
        leet = self.leet
        return self.lower_tokens if leet is self.lower else frozenset(WORD.findall(leet))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets into the original text for a span of the normalised text."""
        if not self.origin:
            return start, end
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, last
