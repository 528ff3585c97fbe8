"""The Layout workspace in a real window, driven with real key presses: panels move within and
between regions with Alt+arrows, every change undoes and redoes (also after switching
workspace), the live preview follows without reloading, drag and drop moves a panel, links and
pins are checked before they are saved, "Preview at…" shows a scheduled pin, and the compare
and history dialogs show what differs."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from desk_helpers import answer_dialog, back_to
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication

from pse_desk.ui.layout.dialogs import LinkDialog, MomentDialog, PinDialog
from pse_desk.ui.layout.region_model import MIME
from pse_desk.ui.layout.workspace import LayoutWorkspace

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _layout(qtbot, window) -> LayoutWorkspace:  # type: ignore[no-untyped-def]
    ws = window.workspaces["layout"]
    assert isinstance(ws, LayoutWorkspace)
    qtbot.waitUntil(lambda: ws.view_data is not None and ws.settled, timeout=15000)
    return ws


def _sidebar(ws: LayoutWorkspace) -> list[str]:
    assert ws.view_data is not None
    return [p.panel.key for p in ws.view_data.resolved.region("sidebar")]


def _keys_in(db: Path, region: str) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [k for (k,) in con.execute(
            "SELECT panel.key FROM panel JOIN layout ON layout.id = panel.layout_id "
            "WHERE layout.name = 'web' AND panel.region = ? AND NOT panel.deleted "
            "ORDER BY panel.rank, panel.id", (region,))]
    finally:
        con.close()


def _preview_titles(qtbot, ws: LayoutWorkspace) -> list[str]:  # type: ignore[no-untyped-def]
    """The sidebar panel titles the preview's page shows, read from the page itself."""
    got: list[Any] = []
    ws.preview.run_in_page(
        "JSON.stringify([...document.querySelectorAll('.pse-sidebar h2, .pse-sidebar h3')]"
        ".map(e => e.textContent.trim()))", got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    return json.loads(got[0]) if isinstance(got[0], str) else []


def _select(qtbot, ws: LayoutWorkspace, key: str) -> None:  # type: ignore[no-untyped-def]
    assert ws.view_data is not None
    panel = next(p for p in ws.view_data.layout.panels if p.key == key)
    ws.select_panel(panel.id)
    ws.tree.setFocus()
    qtbot.waitUntil(lambda: ws.selected_panel_id() == panel.id, timeout=2000)


def _settle(qtbot, ws: LayoutWorkspace) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: ws.settled, timeout=15000)


def test_alt_down_moves_a_panel_and_undo_redo_survive_a_workspace_switch(
        qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    start = _sidebar(ws)
    assert start[:2] == ["tv", "latest_news"]
    _select(qtbot, ws, "tv")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Down, ALT)
    _settle(qtbot, ws)
    moved = ["latest_news", "tv", *start[2:]]
    assert _sidebar(ws) == moved
    assert _keys_in(demo_db, "sidebar") == moved  # saved, not only shown
    assert ws.selected_panel_id() is not None and ws.selected_panel().key == "tv"
    # the undo history stays when the user goes to Write and back
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(lambda: window.current_key == "write", timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: window.current_key == "layout", timeout=5000)
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)
    _settle(qtbot, ws)
    assert _sidebar(ws) == start and _keys_in(demo_db, "sidebar") == start
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL | SHIFT)
    _settle(qtbot, ws)
    assert _keys_in(demo_db, "sidebar") == moved


