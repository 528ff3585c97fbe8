"""Help > Show log: the end of the desk's log file, read off the GUI thread, to read or copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui.logbook import read_tail
from pse_desk.ui.workers import OrderedJobs


class LogDialog(QDialog):
    def __init__(self, path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logDialog")
        self.setWindowTitle("Log")
        self.resize(900, 560)
        self.path = path
        self.where = QLabel(f"The log is kept in {path}." if path is not None else
                            "There is no log: its folder cannot be written.")
        self.where.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("logText")
        self.text.setReadOnly(True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(font)
        self.text.setPlaceholderText("Nothing has been logged yet.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reload_button = QPushButton("Reload")
        self.copy_button = QPushButton("Copy all")
        buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        lay = QVBoxLayout(self)
        lay.addWidget(self.where)
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self._jobs = OrderedJobs(parent=self)
        self.reload()

    def reload(self) -> None:
        path = self.path
        if path is None:
            return
        self._jobs.submit(lambda: read_tail(path), self._arrived, owner=self)

    def _arrived(self, text: object) -> None:
        self.text.setPlainText(str(text))
        self.text.moveCursor(QTextCursor.MoveOperation.End)  # the newest lines
