"""Benchmark parse_directive on a ~50,000-character text built from the fixture bodies.

Usage: python bench/bench_parse.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ntm_desktop.parsing import parse_directive  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "directives"


def build_text(size: int = 50_000) -> str:
    bodies = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.txt"))]
    parts: list[str] = []
    total = 0
    while total < size:
        for body in bodies:
            parts.append(body)
            total += len(body) + 1
            if total >= size:
                break
    return "\n".join(parts)[:size]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    text = build_text()
    parse_directive(text)  # warm up regex caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse_directive(text)
        times.append((time.perf_counter() - start) * 1000)
    print(f"{len(text)} characters, {runs} runs: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")


if __name__ == "__main__":
    main()
