"""Benchmark: the plain writing logic (no Qt) on big and hostile text — the writing aids,
the revision diff, and over-long lines found and split.

The unit tests check what each function gives back on such text (tests/unit/
test_writing_hostile_input.py, test_writing_diff.py, test_writing_long_lines.py); this script
measures how long it takes. Prints JSON lines {"metric", "value", "unit", "target", "better"}:

* ``writing.hostile_aids_s`` — the slowest of the writing aids (checks, outline, statistics,
  spelling) on the slowest of fourteen hostile texts (40,000 brackets, 100,000 dots,
  a list nested 1,000 deep …) (target <= 5 s: the aids run in a worker with a 30 s deadline);
* ``writing.diff_s.scattered_edits.<N>w`` — comparing two revisions of a 100,000-word article in
  500 paragraphs with three edits (target <= 2 s);
* ``writing.diff_s.one_paragraph.<N>w`` — the slowest of comparing a 100,000-word single
  paragraph with an insertion, a complete rewrite and a word replaced throughout (target
  <= 3 s);
* ``writing.long_lines_find_ms.<N>mb`` — finding the one over-long line of a 10 MB text
  (target <= 50 ms: it runs on the GUI thread when a text is loaded);
* ``writing.long_lines_split_s.<N>mb`` — splitting that 10 MB line at the line limit
  (target <= 2 s).

Run: .venv/bin/python benchmarks/writing.py; ``--smoke``: hostile texts a tenth of the size,
10,000-word articles, a 1 MB line (checks that it works, ~2 s).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable

HOSTILE_TARGET_S = 5.0
SCATTERED_TARGET_S = 2.0
PARAGRAPH_TARGET_S = 3.0
FIND_TARGET_MS = 50.0
SPLIT_TARGET_S = 2.0


def emit(metric: str, value: float, unit: str, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": "lower"}), flush=True)


def seconds(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def hostile_texts(scale: int) -> dict[str, str]:
    """The texts of tests/unit/test_writing_hostile_input.py, ``scale`` times smaller."""
    def n(count: int) -> int:
        return count // scale

    return {
        "open brackets": "[" * n(20000) + "a" + "]" * n(20000),
        "unclosed links": "[a](" * n(10000),
        "unclosed tags": "<a " * n(20000),
        "unclosed images": "<img " * n(20000),
        "list nested deep": "\n".join("  " * i + "- x" for i in range(n(1000))),
        "dotted run": "a." * n(100_000),
        "dots without end": "." * n(100_000) + "x",
        "underscores": "_" * n(100_000) + "a",
        "comment openers": "<!--" * n(30_000),
        "attribute openers": "{." * n(50_000),
        "blanks before a table rule": "|--" + " " * n(100_000) + "x",
        "NUL characters": "a\x00b " * n(50_000),
        "long single line": "word " * n(100_000),
        "unclosed footnote references": "[^" * n(10000),
    }


def hostile_aids_s(scale: int) -> float:
    from pse_desk.writing.checks import check
    from pse_desk.writing.outline import outline
    from pse_desk.writing.spelling import SpellChecker
    from pse_desk.writing.stats import text_stats

    checker = SpellChecker()
    aids = (check, outline, text_stats, checker.check_text)
    return max(seconds(lambda aid=aid, text=text: aid(text))  # type: ignore[misc]
               for text in hostile_texts(scale).values() for aid in aids)


def article(words: int, rng: random.Random) -> str:
    vocabulary = ["council", "housing", "budget", "local", "people", "plan", "the", "a", "of",
                  "devolution", "community", "services"] + [f"w{i}" for i in range(2000)]
    sentences = []
    count = 0
    while count < words:
        n = rng.randint(6, 25)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + ".")
        count += n
    return " ".join(sentences)


def diff_s(words: int) -> tuple[float, float]:
    """(scattered edits in paragraphs, the slowest single-paragraph comparison)."""
    from pse_desk.writing.diff import compare

    rng = random.Random(7)
    paragraphs = [article(200, rng) for _ in range(words // 200)]
    old = "\n\n".join(paragraphs)
    paragraphs[3] = paragraphs[3].replace("budget", "spending")
    paragraphs[len(paragraphs) // 2] = "A new paragraph."
    del paragraphs[len(paragraphs) * 4 // 5]
    scattered = seconds(lambda: compare(old, "\n\n".join(paragraphs)))
    rng = random.Random(8)
    one = article(words, rng)
    cut = one.index(" ", len(one) // 3)
    variants = (one[:cut] + " inserted words" + one[cut:], article(words, rng),
                one.replace("budget", "money"))
    return scattered, max(seconds(lambda new=new: compare(one, new))  # type: ignore[misc]
                          for new in variants)


def long_line_figures(size: int) -> tuple[float, float]:
    """(seconds to find the long line, seconds to split it) in a text of one ``size`` line."""
    from pse_desk.writing.long_lines import long_lines, split_long_lines

    text = "Intro.\n\n" + "w" * size + "\n\nEnd."
    found = seconds(lambda: long_lines(text))
    return found, seconds(lambda: split_long_lines(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true",
                        help="smaller texts: checks that it works")
    args = parser.parse_args()
    scale = 10 if args.smoke else 1
    words = 100_000 // scale
    megabytes = 10 // scale
    emit("writing.hostile_aids_s", hostile_aids_s(scale), "s", HOSTILE_TARGET_S)
    scattered, paragraph = diff_s(words)
    emit(f"writing.diff_s.scattered_edits.{words}w", scattered, "s", SCATTERED_TARGET_S)
    emit(f"writing.diff_s.one_paragraph.{words}w", paragraph, "s", PARAGRAPH_TARGET_S)
    found, split = long_line_figures(megabytes * 1_000_000)
    emit(f"writing.long_lines_find_ms.{megabytes}mb", found * 1000, "ms", FIND_TARGET_MS)
    emit(f"writing.long_lines_split_s.{megabytes}mb", split, "s", SPLIT_TARGET_S)
    return 0


if __name__ == "__main__":
    sys.exit(main())
