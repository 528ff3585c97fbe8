"""Benchmark: the Layout workspace's live preview — from a key press to the changed pixels.

A Layout workspace on a copy of the demo newsroom, shown offscreen with its site preview.
Each run presses a real Alt+Down (or Alt+Up, to come back) on the selected panel, or Ctrl+Z,
and waits until the preview's pixels differ from before the key (the view is grabbed every few
milliseconds): the time covers the command, the write with its layout version on the writer
lane, the resolve, the page swap in QtWebEngine and its paint. Prints JSON lines
{"metric", "value", "unit", "target", "better"}:

* ``layout.move_to_preview_ms.median`` / ``.p95`` — Alt+Down/Alt+Up to the moved panel in the
  preview (targets 100 / 200 ms);
* ``layout.undo_to_preview_ms.median`` — Ctrl+Z of a move to the preview (target 100 ms);
* ``layout.grab_ms.median`` — what one grab of the preview costs (the resolution of the above;
  informational).

and, relayed from benchmarks/layout_resolve.py (no Qt, its own process):

* ``layout.resolve_ms.median.100000`` / ``.p95.100000`` — resolving every panel of the demo's
  web layout (sources, pins, de-duplication) in a newsroom of 100,000 articles (target 20 ms
  for the median);
* ``layout.move_write_ms.median`` — one panel move with its layout version (informational).

Run: QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu \
     .venv/bin/python benchmarks/layout.py   (``--smoke``: 3 runs of each and 2,000 articles, ~20 s)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
if os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def emit(metric: str, value: float, unit: str, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 1), "unit": unit,
                      "target": target, "better": "lower"}), flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Bench:
    def __init__(self, db: Path) -> None:
        from PySide6.QtCore import QThreadPool
        from PySide6.QtWidgets import QApplication

        from pse_desk.store import open_store
        from pse_desk.ui import guard_singleton_refcounts
        from pse_desk.ui.layout.workspace import LayoutWorkspace
        from pse_desk.ui.workers import ReadRunner
        from pse_desk.ui.write.asset_scheme import register_asset_scheme

        guard_singleton_refcounts()
        register_asset_scheme()
        self.app = QApplication.instance() or QApplication([])
        self.store = open_store(db)
        self.runner = ReadRunner(QThreadPool())
        self.runner.store = self.store
        self.ws = LayoutWorkspace(self.runner)
        # as the window's Edit > Undo does (its undo group follows the shown workspace)
        from PySide6.QtGui import QKeySequence

        undo = self.ws.undo_stack.createUndoAction(self.ws)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.ws.addAction(undo)
        self.ws.resize(1400, 850)
        self.ws.show()
        self.ws.activateWindow()
        self.ws.refresh()
        self.wait(lambda: self.ws.preview is not None and self.ws.view_data is not None)
        self.wait(lambda: self.ws.preview.shown_revision >= 0, 60)
        self.idle(0.5)

    def wait(self, done: Callable[[], bool], timeout: float = 30.0) -> None:
        end = time.perf_counter() + timeout
        while not done():
            self.app.processEvents()
            if time.perf_counter() > end:
                raise TimeoutError("the workspace did not answer in time")
            time.sleep(0.0005)

    def idle(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.002)

    def pixels(self) -> bytes:
        image = self.ws.preview.view.grab().toImage()
        return bytes(image.constBits())  # type: ignore[arg-type]

    def key_to_pixels(self, key: object, modifiers: object) -> float:
        """Press ``key`` on the panel tree; ms until the preview's pixels change."""
        from PySide6.QtTest import QTest

        before = self.pixels()
        self.ws.tree.setFocus()
        start = time.perf_counter()
        QTest.keyClick(self.ws.tree, key, modifiers)  # type: ignore[arg-type]
        deadline = start + 10
        while time.perf_counter() < deadline:
            self.app.processEvents()
            time.sleep(0.001)  # the GUI thread idles between looks, as in the event loop
            if self.pixels() != before:
                return (time.perf_counter() - start) * 1000
        raise TimeoutError("the preview did not change within 10 s")

    def close(self) -> None:
        self.runner.wait()
        self.ws.prepare_to_close()
        self.ws.close()
        self.store.close()


def run(db: Path, runs: int) -> None:
    from PySide6.QtCore import Qt

    b = Bench(db)
    assert b.ws.view_data is not None
    latest = next(p for p in b.ws.view_data.layout.panels if p.key == "latest_news")
    b.ws.select_panel(latest.id)  # second in the sidebar: it can go up and down
    grabs = []
    for _ in range(5):
        start = time.perf_counter()
        b.pixels()
        grabs.append((time.perf_counter() - start) * 1000)
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    moves, undos = [], []
    for n in range(runs):
        key = Qt.Key.Key_Down if n % 2 == 0 else Qt.Key.Key_Up
        moves.append(b.key_to_pixels(key, alt))
        b.wait(lambda: b.ws.settled)
        b.idle(0.15)
        undos.append(b.key_to_pixels(Qt.Key.Key_Z, ctrl))
        b.wait(lambda: b.ws.settled)
        b.idle(0.15)
        b.ws.select_panel(latest.id)
    emit("layout.move_to_preview_ms.median", statistics.median(moves), "ms", 100)
    emit("layout.move_to_preview_ms.p95", p95(moves), "ms", 200)
    emit("layout.undo_to_preview_ms.median", statistics.median(undos), "ms", 100)
    emit("layout.grab_ms.median", statistics.median(grabs), "ms", None)
    print(f"moves {[round(m) for m in moves]} undos {[round(u) for u in undos]}",
          file=sys.stderr)
    b.close()


def relay_resolve(smoke: bool) -> None:
    import subprocess

    out = subprocess.run([sys.executable, str(HERE / "layout_resolve.py"),
                          *(["--smoke"] if smoke else [])],
                         capture_output=True, text=True, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            print(line, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from _data import build_demo_db

    with tempfile.TemporaryDirectory(prefix="pse-layout-bench-") as tmp:
        db = build_demo_db(Path(tmp) / "layout.sqlite", comments=200 if args.smoke else None)
        run(db, 3 if args.smoke else args.runs)
    relay_resolve(args.smoke)
    return 0


if __name__ == "__main__":
    sys.exit(main())
