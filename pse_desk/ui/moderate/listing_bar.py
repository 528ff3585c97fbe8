"""The bar over the comment table: what is listed (its title), the way back to the whole queue,
and the search box with its one-sentence error.

It only checks that a search can be understood (``moderation.search.parse_query``) and says
why not; the workspace reads the listing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pse_desk.moderation.search import SearchError, parse_query

PLACEHOLDER = ("Search comments — e.g. user:ana rule:shouting after:2026-11-01   "
               "(press / to come here)")


class ListingBar(QWidget):
    search_cleared = Signal()  # the box was emptied (its clear button, or deleting the text)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("queueTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_filter_button = QPushButton("Show the whole queue")
        self.clear_filter_button.setObjectName("clearFilter")
        self.clear_filter_button.hide()
        self.search = QLineEdit()
        self.search.setObjectName("moderateSearch")
        self.search.setPlaceholderText(PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search_error = QLabel()
        self.search_error.setObjectName("searchError")
        self.search_error.setTextFormat(Qt.TextFormat.PlainText)
        self.search_error.setWordWrap(True)
        self.search_error.hide()
        self.search.textChanged.connect(self._edited)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.clear_filter_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(title_row)
        lay.addWidget(self.search)
        lay.addWidget(self.search_error)

    @property
    def query(self) -> str:
        return self.search.text().strip()

    def search_is_understood(self) -> bool:
        """Whether the search can be run; if not, the sentence saying why shows under the box."""
        if self.query:
            try:
                parse_query(self.query)
            except SearchError as exc:
                self.search_error.setText(str(exc))
                self.search_error.show()
                return False
        self.search_error.hide()
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _edited(self, text: str) -> None:
        if not text:
            self.search_cleared.emit()
