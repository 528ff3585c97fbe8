"""Benchmark: Markdown rendering for the live preview, per keystroke and in full, and the
killable render worker's deadline on hostile text.

Prints JSON lines {"metric", "value", "unit", "target", "better"} for generated articles of
2,000, 20,000 and 100,000 words:

* ``render.full_ms.<N>w`` — one plain Python-Markdown conversion of the whole article
  (``markdown_to_html``), median of a few runs: what a preview that re-renders everything pays
  (informational);
* ``render.keystroke_ms.median.<N>w`` / ``.p95.<N>w`` — ``BlockRenderer.render`` after one
  character typed in the middle of the article (50 edits, cumulative, as when typing), cache
  warm: split, definitions, cache look-ups, the one changed block converted and sanitised;
  target <= 20 ms (the preview's whole budget per keystroke is 40 ms);
* ``render.full_to_keystroke_ratio.<N>w`` — how many times cheaper a keystroke is
  (informational);

and for ``RenderProcess`` (the worker process the preview and ``pse-desk render`` use), with a
deadline of 1 s (tests/integration/test_render_process.py checks what happens, these how long):

* ``render.worker.hang_failure_s`` — text that hangs Python-Markdown (20,000 nested brackets)
  to the failure answer naming its line, the slowest of three such texts (target <= 3 s: the
  deadline plus 2 s to kill and replace the worker);
* ``render.worker.quarantined_rerender_s`` — the same text with a paragraph typed after it,
  its bad block now shown as plain text (target <= 1 s: within the deadline);
* ``render.worker.bad_input_s`` — the slowest of the other bad inputs (a list nested 1,000 deep,
  quotes nested 1,000 deep, a 10 MB line, NUL characters, lone surrogates), each rendered
  whole (target <= 3 s);
* ``render.worker.cancel_s`` — ``cancel()`` from another thread to the cancelled answer of a
  render that would hang for 30 s (target <= 1 s).

Run: ``.venv/bin/python benchmarks/render.py`` (``--quick`` for fewer rounds); ``--smoke``:
2,000 words, 5 edits, a deadline of 0.25 s and bad inputs a tenth of the size (checks that it
works, ~5 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time

from _articles import article

from pse_desk.render.markdown import BlockRenderer, markdown_to_html
from pse_desk.render.process import RenderProcess

KEYSTROKE_TARGET_MS = 20.0
SIZES = (2_000, 20_000, 100_000)
DEADLINE_S = 1.0
SMOKE_DEADLINE_S = 0.25
INTRO = "A normal opening paragraph.\n\n"
CANCEL_AFTER_S = 0.3


def hanging_texts() -> list[str]:
    """Texts on which Python-Markdown hangs (PITFALLS.md)."""
    n = 20_000
    return [INTRO + "[" * n + "a" + "]" * n, INTRO + "[a](" * (n // 2), INTRO + "<a " * n]


def bad_inputs(scale: int) -> list[str]:
    """Bad input the worker must render whole (shown as plain text where it cannot format)."""
    return [INTRO + "\n".join("    " * i + "- item" for i in range(1000 // scale)),
            INTRO + "> " * (1000 // scale) + "deep", INTRO + "word " * (2_000_000 // scale),
            INTRO + "a\x00b\n\n\x00\x00# \x00", INTRO + "broken \ud800 text\n\n\udfff"]


def timed_render(worker: RenderProcess, md: str, revision: int,
                 deadline: float) -> tuple[float, bool]:
    started = time.perf_counter()
    outcome = worker.render(md, revision, deadline)
    return time.perf_counter() - started, outcome.ok


def worker_figures(deadline: float, scale: int) -> dict[str, float]:
    """Seconds of the worker's deadline paths (see the module docstring); ``scale`` divides
    the size of the bad inputs."""
    figures: dict[str, float] = {}
    with RenderProcess() as worker:
        worker.render("warm *up*", 0)
        hangs = [timed_render(worker, md, i, deadline)
                 for i, md in enumerate(hanging_texts(), 1)]
        if any(ok for _s, ok in hangs):
            raise SystemExit("a hanging text rendered: the deadline path was not measured")
        figures["hang_failure_s"] = max(s for s, _ok in hangs)
        again, ok = timed_render(worker, hanging_texts()[0] + "\n\nTyped after it.", 10,
                                 deadline)
        if not ok:
            raise SystemExit("the quarantined text did not render")
        figures["quarantined_rerender_s"] = again
        bad = [timed_render(worker, md, 20 + i, DEADLINE_S)
               for i, md in enumerate(bad_inputs(scale))]
        if not all(ok for _s, ok in bad):
            raise SystemExit("a bad input did not render")
        figures["bad_input_s"] = max(s for s, _ok in bad)
        timer = threading.Timer(CANCEL_AFTER_S, worker.cancel)
        timer.start()
        started = time.perf_counter()
        outcome = worker.render(INTRO + "<a " * 20_000 + "\n\nx", 30, 30.0)
        figures["cancel_s"] = time.perf_counter() - started - CANCEL_AFTER_S
        timer.join()
        if not outcome.cancelled:
            raise SystemExit("the cancelled render was not cancelled")
    return figures


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
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 words, 5 edits, a 0.25 s deadline, smaller bad inputs: checks "
                             "that it works")
    args = parser.parse_args(argv)
    edits = 5 if args.smoke else 15 if args.quick else 50
    for words in SIZES[:1] if args.smoke else SIZES:
        md = article(words)
        full = full_conversion(md, 1 if args.quick or args.smoke or words >= 100_000 else 3)
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
    deadline = SMOKE_DEADLINE_S if args.smoke else DEADLINE_S
    worker = worker_figures(deadline, scale=10 if args.smoke else 1)
    targets = {"hang_failure_s": deadline + 2, "quarantined_rerender_s": deadline,
               "bad_input_s": DEADLINE_S + 2, "cancel_s": 1.0}
    for name, target in targets.items():
        print(line(f"render.worker.{name}", round(worker[name], 3), "s", target, "lower"),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
