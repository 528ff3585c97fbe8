"""Pick a published article for a panel: a search box over the titles and the newest published
articles, read off the GUI thread as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services.layout.read import ArticleChoice, published_articles
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import plain_label

CHOICE = Qt.ItemDataRole.UserRole + 1


class ArticlePicker(QDialog):
    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a published article")
        self.resize(560, 420)
        self.runner = runner
        self.chosen: ArticleChoice | None = None
        self.search = QLineEdit()
        self.search.setObjectName("pickerSearch")
        self.search.setPlaceholderText("Words of the title")
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setObjectName("pickerList")
        self.list.setModel(self.model)
        self.list.doubleClicked.connect(lambda _i: self._accept())
        self.note = plain_label("pickerNote")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        for w in (self.search, self.list, self.note, self.buttons):
            box.addWidget(w)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._read)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._accept)
        self._read()

    def _read(self) -> None:
        text = self.search.text()
        self.runner.submit("layout.picker", lambda s: published_articles(s, text),
                           self._fill, self.note.setText)

    def _fill(self, choices: list[ArticleChoice]) -> None:
        self.model.clear()
        for choice in choices:
            when = choice.published_at.strftime("%d/%m/%Y") if choice.published_at else ""
            row = QStandardItem(f"{choice.title[:200]} — {choice.section}, {when}")
            row.setData(choice, CHOICE)
            row.setEditable(False)
            self.model.appendRow(row)
        self.note.setText("No published article has those words in its title."
                          if not choices else f"{len(choices)} published article(s).")
        if choices:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def _accept(self) -> None:
        index = self.list.currentIndex()
        choice = index.data(CHOICE) if index.isValid() else None
        if isinstance(choice, ArticleChoice):
            self.chosen = choice
            self.accept()
