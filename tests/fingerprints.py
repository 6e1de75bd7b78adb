"""Fingerprints of the source articles, so the no-copying test needs no copy of them.

The lessons were written from a few blog posts that are not part of this repository.
`tests/data/source_fingerprints.txt` keeps, for every run of 8 words in those articles,
a short hash; a lesson or scenario that repeats such a run has copied a sentence.

Regenerate it (only needed if the set of sources changes) with the articles at hand:

    .venv/bin/python -m tests.fingerprints path/to/articles/*.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN = 8
FILE = Path(__file__).resolve().parent / "data" / "source_fingerprints.txt"


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes kept and made straight."""
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


def runs(text: str) -> Iterator[str]:
    """Every run of RUN consecutive words, as one string."""
    tokens = words(text)
    for i in range(len(tokens) - RUN + 1):
        yield " ".join(tokens[i : i + RUN])


def fingerprint(run: str) -> str:
    """A 48-bit hash of one run: collisions between sources and lessons are negligible."""
    return hashlib.blake2b(run.encode(), digest_size=6).hexdigest()


def load(path: Path = FILE) -> frozenset[str]:
    """The stored fingerprints."""
    lines = path.read_text(encoding="ascii").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def write(sources: Iterable[Path], path: Path = FILE) -> int:
    """Fingerprint the given articles into `path`; returns how many runs were kept."""
    prints = {
        fingerprint(run)
        for source in sources
        for run in runs(source.read_text(encoding="utf-8", errors="replace"))
    }
    header = f"# blake2b-48 of every {RUN}-word run of the source articles (tests/fingerprints.py)"
    path.write_text("\n".join([header, *sorted(prints)]) + "\n", encoding="ascii")
    return len(prints)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m tests.fingerprints ARTICLE.txt [ARTICLE.txt ...]")
    kept = write(Path(arg) for arg in sys.argv[1:])
    print(f"{kept} fingerprints written to {FILE}")
