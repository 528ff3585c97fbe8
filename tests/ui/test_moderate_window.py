"""The Moderate workspace inside the main window on the shared newsroom (450 pending): Ctrl+2
shows the whole queue's length with one page read, the detail renders the hostile comment
safely, and Ctrl+End reaches the oldest comment with every row in order."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from pse_desk.ui.main_window import MainWindow
from pse_desk.ui.moderate.workspace import ModerateWorkspace

CTRL = Qt.KeyboardModifier.ControlModifier
PENDING = 450


def _moderate(window: MainWindow) -> ModerateWorkspace:
    ws = window.workspaces["moderate"]
    assert isinstance(ws, ModerateWorkspace)
    return ws


def test_ctrl_2_shows_the_whole_queue_with_one_page_read(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                         newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="write")
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    ws = _moderate(window)
    assert window.stack.currentWidget() is ws
    # the first page and the count are two reads in the pool: either may arrive first
    qtbot.waitUntil(lambda: ws.model.total == PENDING and ws.model.cached_rows > 0,
                    timeout=10000)
    assert ws.model.rowCount() == PENDING and ws.model.cached_rows == 200
    qtbot.waitUntil(lambda: ws.queues.currentItem().text() == f"Pending  ({PENDING})")
    qtbot.waitUntil(lambda: window.is_settled(), timeout=10000)
    assert ws.model.cached_rows == 200  # still one page: nothing else was read


def test_the_hostile_comment_is_sanitised_and_down_moves_on(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                             newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="moderate")
    ws = _moderate(window)
    qtbot.waitUntil(lambda: ws.pane.comment_id is not None, timeout=10000)
    assert ws.pane.body.toPlainText() == "bold?"  # the script is gone, <b> is kept
    assert "script" not in ws.pane.view.html  # type: ignore[union-attr]
    assert ws.pane.commenter.text() == "<i>Reader</i> One"  # a name is plain text
    assert ws.pane.commenter.textFormat() == Qt.TextFormat.PlainText
    first = ws.pane.comment_id
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: ws.pane.comment_id not in (None, first), timeout=10000)
    assert ws.pane.body.toPlainText() == "Pending comment number 1."


def test_ctrl_end_reaches_the_oldest_comment_and_rows_join_in_order(qtbot, open_window,  # type: ignore[no-untyped-def]
                                                                    newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="moderate")
    ws = _moderate(window)
    qtbot.waitUntil(lambda: ws.model.total == PENDING, timeout=10000)
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_End, CTRL)
    assert ws.table.currentIndex().row() == PENDING - 1
    qtbot.waitUntil(lambda: ws.pane.body.toPlainText() == f"Pending comment number {PENDING - 1}.",
                    timeout=10000)
    for row in range(0, PENDING, 100):
        if ws.model.ensure_row(row) is None:
            qtbot.waitUntil(lambda r=row: ws.model.row_at(r) is not None, timeout=10000)
    rows = [ws.model.row_at(i) for i in range(PENDING)]
    assert all(r is not None for r in rows)
    times = [r.posted_at for r in rows]  # type: ignore[union-attr]
    assert times == sorted(times, reverse=True)
    assert len({r.id for r in rows}) == PENDING  # type: ignore[union-attr]
