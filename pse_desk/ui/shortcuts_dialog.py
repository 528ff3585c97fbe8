"""The keyboard-shortcut sheet (Help) and its editable twin (Tools > Customise shortcuts).

Both list every action of the registry with its menu and keys; the editable one lets the user
choose other keys, refuses a choice that another command already uses, and stores overrides in
QSettings through the registry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QKeySequenceEdit,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui.actions import ActionRegistry

NATIVE = QKeySequence.SequenceFormat.NativeText


def wrap_cells(table: QTableWidget) -> None:
    """Long texts wrap onto more lines, never end in "…": rows grow whenever a column's width
    changes (Qt fits rows to their contents only when asked)."""
    table.setWordWrap(True)
    table.setTextElideMode(Qt.TextElideMode.ElideNone)
    fit = QTimer(table)  # after the header has laid out all its sections, not in the middle
    fit.setSingleShot(True)
    fit.setInterval(0)
    fit.timeout.connect(table.resizeRowsToContents)
    table.horizontalHeader().sectionResized.connect(lambda *_a: fit.start())
    table.resizeRowsToContents()


def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "")


class ShortcutsDialog(QDialog):
    def __init__(self, registry: ActionRegistry, editable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.editable = editable
        self.setWindowTitle("Customise shortcuts" if editable else "Keyboard shortcuts")
        self.resize(900, 640)
        self.table = QTableWidget(len(registry.specs), 4, self)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Menu", "Command", "Shortcut", "What it does"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, s in enumerate(registry.specs):
            keys = registry[s.id].shortcut()
            self.table.setItem(row, 0, QTableWidgetItem(s.menu))
            item = QTableWidgetItem(_plain(s.text))
            item.setToolTip(s.tooltip)
            self.table.setItem(row, 1, item)
            if editable:
                editor = QKeySequenceEdit(keys)
                editor.setMaximumSequenceLength(1)
                self.editors[s.id] = editor
                self.table.setCellWidget(row, 2, editor)
            else:
                self.table.setItem(row, 2, QTableWidgetItem(registry.shortcut_text(s.id)))
            self.table.setItem(row, 3, QTableWidgetItem(s.tooltip))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), 150))
        wrap_cells(self.table)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults if editable
            else QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.save)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        if restore is not None:
            restore.clicked.connect(self.restore_defaults)
        lay = QVBoxLayout(self)
        if editable:
            lay.addWidget(QLabel("Click a shortcut and press the new keys."))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.message)
        lay.addWidget(buttons)

    def listed_commands(self) -> list[tuple[str, str]]:
        """(command, shortcut text) for every row, as shown."""
        rows = []
        for row, s in enumerate(self.registry.specs):
            item = self.table.item(row, 1)
            if self.editable:
                keys = self.editors[s.id].keySequence().toString(NATIVE)
            else:
                cell = self.table.item(row, 2)
                keys = cell.text() if cell is not None else ""
            rows.append((item.text() if item is not None else "", keys))
        return rows

    def restore_defaults(self) -> None:
        for s in self.registry.specs:
            self.editors[s.id].setKeySequence(s.default_shortcut())

    def save(self) -> None:
        chosen = {aid: ed.keySequence() for aid, ed in self.editors.items()}
        seen: dict[str, str] = {}
        for s in self.registry.specs:
            text = chosen[s.id].toString(NATIVE)
            if not text:
                self.message.setText(f"“{_plain(s.text)}” needs a shortcut: every command "
                                     "can be reached from the keyboard.")
                return
            if text in seen:
                self.message.setText(f"{text} is used by both “{_plain(seen[text])}” and "
                                     f"“{_plain(s.text)}”; choose different keys.")
                return
            seen[text] = s.text
        for aid, keys in chosen.items():
            self.registry.set_shortcut(aid, keys)
        self.accept()
