"""The sheet ``?`` shows: every key of the Moderate workspace (as the user set them) and what
it does."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui.moderate.keys import MODERATE_SPECS
from pse_desk.ui.shortcuts_dialog import wrap_cells


class ShortcutSheet(QDialog):
    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moderateShortcutSheet")
        self.setWindowTitle("Moderation keys")
        self.table = QTableWidget(len(MODERATE_SPECS), 3)
        self.table.setHorizontalHeaderLabels(["Key", "Command", "What it does"])
        self.table.verticalHeader().setVisible(False)
        for row, spec in enumerate(MODERATE_SPECS):
            act = actions.get(spec.id)
            shown = act.shortcuts() if act is not None else [spec.default_shortcut()]
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in shown)
            for col, text in enumerate((keys, spec.text.replace("&", ""), spec.tooltip)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        wrap_cells(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(buttons)
        self.resize(820, 620)
