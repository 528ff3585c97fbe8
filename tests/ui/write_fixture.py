"""Helpers for the Write workspace tests: a newsroom of their own (they write to it), the open
window's Write workspace, and reads of what was saved."""

from __future__ import annotations

from pathlib import Path

from newsroom_fixture import build_newsroom
from PySide6.QtCore import Qt

from pse_desk.services import revisions
from pse_desk.services.revisions import RevisionSummary
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article
from pse_desk.ui.main_window import MainWindow
from pse_desk.ui.write.article_tabs import ArticleTab
from pse_desk.ui.write.workspace import WriteWorkspace


def writable_newsroom(tmp_path: Path) -> Path:
    path = tmp_path / "writable.sqlite"
    store = open_store(path)
    try:
        build_newsroom(store, pending=3)
    finally:
        store.close()
    return path


def write_workspace(window: MainWindow) -> WriteWorkspace:
    ws = window.workspaces["write"]
    assert isinstance(ws, WriteWorkspace)
    return ws


def open_tab(qtbot, ws: WriteWorkspace) -> ArticleTab:  # type: ignore[no-untyped-def]
    """The tab the workspace opened on its first load, once its preview shows the text."""
    qtbot.waitUntil(lambda: ws.tabs.current() is not None, timeout=15000)
    tab = ws.tabs.current()
    assert tab is not None
    qtbot.waitUntil(lambda: tab.preview.shown_revision >= 0, timeout=30000)
    return tab


def type_text(qtbot, tab: ArticleTab, text: str, at_end: bool = True) -> None:  # type: ignore[no-untyped-def]
    tab.editor.setFocus()
    if at_end:
        qtbot.keyClick(tab.editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    for index, line in enumerate(text.split("\n")):
        if index:  # a newline character in keyClicks trips a Qt assertion: press Return
            qtbot.keyClick(tab.editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(tab.editor, line)


def store_of(window: MainWindow) -> Store:
    assert window.store is not None
    return window.store


def saved_body(store: Store, article_id: str) -> str:
    with store.read_session() as s:
        article = s.get(Article, article_id)
        assert article is not None
        return article.body_md


def timeline(store: Store, article_id: str) -> list[RevisionSummary]:
    return revisions.timeline(store, article_id)
