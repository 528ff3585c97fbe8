"""Moderate workspace benchmark on the 1,000,000-comment demo database, through the real widgets.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  moderate_open_pending_first_page_median  ms from choosing the Pending queue to its first page
                                           painted in the table (target <= 300)
  moderate_jk_step_detail_median           ms from a j/k key press to the detail pane showing
                                           that comment (target <= 16)
  moderate_search_two_operators_median     ms from Enter in the search box to the first page of
                                           matches painted (target <= 100)
  moderate_peak_rss_scrolled               MB peak resident memory after the Pending queue is
                                           scrolled end to end and the Approved queue jumped to
                                           its end (target <= 400)
  moderate_bulk_approve_10k                s from Shift+A on a 10,000-comment selection to the
                                           decision saved with its audit rows, on a copy of the
                                           database (target <= 2)
  moderate_bulk_approve_10k_max_gui_stall  ms, the longest gap of a 1 ms QTimer heartbeat
                                           meanwhile (target <= 50)
  moderate_bulk_approve_10k_idle_stall     ms, the same heartbeat for 1 s before, with nothing
                                           to do: the machine's own stalls (informational)
  moderate_bulk_approve_10k_until_wal_folded   s, the approval plus the WAL checkpoint the
                                           workspace runs after the result (informational)
  moderate_bulk_approve_<N>*               the same for another selection size (with
                                           ``--smoke``; informational: the targets are for
                                           10,000)
  moderation_rules_throughput              relayed from benchmarks/moderation_engine.py
                                           --engine-only (target >= 20,000 comments/s), and
  moderation_rules_throughput_cpu          its figure per CPU second (informational), and
  moderation_odd_comment_s                 the slowest odd comment sanitised and checked
                                           (target <= 10 s), relayed likewise
On stderr: the load average, the slowest run of each, counts of rows and searches.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/moderation.py [--db PATH]
     [--skip-bulk] [--skip-engine] [--only-bulk]
The database is built once by ``benchmarks/_data.py`` (``ensure_demo_db("million")``).
``--smoke``: a demo of 3,000 comments built in a temporary folder, 2 queue openings, 4 j/k
steps, one round of searches, a bulk approval of 200 and the engine's own ``--smoke``
(checks that it works, ~10 s).
"""
# ruff: noqa: B023  (each wait() runs before its loop moves on)

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def emit(metric: str, value: float, unit: str, target: float | None, better: str = "lower",
         ) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def million_db(path: str | None) -> Path:
    if path:
        return Path(path)
    sys.path.insert(0, str(HERE))
    from _data import ensure_demo_db

    return Path(ensure_demo_db("million"))


class Bench:
    """One ModerateWorkspace on a database, shown offscreen, with a way to wait for signals."""

    def __init__(self, db: Path) -> None:
        from PySide6.QtCore import QThreadPool
        from PySide6.QtWidgets import QApplication

        from pse_desk.store import open_store
        from pse_desk.ui import guard_singleton_refcounts
        from pse_desk.ui.moderate.workspace import ModerateWorkspace
        from pse_desk.ui.workers import ReadRunner

        guard_singleton_refcounts()
        self.app = QApplication.instance() or QApplication([])
        self.store = open_store(db)
        self.runner = ReadRunner(QThreadPool())
        self.runner.store = self.store
        self.ws = ModerateWorkspace(self.runner)
        self.ws.resize(1200, 800)
        self.ws.show()
        self.app.processEvents()
        # as the launcher does once the window has settled: start-up objects are kept out of
        # the collector's passes, so a pass in a worker does not hold the GIL for long
        gc.collect()
        gc.freeze()

    def wait(self, done: Callable[[], bool], timeout: float = 120.0) -> None:
        end = time.perf_counter() + timeout
        while not done():
            self.app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError("the workspace did not answer in time")
            time.sleep(0.0005)

    def paint(self) -> None:
        self.ws.table.viewport().repaint()

    def close(self) -> None:
        self.runner.wait()
        self.ws.close()
        self.store.close()


def open_queue(b: Bench, runs: int = 7) -> list[float]:
    from pse_desk.services.moderation.queue import Queue

    times = []
    for _ in range(runs):
        b.ws.queues.choose(Queue.SPAM)  # away, and let its reads finish
        b.wait(lambda: b.ws.model.total is not None)
        b.runner.wait()
        b.app.processEvents()
        seen: list[int] = []
        conn = b.ws.model.page_loaded.connect(seen.append)
        start = time.perf_counter()
        b.ws.queues.choose(Queue.PENDING)
        b.wait(lambda: 0 in seen and b.ws.model.listing is not None
               and b.ws.model.listing.queue is Queue.PENDING and b.ws.model.row_at(0)
               is not None)
        b.paint()
        times.append((time.perf_counter() - start) * 1000)
        b.ws.model.page_loaded.disconnect(conn)
    return times


