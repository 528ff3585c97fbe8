"""The Editions workspace in a real window, with real key presses: a new edition from its
dialog, settings applied and undone, the contents reordered, given page breaks and panel
placements, removed and brought back — every change undoable, saved in the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from desk_helpers import back_to
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from pse_desk.ui.editions.workspace import EditionsWorkspace
from pse_desk.ui.layout.dialogs import NameDialog

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _ws(qtbot, window) -> EditionsWorkspace:  # type: ignore[no-untyped-def]
    ws = window.workspaces["editions"]
    assert isinstance(ws, EditionsWorkspace)
    qtbot.waitUntil(lambda: ws.item_model.rowCount() > 0 and ws.settings.isEnabled(),
                    timeout=15000)
    return ws


def _settle(qtbot, ws: EditionsWorkspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: ws.queue.pending == 0 and ws.runner.pending == 0, timeout=15000)


def _titles(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        edition = con.execute("SELECT id FROM edition WHERE NOT deleted ORDER BY created_at "
                              "LIMIT 1").fetchone()[0]
        return [t for (t,) in con.execute(
            "SELECT coalesce(article.title, panel.title) FROM edition_item "
            "LEFT JOIN article ON article.id = article_id LEFT JOIN panel ON panel.id = panel_id "
            "WHERE edition_item.edition_id = ? AND NOT edition_item.deleted "
            "ORDER BY position", (edition,))]
    finally:
        con.close()


def _one(db: Path, sql: str) -> object:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_contents_move_break_and_come_back_with_undo(qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    start = _titles(demo_db)
    ws.item_view.setFocus()
    ws.item_view.selectRow(0)
    qtbot.keyClick(ws.item_view, Qt.Key.Key_Down, CTRL | ALT)
    _settle(qtbot, ws)
    assert _titles(demo_db) == [start[1], start[0], *start[2:]]
    assert ws.current_item() is not None and ws.current_item().title == start[0]
    qtbot.keyClick(ws.item_view, Qt.Key.Key_B, CTRL | ALT)  # a page break before it
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT page_break_before FROM edition_item WHERE position = 1 "
                         "AND NOT deleted") == 1
    qtbot.keyClick(ws.item_view, Qt.Key.Key_X, CTRL | ALT)  # out of the edition
    _settle(qtbot, ws)
    assert start[0] not in _titles(demo_db)
    for _ in range(3):
        qtbot.keyClick(ws.item_view, Qt.Key.Key_Z, CTRL)
        _settle(qtbot, ws)
    assert _titles(demo_db) == start
    assert _one(demo_db, "SELECT page_break_before FROM edition_item WHERE position = 0 "
                         "AND NOT deleted") == 0


def test_a_panel_goes_up_front_and_articles_stay_where_they_stand(qtbot, open_window,
                                                                   demo_db: Path) -> None:
    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    last = ws.item_model.rowCount() - 1
    panel = ws.item_model.row_at(last)
    assert panel is not None and panel.kind == "panel"
    order = ["front", "inline", "back"]
    expected = order[(order.index(panel.placement) + 1) % 3]
    ws.item_view.setFocus()
    ws.item_view.selectRow(last)
    qtbot.keyClick(ws.item_view, Qt.Key.Key_G, CTRL | ALT)
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT placement FROM edition_item WHERE panel_id IS NOT NULL "
                         "AND NOT deleted") == expected
    said: list[str] = []
    ws.error.connect(said.append)
    ws.item_view.selectRow(0)
    qtbot.keyClick(ws.item_view, Qt.Key.Key_G, CTRL | ALT)  # an article: refused, said
    assert said and "only panels" in said[0]
    assert ws.undo_stack.count() == 1


def test_a_new_edition_from_its_dialog_then_settings_applied_and_undone(
        qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)

    def answer() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, NameDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        dialog.name.setText("   ")
        dialog._try_accept()
        assert "cannot be empty" in dialog.error.text()
        dialog.name.setText("Spring special")
        dialog._try_accept()

    QTimer.singleShot(20, answer)
    ws.item_view.setFocus()
    qtbot.keyClick(ws.item_view, Qt.Key.Key_E, CTRL | ALT)
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT count(*) FROM edition WHERE title = 'Spring special' AND NOT "
                         "deleted") == 1
    qtbot.waitUntil(lambda: ws.current_edition() is not None
                    and ws.current_edition().title == "Spring special", timeout=5000)
    qtbot.waitUntil(lambda: ws.f_title.text() == "Spring special", timeout=5000)
    ws.f_size.setCurrentText("A5")
    ws.f_bleed.setValue(5)
    ws.f_title.setFocus()
    qtbot.keyClick(ws.f_title, Qt.Key.Key_Return)
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT page_size || ' ' || bleed_mm FROM edition WHERE title = "
                         "'Spring special'") == "A5 5.0"
    back_to(qtbot, window, ws.item_view)
    qtbot.keyClick(ws.item_view, Qt.Key.Key_Z, CTRL)
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT page_size FROM edition WHERE title = 'Spring special'") == "A4"
    qtbot.keyClick(ws.item_view, Qt.Key.Key_Z, CTRL)  # and the edition itself
    _settle(qtbot, ws)
    assert _one(demo_db, "SELECT deleted FROM edition WHERE title = 'Spring special'") == 1


def test_preflight_lists_findings_a_click_from_their_cause_and_the_preview_shows_pages(
        qtbot, open_window, demo_db: Path, tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    ws.item_view.setFocus()
    qtbot.keyClick(ws.item_view, Qt.Key.Key_F, CTRL | ALT)
    qtbot.waitUntil(lambda: not ws.printing.busy and ws.printing.status.text() != "",
                    timeout=60000)
    assert ws.printing.status.text().startswith("Preflight")
    with_cause = next((r for r in range(len(ws.printing.findings))
                       if ws.printing.findings[r].article_id), None)
    if with_cause is not None:  # a finding about an article selects that article
        finding = ws.printing.findings[with_cause]
        ws.printing.findings_list.itemClicked.emit(ws.printing.findings_list.item(with_cause))
        assert ws.current_item() is not None and ws.current_item().ref_id == finding.article_id
    ws.item_view.setFocus()
    qtbot.keyClick(ws.item_view, Qt.Key.Key_V, CTRL | ALT)
    qtbot.waitUntil(lambda: ws.printing.document.status() == QPdfDocument.Status.Ready,
                    timeout=120000)
    assert ws.printing.document.pageCount() >= 2
    assert "pages" in ws.printing.status.text()
    assert _one(demo_db, "SELECT count(*) FROM edition_proof") == 0  # a preview is no proof
    target = tmp_path / "out" / "edition.pdf"
    target.parent.mkdir()
    ws.printing.run_export(target, "pdf/a-2b")
    qtbot.waitUntil(lambda: not ws.printing.busy, timeout=120000)
    assert target.exists() and target.read_bytes().startswith(b"%PDF")
    assert not [p for p in target.parent.iterdir() if p != target]  # no temporary left
    assert _one(demo_db, "SELECT count(*) FROM edition_proof") == 1  # the export is


def test_a_cancelled_preview_leaves_no_file_and_says_so(qtbot, open_window, demo_db: Path
                                                         ) -> None:
    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    ws.printing.run_preview()
    qtbot.mouseClick(ws.printing.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ws.printing.busy, timeout=120000)
    assert ws.printing.preview_path is None
    assert ws.printing.status.text().endswith(".")
    folder = Path(ws.printing._preview_dir.name)
    assert not any(p.suffix == ".pdf" for p in folder.iterdir())


def test_the_preview_follows_a_change_and_a_clicked_page_selects_its_article(
        qtbot, open_window, demo_db: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    updates: list[int] = []
    ws.printing.preview_updated.connect(lambda: updates.append(1))
    ws.printing.run_preview()
    qtbot.waitUntil(lambda: bool(updates), timeout=120000)  # shown, every page drawn
    assert ws.printing.document.status() == QPdfDocument.Status.Ready
    pages = ws.printing.document.pageCount()
    assert ws.printing.pages.count() == pages
    assert not ws.printing.pages.item(pages - 1).icon().isNull()
    first_article = ws.item_model.row_at(0)
    assert first_article is not None
    page = next(p for p, t in ws.printing.page_titles.items() if t == first_article.title)
    ws.item_view.selectRow(3)
    ws.printing.pages.itemClicked.emit(ws.printing.pages.item(page))
    assert ws.current_item() is not None and ws.current_item().title == first_article.title
    updates.clear()
    ws.item_view.setFocus()
    qtbot.keyClick(ws.item_view, Qt.Key.Key_Down, CTRL | ALT)  # the first article, later
    qtbot.waitUntil(lambda: bool(updates) and not ws.printing.busy, timeout=120000)
    second = ws.item_model.row_at(0)
    assert second is not None and second.title != first_article.title
    assert ws.printing.page_titles[page] == second.title  # the new proof, its new order


def test_an_article_dropped_or_entered_from_the_list_lands_where_asked(
        qtbot, open_window, demo_db: Path) -> None:
    from PySide6.QtCore import QMimeData

    from pse_desk.ui.editions.contents import ARTICLE_MIME, ITEM_MIME

    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    start = _titles(demo_db)
    qtbot.waitUntil(lambda: ws.articles.model.rowCount() > 0, timeout=10000)
    outside = next(r for r in ws.articles.model.rows() if r.title not in start)
    data = QMimeData()
    data.setData(ARTICLE_MIME, outside.id.encode())
    ws.item_model.dropMimeData(data, Qt.DropAction.CopyAction, 2, 0, ws.item_model.index(2, 0)
                               .parent())
    _settle(qtbot, ws)
    assert _titles(demo_db)[2] == outside.title
    moved = QMimeData()  # the first row dragged below the fourth
    moved.setData(ITEM_MIME, ws.item_model.row_at(0).id.encode())
    ws.item_model.dropMimeData(moved, Qt.DropAction.MoveAction, 4, 0,
                               ws.item_model.index(0, 0).parent())
    _settle(qtbot, ws)
    after = _titles(demo_db)
    assert after[3] == start[0] and after[:3] == [start[1], outside.title, start[2]]
    # Ctrl+Alt+J goes to the search box; Enter adds the first match after the selection
    second = next(r for r in ws.articles.model.rows() if r.title not in after)
    ws.item_view.setFocus()
    ws.item_view.selectRow(0)
    qtbot.keyClick(ws.item_view, Qt.Key.Key_J, CTRL | ALT)
    assert ws.articles.search.hasFocus()
    qtbot.keyClicks(ws.articles.search, second.title[:25])
    qtbot.waitUntil(lambda: ws.articles.model.rowCount() >= 1
                    and ws.articles.model.row_at(0).title == second.title, timeout=10000)
    qtbot.keyClick(ws.articles.search, Qt.Key.Key_Return)
    _settle(qtbot, ws)
    assert _titles(demo_db)[1] == second.title
    for _ in range(3):
        ws.undo_stack.undo()
        _settle(qtbot, ws)
    assert _titles(demo_db) == start


def test_two_proofs_compared_page_by_page_in_the_proofs_dialog(qtbot, open_window,
                                                              demo_db: Path,
                                                              tmp_path: Path) -> None:
    import shutil

    from sqlalchemy import select

    from pse_desk.services import edition_export as ex
    from pse_desk.store.model import Article, EditionItem
    from pse_desk.ui.editions.proofs_dialog import ProofsDialog

    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    store = ws.runner.store
    ident = ws.current_edition().id
    ex.export_edition(store, ident, tmp_path / "a.pdf", "pdf/a-2b")
    with store.session() as s:
        item = s.scalars(select(EditionItem).where(EditionItem.edition_id == ident,
                                                   EditionItem.article_id.is_not(None))
                         .order_by(EditionItem.position)).first()
        article = s.get(Article, item.article_id)
        article.title = "A headline changed after the first proof"
        s.commit()
    ex.export_edition(store, ident, tmp_path / "b.pdf", "pdf/a-2b")
    ws.item_view.setFocus()
    qtbot.keyClick(ws.item_view, Qt.Key.Key_O, CTRL | ALT)
    qtbot.waitUntil(lambda: window.findChild(ProofsDialog) is not None, timeout=5000)
    dialog = window.findChild(ProofsDialog)
    qtbot.waitUntil(lambda: dialog.proofs.count() == 2, timeout=10000)
    for row in range(2):
        dialog.proofs.item(row).setSelected(True)
    assert dialog.compare.isEnabled()
    qtbot.mouseClick(dialog.compare, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=60000)
    assert not dialog.diff.identical
    pages = [c.page for c in dialog.diff.changes]
    assert 1 in pages and 2 in pages  # the contents list and the article's first page
    assert all(not label.pixmap().isNull() for label in dialog.pictures)
    dialog.close()


def test_a_real_right_click_on_an_item_offers_its_commands(qtbot, open_window,
                                                           demo_db: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMenu

    window = open_window(demo_db, workspace="editions")
    ws = _ws(qtbot, window)
    start = _titles(demo_db)
    rect = ws.item_view.visualRect(ws.item_model.index(2, 3))
    where = ws.item_view.viewport().mapTo(window, rect.center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.RightButton,
                     Qt.KeyboardModifier.NoModifier, where)

    def menu() -> QMenu | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)
                     and w.objectName() == "editionsItemTableMenu" and w.isVisible()), None)
    qtbot.waitUntil(lambda: menu() is not None, timeout=5000)
    names = [a.objectName() for a in menu().actions() if a.objectName()]
    assert {"editions.page_break", "editions.remove_item", "editions.item_up"} <= set(names)
    assert ws.current_item() is not None and ws.current_item().title == start[2]
    remove = next(a for a in menu().actions() if a.objectName() == "editions.remove_item")
    menu().close()
    remove.trigger()
    _settle(qtbot, ws)
    assert start[2] not in _titles(demo_db)
