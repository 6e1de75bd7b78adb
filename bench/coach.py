"""Coach throughput: posts per second on one core for 280-character posts, and p99 latency.

Run with `make bench-coach` (English; `--lang es` or `--lang de` for the Spanish or German
corpus, read in that language). Posts are built from the labeled corpora in tests/coach/
(padded or cut to 280 characters), so the mix of risky and clean text is realistic.
The goal is at least 5,000 posts per second. The rate is CPU time of this process, so a
busy machine does not halve it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from learner.coach import MAX_LENGTH, analyze  # noqa: E402

LENGTH = 280


def posts(lang: str = "en") -> list[str]:
    """Corpus posts stretched or cut to 280 characters."""
    texts = []
    folder = ROOT / "tests" / "coach" / ("" if lang == "en" else lang)
    names = ("corpus.jsonl", "holdout.jsonl") if lang == "en" else ("writer1.jsonl",)
    for name in names:
        path = folder / name
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text().splitlines() if line]
    if not texts:
        raise SystemExit("no corpus found under tests/coach/")
    return [((text + " ") * (LENGTH // max(1, len(text)) + 1))[:LENGTH] for text in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--lang", choices=("en", "es", "de"), default="en")
    args = parser.parse_args()
    sample = posts(args.lang)
    for text in sample[:50]:
        analyze(text, args.lang)  # warm the regex caches
    latencies = []
    started = time.process_time()
    for _ in range(args.rounds):
        for text in sample:
            start = time.process_time()
            analyze(text, args.lang)
            latencies.append(time.process_time() - start)
    elapsed = time.process_time() - started
    latencies.sort()
    longest = "x1 " * (MAX_LENGTH // 3)
    start = time.perf_counter()
    analyze(longest[:MAX_LENGTH])
    max_length_ms = (time.perf_counter() - start) * 1000
    result = {
        "posts": len(latencies),
        "posts_per_second": round(len(latencies) / elapsed),
        "p50_ms": round(statistics.median(latencies) * 1000, 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 3),
        "max_length_ms": round(max_length_ms, 3),
    }
    print(json.dumps(result))
    print(
        f"{result['posts_per_second']} posts/s on one core, p99 {result['p99_ms']} ms "
        f"(goal: 5,000 posts/s)"
    )


if __name__ == "__main__":
    main()
