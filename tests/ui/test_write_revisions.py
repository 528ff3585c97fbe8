"""Revisions in the Write workspace: the timeline dialog, word-level comparison side by side,
non-destructive restore, and when autosave writes (pauses, long typing, quitting)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from write_fixture import (
    open_tab,
    saved_body,
    store_of,
    timeline,
    type_text,
    writable_newsroom,
    write_workspace,
)

from pse_desk.services import revisions
from pse_desk.services.revisions import ArticleText
from pse_desk.store import open_store
from pse_desk.store.model import RevisionKind
from pse_desk.ui.write.diff_view import DiffView
from pse_desk.ui.write.revisions_dialog import RevisionsDialog
from pse_desk.writing.diff import compare

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return writable_newsroom(tmp_path)


def test_the_diff_view_marks_removed_words_left_and_added_words_right(qtbot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    view.set_segments(compare("The council met on Monday.", "The county council met on Friday."))
    assert view.left.toPlainText() == "The council met on Monday."
    assert view.right.toPlainText() == "The county council met on Friday."
    assert "Monday" in "".join(view.marked_old)
    assert "Friday" in "".join(view.marked_new) and "county" in "".join(view.marked_new)
    assert "2 changes" in view.summary.text()


def test_the_diff_view_opens_at_the_first_change_and_walks_to_the_next(qtbot) -> None:
    view = DiffView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    same = "\n".join(f"Line {n} of the unchanged report." for n in range(300))
    old = f"{same}\nThe council met on Monday.\n{same}\nEnd."
    new = f"{same}\nThe council met on Friday.\n{same}\nThe end."
    view.set_segments(compare(old, new))
    assert "2 changes" in view.summary.text()
    for side, word in ((view.left, "Monday"), (view.right, "Friday")):
        change = side.document().find(word)
        assert side.viewport().rect().contains(side.cursorRect(change))  # in view, not the top
        assert side.verticalScrollBar().value() > 0
    assert not view.previous_button.isEnabled() and view.next_button.isEnabled()
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.right.textCursor().block().text() == "The end."
    assert view.previous_button.isEnabled() and not view.next_button.isEnabled()


def test_the_revisions_dialog_compares_two_revisions_and_restores_one(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    store = store_of(window)
    original = tab.editor.toPlainText()
    first = revisions.save_revision(store, tab.article_id, ArticleText(
        tab.form.title.text(), "", original + "\nOld closing line."), label="old")
    revisions.save_revision(store, tab.article_id, ArticleText(
        tab.form.title.text(), "", original + "\nNew closing line."), label="new")
    tab.editor.setFocus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_H, CTRL | SHIFT)
    qtbot.waitUntil(lambda: ws.findChild(RevisionsDialog) is not None, timeout=10000)
    dialog = ws.findChild(RevisionsDialog)
    qtbot.waitUntil(lambda: dialog.list.count() >= 2, timeout=10000)
    # the newest is selected first and compared with the editor's text
    qtbot.waitUntil(lambda: dialog.compared[1] is None and dialog.compared[0] is not None,
                    timeout=10000)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down, SHIFT)  # extend to the older one
    qtbot.waitUntil(lambda: dialog.compared[1] is not None, timeout=10000)
    assert dialog.compared[0] == first.id  # the older one is on the left
    assert "Old" in "".join(dialog.diff.marked_old)
    assert "New" in "".join(dialog.diff.marked_new)

    dialog.list.setCurrentRow(1, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.editor.toPlainText().endswith("Old closing line."),
                    timeout=10000)
    qtbot.waitUntil(lambda: saved_body(store, tab.article_id).endswith("Old closing line."),
                    timeout=10000)
    kinds = [r.kind for r in timeline(store, tab.article_id)]
    assert kinds[0] is RevisionKind.RESTORE and kinds.count(RevisionKind.MANUAL) == 2
    dialog.close()
    tab.editor.setFocus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_Z, CTRL)  # the restore is one undoable change
    assert tab.editor.toPlainText() == original


def test_typing_without_a_pause_is_still_autosaved_on_the_long_interval(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    store = store_of(window)
    tab.autosaver._max.setInterval(400)  # the 30 s clock, made short for the test
    typed = 0
    qtbot.keyClick(tab.editor, Qt.Key.Key_End, CTRL)
    while tab.autosaver.saves == 0 and typed < 400:
        qtbot.keyClicks(tab.editor, "ab")  # never idle for 2 s
        qtbot.wait(20)
        typed += 2
    assert tab.autosaver.saves >= 1, "no autosave while typing"
    assert typed < 400
    assert saved_body(store, tab.article_id).endswith("ab")


def test_quitting_saves_the_text_of_every_open_tab(qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    article_id = tab.article_id
    type_text(qtbot, tab, " Typed just before quitting.")
    path = store_of(window).path
    window.close()  # the window waits for the writes before it closes the database
    store = open_store(path)
    try:
        assert saved_body(store, article_id).endswith("Typed just before quitting.")
        assert not (path.parent / f"{path.name}.recovery" / f"{article_id}.json").exists()
    finally:
        store.close()
