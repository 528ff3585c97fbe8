"""The writing checks beside the editor: one row per finding, each a click from its line.

Findings come from ``pse_desk.writing.checks`` (alt text, heading levels, vague link text,
long sentences, reading ease). Clicking a row (or Enter on it) asks for a jump to the line
and column where the trouble starts.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from pse_desk.writing.checks import Finding, Severity

LINE_ROLE = Qt.ItemDataRole.UserRole
COLUMN_ROLE = Qt.ItemDataRole.UserRole + 1


class ChecksPanel(QWidget):
    jump_requested = Signal(int, int)  # 1-based line, 0-based column

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.summary = QLabel()
        self.summary.setObjectName("paneMeta")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("checksList")
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Writing checks")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        self._shown: list[Finding] | None = None
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        self.set_findings([])

    def set_findings(self, findings: Sequence[Finding]) -> None:
        if list(findings) == self._shown:
            return
        self._shown = list(findings)
        self.list.clear()
        style = self.style()
        icons = {Severity.WARNING: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                 Severity.INFO: style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)}
        problems = 0
        for finding in findings:
            item = QListWidgetItem(icons[finding.severity], f"Line {finding.line}: "
                                   f"{finding.message}")
            item.setData(LINE_ROLE, finding.line)
            item.setData(COLUMN_ROLE, finding.column)
            item.setToolTip(finding.message)
            self.list.addItem(item)
            problems += finding.severity is Severity.WARNING
        if problems:
            self.summary.setText(f"{problems} thing{'s' if problems != 1 else ''} to look at.")
        else:
            self.summary.setText("No problems found.")

    def _chosen(self, item: QListWidgetItem) -> None:
        self.jump_requested.emit(int(item.data(LINE_ROLE)), int(item.data(COLUMN_ROLE)))
