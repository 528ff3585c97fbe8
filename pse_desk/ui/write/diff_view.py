"""Two texts side by side with their word-level differences highlighted.

Fed with the segments of ``services.revisions.compare`` (``writing.diff.Segment``): the old text
on the left with deleted words marked, the new text on the right with inserted words marked.
The texts are inserted as plain text with character formats, never as HTML (a revision may hold
anything), and the two sides scroll together. The view opens at the first change, and "Next
change" / "Previous change" (Alt+Down / Alt+Up) walk through them.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.writing.diff import Segment

DELETED = QColor(255, 99, 71, 90)
INSERTED = QColor(60, 179, 113, 90)


def _side(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    view.setFont(font)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return view


class DiffView(QWidget):
    """Old text left, new text right; see the module docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        self.left_title = QLabel()
        self.right_title = QLabel()
        self.left = _side("diffOld")
        self.right = _side("diffNew")
        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        self.summary.setWordWrap(True)
        self.previous_button = QPushButton("Previous change")
        self.previous_button.setObjectName("diffPrevious")
        self.previous_button.setShortcut(QKeySequence("Alt+Up"))
        self.changes: list[tuple[int, int]] = []  # (left, right) position of each change
        self.current = -1
        self.previous_button.clicked.connect(lambda: self.go_to_change(self.current - 1))
        self.next_button = QPushButton("Next change")
        self.next_button.setObjectName("diffNext")
        self.next_button.setShortcut(QKeySequence("Alt+Down"))
        self.next_button.clicked.connect(lambda: self.go_to_change(self.current + 1))
        columns = QHBoxLayout()
        for title, view in ((self.left_title, self.left), (self.right_title, self.right)):
            col = QVBoxLayout()
            col.addWidget(title)
            col.addWidget(view, 1)
            columns.addLayout(col)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(columns, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        lay.addLayout(bottom)
        self._syncing = False
        self.left.verticalScrollBar().valueChanged.connect(
            lambda _v: self._follow(self.left, self.right))
        self.right.verticalScrollBar().valueChanged.connect(
            lambda _v: self._follow(self.right, self.left))
        self.marked_old: list[str] = []
        self.marked_new: list[str] = []

    def _follow(self, source: QPlainTextEdit, target: QPlainTextEdit) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            bar, other = source.verticalScrollBar(), target.verticalScrollBar()
            share = bar.value() / bar.maximum() if bar.maximum() else 0.0
            other.setValue(round(share * other.maximum()))
        finally:
            self._syncing = False

    def set_titles(self, old: str, new: str) -> None:
        self.left_title.setText(old)
        self.right_title.setText(new)

    def set_segments(self, segments: Sequence[Segment]) -> None:
        """Show both texts; marked words also land in ``marked_old`` / ``marked_new``."""
        self.marked_old, self.marked_new = [], []
        self.changes, self.current = [], -1
        plain, deleted, inserted = QTextCharFormat(), QTextCharFormat(), QTextCharFormat()
        deleted.setBackground(DELETED)
        deleted.setFontStrikeOut(True)
        inserted.setBackground(INSERTED)
        self.left.clear()
        self.right.clear()
        left, right = QTextCursor(self.left.document()), QTextCursor(self.right.document())
        left.beginEditBlock()
        right.beginEditBlock()
        changes = 0
        for seg in segments:
            if seg.tag == "equal":
                left.insertText(seg.a_text, plain)
                right.insertText(seg.b_text, plain)
                continue
            changes += 1
            self.changes.append((left.position(), right.position()))
            if seg.a_text:
                left.insertText(seg.a_text, deleted)
                self.marked_old.append(seg.a_text)
            if seg.b_text:
                right.insertText(seg.b_text, inserted)
                self.marked_new.append(seg.b_text)
        left.endEditBlock()
        right.endEditBlock()
        self.summary.setText("The texts are the same." if not changes else
                             f"{changes} change{'s' if changes != 1 else ''}: removed words "
                             "are struck through on the left, added words marked on the right.")
        self.go_to_change(0)

    def go_to_change(self, index: int) -> None:
        """Show change ``index`` (0-based) on both sides; the buttons say what is left."""
        if self.changes:
            self.current = max(0, min(index, len(self.changes) - 1))
            self._syncing = True  # each side goes to its own place, not the other's share
            try:
                for view, position in zip((self.left, self.right), self.changes[self.current],
                                          strict=True):
                    cursor = view.textCursor()
                    cursor.setPosition(position)
                    view.setTextCursor(cursor)
                    view.centerCursor()
            finally:
                self._syncing = False
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(0 <= self.current < len(self.changes) - 1)
