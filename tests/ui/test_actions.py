"""The action registry: every command has keys, sits in a menu, and no two share keys."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from pse_desk.ui.actions import MENUS, SPECS, ActionRegistry


def test_every_action_has_a_shortcut_a_menu_an_icon_and_a_tooltip(desk_settings) -> None:
    registry = ActionRegistry(desk_settings)
    for spec in SPECS:
        assert not registry[spec.id].shortcut().isEmpty(), spec.id
        assert spec.menu in MENUS, spec.id
        assert spec.icon.startswith("mdi6."), spec.id
        assert spec.tooltip, spec.id


def test_no_two_actions_share_a_shortcut(desk_settings) -> None:
    assert ActionRegistry(desk_settings).collisions() == {}
    ids = [s.id for s in SPECS]
    assert len(ids) == len(set(ids))


def test_every_menu_of_the_window_offers_its_registry_actions(open_window,
                                                             newsroom_db: Path) -> None:
    window = open_window(newsroom_db)
    menus = {m.objectName(): m for m in window.menuBar().findChildren(type(
        window.menuBar().actions()[0].menu()))}
    for name in MENUS:
        menu = menus[f"menu.{name}"]
        in_menu = [a for a in menu.actions() if not a.isSeparator()]
        assert in_menu == window.registry.in_menu(name), name
        assert in_menu, f"the {name} menu is empty"
    listed = {a.objectName() for m in menus.values() for a in m.actions()}
    assert {s.id for s in SPECS} <= listed


def test_the_brief_s_keys_are_the_defaults(desk_settings) -> None:
    registry = ActionRegistry(desk_settings)
    expect = {"file.open": "Ctrl+O", "file.quit": "Ctrl+Q", "edit.preferences": "Ctrl+,",
              "view.refresh": "F5", "view.full_screen": "F11", "go.write": "Ctrl+1",
              "go.moderate": "Ctrl+2", "go.layout": "Ctrl+3", "go.editions": "Ctrl+4"}
    for action_id, keys in expect.items():
        assert registry[action_id].shortcut() == QKeySequence(keys), action_id
    assert registry["help.shortcuts"].shortcuts() == [QKeySequence("F1"), QKeySequence("Ctrl+/")]


def test_a_changed_shortcut_is_stored_and_used_by_the_next_registry(
        desk_settings: QSettings) -> None:
    registry = ActionRegistry(desk_settings)
    registry.set_shortcut("view.refresh", QKeySequence("Ctrl+R"))
    assert registry["view.refresh"].shortcut() == QKeySequence("Ctrl+R")
    again = ActionRegistry(desk_settings)
    assert again["view.refresh"].shortcut() == QKeySequence("Ctrl+R")
    again.set_shortcut("view.refresh", QKeySequence("F5"))  # back to the default: forgotten
    assert desk_settings.value("shortcuts/view.refresh") is None


def test_customise_dialog_refuses_keys_another_command_uses(qtbot, desk_settings) -> None:
    from pse_desk.ui.shortcuts_dialog import ShortcutsDialog

    registry = ActionRegistry(desk_settings)
    dialog = ShortcutsDialog(registry, editable=True)
    qtbot.addWidget(dialog)
    dialog.editors["view.refresh"].setKeySequence(QKeySequence("Ctrl+Q"))
    dialog.save()
    assert "is used by both" in dialog.message.text()
    assert registry["view.refresh"].shortcut() == QKeySequence("F5")


README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_action_is_in_the_key_sheet_and_in_the_readme_with_its_keys(
        qtbot, desk_settings) -> None:
    from pse_desk.ui.shortcuts_dialog import ShortcutsDialog, _plain

    registry = ActionRegistry(desk_settings)
    sheet = ShortcutsDialog(registry, editable=False)
    qtbot.addWidget(sheet)
    table = sheet.table
    rows = {(table.item(r, 0).text(), table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}
    readme_rows = {tuple(cell.strip() for cell in line.strip("|").split("|"))[:3]
                   for line in README.read_text(encoding="utf-8").splitlines()
                   if line.startswith("| ")}
    for spec in SPECS:
        row = (spec.menu, _plain(spec.text), registry.shortcut_text(spec.id))
        assert row in rows, spec.id
        readme_row = (spec.menu, spec.text.replace("&", ""), registry.shortcut_text(spec.id))
        assert readme_row in readme_rows, f"README's keyboard table lacks {readme_row}"


def test_the_editor_commands_are_in_the_menus_and_work_from_there(
        qtbot, open_window, tmp_path: Path) -> None:
    from write_fixture import open_tab, writable_newsroom, write_workspace

    window = open_window(writable_newsroom(tmp_path), workspace="write")
    tab = open_tab(qtbot, write_workspace(window))
    for command in ("editor.find", "editor.replace", "editor.find_next",
                    "editor.find_previous", "editor.bold", "editor.italic", "editor.link"):
        assert window.registry[command] in window.registry.in_menu(
            "Format" if command in ("editor.bold", "editor.italic", "editor.link") else "Edit")
        assert window.registry[command].isEnabled(), command
    tab.editor.set_markdown("Councils decide.")
    cursor = tab.editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(8, cursor.MoveMode.KeepAnchor)
    tab.editor.setTextCursor(cursor)
    window.registry["editor.bold"].trigger()  # Format > Bold
    assert tab.editor.toPlainText() == "**Councils** decide."
    window.registry["editor.replace"].trigger()  # Edit > Replace in article…
    assert tab.find_bar.isVisible() and tab.find_bar.replace_edit.isVisible()
    window.show_workspace("moderate")
    assert not window.registry["editor.bold"].isEnabled()


def test_a_customised_editor_key_is_the_one_the_editor_answers(
        qtbot, open_window, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt
    from write_fixture import open_tab, writable_newsroom, write_workspace

    window = open_window(writable_newsroom(tmp_path), workspace="write")
    tab = open_tab(qtbot, write_workspace(window))
    window.registry.set_shortcut("editor.bold", QKeySequence("Ctrl+Alt+B"))
    tab.editor.set_markdown("word")
    tab.editor.setFocus()
    tab.editor.selectAll()
    qtbot.keyClick(tab.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.toPlainText() == "word"  # Ctrl+B is no longer bold
    tab.editor.selectAll()
    qtbot.keyClick(tab.editor, Qt.Key.Key_B,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert tab.editor.toPlainText() == "**word**"
    qtbot.keyClick(tab.editor, Qt.Key.Key_F3)  # F3 with nothing sought opens the bar
    assert tab.find_bar.isVisible()


def _cut_rows(table) -> list[int]:  # type: ignore[no-untyped-def]
    """Rows shorter than Qt says their wrapped text needs at the columns' widths."""
    return [row for row in range(table.rowCount())
            if table.sizeHintForRow(row) > table.rowHeight(row)]


def test_the_key_sheets_show_every_description_whole(qtbot, desk_settings) -> None:
    from pse_desk.ui.moderate.shortcut_sheet import ShortcutSheet
    from pse_desk.ui.shortcuts_dialog import ShortcutsDialog

    for sheet in (ShortcutsDialog(ActionRegistry(desk_settings)), ShortcutSheet({})):
        qtbot.addWidget(sheet)
        sheet.resize(700, 500)  # narrower than they open: descriptions must wrap, not cut
        sheet.show()
        qtbot.waitExposed(sheet)
        assert sheet.table.wordWrap()
        qtbot.waitUntil(lambda t=sheet.table: _cut_rows(t) == [], timeout=3000)
        sheet.resize(1200, 500)  # and back to one line each when there is room
        qtbot.waitUntil(lambda t=sheet.table: _cut_rows(t) == [] and t.rowHeight(0) < 25,
                        timeout=3000)
