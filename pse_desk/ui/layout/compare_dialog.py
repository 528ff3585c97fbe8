"""Two layouts side by side: each panel of either, in page order, with what the other layout
has instead, and the differences of settings and items spelled out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.compare import CHANGED, ONLY_A, ONLY_B, LayoutDiff, PanelDiff
from pse_desk.render.page import region_label
from pse_desk.services.layout import history
from pse_desk.services.layout.read import LayoutView
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import plain_label

COLOURS = {CHANGED: QColor(255, 236, 179), ONLY_A: QColor(255, 205, 210),
           ONLY_B: QColor(200, 230, 201)}


def _side(diff: PanelDiff, left: bool) -> str:
    title, region = (diff.title_a, diff.region_a) if left else (diff.title_b, diff.region_b)
    if not title:
        return "—"
    return f"{title}  ({region_label(region)})"


def _details(diff: PanelDiff) -> str:
    lines = list(diff.changes)
    lines += [f"only left: {name}" for name in diff.items_only_a]
    lines += [f"only right: {name}" for name in diff.items_only_b]
    if diff.status == ONLY_A:
        lines.append("only in the left layout")
    elif diff.status == ONLY_B:
        lines.append("only in the right layout")
    return "\n".join(lines) or "the same"


class CompareDialog(QDialog):
    compared = Signal()  # the differences are shown
    def __init__(self, runner: ReadRunner, view: LayoutView, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("compareDialog")
        self.setWindowTitle("Compare layouts")
        self.resize(980, 560)
        self.runner = runner
        self.left, self.right = QComboBox(), QComboBox()
        for combo in (self.left, self.right):
            for row in view.layouts:
                combo.addItem(row.name + ("  ★" if row.active else ""), row.id)
        self.left.setCurrentIndex(max(0, self.left.findData(view.layout.id)))
        other = next((r.id for r in view.layouts if r.id != view.layout.id), view.layout.id)
        self.right.setCurrentIndex(max(0, self.right.findData(other)))
        self.summary = plain_label("compareSummary")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("compareTable")
        self.table.setHorizontalHeaderLabels(["Left", "Right", "Differences"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 280)
        self.table.setColumnWidth(1, 280)
        choose = QHBoxLayout()
        for label, combo in (("Left", self.left), ("Right", self.right)):
            choose.addWidget(QLabel(label))
            choose.addWidget(combo, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(choose)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        box.addWidget(buttons)
        self.diff: LayoutDiff | None = None
        for combo in (self.left, self.right):
            combo.currentIndexChanged.connect(self._read)
        self._read()

    def _read(self) -> None:
        a, b = self.left.currentData(), self.right.currentData()
        if a and b:
            self.runner.submit("layout.compare", lambda s: history.compare(s, a, b),
                               self.show_diff, self.summary.setText)

    def show_diff(self, diff: LayoutDiff) -> None:
        self.diff = diff
        self.summary.setText(diff.summary())
        self.table.setRowCount(len(diff.panels))
        for row, panel in enumerate(diff.panels):
            cells = (_side(panel, True), _side(panel, False), _details(panel))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if panel.status in COLOURS:
                    item.setBackground(QBrush(COLOURS[panel.status]))
                    item.setForeground(QBrush(QColor(20, 20, 20)))
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.compared.emit()