def test_alt_right_moves_a_panel_to_the_next_region_and_the_preview_follows(
        qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    qtbot.waitUntil(lambda: ws.preview is not None and ws.preview.shown_revision >= 0,
                    timeout=30000)
    assert "editor's comment" in _preview_titles(qtbot, ws)
    loads: list[int] = []
    ws.preview.page_loaded.connect(lambda: loads.append(1))
    _select(qtbot, ws, "editors_comment")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Right, ALT)
    _settle(qtbot, ws)
    assert "editors_comment" in _keys_in(demo_db, "main")
    assert "editors_comment" not in _keys_in(demo_db, "sidebar")
    qtbot.waitUntil(lambda: "editor's comment" not in _preview_titles(qtbot, ws),
                    timeout=5000)
    assert loads == []  # swapped in place: no reload, no flicker
    qtbot.keyClick(ws.tree, Qt.Key.Key_Left, ALT)
    _settle(qtbot, ws)
    assert "editors_comment" in _keys_in(demo_db, "sidebar")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Left, ALT)  # the sidebar is the first region
    _settle(qtbot, ws)
    assert "editors_comment" in _keys_in(demo_db, "sidebar")


def test_dropping_a_panel_on_another_region_moves_it_once(qtbot, open_window,
                                                         demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    assert ws.view_data is not None
    blog = next(p for p in ws.view_data.layout.panels if p.key == "blog")
    data = QMimeData()
    data.setData(MIME, blog.id.encode())
    footer = ws.model.index_of_region("footer")
    assert ws.model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, footer)
    assert not ws.model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0,
                                        footer.parent())  # not between regions
    ws.model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, footer)
    _settle(qtbot, ws)
    assert _keys_in(demo_db, "footer") == ["blog"]
    assert ws.undo_stack.count() == 1


def test_remove_duplicate_toggle_and_undo_them(qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    _select(qtbot, ws, "blog")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Delete)
    _settle(qtbot, ws)
    assert "blog" not in _keys_in(demo_db, "sidebar")
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT deleted FROM panel WHERE key = 'blog' AND layout_id = "
                       "(SELECT id FROM layout WHERE name = 'web')").fetchone() == (1,)
    con.close()
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)
    _settle(qtbot, ws)
    assert "blog" in _keys_in(demo_db, "sidebar")
    _select(qtbot, ws, "blog")
    qtbot.keyClick(ws.tree, Qt.Key.Key_D, CTRL | ALT)
    _settle(qtbot, ws)
    assert "the_raven_s_daily_blog_copy" in _keys_in(demo_db, "sidebar")
    _select(qtbot, ws, "blog")
    qtbot.keyClick(ws.tree, Qt.Key.Key_E, CTRL)
    _settle(qtbot, ws)
    assert ws.view_data is not None
    assert "blog" not in _sidebar(ws)  # disabled: not on the page
    assert any(p.panel.key == "blog" for p in ws.view_data.resolved.disabled)
    for _ in range(2):
        qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)
        _settle(qtbot, ws)
    assert "blog" in _sidebar(ws)
    assert "the_raven_s_daily_blog_copy" not in _keys_in(demo_db, "sidebar")


def test_a_javascript_link_is_refused_in_the_dialog_and_a_good_one_is_added(
        qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    _select(qtbot, ws, "tv")
    seen: list[str] = []

    def bad(dialog: LinkDialog) -> None:
        dialog.title.setText("Watch")
        dialog.url.setText("javascript:alert(1)")
        qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
        seen.append(dialog.error.text())
        dialog.url.setText("https://video.example/tv/9")
        qtbot.keyClick(dialog.url, Qt.Key.Key_Return)

    answer_dialog(LinkDialog, bad)
    qtbot.keyClick(ws.tree, Qt.Key.Key_I, CTRL | ALT)
    _settle(qtbot, ws)
    assert seen and "cannot be linked" in seen[0]
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT count(*) FROM panel_item WHERE url LIKE 'javascript:%'"
                       ).fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM panel_item WHERE url = "
                       "'https://video.example/tv/9'").fetchone() == (1,)
    con.close()


