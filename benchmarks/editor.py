"""Benchmark: the Write editor's own work — keystrokes in a long article, hostile lines, and
10 MB lines opened, split and pasted — timed on the GUI thread.

The tests check what the editor does (tests/ui/test_editor_large.py: a keystroke styles only
the lines around it, the analysis and the spelling run elsewhere; test_write_long_lines.py:
big texts go in a slice per turn of the event loop; test_editor.py and
test_editor_spelling.py: what a hostile line is styled and checked as); this script measures
how long it takes. Offscreen; prints JSON lines {"metric", "value", "unit", "target", "better"}:

* ``editor.load_ms.<N>w`` — ``MarkdownEditor.set_markdown`` of a generated article (100,000
  words) and one turn of the event loop: its first screens styled, the rest later
  (informational);
* ``editor.keystroke_ms.median.<N>w`` / ``editor.keystroke_ms.max.<N>w`` — a key press in the
  middle of that article, with the spelling checker attached, 10 keys and then 20 more while
  the whole-text analysis runs, each with one turn of the event loop after it (targets: median
  <= 30 ms, the slowest <= 250 ms);
* ``editor.hostile_line_style_ms`` — the slowest of eight hostile lines (20,000 backticks,
  ``'**a ' * 2500`` …) through the highlighter's span engine (target <= 500 ms; the quadratic
  versions took 2-8 s);
* ``editor.hostile_line_spell_ms`` — the slowest of three hostile lines (backticks, footnote
  marks, code spans) defused and spell-checked (target <= 500 ms; without defusing 1.7-7 s);
* ``editor.long_line_open_stall_ms`` — the longest gap of a 1 ms heartbeat on the GUI thread
  while the Write workspace opens an article whose body is one 10 MB line, until its preview
  shows (target <= 100 ms);
* ``editor.long_line_split_stall_ms`` — the same while "Split long lines" saves the split text
  and the editor fills with it (target <= 300 ms);
* ``editor.long_line_paste_stall_ms`` — the same while a 10 MB line is pasted into an editor
  (target <= 300 ms).

Run: .venv/bin/python benchmarks/editor.py [--words 100000]; ``--smoke``: 2,000 words and a
1 MB line (checks that it works, ~10 s). As root also QTWEBENGINE_DISABLE_SANDBOX=1 and
QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu (set here when missing).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _articles import article

KEYSTROKE_MEDIAN_TARGET_MS = 30.0
KEYSTROKE_MAX_TARGET_MS = 250.0
HOSTILE_TARGET_MS = 500.0
OPEN_STALL_TARGET_MS = 100.0
SPLIT_STALL_TARGET_MS = 300.0
PASTE_STALL_TARGET_MS = 300.0
HOSTILE_STYLE = ("`" * 19999, "**a " * 2500, "*a " * 3300, "~~" * 4999, "[^" * 5000,
                 "**a" * 3300, "[a](b) " * 1400, "`a` *b* " * 1250)
HOSTILE_SPELL = ("`" * 9999, "[^" * 4999, "`a` " * 2400)


def emit(metric: str, value: float, unit: str, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 2), "unit": unit,
                      "target": target, "better": "lower"}), flush=True)


def wait_until(done: Callable[[], bool], timeout_s: float = 120.0) -> None:
    """Run the event loop until ``done()`` (checked every 5 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return
    loop = QEventLoop()
    limit = time.monotonic() + timeout_s
    failed = {"timeout": False}

    def check() -> None:
        if done():
            loop.quit()
        elif time.monotonic() > limit:
            failed["timeout"] = True
            loop.quit()

    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if failed["timeout"]:
        raise SystemExit("the editor did not get there in time")


@contextmanager
def heartbeat() -> Iterator[list[float]]:
    """The times of a 1 ms timer's beats on the GUI thread while the block runs."""
    from PySide6.QtCore import Qt, QTimer

    beats = [time.perf_counter()]
    heart = QTimer()
    heart.setTimerType(Qt.TimerType.PreciseTimer)
    heart.setInterval(1)
    heart.timeout.connect(lambda: beats.append(time.perf_counter()))
    heart.start()
    try:
        yield beats
    finally:
        heart.stop()
        beats.append(time.perf_counter())


def longest_gap_ms(beats: list[float]) -> float:
    return max((b - a) * 1000 for a, b in itertools.pairwise(beats))


def keystrokes(words: int, folder: Path) -> dict[str, float]:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest

    from pse_desk.ui.write.editor import MarkdownEditor
    from pse_desk.ui.write.spell import SpellChecker

    editor = MarkdownEditor()
    editor.resize(900, 700)
    editor.show()
    spell = SpellChecker(personal_path=folder / "words.txt")
    spell.attach(editor)
    text = article(words, seed=4)
    analysed: list[object] = []
    editor.analysis_ready.connect(analysed.append)
    started = time.perf_counter()
    editor.set_markdown(text)
    QCoreApplication.processEvents()
    load_ms = (time.perf_counter() - started) * 1000
    editor.go_to_line(editor.document().blockCount() // 2)
    editor.moveCursor(editor.textCursor().MoveOperation.EndOfBlock)

    def key(char: str) -> float:
        begun = time.perf_counter()
        QTest.keyClick(editor, Qt.Key(ord(char.upper())), Qt.KeyboardModifier.NoModifier)
        QCoreApplication.processEvents()
        return (time.perf_counter() - begun) * 1000

    times = [key("x") for _ in range(10)]
    editor.analyse_now()  # and type on while the worker reads the whole text
    times += [key("y") for _ in range(20)]
    revision = editor.revision()
    wait_until(lambda: any(getattr(a, "revision", None) == revision for a in analysed))
    spell.wait()
    editor.close()
    editor.deleteLater()
    return {"load": load_ms, "median": statistics.median(times), "max": max(times)}


def hostile_lines() -> tuple[float, float]:
    from pse_desk.ui.write.spell import defused
    from pse_desk.writing import spelling
    from pse_desk.writing.markdown_spans import inline_spans, resolve

    style = []
    for line in HOSTILE_STYLE:
        started = time.perf_counter()
        resolve(inline_spans(line))
        style.append((time.perf_counter() - started) * 1000)
    checker = spelling.SpellChecker()
    if not checker.available:
        raise SystemExit("no en_GB dictionary for Enchant (install hunspell-en-gb)")
    spell = []
    for line in HOSTILE_SPELL:
        started = time.perf_counter()
        checker.check_line(defused(line))
        spell.append((time.perf_counter() - started) * 1000)
    return max(style), max(spell)


def paste_stall_ms(line: str) -> float:
    from PySide6.QtCore import QMimeData

    from pse_desk.ui.write.editor import MarkdownEditor

    editor = MarkdownEditor()
    editor.resize(700, 500)
    editor.show()
    editor.set_markdown("Before. After.")
    cursor = editor.textCursor()
    cursor.setPosition(len("Before. "))
    editor.setTextCursor(cursor)
    mime = QMimeData()
    mime.setText(line)
    with heartbeat() as beats:
        editor.insertFromMimeData(mime)
        wait_until(lambda: not editor.isReadOnly())
    editor.close()
    editor.deleteLater()
    return longest_gap_ms(beats)


def long_line_newsroom(path: Path, line: str) -> str:
    """A database with a short article (opened at start) and one whose body is ``line``."""
    from pse_desk.services import articles
    from pse_desk.store import open_store

    store = open_store(path)
    try:
        long_ref = articles.create_article(store, "One enormous line", section="News")
        articles.save_body(store, long_ref.id, line)
        short = articles.create_article(store, "A short note", section="News")
        articles.save_body(store, short.id, "A short note.\n")
    finally:
        store.close()
    return long_ref.id


def workspace_stalls_ms(folder: Path, line: str) -> tuple[float, float]:
    """(opening the long-line article, splitting it): the longest GUI stalls, in ms."""
    from PySide6.QtCore import QSettings

    from pse_desk.ui.main_window import MainWindow
    from pse_desk.ui.settings import desk_settings

    db = folder / "long.sqlite"
    article_id = long_line_newsroom(db, line)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(folder / "settings"))
    window = MainWindow(desk_settings(), db, workspace="write")
    window.resize(1100, 700)
    window.show()
    window.start()
    try:
        wait_until(window.is_settled)
        ws: Any = window.workspaces["write"]
        wait_until(lambda: ws.tabs.current() is not None
                   and ws.tabs.current().preview.shown_revision >= 0)
        with heartbeat() as beats:
            ws.open_article(article_id)
            wait_until(lambda: ws.tabs.tab_of(article_id) is not None)
            tab = ws.tabs.tab_of(article_id)
            wait_until(lambda: bool(tab.line_guard.banner.sentence)
                       and tab.preview.shown_revision >= 0)
        opened = longest_gap_ms(beats)
        with heartbeat() as beats:
            tab.line_guard.banner.button.click()
            wait_until(lambda: not tab.line_guard.protected)
        split = longest_gap_ms(beats)
    finally:
        window.shutdown()
    return opened, split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 words and a 1 MB line: checks that it works")
    args = parser.parse_args()
    words = 2_000 if args.smoke else args.words
    line = "w" * (1_000_000 if args.smoke else 10_000_000)  # no spaces: Qt's worst case

    folder = Path(tempfile.mkdtemp(prefix="pse-editor-bench-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(folder / name.lower())  # never the user's own settings
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    from pse_desk.ui import guard_singleton_refcounts
    from pse_desk.ui.write.asset_scheme import register_asset_scheme

    guard_singleton_refcounts()
    register_asset_scheme()
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    gc.collect()
    gc.freeze()  # as the application does once its window is up
    try:
        typed = keystrokes(words, folder)
        tag = f"{words}w"
        emit(f"editor.load_ms.{tag}", typed["load"], "ms", None)
        emit(f"editor.keystroke_ms.median.{tag}", typed["median"], "ms",
             KEYSTROKE_MEDIAN_TARGET_MS)
        emit(f"editor.keystroke_ms.max.{tag}", typed["max"], "ms", KEYSTROKE_MAX_TARGET_MS)
        style, spell = hostile_lines()
        emit("editor.hostile_line_style_ms", style, "ms", HOSTILE_TARGET_MS)
        emit("editor.hostile_line_spell_ms", spell, "ms", HOSTILE_TARGET_MS)
        opened, split = workspace_stalls_ms(folder, line)
        emit("editor.long_line_open_stall_ms", opened, "ms", OPEN_STALL_TARGET_MS)
        emit("editor.long_line_split_stall_ms", split, "ms", SPLIT_STALL_TARGET_MS)
        emit("editor.long_line_paste_stall_ms", paste_stall_ms(line), "ms",
             PASTE_STALL_TARGET_MS)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
