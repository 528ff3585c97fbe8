"""The question above the comment table when decision keys came too fast to be meant.

It says what happened in plain sentences and offers two ways on: undo the decisions the burst
made, or carry on deciding. It sits in the layout (nothing modal): the table keeps the focus,
so more stray letters are simply refused while it shows (``moderation.burst.BurstGuard``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class BurstBar(QFrame):
    undo_requested = Signal()
    carry_on_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("burstBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#burstBar { background: palette(alternate-base); }")
        self.text = QLabel()
        self.text.setObjectName("burstText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("burstUndo")
        self.carry_on_button = QPushButton("Carry on deciding")
        self.carry_on_button.setObjectName("burstCarryOn")
        for button in (self.undo_button, self.carry_on_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a stray space must not press it
        self.undo_button.clicked.connect(self.undo_requested)
        self.carry_on_button.clicked.connect(self.carry_on_requested)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.undo_button)
        lay.addWidget(self.carry_on_button)
        self.hide()

    def ask(self, decided: int, limit: int, window_ms: int) -> None:
        """Show the question for a burst in which ``decided`` keys were acted on."""
        made = "1 decision was" if decided == 1 else f"{decided} decisions were"
        self.text.setText(
            f"Decision keys came faster than anyone can read a comment: more than {limit} "
            f"within {window_ms} ms. Perhaps you were typing a search? The desk has stopped "
            f"acting on them. {made} made in that burst before it stopped; you can undo "
            "them, or carry on if you meant them.")
        self.undo_button.setText("Undo that decision" if decided == 1
                                 else f"Undo those {decided} decisions")
        self.undo_button.setVisible(decided > 0)
        self.show()
