"""Benchmark: Markdown rendering for the live preview, per keystroke and in full.

Prints JSON lines (metric / value / unit / target / better) for generated articles of 2,000,
20,000 and 100,000 words:

* ``render.full_ms.<N>w`` — one plain Python-Markdown conversion of the whole article
  (``markdown_to_html``), median of a few runs: what a preview that re-renders everything pays;
* ``render.keystroke_ms.median.<N>w`` / ``.p95.<N>w`` — ``BlockRenderer.render`` after one
  character typed in the middle of the article (50 edits, cumulative, as when typing), cache
  warm: split, definitions, cache look-ups, the one changed block converted and sanitised;
  target <= 20 ms (the preview's whole budget per keystroke is 40 ms);
* ``render.full_to_keystroke_ratio.<N>w`` — how many times cheaper a keystroke is.

Run: ``.venv/bin/python benchmarks/render.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from _articles import article

from pse_desk.render.markdown import BlockRenderer, markdown_to_html

KEYSTROKE_TARGET_MS = 20.0
SIZES = (2_000, 20_000, 100_000)
def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def full_conversion(md: str, runs: int) -> float:
    markdown_to_html("warm *up*")  # builds the converter once, as a long-running app has
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        markdown_to_html(md)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def keystrokes(md: str, edits: int) -> list[float]:
    """Times of ``edits`` renders, each after one more character typed mid-article."""
    renderer = BlockRenderer()
    renderer.render(md)
    renderer.render(md)
    middle = md.find(" ", len(md) // 2)
    times = []
    for i in range(edits):
        md = md[:middle] + "abcdefghij"[i % 10] + md[middle:]
        middle += 1
        started = time.perf_counter()
        renderer.render(md)
        times.append(time.perf_counter() - started)
    return times


def line(metric: str, value: float, unit: str, target: float | None, better: str) -> str:
    return json.dumps({"metric": metric, "value": value, "unit": unit, "target": target,
                       "better": better})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    edits = 15 if args.quick else 50
    for words in SIZES:
        md = article(words)
        full = full_conversion(md, 1 if args.quick or words >= 100_000 else 3)
        times = sorted(keystrokes(md, edits))
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        tag = f"{words}w"
        print(line(f"render.full_ms.{tag}", _ms(full), "ms", None, "lower"))
        print(line(f"render.keystroke_ms.median.{tag}", _ms(median), "ms",
                   KEYSTROKE_TARGET_MS, "lower"))
        print(line(f"render.keystroke_ms.p95.{tag}", _ms(p95), "ms", KEYSTROKE_TARGET_MS,
                   "lower"))
        print(line(f"render.full_to_keystroke_ratio.{tag}", round(full / median, 1), "x", None,
                   "higher"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
