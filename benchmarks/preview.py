"""Benchmark: keystroke-to-preview latency of the live preview, and GUI stalls while typing.

Offscreen, with a real ``QPlainTextEdit`` wired to a real ``PreviewPane`` (QtWebEngine, the
render worker process) exactly as the Write workspace wires them: every text change hands the
editor's text and a new revision to ``PreviewPane.set_markdown``. Prints JSON lines
{"metric", "value", "unit", "target", "better"} for generated articles of 2,000, 20,000 and
100,000 words:

* ``preview.keystroke_ms.median.<N>w`` / ``.p95.<N>w`` — from a ``QKeyEvent`` sent to the
  editor to the callback of the ``runJavaScript`` patch confirming that the page holds the new
  text (targets: median <= 40 ms, p95 <= 80 ms);
* ``preview.stall_ms.max.100000w`` — the longest gap of a 1 ms ``QTimer`` heartbeat on the GUI
  thread while 200 characters are typed into the 100,000-word article, one every 20 ms
  (target <= 30 ms); ``preview.stall_ms.max.idle_baseline`` is the same heartbeat for as long
  with nothing typed: on a shared, loaded machine the scheduler alone makes gaps this long
  (informational);
* ``preview.full_markdown_ms.<N>w`` — one plain full Python-Markdown conversion of the article
  (``markdown_to_html``, median of three): what a preview that re-renders everything pays
  (informational);
* ``preview.full_to_keystroke_ratio.<N>w`` — that time over the median keystroke latency
  (informational);

and for bad input (tests/ui/test_preview.py checks what is shown, these how long it takes):

* ``preview.hostile_failure_s`` — a text that hangs Python-Markdown (20,000 nested brackets)
  given to the pane, to its failure sentence (``render_failed``) (target <= the render
  deadline, 2 s, plus 3 s);
* ``preview.stall_ms.max.hostile`` — the longest heartbeat gap from then until the rest of the
  article is shown again, the bad block as plain text (target <= 250 ms);
* ``preview.stall_ms.max.long_line`` — the same for a text with NUL characters and a 10 MB line
  (one block too large to format) until it is shown (target <= 250 ms).

At the end it checks that the page holds the last typed text. As the application should once
its window is up (launch.py), it moves the objects of start-up out of the garbage collector's
reach with ``gc.freeze()`` (``--no-gc-freeze`` measures without: a full collection then stalls
the GUI thread for ~90 ms on a 2-core machine).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/preview.py [--keys 60] [--quick]
     [--editor plain|markdown]
``--smoke``: 2,000 words only, 8 keystrokes, 20 stall characters (on that article), a 1 MB line
instead of 10 MB (checks that it works, ~15 s).
(as root also QTWEBENGINE_DISABLE_SANDBOX=1 QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu; the
script sets these itself when they are missing and it runs as root).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import sys
import time
from typing import Any

from _articles import article

SIZES = (2_000, 20_000, 100_000)
MEDIAN_TARGET_MS = 40.0
P95_TARGET_MS = 80.0
STALL_TARGET_MS = 30.0
BAD_INPUT_STALL_TARGET_MS = 250.0
HOSTILE_EXTRA_S = 3.0  # past the render deadline: the worker killed, replaced and answering
HOSTILE = "[" * 20_000 + "a" + "]" * 20_000
STALL_CHARS = 200
STALL_INTERVAL_MS = 20
MARKER = "Zqx"


def emit(metric: str, value: float, unit: str, target: float | None,
         better: str = "lower") -> None:
    print(json.dumps({"metric": metric, "value": round(value, 2), "unit": unit,
                      "target": target, "better": better}), flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def full_markdown_ms(md: str, runs: int = 3) -> float:
    from pse_desk.render.markdown import markdown_to_html

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        markdown_to_html(md)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class Bench:
    """One editor and one preview, wired as the Write workspace wires them."""

    def __init__(self, editor: str = "plain") -> None:
        from PySide6.QtWidgets import QPlainTextEdit

        from pse_desk.ui.write.preview import PreviewPane

        self.pane = PreviewPane()
        self.pane.resize(1100, 800)
        self._revision = 0
        self.markdown_editor = editor == "markdown"
        if self.markdown_editor:
            from pse_desk.ui.write.editor import MarkdownEditor

            self.editor: QPlainTextEdit = MarkdownEditor()
            self.editor.text_changed_rev.connect(self._revised)
        else:
            self.editor = QPlainTextEdit()
            self.editor.textChanged.connect(self._typed)
        self.editor.resize(700, 800)
        self.editor.show()
        self.pane.show()

    @property
    def revision(self) -> int:
        """The editor's text revision (MarkdownEditor counts its own)."""
        if self.markdown_editor:
            return int(self.editor.revision())  # type: ignore[attr-defined]
        return self._revision

    def _typed(self) -> None:
        self._revision += 1
        self.pane.set_markdown(self.editor.toPlainText(), self._revision)

    def _revised(self, revision: int) -> None:
        self.pane.set_markdown(self.editor.toPlainText(), revision)

    def wait_until(self, done: Any, timeout_s: float = 60.0) -> None:
        """Run the event loop until ``done()``: checked on every patch and every 5 ms.

        (Not ``QApplication.processEvents`` in a loop: in PySide6 6.12 on Python 3.11 each
        call drops a reference to ``None`` it never took, and the process dies after a few
        thousand calls.)
        """
        from PySide6.QtCore import QEventLoop, QTimer

        if done():
            return
        loop = QEventLoop()
        limit = time.monotonic() + timeout_s
        failed = {"timeout": False}

        def check(*_args: object) -> None:
            if done():
                loop.quit()
            elif time.monotonic() > limit:
                failed["timeout"] = True
                loop.quit()

        poll = QTimer()
        poll.setInterval(5)
        poll.timeout.connect(check)
        self.pane.patched.connect(check)
        poll.start()
        loop.exec()
        poll.stop()
        self.pane.patched.disconnect(check)
        if failed["timeout"]:
            raise SystemExit("the preview did not answer in time")

    def load(self, md: str) -> None:
        from pse_desk.render.page import DEFAULT_SECTIONS, PageArticle, PageLayout

        self.editor.blockSignals(True)
        self.editor.setPlainText(md)
        self.editor.blockSignals(False)
        self._revision += 1
        self.pane.set_page(PageArticle(title="Benchmark article", body_md=md),
                           PageLayout(sections=DEFAULT_SECTIONS))
        self.pane.set_markdown(md, self.revision)
        target = self.revision
        self.wait_until(lambda: self.pane.shown_revision == target, 120.0)
        cursor = self.editor.textCursor()
        middle = md.index(". ", len(md) // 2) + 1  # inside a paragraph in the middle
        cursor.setPosition(middle)
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def key(self, char: str) -> None:
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        code = Qt.Key.Key_Space if char == " " else Qt.Key(ord(char.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(self.editor, QKeyEvent(kind, code,
                                                          Qt.KeyboardModifier.NoModifier, char))

    def keystroke_ms(self, count: int) -> list[float]:
        latencies = []
        text = (MARKER.lower() + " ") * (count // 4 + 1)
        for char in text[:count]:
            started = time.perf_counter()
            self.key(char)
            target = self.revision
            self.wait_until(lambda target=target: self.pane.shown_revision >= target)
            latencies.append((time.perf_counter() - started) * 1000)
        return latencies

    def page_contains(self, fragment: str) -> bool:
        box: list[Any] = []
        # a number, not a bool: PySide 6.12 miscounts references to True / False it returns
        self.pane.run_in_page("document.getElementById('pse-body').textContent.indexOf("
                              + json.dumps(fragment) + ")", box.append)
        self.wait_until(lambda: bool(box))
        return isinstance(box[0], float) and box[0] >= 0

    def longest_idle_gap_ms(self, seconds: float) -> float:
        """The longest heartbeat gap with nothing typed: the machine's own noise floor."""
        from PySide6.QtCore import Qt, QTimer

        beats: list[float] = []
        heart = QTimer()
        heart.setTimerType(Qt.TimerType.PreciseTimer)
        heart.setInterval(1)
        heart.timeout.connect(lambda: beats.append(time.perf_counter()))
        heart.start()
        end = time.perf_counter() + seconds
        self.wait_until(lambda: time.perf_counter() >= end, seconds + 10)
        heart.stop()
        return max((b - a) * 1000 for a, b in itertools.pairwise(beats))

    def longest_stall_ms(self, chars: int, interval_ms: int) -> float:
        from PySide6.QtCore import Qt, QTimer

        beats: list[float] = []
        heart = QTimer()
        heart.setTimerType(Qt.TimerType.PreciseTimer)
        heart.setInterval(1)
        heart.timeout.connect(lambda: beats.append(time.perf_counter()))
        typed = {"n": 0}
        typist = QTimer()
        typist.setTimerType(Qt.TimerType.PreciseTimer)
        typist.setInterval(interval_ms)
        text = ("public sector " * (chars // 14 + 1))[:chars]

        def type_one() -> None:
            if typed["n"] >= chars:
                typist.stop()
                return
            self.key(text[typed["n"]])
            typed["n"] += 1

        typist.timeout.connect(type_one)
        heart.start()
        self.wait_until(lambda: len(beats) > 5)
        typist.start()
        self.wait_until(lambda: typed["n"] >= chars)
        final = self.revision
        self.wait_until(lambda: self.pane.shown_revision >= final)
        heart.stop()
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(beats)]
        return max(gaps)

    def bad_input(self, md: str, *, fails: bool) -> tuple[float, float]:
        """(seconds to ``render_failed`` or 0, longest GUI stall in ms until the text is
        shown) after the pane is given ``md``, a text with bad input in it."""
        from PySide6.QtCore import Qt, QTimer

        beats: list[float] = []
        heart = QTimer()
        heart.setTimerType(Qt.TimerType.PreciseTimer)
        heart.setInterval(1)
        heart.timeout.connect(lambda: beats.append(time.perf_counter()))
        failed: list[float] = []
        conn = self.pane.render_failed.connect(lambda _s: failed.append(time.perf_counter()))
        self._revision += 1
        revision = self._revision
        heart.start()
        beats.append(time.perf_counter())
        started = time.perf_counter()
        self.pane.set_markdown(md, revision)
        self.wait_until(lambda: self.pane.shown_revision >= revision
                        and (bool(failed) or not fails), 120.0)
        heart.stop()
        beats.append(time.perf_counter())
        self.pane.render_failed.disconnect(conn)
        if fails and not failed:
            raise SystemExit("the hostile text did not fail")
        stall = max((b - a) * 1000 for a, b in itertools.pairwise(beats))
        return (failed[0] - started if failed else 0.0), stall

    def close(self) -> None:
        self.pane.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=60, help="keystrokes timed per size")
    parser.add_argument("--quick", action="store_true", help="20 keystrokes, 50 stall chars")
    parser.add_argument("--editor", choices=("plain", "markdown"), default="plain",
                        help="a plain QPlainTextEdit (default) or the Write workspace's "
                             "MarkdownEditor (highlighting, 0 ms revision timer, analysis)")
    parser.add_argument("--no-gc-freeze", action="store_true",
                        help="leave the objects of start-up in the collector's generations")
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 words, 8 keystrokes, a 1 MB line: checks that it works")
    args = parser.parse_args()
    keys = 8 if args.smoke else 20 if args.quick else args.keys  # 8: the marker twice
    stall_chars = 20 if args.smoke else 50 if args.quick else STALL_CHARS
    sizes = SIZES[:1] if args.smoke else SIZES

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    from pse_desk.ui.write.asset_scheme import register_asset_scheme

    register_asset_scheme()
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    bench = Bench(args.editor)
    if not args.no_gc_freeze:
        # as launch.py should once the window is up: a full collection walks every object of
        # start-up (Qt wrappers, SQLAlchemy, Markdown, Pygments) and stalls the GUI ~90 ms
        gc.collect()
        gc.freeze()
    try:
        for words in sizes:
            md = article(words, seed=11)
            bench.load(md)
            bench.keystroke_ms(5)  # warm the caches and the page
            latencies = bench.keystroke_ms(keys)
            median = statistics.median(latencies)
            emit(f"preview.keystroke_ms.median.{words}w", median, "ms", MEDIAN_TARGET_MS)
            emit(f"preview.keystroke_ms.p95.{words}w", percentile(latencies, 0.95), "ms",
                 P95_TARGET_MS)
            if not bench.page_contains(MARKER.lower() + " " + MARKER.lower()):
                raise SystemExit("the page does not hold the typed text")
            if words == sizes[-1]:
                stall = bench.longest_stall_ms(stall_chars, STALL_INTERVAL_MS)
                emit(f"preview.stall_ms.max.{words}w", stall, "ms", STALL_TARGET_MS)
                idle = bench.longest_idle_gap_ms(stall_chars * STALL_INTERVAL_MS / 1000)
                emit("preview.stall_ms.max.idle_baseline", idle, "ms", None)
            full = full_markdown_ms(md)
            emit(f"preview.full_markdown_ms.{words}w", full, "ms", None)
            emit(f"preview.full_to_keystroke_ratio.{words}w", full / median, "x", None,
                 better="higher")
        intro = "A fine opening paragraph.\n\n"
        fail_s, stall = bench.bad_input(intro + HOSTILE + "\n\nA closing paragraph.\n",
                                        fails=True)
        emit("preview.hostile_failure_s", fail_s, "s",
             bench.pane.bridge.deadline_s + HOSTILE_EXTRA_S)
        emit("preview.stall_ms.max.hostile", stall, "ms", BAD_INPUT_STALL_TARGET_MS)
        line = "w" * (1_000_000 if args.smoke else 10_000_000)
        _none, stall = bench.bad_input("Null\x00byte here.\n\n" + line + "\n\nEnd.\n",
                                       fails=False)
        emit("preview.stall_ms.max.long_line", stall, "ms", BAD_INPUT_STALL_TARGET_MS)
    finally:
        bench.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
