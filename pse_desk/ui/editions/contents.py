"""Drag and drop in the Editions workspace: articles dragged from the searchable article list
into the contents (at the drop point), and contents items dragged to a new place in print
order. The models only ask (``article_dropped``, ``item_moved``); the workspace saves the change
as an undoable command and the contents are read back, so what shows is what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from pse_desk.services.articles import ArticleRow, list_articles
from pse_desk.services.editions import EditionItemRow
from pse_desk.ui.table_model import Column, RowTableModel
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import plain_label

ARTICLE_MIME = "application/x-pse-desk-article"
ITEM_MIME = "application/x-pse-desk-edition-item"
Index = QModelIndex | QPersistentModelIndex


def _drop_row(row: int, parent: Index, count: int) -> int:
    if row >= 0:
        return row
    return parent.row() if parent.isValid() else count  # onto a row: before it; below: end


class ContentsModel(RowTableModel[EditionItemRow]):
    """The contents table: rows can be dragged, and rows or articles dropped between them."""

    article_dropped = Signal(str, int)  # article id, index in print order
    item_moved = Signal(str, int)  # item id, its new index

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index) | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ITEM_MIME, ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        item = self.row_at(rows[0]) if rows else None
        if item is not None:
            data.setData(ITEM_MIME, item.id.encode())
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return data.hasFormat(ITEM_MIME) or data.hasFormat(ARTICLE_MIME)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        at = _drop_row(row, parent, self.rowCount())
        if data.hasFormat(ARTICLE_MIME):
            self.article_dropped.emit(bytes(data.data(ARTICLE_MIME).data()).decode(), at)
        elif data.hasFormat(ITEM_MIME):
            ident = bytes(data.data(ITEM_MIME).data()).decode()
            ids = [r.id for r in self.rows()]
            if ident in ids and ids.index(ident) < at:
                at -= 1  # its own row, above the drop point, is not counted in its new place
            self.item_moved.emit(ident, at)
        return False  # the contents are read back from the saved change


class _ArticleModel(RowTableModel[ArticleRow]):
    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        row = self.row_at(indexes[0].row()) if indexes else None
        if row is not None:
            data.setData(ARTICLE_MIME, row.id.encode())
        return data


ARTICLE_COLUMNS: tuple[Column[ArticleRow], ...] = (
    Column("Article", lambda a: f"{a.title} — {a.section}, {a.status}"),
)


class ArticleList(QWidget):
    """Articles to drag into the contents: a search box over their titles and the list, read
    off the GUI thread as you type. Enter (or a double click) adds the chosen one."""

    chosen = Signal(str, str)  # article id, title

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.search = QLineEdit()
        self.search.setObjectName("editionArticleSearch")
        self.search.setPlaceholderText("Find articles to drag into the contents")
        self.model = _ArticleModel(ARTICLE_COLUMNS, self)
        self.view = QListView()
        self.view.setObjectName("editionArticles")
        self.view.setModel(self.model)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.doubleClicked.connect(self._picked)
        self.view.activated.connect(self._picked)
        self.note = plain_label("editionArticleNote")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        for w in (self.search, self.view, self.note):
            box.addWidget(w)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.read)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._first)

    def read(self) -> None:
        text = self.search.text().strip() or None
        self.runner.submit("editions.articles", lambda s: list_articles(s, search=text),
                           self._fill, self.note.setText)

    def _fill(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.note.setText(f"{len(rows)} article(s); drag one into the contents, or press "
                          "Enter." if rows else "No article matches.")

    def _picked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.chosen.emit(row.id, row.title)

    def _first(self) -> None:
        index = self.view.currentIndex()
        self._picked(index if index.isValid() else self.model.index(0, 0))
