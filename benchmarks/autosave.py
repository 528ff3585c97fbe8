"""Benchmark: worker time of one autosave of a 100,000-word article (target <= 30 ms).

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  autosave_<N>_words            median wall time of one autosave (target <= 30 ms; <N> is
                                ``100k`` for the default 100,000 words)
  autosave_<N>_words_p95        its 95th percentile (informational)
  autosave_<N>_words_cpu        median CPU time of the calling thread: what is left when other
                                processes compete for the cores (informational)
  autosave_<N>_words_unchanged  a skipped autosave (text unchanged), for scale (informational)
  autosave_<N>_words_what_if_*  with ``--what-if``: the same under proposed store tunings
                                (informational)
Each autosave is one unit of work: the article UPDATE (and its full-text index), one revision
INSERT and the outbox entries of both, committed.

Run: ``.venv/bin/python benchmarks/autosave.py [--words 100000] [--rounds 30] [--what-if]``;
``--smoke``: 2,000 words, 3 rounds, the what-if runs too (checks that it works, ~1 s).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _articles import article
from sqlalchemy import event

from pse_desk.services.articles import create_article
from pse_desk.services.revisions import ArticleText, autosave
from pse_desk.store import Store, open_store

TARGET_MS = 30.0


def _what_if(store: Store, *, lazy_checkpoint: bool, fts_off: bool) -> None:
    """Store tunings proposed in the writing report, applied to the benchmark's own database."""
    if fts_off:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER article_fts_au")
    if lazy_checkpoint:
        @event.listens_for(store.engine, "connect")
        def _bigger_wal(dbapi_con: Any, _record: Any) -> None:
            dbapi_con.execute("PRAGMA wal_autocheckpoint = 16384")

        store.engine.dispose()


def measure(words: int, rounds: int, *, lazy_checkpoint: bool = False,
            fts_off: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.sqlite")
        try:
            body = article(words, seed=4)
            ref = create_article(store, "Benchmark article", body_md=body)
            _what_if(store, lazy_checkpoint=lazy_checkpoint, fts_off=fts_off)
            autosave(store, ref.id, ArticleText("Benchmark article", "", body))
            times, cpu_times = [], []
            for i in range(rounds):
                body = body + f" typed{i}"  # a keystroke's worth of change each round
                start, cpu_start = time.perf_counter(), time.thread_time()
                autosave(store, ref.id, ArticleText("Benchmark article", "", body))
                times.append((time.perf_counter() - start) * 1000)
                cpu_times.append((time.thread_time() - cpu_start) * 1000)
            skips = []
            for _ in range(10):
                start = time.perf_counter()
                skipped = autosave(store, ref.id, ArticleText("Benchmark article", "", body))
                skips.append((time.perf_counter() - start) * 1000)
                assert skipped is None
        finally:
            store.close()
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))],
            "cpu": statistics.median(cpu_times), "skip": statistics.median(skips)}


def emit(metric: str, value: float, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 2), "unit": "ms",
                      "target": target, "better": "lower"}), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--what-if", action="store_true",
                        help="also measure with the store tunings proposed for the autosave "
                             "target: WAL checkpoints off the commit path, and the article's "
                             "full-text index updated off the autosave path")
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 words, 3 rounds, with the what-if: checks that it works")
    args = parser.parse_args(argv)
    if args.smoke:
        args.words, args.rounds, args.what_if = 2_000, 3, True
    figures = measure(args.words, args.rounds)
    tag = "100k" if args.words == 100_000 else f"{args.words}"
    emit(f"autosave_{tag}_words", figures["median"], TARGET_MS)
    emit(f"autosave_{tag}_words_p95", figures["p95"], None)
    emit(f"autosave_{tag}_words_cpu", figures["cpu"], None)
    emit(f"autosave_{tag}_words_unchanged", figures["skip"], None)
    if args.what_if:
        for name, options in (("lazy_checkpoint", {"lazy_checkpoint": True}),
                              ("lazy_checkpoint_and_fts",
                               {"lazy_checkpoint": True, "fts_off": True})):
            tuned = measure(args.words, args.rounds, **options)
            emit(f"autosave_{tag}_words_what_if_{name}", tuned["median"], None)
            emit(f"autosave_{tag}_words_what_if_{name}_cpu", tuned["cpu"], None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
