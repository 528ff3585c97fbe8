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