def test_a_pin_that_ends_before_it_starts_is_refused_and_preview_at_shows_a_scheduled_pin(
        qtbot, open_window, demo_db: Path) -> None:
    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    _select(qtbot, ws, "editors_comment")
    panel = ws.selected_panel()
    assert panel is not None
    scheduled = next(i for i in panel.items if i.pinned and i.pinned_from)
    ws.editor.select_item(scheduled.id)
    errors: list[str] = []

    def backwards(dialog: PinDialog) -> None:
        dialog.start.check.setChecked(True)
        dialog.end.check.setChecked(True)
        dialog.end.edit.setDateTime(dialog.start.edit.dateTime().addDays(-1))
        dialog._try_accept()
        errors.append(dialog.error.text())
        dialog.reject()

    answer_dialog(PinDialog, backwards)
    ws.editor.item_view.setFocus()
    qtbot.keyClick(ws.editor.item_view, Qt.Key.Key_P, CTRL | ALT)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "before it starts" in errors[0]
    assert ws.undo_stack.count() == 0
    # Preview at… the pin's start: the pinned article is on top of the panel then
    assert scheduled.pinned_from is not None
    when = scheduled.pinned_from + timedelta(hours=1)

    def moment(dialog: MomentDialog) -> None:
        from pse_desk.ui.layout.dialogs import to_qdatetime
        dialog.edit.setDateTime(to_qdatetime(when))
        dialog.accept()

    answer_dialog(MomentDialog, moment)
    back_to(qtbot, window, ws.tree)
    qtbot.keyClick(ws.tree, Qt.Key.Key_T, CTRL | ALT)
    qtbot.waitUntil(lambda: ws.at is not None and ws.settled, timeout=10000)
    _settle(qtbot, ws)
    resolved = next(p for p in ws.view_data.resolved.panels()  # type: ignore[union-attr]
                    if p.panel.id == panel.id)
    assert resolved.items[0].article_id == scheduled.article_id and resolved.items[0].pinned
    assert "Previewing at" in ws.at_label.text()


def test_compare_and_history_show_what_differs_and_restore_keeps_later_versions(
        qtbot, open_window, demo_db: Path) -> None:
    from pse_desk.ui.layout.compare_dialog import CompareDialog
    from pse_desk.ui.layout.history_dialog import HistoryDialog

    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_C, CTRL | ALT)
    qtbot.waitUntil(lambda: window.findChild(CompareDialog) is not None, timeout=5000)
    dialog = window.findChild(CompareDialog)
    qtbot.waitUntil(lambda: dialog.diff is not None, timeout=10000)
    assert not dialog.diff.identical
    assert {p.status for p in dialog.diff.panels} >= {"only_in_a"}
    texts = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert any("only in the left layout" in t for t in texts)
    dialog.close()
    back_to(qtbot, window, ws.tree)
    _select(qtbot, ws, "tv")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Down, ALT)
    _settle(qtbot, ws)
    qtbot.keyClick(ws.tree, Qt.Key.Key_H, CTRL | ALT)
    qtbot.waitUntil(lambda: window.findChild(HistoryDialog) is not None, timeout=5000)
    history = window.findChild(HistoryDialog)
    qtbot.waitUntil(lambda: history.versions.count() == 2, timeout=10000)  # baseline, move
    history.versions.setCurrentRow(1)
    qtbot.waitUntil(lambda: history.restore.isEnabled(), timeout=5000)
    qtbot.mouseClick(history.restore, Qt.MouseButton.LeftButton)
    _settle(qtbot, ws)
    assert _keys_in(demo_db, "sidebar")[:2] == ["tv", "latest_news"]
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT count(*) FROM layout_version WHERE layout_id = (SELECT id "
                       "FROM layout WHERE name = 'web')").fetchone() == (3,)
    con.close()
    back_to(qtbot, window, ws.tree)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)  # the restore is undoable too
    _settle(qtbot, ws)
    assert _keys_in(demo_db, "sidebar")[:2] == ["latest_news", "tv"]


def test_the_write_preview_follows_the_active_layout(qtbot, open_window,
                                                     demo_db: Path) -> None:
    from write_fixture import open_tab, write_workspace

    window = open_window(demo_db, workspace="write")
    write = write_workspace(window)
    tab = open_tab(qtbot, write)
    assert tab.page is not None
    assert tab.page.layout.sidebar[0].key == "tv"
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    ws = _layout(qtbot, window)
    _select(qtbot, ws, "tv")
    qtbot.keyClick(ws.tree, Qt.Key.Key_Down, ALT)
    _settle(qtbot, ws)
    qtbot.waitUntil(lambda: tab.page.layout.sidebar[0].key == "latest_news", timeout=5000)


