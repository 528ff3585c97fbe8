"""A banner above an article's text: one sentence that stays until it is dealt with.

The status bar cuts long sentences and the next message replaces them; what a writer must read
(the text was recovered after a crash, lines too long to edit) goes in a banner over the editor
instead, with a button for what to do about it and, where it is only news, a close button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

STYLE = ("QFrame#{name} {{ background: #fff4d6; border-bottom: 1px solid #e0c27a; }}"
         " QFrame#{name} QLabel {{ color: #4a3500; }}")


class NoticeBanner(QFrame):
    """A sentence, an optional action button and an optional close (×) button."""

    action_requested = Signal()
    dismissed = Signal()

    def __init__(self, name: str, action: str = "", *, closable: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(STYLE.format(name=name))
        self.label = QLabel(self)
        self.label.setObjectName(f"{name}Sentence")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.label, 1)
        self.button = QPushButton(action, self)
        self.button.setObjectName(f"{name}Action")
        self.button.clicked.connect(self.action_requested)
        self.button.setVisible(bool(action))
        row.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName(f"{name}Close")
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss this note")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        self.close_button.setVisible(closable)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_sentence(self, sentence: str) -> None:
        self.label.setText(sentence)
        self.show()

    def dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()

    @property
    def sentence(self) -> str:
        """The sentence shown ("" when the banner is hidden)."""
        return "" if self.isHidden() else self.label.text()
