"""Crash recovery end to end: a real desk process is killed with SIGKILL while it types, and the
next launch brings the text back (at most the last 2 s missing) and says it recovered it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from write_fixture import (
    open_tab,
    saved_body,
    store_of,
    timeline,
    writable_newsroom,
    write_workspace,
)

from pse_desk.services import recovery
from pse_desk.services.recovery import RECOVERED_LABEL, Snapshot
from pse_desk.store import open_store
from pse_desk.store.model import RevisionKind

TYPIST = Path(__file__).with_name("crash_typist.py")
TEXT = "Every word typed survives a kill. "
TYPE_FOR_S = 3.0
AT_MOST_MISSING_S = 2.0


def typed_text(count: int) -> str:
    return "".join(TEXT[i % len(TEXT)] for i in range(count))


def first_article(db: Path) -> tuple[str, str]:
    """The article the window opens first (the newest) and its saved body."""
    from pse_desk.services.articles import list_articles

    store = open_store(db)
    try:
        with store.read_session() as s:
            article_id = list_articles(s)[0].id
        return article_id, saved_body(store, article_id)
    finally:
        store.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_text_typed_before_a_sigkill_comes_back_at_the_next_launch(
        qtbot, open_window, tmp_path: Path) -> None:
    db = writable_newsroom(tmp_path)
    article_id, body_before = first_article(db)
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "typist-config"))
    child = subprocess.Popen([sys.executable, str(TYPIST), str(db)], stdout=subprocess.PIPE,
                             text=True, env=env)
    assert child.stdout is not None
    watchdog = threading.Timer(180, child.kill)  # a typist that never types must not hang us
    watchdog.start()
    typed_at: dict[int, float] = {}
    started = 0.0
    try:
        for line in child.stdout:
            words = line.split()
            if words[0] == "typed":
                typed_at[int(words[1])] = float(words[2])
                started = started or float(words[2])
                if float(words[2]) - started >= TYPE_FOR_S:
                    break
        killed_at = time.time()
        child.send_signal(signal.SIGKILL)
    finally:
        watchdog.cancel()
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(typed_at) > 20, "the typist did not get to type"

    window = open_window(db, workspace="write")
    ws = write_workspace(window)
    qtbot.waitUntil(lambda: ws.last_notice != "", timeout=20000)
    assert "Recovered the unsaved text of 1 article" in ws.last_notice
    assert "Recovered" in window.statusBar().currentMessage()
    tab = open_tab(qtbot, ws)
    assert tab.article_id == article_id
    text = tab.editor.toPlainText()
    assert text.startswith(body_before)
    recovered = text[len(body_before):]
    assert typed_text(len(recovered)) == recovered  # nothing garbled, nothing invented
    must_have = max((n for n, at in typed_at.items() if at <= killed_at - AT_MOST_MISSING_S),
                    default=0)
    assert len(recovered) >= must_have, (len(recovered), must_have, len(typed_at))
    assert saved_body(store_of(window), article_id) == text
    kinds = {(r.kind, r.label) for r in timeline(store_of(window), article_id)}
    assert (RevisionKind.AUTOSAVE, RECOVERED_LABEL) in kinds


def test_a_pending_snapshot_reopens_its_article_with_the_cursor_where_it_was(
        qtbot, open_window, tmp_path: Path) -> None:
    db = writable_newsroom(tmp_path)
    store = open_store(db)
    try:
        from pse_desk.services.articles import list_articles

        with store.read_session() as s:
            target = list_articles(s)[-1]  # not the one the window opens anyway
        body = saved_body(store, target.id) + "\nWords that never reached the database."
        recovery.write_snapshot(store, Snapshot(target.id, target.title, "", body,
                                                cursor=len(body)))
    finally:
        store.close()
    window = open_window(db, workspace="write")
    ws = write_workspace(window)
    qtbot.waitUntil(lambda: ws.tabs.tab_of(target.id) is not None, timeout=20000)
    tab = ws.tabs.tab_of(target.id)
    assert tab is not None and ws.tabs.current() is tab
    assert tab.editor.toPlainText() == body
    assert tab.editor.textCursor().position() == len(body)
    assert f"“{target.title}”" in ws.last_notice
    qtbot.waitUntil(lambda: tab.preview.shown_revision >= 0, timeout=20000)
    qtbot.wait(500)  # the page has loaded and scrolled: the editor must not have followed
    assert tab.editor.viewport().rect().contains(tab.editor.cursorRect())  # the words in view
    # the whole story stays over the text, not cut off in the status bar
    sentence = tab.notice_banner.sentence
    assert sentence.startswith("PSE Desk stopped before this text was saved.")
    assert f"({len(body):,} characters;" in sentence and tab.notice_banner.isVisible()
    window.statusBar().showMessage("Something else happened.")
    assert tab.notice_banner.sentence == sentence  # the next message does not remove it
    qtbot.mouseClick(tab.notice_banner.close_button, Qt.MouseButton.LeftButton)
    assert tab.notice_banner.sentence == "" and not tab.notice_banner.isVisible()


SAVER = Path(__file__).with_name("crash_saver.py")


def _run_and_kill(db: Path, kind: str, tmp_path: Path) -> None:
    """Run the saving desk until it says ``done``, then SIGKILL it."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / f"{kind}-config"))
    child = subprocess.Popen([sys.executable, str(SAVER), str(db), kind],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    watchdog = threading.Timer(180, child.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == "done":
                break
        child.send_signal(signal.SIGKILL)
    finally:
        watchdog.cancel()
        child.kill()
        child.wait(timeout=30)
    assert lines and lines[-1] == "done", lines
    assert child.returncode == -signal.SIGKILL


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
@pytest.mark.parametrize("kind", ["autosave", "save", "restore"])
def test_a_kill_after_a_save_brings_back_nothing_the_save_superseded(
        qtbot, open_window, tmp_path: Path, kind: str) -> None:
    from crash_saver import LINE

    db = writable_newsroom(tmp_path)
    article_id, body_before = first_article(db)
    _run_and_kill(db, kind, tmp_path)
    expected = body_before if kind == "restore" else f"{body_before}\n{LINE}"
    store = open_store(db)
    try:
        assert saved_body(store, article_id) == expected
        assert recovery.pending_recoveries(store) == []  # what the next launch would offer
    finally:
        store.close()

    window = open_window(db, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    assert tab.article_id == article_id and tab.editor.toPlainText() == expected
    assert ws.last_notice == ""
    assert saved_body(store_of(window), article_id) == expected
    labels = {r.label for r in timeline(store_of(window), article_id)}
    assert RECOVERED_LABEL not in labels