def test_a_real_right_click_on_a_panel_offers_its_commands(qtbot, open_window,
                                                            demo_db: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMenu

    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    assert ws.view_data is not None
    last_word = next(p for p in ws.view_data.layout.panels if p.key == "last_word")
    rect = ws.tree.visualRect(ws.model.index_of_panel(last_word.id))
    # given to the window as the window system gives a mouse's right click
    where = ws.tree.viewport().mapTo(window, rect.center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.RightButton,
                     Qt.KeyboardModifier.NoModifier, where)
    qtbot.waitUntil(lambda: any(isinstance(w, QMenu) and w.objectName() == "layoutTreeMenu"
                                and w.isVisible() for w in QApplication.topLevelWidgets()),
                    timeout=5000)
    menu = next(w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMenu) and w.objectName() == "layoutTreeMenu")
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert {"layout.rename_panel", "layout.remove_panel", "layout.move_right"} <= set(names)
    assert ws.selected_panel_id() == last_word.id  # the click chose the panel under it
    remove = next(a for a in menu.actions() if a.objectName() == "layout.remove_panel")
    menu.close()
    remove.trigger()
    _settle(qtbot, ws)
    assert "last_word" not in _keys_in(demo_db, "sidebar")


def test_settings_applied_from_the_editor_a_rename_by_f2_and_another_layout_made_active(
        qtbot, open_window, demo_db: Path) -> None:
    from pse_desk.ui.layout.dialogs import NameDialog

    window = open_window(demo_db, workspace="layout")
    ws = _layout(qtbot, window)
    _select(qtbot, ws, "latest_news")
    ws.editor.count.setValue(7)
    ws.editor.title.setFocus()
    qtbot.keyClick(ws.editor.title, Qt.Key.Key_Return)  # Enter in a field applies
    _settle(qtbot, ws)
    assert _one_value(demo_db, "SELECT item_count FROM panel WHERE key = 'latest_news' AND "
                               "layout_id = (SELECT id FROM layout WHERE name = 'web')") == 7
    assert len(next(p for p in ws.view_data.resolved.panels()  # type: ignore[union-attr]
                    if p.panel.key == "latest_news").items) == 7

    def rename(dialog: NameDialog) -> None:
        dialog.name.setText("news in brief")
        dialog._try_accept()

    answer_dialog(NameDialog, rename)
    back_to(qtbot, window, ws.tree)
    qtbot.keyClick(ws.tree, Qt.Key.Key_F2)
    _settle(qtbot, ws)
    assert ws.selected_panel() is not None and ws.selected_panel().title == "news in brief"
    back_to(qtbot, window, ws.tree)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)
    _settle(qtbot, ws)
    qtbot.keyClick(ws.tree, Qt.Key.Key_Z, CTRL)
    _settle(qtbot, ws)
    assert _one_value(demo_db, "SELECT title || ' ' || item_count FROM panel WHERE key = "
                               "'latest_news' AND layout_id = (SELECT id FROM layout WHERE "
                               "name = 'web')") == "latest public sector news 3"
    # the print layout, chosen in the toolbar, then made the one the site shows
    print_row = ws.layout_combo.findText("print", Qt.MatchFlag.MatchStartsWith)
    ws.layout_combo.setCurrentIndex(print_row)
    ws.layout_combo.activated.emit(print_row)
    qtbot.waitUntil(lambda: ws.view_data is not None and ws.view_data.layout.name == "print",
                    timeout=10000)
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_A, CTRL | ALT | SHIFT)
    _settle(qtbot, ws)
    assert _one_value(demo_db, "SELECT name FROM layout WHERE active AND NOT deleted "
                               "ORDER BY hlc DESC LIMIT 1") == "print"
    assert "active" in ws.layout_combo.currentText()


def _one_value(db: Path, sql: str) -> object:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()