def step_keys(b: Bench, steps: int = 60) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    b.wait(lambda: b.ws.pane.comment_id is not None)
    b.ws.table.setFocus()
    times = []
    for i in range(steps):
        key = Qt.Key.Key_J if (i // 20) % 2 == 0 else Qt.Key.Key_K
        shown: list[str] = []
        conn = b.ws.detail_shown.connect(shown.append)
        start = time.perf_counter()
        QTest.keyClick(b.ws.table, key)
        target = b.ws.current_row()
        b.wait(lambda: bool(shown) and target is not None and shown[-1] == target.id)
        b.ws.pane.repaint()
        times.append((time.perf_counter() - start) * 1000)
        b.ws.detail_shown.disconnect(conn)
    return times


def search_queries(b: Bench) -> list[str]:
    from sqlalchemy import func, literal_column, select

    from pse_desk.store.model import Article, Comment, Commenter

    with b.store.read_session() as s:
        rowid = literal_column("rowid")
        name = s.scalar(select(Commenter.display_name).order_by(rowid).limit(1))
        title = s.scalar(select(Article.title).order_by(rowid).limit(1)) or "x"
        newest = s.scalar(select(func.max(Comment.posted_at)))
    title_word = max((w for w in title.split() if w.isalpha()), key=len, default="x")
    day = newest.date().replace(day=1).isoformat() if newest else "2026-11-01"
    return [f'user:"{name}" after:{day}', "council rule:shouting",
            f"article:{title_word} after:{day}", f"budget before:{day}",
            f'user:"{name}" rule:duplicate', f"rule:link_count after:{day}"]


def search(b: Bench, rounds: int = 3) -> tuple[list[float], int]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    times: list[float] = []
    empty = 0
    for _ in range(rounds):
        for text in search_queries(b):
            b.runner.wait()
            b.ws.search.setText(text)
            seen: list[int] = []
            conn = b.ws.model.page_loaded.connect(seen.append)
            start = time.perf_counter()
            QTest.keyClick(b.ws.search, Qt.Key.Key_Return)
            b.wait(lambda: 0 in seen)
            b.paint()
            times.append((time.perf_counter() - start) * 1000)
            b.ws.model.page_loaded.disconnect(conn)
            empty += b.ws.model.row_at(0) is None
    b.ws.search.clear()
    b.runner.wait()
    return times, empty


def scroll_end_to_end(b: Bench, positions: int = 40) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pse_desk.services.moderation.queue import Queue

    b.ws.queues.choose(Queue.PENDING)
    b.wait(lambda: b.ws.model.total is not None and b.ws.model.rowCount() > 0)
    bar = b.ws.table.verticalScrollBar()
    start = time.perf_counter()
    for i in range(positions + 1):
        bar.setValue(bar.maximum() * i // positions)
        b.paint()
        top = b.ws.table.rowAt(0)
        b.wait(lambda: b.ws.model.ensure_row(top) is not None)
    b.ws.table.setFocus()
    QTest.keyClick(b.ws.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = b.ws.model.rowCount() - 1
    # ask for the page (as painting it would): a page a busy machine painted before its rows
    # arrived, then evicted, is otherwise never asked for again
    b.wait(lambda: b.ws.model.ensure_row(last) is not None)
    pending_s = time.perf_counter() - start
    pending_rows = b.ws.model.total or 0
    b.ws.queues.choose(Queue.APPROVED)
    b.wait(lambda: b.ws.model.total is not None and b.ws.model.rowCount() > 0, timeout=300)
    QTest.keyClick(b.ws.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = b.ws.model.rowCount() - 1
    # ask for the page (as painting it would): a page a busy machine painted before its rows
    # arrived, then evicted, is otherwise never asked for again
    b.wait(lambda: b.ws.model.ensure_row(last) is not None)
    return {"pending_rows": pending_rows, "approved_rows": b.ws.model.total or 0,
            "pending_scroll_s": round(pending_s, 1), "cached_rows": b.ws.model.cached_rows}


def bulk_approve(db: Path, count: int = 10_000) -> None:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest

    from pse_desk.services.moderation.queue import listing_ids

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bulk.sqlite"
        shutil.copyfile(db, copy)
        b = Bench(copy)
        try:
            b.wait(lambda: b.ws.pane.comment_id is not None)
            listing = b.ws.model.listing
            assert listing is not None
            with b.store.read_session() as s:
                ids = listing_ids(s, listing, count)
            b.ws.model.set_marked(ids)
            b.runner.wait()
            gaps: list[float] = []
            last = [time.perf_counter()]

            def beat() -> None:
                now = time.perf_counter()
                gaps.append(now - last[0])
                last[0] = now

            heart = QTimer()
            heart.setInterval(1)
            heart.timeout.connect(beat)
            saved: list[object] = []
            conn = b.ws.decision_saved.connect(saved.append)
            b.ws.table.setFocus()
            heart.start()
            idle_until = time.perf_counter() + 1.0  # the machine's own stalls, for scale
            b.wait(lambda: time.perf_counter() > idle_until)
            idle_stall = max(gaps) if gaps else 0.0
            gaps.clear()
            last[0] = start = time.perf_counter()
            QTest.keyClick(b.ws.table, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)
            b.wait(lambda: bool(saved))
            elapsed = time.perf_counter() - start
            heart.stop()
            b.runner.wait()  # the WAL folded into the database, after the result (in the pool)
            settled = time.perf_counter() - start
            b.ws.decision_saved.disconnect(conn)
            result = saved[0]
            tag = "10k" if count == 10_000 else f"{count}"
            full = count == 10_000
            emit(f"moderate_bulk_approve_{tag}", elapsed, "s", 2 if full else None)
            emit(f"moderate_bulk_approve_{tag}_max_gui_stall", max(gaps) * 1000, "ms",
                 50 if full else None)
            emit(f"moderate_bulk_approve_{tag}_idle_stall", idle_stall * 1000, "ms", None)
            emit(f"moderate_bulk_approve_{tag}_until_wal_folded", settled, "s", None)
            note(f"bulk approval: {len(ids):,} selected, {getattr(result, 'count', 0):,} "
                 f"changed, load average {os.getloadavg()[0]:.2f}")
        finally:
            b.close()


def engine(smoke: bool) -> None:
    out = subprocess.run([sys.executable, str(HERE / "moderation_engine.py"), "--engine-only",
                          *(["--smoke"] if smoke else [])],
                         capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a 1,000,000-comment database (default: ensure_demo_db)")
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--skip-engine", action="store_true")
    parser.add_argument("--only-bulk", action="store_true", help="just the bulk approval")
    parser.add_argument("--smoke", action="store_true",
                        help="a small database built here, few rounds: checks that it works")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pse-moderation-") as tmp:
        if args.smoke:
            sys.path.insert(0, str(HERE))
            from _data import build_demo_db

            db = build_demo_db(Path(tmp) / "smoke.sqlite", 3_000)
        else:
            db = million_db(args.db)
        run(db, args)
    return 0


def run(db: Path, args: argparse.Namespace) -> None:
    bulk_count = 200 if args.smoke else 10_000
    if args.only_bulk:
        bulk_approve(db, bulk_count)
        return
    b = Bench(db)
    try:
        b.ws.refresh()
        times = open_queue(b, runs=2 if args.smoke else 7)
        load = os.getloadavg()[0]
        emit("moderate_open_pending_first_page_median", statistics.median(times), "ms", 300)
        note(f"open Pending: slowest of {len(times)} {max(times):.1f} ms, load average "
             f"{load:.2f}")
        times = step_keys(b, steps=4 if args.smoke else 60)
        emit("moderate_jk_step_detail_median", statistics.median(times), "ms", 16)
        note(f"j/k: slowest of {len(times)} {max(times):.1f} ms")
        times, empty = search(b, rounds=1 if args.smoke else 3)
        emit("moderate_search_two_operators_median", statistics.median(times), "ms", 100)
        note(f"search: slowest of {len(times)} {max(times):.1f} ms, {empty} found nothing")
        info = scroll_end_to_end(b, positions=4 if args.smoke else 40)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        emit("moderate_peak_rss_scrolled", peak, "MB", 400)
        note("scrolled: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    finally:
        b.close()
    if not args.skip_bulk:
        bulk_approve(db, bulk_count)
    if not args.skip_engine:
        engine(args.smoke)


if __name__ == "__main__":
    raise SystemExit(main())
