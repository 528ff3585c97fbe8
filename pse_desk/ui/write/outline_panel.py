"""The outline of the article beside the editor: its headings, indented by level.

Clicking a heading (or Enter on it) asks for a jump to its source line; ``set_current_line``
follows the editor's cursor by selecting the heading of the section it is in.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from pse_desk.writing.outline import Heading

LINE_ROLE = Qt.ItemDataRole.UserRole
INDENT = "    "


class OutlinePanel(QWidget):
    jump_requested = Signal(int)  # 1-based source line of the heading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlinePanel")
        self.list = QListWidget()
        self.list.setObjectName("outlineList")
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Outline: headings of the article")
        self.empty = QLabel("No headings yet: start a line with ## to add one.")
        self.empty.setObjectName("paneMeta")
        self.empty.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.empty)
        self._lines: list[int] = []
        self.list.itemClicked.connect(self._chosen)
        self.list.itemActivated.connect(self._chosen)
        self.set_outline([])

    def set_outline(self, items: Sequence[Heading]) -> None:
        if [h.line for h in items] == self._lines and self.list.count() == len(items) \
                and all(self.list.item(i).text() == self._label(h) for i, h in enumerate(items)):
            return  # unchanged: keep the selection and scroll position
        self.list.clear()
        self._lines = [h.line for h in items]
        for heading in items:
            item = QListWidgetItem(self._label(heading))
            item.setData(LINE_ROLE, heading.line)
            item.setToolTip(f"Line {heading.line}: level {heading.level} heading")
            self.list.addItem(item)
        self.list.setVisible(bool(items))
        self.empty.setVisible(not items)

    @staticmethod
    def _label(heading: Heading) -> str:
        return INDENT * (heading.level - 1) + (heading.text or "(empty heading)")

    def set_current_line(self, line: int) -> None:
        """Select the heading whose section holds ``line``, without asking for a jump."""
        row = -1
        for index, heading_line in enumerate(self._lines):
            if heading_line > line:
                break
            row = index
        self.list.blockSignals(True)
        self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def _chosen(self, item: QListWidgetItem) -> None:
        self.jump_requested.emit(int(item.data(LINE_ROLE)))
