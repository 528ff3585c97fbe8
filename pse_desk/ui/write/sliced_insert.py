"""A big text inserted at an editor's cursor a slice of lines per turn of the event loop.

A paste of a 10 MB line, once split into lines (``writing.long_lines``), put into a
QPlainTextEdit at once holds the GUI for seconds while Qt lays it out and highlights it. Slice
by slice (``writing.long_lines.line_slices``) it stays one undo step: the editor is read-only and
its signals are blocked until the last slice is in, then ``done`` is called (the Markdown editor
announces its new text, once).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from pse_desk.writing.long_lines import line_slices


class SlicedInsert(QObject):
    """Insert ``text`` at ``editor``'s cursor in slices; ``done()`` after the last one."""

    finished = Signal()

    def __init__(self, editor: QPlainTextEdit, text: str, done: Callable[[], None]) -> None:
        super().__init__(editor)
        self.editor = editor
        self._done = done
        self._cursor = editor.textCursor()
        self._slices = line_slices(text)
        self._first = True
        editor.setReadOnly(True)
        editor.blockSignals(True)
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._timer.start()

    def _step(self) -> None:
        piece = next(self._slices, None)
        if piece is None:
            self._timer.stop()
            editor = self.editor
            editor.blockSignals(False)
            editor.setReadOnly(False)
            editor.setTextCursor(self._cursor)
            editor.ensureCursorVisible()
            self._done()
            self.finished.emit()
            self.deleteLater()
            return
        if self._first:
            self._cursor.beginEditBlock()
            self._first = False
        else:
            self._cursor.joinPreviousEditBlock()  # the whole paste undoes in one step
        self._cursor.insertText(piece)
        self._cursor.endEditBlock()
