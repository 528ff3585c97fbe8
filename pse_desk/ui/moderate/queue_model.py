"""The comments of one queue as a table model that pages in from the database on demand.

``canFetchMore``/``fetchMore`` ask ``services.moderation.queue_page`` for the next keyset page
(200 rows) in the thread pool; only the pages scrolled to are kept, so a queue of a million
comments costs what the moderator has looked at, not the whole table.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from pse_desk.services.moderation import Queue, QueueRow, queue_page
from pse_desk.ui.table_model import ROW_ROLE, Index, display_text
from pse_desk.ui.workers import ReadRunner

PAGE_SIZE = 200
# Scrolling stops adding pages here, so holding the End key on a million comments cannot
# pull the whole table into memory; older comments are for the search (issue 5).
MAX_ROWS = 20_000
HEADERS = ("Posted", "Commenter", "Article", "Comment", "Reports", "Held for")


def _cell(row: QueueRow, column: int) -> Any:
    match column:
        case 0:
            return display_text(row.posted_at)
        case 1:
            return row.commenter
        case 2:
            return row.article_title
        case 3:
            return " ".join(row.excerpt.split())  # one line: newlines would break the row
        case 4:
            return row.reports or ""
        case _:
            return ", ".join(k for k in row.held_kinds if k)


class QueueModel(QAbstractTableModel):
    page_loaded = Signal(int)  # rows in the page that arrived
    failed = Signal(str)

    def __init__(self, runner: ReadRunner, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE, max_rows: int = MAX_ROWS) -> None:
        super().__init__(parent)
        self.runner = runner
        self.page_size = page_size
        self.max_rows = max_rows
        self.queue: Queue | None = None
        self._rows: list[QueueRow] = []
        self._exhausted = True
        self._loading = False
        self._generation = 0

    # --- paging -------------------------------------------------------------------------------
    def set_queue(self, queue: Queue) -> None:
        """Show ``queue`` from its newest comment; the first page is requested at once."""
        self.beginResetModel()
        self.queue = queue
        self._rows = []
        self._exhausted = False
        self._loading = False
        self._generation += 1
        self.endResetModel()
        self._request_page()

    def reload(self) -> None:
        if self.queue is not None:
            self.set_queue(self.queue)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and not self._exhausted and not self._loading
                and not self.capped)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request_page()

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    @property
    def capped(self) -> bool:
        """More comments exist than the table will hold; the newest ``max_rows`` are shown."""
        return not self._exhausted and len(self._rows) >= self.max_rows

    def _request_page(self) -> None:
        if self.queue is None:
            return
        queue, after = self.queue, (self._rows[-1].key if self._rows else None)
        limit = min(self.page_size, self.max_rows - len(self._rows))
        generation = self._generation
        self._loading = True
        request = self.runner.submit(
            "moderate.queue", lambda s: queue_page(s, queue, after=after, limit=limit),
            lambda rows: self._page_arrived(generation, rows), self._page_failed)
        if request == 0:
            self._loading = False

    def _page_arrived(self, generation: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < min(self.page_size, self.max_rows - len(self._rows))
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(rows))

    def _page_failed(self, sentence: str) -> None:
        self._loading = False
        self._exhausted = True
        self.failed.emit(sentence)

    # --- model --------------------------------------------------------------------------------
    def row_at(self, row: int) -> QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column())
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None
