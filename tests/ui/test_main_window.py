"""The main window driven by real key presses: workspaces, queue paging, plain-text comments,
theme, shortcut sheet and remembered settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from pse_desk.ui import settings as keys
from pse_desk.ui.write.workspace import WriteWorkspace

CTRL = Qt.KeyboardModifier.ControlModifier


def test_dark_theme_shortcut_changes_the_palette_and_is_remembered(
        qtbot, open_window, newsroom_db: Path, desk_settings: QSettings) -> None:
    window = open_window(newsroom_db)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.set_theme("light")
    light = app.palette().color(QPalette.ColorRole.Window)
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dark = app.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < light.lightness()
    assert window.registry["view.dark_theme"].isChecked()
    assert desk_settings.value(keys.THEME) == "dark"
    qtbot.keyClick(window, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert app.palette().color(QPalette.ColorRole.Window) == light


def test_shortcut_sheet_lists_every_registry_action(qtbot, open_window,
                                                    newsroom_db: Path) -> None:
    from pse_desk.ui.shortcuts_dialog import ShortcutsDialog

    window = open_window(newsroom_db)
    help_keys = window.registry["help.shortcuts"].shortcut()
    qtbot.keyClick(window, help_keys[0].key(), help_keys[0].keyboardModifiers())
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None
                    and window.findChild(ShortcutsDialog).isVisible())
    dialog = window.findChild(ShortcutsDialog)
    listed = dialog.listed_commands()
    assert len(listed) == len(window.registry.specs)
    for (command, shortcut), spec in zip(listed, window.registry.specs, strict=True):
        assert command == spec.text.replace("&", "").replace("…", "")
        assert shortcut
        assert shortcut == window.registry.shortcut_text(spec.id)
    assert dict(listed)["Keyboard shortcuts"] == "F1, Ctrl+/"
    dialog.close()


def test_the_last_workspace_is_restored_from_settings(qtbot, open_window, newsroom_db: Path,
                                                      desk_settings: QSettings) -> None:
    first = open_window(newsroom_db, workspace=None)
    assert first.current_key == "write"
    qtbot.keyClick(first, Qt.Key.Key_3, CTRL)
    assert first.current_key == "layout"
    first.close()
    assert desk_settings.value(keys.WORKSPACE) == "layout"
    second = open_window(newsroom_db, workspace=None)
    assert second.current_key == "layout"
    assert second.stack.currentWidget() is second.workspaces["layout"]
    layout = second.workspaces["layout"]
    qtbot.waitUntil(lambda: layout.view_data is not None)  # type: ignore[attr-defined]
    assert [p.title for p in layout.view_data.layout.panels] == [  # type: ignore[attr-defined]
        "Latest news"]


def test_layout_and_editions_show_their_rows(qtbot, open_window, newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="layout")
    layout = window.workspaces["layout"]
    qtbot.waitUntil(lambda: layout.editor.item_model.rowCount() == 1)  # type: ignore[attr-defined]
    assert layout.selected_panel().title == "Latest news"  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    editions = window.workspaces["editions"]
    qtbot.waitUntil(lambda: editions.item_model.rowCount() == 2)  # type: ignore[attr-defined]
    items = editions.item_model.rows()  # type: ignore[attr-defined]
    assert [(i.kind, i.page_break_before) for i in items] == [("article", False),
                                                              ("panel", True)]


def test_typing_in_the_search_box_filters_the_article_list(qtbot, open_window,
                                                           newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="write")
    ws = window.workspaces["write"]
    assert isinstance(ws, WriteWorkspace)
    assert ws.model.rowCount() == 4
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert ws.search_box.hasFocus()
    qtbot.keyClicks(ws.search_box, "payrol")
    qtbot.waitUntil(lambda: ws.model.rowCount() == 1, timeout=10000)
    assert ws.model.row_at(0).title == "Councils pool their payroll"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: ws.tabs.current() is not None
                    and ws.tabs.current().form.title.text() == "Councils pool their payroll")
    tab = ws.tabs.current()
    assert "# Councils pool their payroll" in tab.editor.toPlainText()
    assert ws.tabs.count() == 1  # browsing replaced the untouched tab instead of adding one


def test_status_filter_shows_only_that_status(qtbot, open_window, newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="write")
    ws = window.workspaces["write"]
    assert isinstance(ws, WriteWorkspace)
    ws.status_filter.setFocus()
    qtbot.keyClick(ws.status_filter, Qt.Key.Key_Down)  # All → Draft
    qtbot.waitUntil(lambda: ws.model.rowCount() == 2, timeout=10000)
    assert {r.status for r in ws.model.rows()} == {"draft"}


def test_status_bar_names_the_database_counts_and_sync_state(qtbot, open_window,
                                                             newsroom_db: Path) -> None:
    window = open_window(newsroom_db)
    assert window.db_label.text() == str(newsroom_db)
    assert window.counts_label.text() == "4 articles · 450 pending comments"
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=10000)
    assert window.sync_label.text() == "Hub: not set up"
    assert "Preferences > Hub" in window.sync_label.toolTip()


def test_the_article_count_follows_new_delete_and_undo(qtbot, open_window,
                                                     tmp_path: Path) -> None:
    from write_fixture import open_tab, writable_newsroom, write_workspace

    window = open_window(writable_newsroom(tmp_path), workspace="write")
    ws = write_workspace(window)
    open_tab(qtbot, ws)
    assert window.counts_label.text().startswith("4 articles")
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # a new article
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("5 articles"), timeout=10000)
    qtbot.waitUntil(lambda: ws.tabs.current() is not None
                    and ws.tabs.current().detail.title == "Untitled article", timeout=10000)
    ws.delete_article()
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("4 articles"), timeout=10000)
    window.registry["edit.undo"].trigger()  # the delete is undone
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("5 articles"), timeout=10000)


def test_a_file_that_is_not_a_database_is_refused_without_touching_it(
        qtbot, open_window, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_bytes(b"these are my notes, not a database\n" * 50)
    before = bogus.read_bytes()
    window = open_window(bogus, wait=False)
    with qtbot.waitSignal(window.fatal, timeout=15000) as blocker:
        pass
    assert "is not a PSE Desk database" in blocker.args[0]
    assert bogus.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("notes")) == [
        "notes.sqlite"]


def test_open_database_switches_to_another_newsroom(qtbot, open_window, newsroom_db: Path,
                                                    tmp_path: Path) -> None:
    window = open_window(newsroom_db)
    empty = tmp_path / "empty.sqlite"
    window.open_database(empty)
    qtbot.waitUntil(lambda: window.db_label.text() == str(empty), timeout=15000)
    qtbot.waitUntil(lambda: window.counts_label.text() == "0 articles · 0 pending comments",
                    timeout=15000)
    qtbot.waitUntil(lambda: window.workspaces["write"].model.rowCount() == 0)  # type: ignore


def test_preferences_dialog_switches_the_theme(qtbot, open_window, newsroom_db: Path) -> None:
    from pse_desk.ui.preferences import PreferencesDialog

    window = open_window(newsroom_db)
    window.set_theme("light")
    qtbot.keyClick(window, Qt.Key.Key_Comma, CTRL)
    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is not None)
    dialog = window.findChild(PreferencesDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.theme_box.setFocus()
    qtbot.keyClick(dialog.theme_box, Qt.Key.Key_Down)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.registry["view.dark_theme"].isChecked())


def test_preferences_change_the_editor_and_are_remembered(qtbot, open_window, desk_settings,
                                                          tmp_path: Path) -> None:
    from write_fixture import open_tab, writable_newsroom, write_workspace

    from pse_desk.ui.preferences import Preferences, PreferencesDialog

    window = open_window(writable_newsroom(tmp_path), workspace="write")
    tab = open_tab(qtbot, write_workspace(window))
    qtbot.keyClick(window, Qt.Key.Key_Comma, CTRL)
    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is not None)
    dialog = window.findChild(PreferencesDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.size_box.setValue(17)
    dialog.pages.setCurrentIndex(1)  # Writing
    qtbot.mouseClick(dialog.spelling_box, Qt.MouseButton.LeftButton)  # off
    dialog.pause_box.setValue(7)
    dialog.width_box.setCurrentIndex(dialog.width_box.findData("mobile"))
    dialog.pages.setCurrentIndex(2)  # Moderation
    qtbot.keyClicks(dialog.actor_edit, "  Sam   Moderator ")
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert tab.editor.font().pointSize() == 17
    assert tab.autosaver._idle.interval() == 7000
    assert tab.preview.width_mode == "mobile" and window.registry["view.mobile_preview"].isChecked()
    assert not tab.editor.highlighter.spelling  # no underlines asked for
    remembered = Preferences.load(desk_settings)
    assert (remembered.editor_font_size, remembered.spelling, remembered.autosave_pause_s,
            remembered.preview_width, remembered.actor) == (17, False, 7, "mobile",
                                                            "Sam Moderator")

    # the audit trail records the chosen name for the next decision
    from sqlalchemy import select

    from pse_desk.store.model import ModerationEvent

    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    moderate = window.workspaces["moderate"]
    qtbot.waitUntil(lambda: moderate.pane.comment_id is not None, timeout=15000)
    window.activateWindow()
    moderate.table.setFocus()
    qtbot.waitUntil(moderate.table.hasFocus)
    qtbot.keyClick(moderate.table, "a")

    def actors() -> set[str]:
        assert window.store is not None
        with window.store.read_session() as s:
            return set(s.scalars(select(ModerationEvent.actor)
                                 .where(ModerationEvent.action == "approve")))

    qtbot.waitUntil(lambda: "Sam Moderator" in actors(), timeout=10000)


def test_preferences_read_from_a_hand_edited_file_stay_in_range(desk_settings) -> None:
    from pse_desk.ui.preferences import Preferences

    for key, value in (("editor/autosave_pause_s", "9999"), ("editor/font_size", "-3"),
                       ("preview/width", "tablet"), ("appearance/theme", "neon"),
                       ("editor/spelling", "no")):
        desk_settings.setValue(key, value)
    loaded = Preferences.load(desk_settings)
    assert (loaded.autosave_pause_s, loaded.editor_font_size, loaded.preview_width,
            loaded.theme, loaded.spelling) == (60, 0, "desktop", "light", False)


def test_a_refused_database_leaves_the_current_one_open(qtbot, open_window, newsroom_db: Path,
                                                        tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window(newsroom_db)
    bogus = tmp_path / "photo.sqlite"
    bogus.write_bytes(b"\xff\xd8\xff\xe0 not a database" * 20)
    window.open_database(bogus)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "databaseRefused") is not None,
                    timeout=15000)
    box = window.findChild(QMessageBox, "databaseRefused")
    assert "is not a PSE Desk database" in box.text()
    box.close()
    assert window.store is not None and window.store.path == newsroom_db
    assert window.db_label.text() == str(newsroom_db)


def test_splitter_positions_are_remembered(qtbot, open_window, newsroom_db: Path) -> None:
    from PySide6.QtWidgets import QSplitter

    first = open_window(newsroom_db, workspace="write")
    splitter = first.workspaces["write"].findChild(QSplitter, "write.main")
    splitter.setSizes([300, 700])
    sizes = splitter.sizes()
    first.close()
    second = open_window(newsroom_db, workspace="write")
    again = second.workspaces["write"].findChild(QSplitter, "write.main")
    assert again.sizes() == sizes


def test_ctrl_slash_also_opens_the_shortcut_sheet(qtbot, open_window, newsroom_db: Path) -> None:
    from pse_desk.ui.shortcuts_dialog import ShortcutsDialog

    window = open_window(newsroom_db)
    qtbot.keyClick(window, Qt.Key.Key_Slash, CTRL)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None)
    window.findChild(ShortcutsDialog).close()


def test_section_filter_offers_the_sections_and_filters(qtbot, open_window,
                                                       newsroom_db: Path) -> None:
    window = open_window(newsroom_db, workspace="write")
    ws = window.workspaces["write"]
    assert isinstance(ws, WriteWorkspace)
    names = [ws.section_filter.itemText(i) for i in range(ws.section_filter.count())]
    assert names == ["All sections", "Devolution", "Finance", "Health and social care",
                     "Housing"]
    ws.section_filter.setFocus()
    qtbot.keyClick(ws.section_filter, Qt.Key.Key_Down)  # All → Devolution
    qtbot.waitUntil(lambda: ws.model.rowCount() == 1, timeout=10000)
    assert ws.model.row_at(0).section == "Devolution"  # type: ignore[union-attr]


def test_help_show_log_shows_what_the_desk_logged_beside_the_database(
        qtbot, open_window, tmp_path: Path) -> None:
    import logging

    from write_fixture import writable_newsroom

    from pse_desk.paths import log_path
    from pse_desk.ui.log_dialog import LogDialog

    db = writable_newsroom(tmp_path)
    window = open_window(db, workspace="write")
    logging.getLogger("pse_desk.test").warning("a line a person should be able to find")
    assert log_path(db).exists()
    window.registry["help.log"].trigger()
    qtbot.waitUntil(lambda: window.findChild(LogDialog) is not None, timeout=5000)
    dialog = window.findChild(LogDialog)
    qtbot.waitUntil(lambda: "a line a person should be able to find"
                    in dialog.text.toPlainText(), timeout=5000)
    assert f"opened {db}" in dialog.text.toPlainText()
    assert str(log_path(db)) in dialog.where.text()


def test_the_log_keeps_the_end_of_a_long_file_from_a_line_start(tmp_path: Path) -> None:
    from pse_desk.ui.logbook import read_tail

    log = tmp_path / "desk.log"
    log.write_text("".join(f"line {n}\n" for n in range(100_000)), encoding="utf-8")
    tail = read_tail(log, size=1000)
    assert tail.startswith("line ") and tail.endswith("line 99999\n")
    assert len(tail) <= 1000
    assert read_tail(tmp_path / "none.log") == ""


def test_only_the_shown_workspace_is_built_before_the_first_data_the_rest_after(
        qtbot, open_window, newsroom_db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pse_desk.ui import main_window

    monkeypatch.setattr(main_window, "REST_AFTER_SETTLED_MS", 60_000)  # not during this part
    window = open_window(newsroom_db, workspace="write")
    assert set(dict.keys(window.workspaces)) == {"write"}
    assert not window.all_workspaces_built()
    # a workspace asked for first is built at once, with its toolbar and data
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.workspaces.get("moderate"))
    moderate = window.workspaces["moderate"]
    assert moderate.toolbar.isVisible()
    assert not window.workspaces["write"].toolbar.isVisible()
    qtbot.waitUntil(lambda: moderate.has_loaded, timeout=15000)
    # the others follow by themselves, one at a time
    monkeypatch.setattr(main_window, "REST_OF_WORKSPACES_MS", 10)
    window._rest_timer.start(10)
    qtbot.waitUntil(window.all_workspaces_built, timeout=15000)
    assert window.stack.currentWidget() is moderate  # still where the user is
    assert not window.workspaces["editions"].toolbar.isVisible()
