"""The Write workspace as an editor: tabs, the preview beside the text, autosave, named
revisions, new / duplicate / delete with undo, metadata, images and export.

Each test opens a real window on a newsroom of its own and works it with key presses."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from write_fixture import (
    open_tab,
    saved_body,
    store_of,
    timeline,
    type_text,
    writable_newsroom,
    write_workspace,
)

from pse_desk.store.model import Article, RevisionKind

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    return writable_newsroom(tmp_path)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


def test_typing_shows_in_the_preview_and_the_status_bar_counts_words(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    type_text(qtbot, tab, "\n\nA fresh paragraph typed here.")
    qtbot.waitUntil(lambda: tab.preview.shown_revision == tab.editor.revision(), timeout=20000)
    found: list[object] = []
    tab.preview.run_in_page("document.getElementById('pse-body').innerText", found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=10000)
    assert "A fresh paragraph typed here." in str(found[0])
    qtbot.waitUntil(lambda: "words" in ws.stats_label.text(), timeout=20000)
    assert "min read" in ws.stats_label.text()
    assert ws.stats_label in window.statusBar().findChildren(type(ws.stats_label))


def test_a_pause_in_typing_autosaves_the_text_as_a_revision(qtbot, open_window,
                                                            newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    store = store_of(window)
    type_text(qtbot, tab, " Autosaved words.")
    qtbot.waitUntil(lambda: saved_body(store, tab.article_id).endswith("Autosaved words."),
                    timeout=10000)
    kinds = [r.kind for r in timeline(store, tab.article_id)]
    assert kinds[0] is RevisionKind.AUTOSAVE


def test_ctrl_s_saves_a_named_revision_with_its_label(qtbot, open_window,
                                                      newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    store = store_of(window)
    type_text(qtbot, tab, " Ready for the subeditor.")
    qtbot.keyClick(tab.editor, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: ws.findChild(QInputDialog, "revisionLabelDialog") is not None)
    dialog = ws.findChild(QInputDialog, "revisionLabelDialog")
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.focusWidget(), "first draft")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.kind is RevisionKind.MANUAL
                                for r in timeline(store, tab.article_id)), timeout=10000)
    named = [r for r in timeline(store, tab.article_id) if r.kind is RevisionKind.MANUAL]
    assert named[0].label == "first draft"
    assert saved_body(store, tab.article_id).endswith("Ready for the subeditor.")


def test_each_tab_keeps_its_own_text_and_undo_and_switching_tab_saves(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    first = open_tab(qtbot, ws)
    store = store_of(window)
    type_text(qtbot, first, " Words in the first tab.")
    other = ws.model.row_at(1)
    assert other is not None
    ws.table.selectRow(1)  # the first tab was typed in: this opens a second tab
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
    assert ws.tabs.current().article_id == other.id  # type: ignore[union-attr]
    # switching away saved the first article at once (no 2 s wait)
    qtbot.waitUntil(lambda: saved_body(store, first.article_id).endswith("first tab."),
                    timeout=5000)
    second = ws.tabs.current()
    assert second is not None
    type_text(qtbot, second, "xyz")
    qtbot.keyClick(second.editor, Qt.Key.Key_Z, CTRL)  # undoes only the second tab's typing
    assert not second.editor.toPlainText().endswith("xyz")
    assert first.editor.toPlainText().endswith("Words in the first tab.")


def test_closing_a_tab_saves_and_asks_nothing(qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    store = store_of(window)
    article_id = tab.article_id
    type_text(qtbot, tab, " Closing now.")
    qtbot.keyClick(tab.editor, Qt.Key.Key_W, CTRL)
    assert ws.tabs.count() == 0
    qtbot.waitUntil(lambda: saved_body(store, article_id).endswith("Closing now."),
                    timeout=5000)
    assert QMessageBox not in {type(w) for w in window.findChildren(QMessageBox)}


def test_new_article_then_delete_and_ctrl_z_brings_it_back(qtbot, open_window,
                                                          newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    open_tab(qtbot, ws)
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: ws.model.rowCount() == 5, timeout=10000)
    qtbot.waitUntil(lambda: ws.tabs.current() is not None
                    and ws.tabs.current().detail.title == "Untitled article",  # type: ignore[union-attr]
                    timeout=10000)
    new_tab = ws.tabs.current()
    assert new_tab is not None and new_tab.form.title.hasFocus()
    new_id = new_tab.article_id
    qtbot.keyClick(new_tab.form.title, Qt.Key.Key_Delete, CTRL | SHIFT)
    qtbot.waitUntil(lambda: ws.model.rowCount() == 4, timeout=10000)
    assert ws.tabs.tab_of(new_id) is None
    assert window.statusBar().currentMessage() == (
        "Deleted “Untitled article”. Press Ctrl+Z (Edit > Undo) to bring it back.")
    with store_of(window).read_session() as s:
        assert s.get(Article, new_id).deleted  # type: ignore[union-attr]
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: ws.model.rowCount() == 5, timeout=10000)
    qtbot.waitUntil(lambda: ws.tabs.tab_of(new_id) is not None, timeout=10000)


def test_duplicate_opens_a_draft_copy(qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    body = tab.editor.toPlainText()
    qtbot.keyClick(tab.editor, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
    copy = ws.tabs.current()
    assert copy is not None and copy.detail.title.startswith("Copy of ")
    assert copy.editor.toPlainText() == body and copy.detail.status == "draft"


def test_editing_the_title_saves_metadata_and_renames_the_tab(qtbot, open_window,
                                                              newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    tab.form.title.setFocus()
    tab.form.title.selectAll()
    qtbot.keyClicks(tab.form.title, "A retitled article")
    qtbot.keyClick(tab.form.title, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: ws.tabs.tabText(ws.tabs.indexOf(tab)) == "A retitled article",
                    timeout=10000)
    qtbot.waitUntil(lambda: any(r.title == "A retitled article" for r in ws.model.rows()),
                    timeout=10000)


def test_an_empty_title_is_refused_with_a_sentence(qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    tab.form.title.setFocus()
    tab.form.title.selectAll()
    qtbot.keyClick(tab.form.title, Qt.Key.Key_Backspace)
    qtbot.keyClick(tab.form.title, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: tab.form.problem.text() == "An article needs a title.",
                    timeout=10000)


def test_insert_image_puts_a_stored_image_at_the_cursor(qtbot, open_window, newsroom: Path,
                                                        tmp_path: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    image = tmp_path / "chart.png"
    image.write_bytes(tiny_png())
    ws.insert_image_file(tab, str(image))
    qtbot.waitUntil(lambda: "](pse-asset:" in tab.editor.toPlainText(), timeout=10000)


def test_a_file_that_is_not_an_image_is_refused_in_a_message_box(
        qtbot, open_window, newsroom: Path, tmp_path: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    bogus = tmp_path / "notes.png"
    bogus.write_bytes(b"\xff\xfe not an image \x00 at all")
    before = tab.editor.toPlainText()
    ws.insert_image_file(tab, str(bogus))
    qtbot.waitUntil(lambda: ws.findChild(QMessageBox, "imageRefused") is not None,
                    timeout=10000)
    box = ws.findChild(QMessageBox, "imageRefused")
    assert "is not an image PSE Desk can use" in box.text()
    assert tab.editor.toPlainText() == before
    box.close()


def test_export_writes_one_standalone_sanitised_page(qtbot, open_window, newsroom: Path,
                                                     tmp_path: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    type_text(qtbot, tab, "\n\nExported <script>alert(1)</script> words.")
    target = tmp_path / "out" / "article.html"
    target.parent.mkdir()
    ws.export_to(tab, str(target))
    qtbot.waitUntil(target.exists, timeout=30000)
    html = target.read_text(encoding="utf-8")
    assert "Exported" in html and "<script>alert" not in html
    assert "<style" in html


def test_the_width_action_shows_the_mobile_width(qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    tab.editor.setFocus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_M, CTRL | SHIFT)
    assert tab.preview.width_mode == "mobile"
    qtbot.keyClick(tab.editor, Qt.Key.Key_M, CTRL | SHIFT)
    assert tab.preview.width_mode == "desktop"


def test_a_line_clicked_in_the_preview_moves_the_editor_cursor_there(qtbot, open_window,
                                                              newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    tab.preview.source_line_clicked.emit(3)
    assert tab.editor.textCursor().blockNumber() == 2


def test_switching_database_saves_the_open_articles_to_the_old_one_first(
        qtbot, open_window, newsroom: Path, tmp_path: Path) -> None:
    from pse_desk.store import open_store

    other_folder = tmp_path / "other"
    other_folder.mkdir()
    other = writable_newsroom(other_folder)
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)
    article_id = tab.article_id
    type_text(qtbot, tab, " Saved before the switch.")
    window.open_database(other)
    qtbot.waitUntil(lambda: window.store is not None and window.store.path == other,
                    timeout=15000)
    qtbot.waitUntil(lambda: ws.tabs.current() is not None
                    and ws.tabs.current().context.store.path == other,  # type: ignore[union-attr]
                    timeout=15000)
    old = open_store(newsroom)
    try:
        assert saved_body(old, article_id).endswith("Saved before the switch.")
    finally:
        old.close()


def test_the_remote_images_action_follows_the_tab_it_applies_to(qtbot, open_window,
                                                                newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    first = open_tab(qtbot, ws)
    action = window.registry["view.remote_images"]
    first.editor.setFocus()
    qtbot.keyClick(first.editor, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.AltModifier)
    assert action.isChecked() and first.preview.interceptor.remote_images_allowed
    type_text(qtbot, first, " typed")  # so the next article opens in a tab of its own
    ws.table.selectRow(2)
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
    assert not action.isChecked()
    ws.tabs.setCurrentWidget(first)
    assert action.isChecked()
    store = store_of(window)

    def remembered() -> bool:
        with store.read_session() as s:
            article = s.get(Article, first.article_id)
            return article is not None and article.allow_remote_images

    qtbot.waitUntil(remembered, timeout=5000)  # the choice is kept for that article


def test_undoing_new_article_closes_its_tab_and_deletes_it(qtbot, open_window,
                                                          newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    open_tab(qtbot, ws)
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
    new_tab = ws.tabs.current()
    assert new_tab is not None
    new_id = new_tab.article_id
    qtbot.waitUntil(lambda: ws.model.row_of(new_id) >= 0, timeout=10000)
    type_text(qtbot, new_tab, "Some first words.")
    ws.table.setFocus()
    qtbot.keyClick(ws.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: ws.tabs.tab_of(new_id) is None, timeout=10000)
    qtbot.waitUntil(lambda: ws.model.row_of(new_id) < 0 and ws.model.rowCount() == 4,
                    timeout=10000)
    store = store_of(window)

    def tombstoned() -> bool:
        with store.read_session() as s:
            article = s.get(Article, new_id)
            return article is not None and article.deleted

    qtbot.waitUntil(tombstoned, timeout=10000)
    assert saved_body_any(store, new_id) == "Some first words."  # saved before the tombstone
    assert "no longer exists" not in window.statusBar().currentMessage()


def saved_body_any(store, article_id: str) -> str:  # type: ignore[no-untyped-def]
    """The saved text of an article, deleted or not."""
    with store.read_session() as s:
        article = s.get(Article, article_id)
        assert article is not None
        return str(article.body_md)


def _click_row(qtbot, ws, row: int, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    rect = ws.table.visualRect(ws.model.index(row, 0))
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    click(ws.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_a_click_in_the_list_keeps_a_tab_whose_details_were_edited(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    first = open_tab(qtbot, ws)
    first.form.title.setFocus()
    qtbot.keyClick(first.form.title, Qt.Key.Key_End)
    qtbot.keyClicks(first.form.title, " (revised)")  # only the title: the text is untouched
    other = next(r for r in range(ws.model.rowCount())
                 if ws.model.row_at(r).id != first.article_id)
    _click_row(qtbot, ws, other)
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
    assert ws.tabs.tab_of(first.article_id) is first
    assert first.form.title.text().endswith(" (revised)")


def test_a_browsing_click_replaces_an_untouched_tab_and_a_double_click_keeps_it(
        qtbot, open_window, newsroom: Path) -> None:
    window = open_window(newsroom, workspace="write")
    ws = write_workspace(window)
    first = open_tab(qtbot, ws)
    rows = [r for r in range(ws.model.rowCount()) if ws.model.row_at(r).id != first.article_id]
    _click_row(qtbot, ws, rows[0])  # just looking: the untouched tab gives way
    qtbot.waitUntil(lambda: ws.tabs.current() is not None and ws.tabs.current().article_id
                    == ws.model.row_at(rows[0]).id, timeout=10000)
    assert ws.tabs.count() == 1
    _click_row(qtbot, ws, rows[0], double=True)  # this one is to stay
    _click_row(qtbot, ws, rows[1])
    qtbot.waitUntil(lambda: ws.tabs.count() == 2, timeout=10000)
