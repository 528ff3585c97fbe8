# ruff: noqa: F811  (the fixtures imported from test_moderate are parameters here)
"""The rules editor (params form, try on past comments, save, enable/disable) and the audit log
dialog (filters, CSV export), opened with their keys from the Moderate workspace."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from test_moderate import moderate_db, reader, workspace  # noqa: F401  (fixtures)

from pse_desk.services.moderation.rules import list_rules

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def _open_rules(qtbot, ws):  # type: ignore[no-untyped-def]
    qtbot.keyClick(ws.table, "u", CTRL_ALT)
    qtbot.waitUntil(lambda: getattr(ws, "rules_dialog", None) is not None
                    and ws.rules_dialog.isVisible(), timeout=5000)
    dialog = ws.rules_dialog
    qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=5000)
    return dialog


def test_trying_a_draft_rule_lists_what_it_would_hold_and_saves_nothing(
        qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_rules(qtbot, workspace)
    dialog.new_rule()
    dialog.kind.setCurrentIndex(dialog.kind.findData("suspect_words"))
    dialog.set_field("words", ["number"])
    with qtbot.waitSignal(dialog.trial_finished, timeout=15000) as done:
        qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    result = done.args[0]
    assert result.held == 39 and not result.cancelled  # "Pending comment number N."
    assert dialog.trial_hits.count() == 39
    assert "would have held 39" in dialog.trial_summary.text()
    assert list_rules(reader) == []


def test_saving_a_rule_then_disabling_it(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_rules(qtbot, workspace)
    dialog.new_rule()
    dialog.kind.setCurrentIndex(dialog.kind.findData("link_count"))
    dialog.set_field("max_links", 3)
    dialog.description.setText("Three links are plenty")
    with qtbot.waitSignals([dialog.rules_loaded, workspace.data_changed], timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = list_rules(reader)
    assert (saved.kind, saved.params, saved.enabled) == ("link_count", {"max_links": 3}, True)
    dialog.enabled.setChecked(False)
    dialog.set_field("max_links", 4)
    with qtbot.waitSignal(dialog.rules_loaded, timeout=10000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == ""
    (edited,) = list_rules(reader)
    assert (edited.enabled, edited.version, edited.params) == (False, 2, {"max_links": 4})
    assert dialog.list.item(0).text().startswith("–")


def test_the_audit_log_filters_by_action_and_exports_csv(qtbot, workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        qtbot.keyClick(ws.table, "a")
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        qtbot.keyClick(ws.table, "s")
    qtbot.keyClick(ws.table, "l", CTRL_ALT)
    qtbot.waitUntil(lambda: getattr(ws, "audit_dialog", None) is not None
                    and ws.audit_dialog.table.rowCount() == 2, timeout=5000)
    dialog = ws.audit_dialog
    assert dialog.table.item(0, 2).text() == "spam"
    dialog.action.setCurrentIndex(dialog.action.findData("approve"))
    with qtbot.waitSignal(dialog.page_loaded, timeout=5000):
        dialog.reload()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "approve"
    target = tmp_path / "audit.csv"
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.export_to(str(target))
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0][:3] == ["at", "actor", "action"] and [r[2] for r in rows[1:]] == ["approve"]


def _gone(dialog) -> bool:  # type: ignore[no-untyped-def]
    import shiboken6

    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _answer_question(qtbot, button) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the next "Unsaved changes" question with ``button``; returns what it asked."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)
    return asked


def test_closing_the_rules_with_unsaved_edits_asks_and_can_save_them(
        qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    dialog = _open_rules(qtbot, workspace)
    dialog.new_rule()
    dialog.kind.setCurrentIndex(dialog.kind.findData("link_count"))
    dialog.set_field("max_links", 5)
    asked = _answer_question(qtbot, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc: the edits would be lost
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked == ["Save your changes to the new rule before going on?"]
    assert dialog.isVisible() and list_rules(reader) == []  # cancelled: still editing
    asked = _answer_question(qtbot, QMessageBox.StandardButton.Save)
    dialog.reject()  # the Close button
    qtbot.waitUntil(lambda: _gone(dialog), timeout=10000)
    (saved,) = list_rules(reader)
    assert saved.params == {"max_links": 5}


def test_closing_the_rules_without_edits_asks_nothing(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_rules(qtbot, workspace)
    dialog.new_rule()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _gone(dialog), timeout=5000)
