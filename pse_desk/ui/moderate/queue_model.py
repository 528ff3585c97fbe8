"""The comments of one queue (or search) as a windowed table model over the whole queue.

``rowCount`` is the queue's count, so the scroll bar covers a million comments; the rows
themselves arrive in pages of ``page_size`` from the thread pool and only the last ``max_pages``
pages looked at are kept (a least-recently-used cache). A row that is not cached shows blank
and asks for its page: the page is found from the nearest cached page (its keyset) or an end of
the queue, whichever is fewer rows away (``services.moderation.queue.listing_window``).

The first page is asked for on its own and shown at once; the count (slow on a big queue:
every row is checked) follows and widens the table. Decisions made here are shown in place
(``set_decided``): the row stays where it was, dimmed, with its new status, so the moderator's
position does not jump; the next queue change reads the queue again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor

from pse_desk.moderation.wording import kind_label
from pse_desk.services.moderation.queue import (
    Listing,
    QueueRow,
    listing_conditions,
    listing_count,
    listing_window,
)
from pse_desk.ui.table_model import ROW_ROLE, Index, display_text
from pse_desk.ui.workers import ReadRunner

PAGE_SIZE = 200
MAX_PAGES = 40  # 8,000 rows at most in memory, whatever the queue's size
MAX_IN_FLIGHT = 3
HEADERS = ("", "Posted", "Commenter", "Article", "Comment", "Reports", "Held for", "Decision")
MARK_COLUMN = 0
DECIDED_COLOUR = QColor(128, 128, 128)


def _cell(row: QueueRow, column: int, decided: str | None) -> Any:
    match column:
        case 0:
            return ""
        case 1:
            return display_text(row.posted_at)
        case 2:
            return row.commenter
        case 3:
            return row.article_title
        case 4:
            # one line: newlines would break the row; control characters are dropped
            return " ".join("".join(ch for ch in row.excerpt if ch.isprintable() or ch == " ")
                            .split())
        case 5:
            return row.reports or ""
        case 6:
            return ", ".join(kind_label(k) for k in dict.fromkeys(row.held_kinds) if k)
        case _:
            return (decided or "").capitalize()


class QueueModel(QAbstractTableModel):
    page_loaded = Signal(int)   # index of the page that arrived
    count_known = Signal(int)   # rows in the listing
    failed = Signal(str)

    def __init__(self, runner: ReadRunner, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> None:
        super().__init__(parent)
        self.runner = runner
        self.page_size = page_size
        self.max_pages = max_pages
        self.listing: Listing | None = None
        self._pages: OrderedDict[int, list[QueueRow]] = OrderedDict()
        self._rows = 0
        self._total: int | None = None
        self._generation = 0
        self._in_flight: set[int] = set()
        self._wanted: list[int] = []
        self._decided: dict[str, str] = {}
        self.marked: set[str] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._submit_wanted)

    # --- listing ------------------------------------------------------------------------------
    def set_listing(self, listing: Listing) -> None:
        """Show ``listing`` from its newest comment: the first page, then the count."""
        self.beginResetModel()
        self.listing = listing
        self._pages.clear()
        self._rows = 0
        self._total = None
        self._generation += 1
        self._in_flight.clear()
        self._wanted.clear()
        self._decided.clear()
        self.marked.clear()
        self.endResetModel()
        generation, size = self._generation, self.page_size
        self._in_flight.add(0)
        self.runner.submit(
            f"moderate.page.{generation}.0",
            lambda s: listing_window(s, listing_conditions(s, listing), limit=size),
            lambda rows: self._page_arrived(generation, 0, rows), self._failed)
        self.runner.submit(
            "moderate.count", lambda s: listing_count(s, listing_conditions(s, listing)),
            lambda n: self._count_arrived(generation, n), self._failed)

    def reload(self) -> None:
        if self.listing is not None:
            self.set_listing(self.listing)

    @property
    def total(self) -> int | None:
        """Rows in the listing, once counted."""
        return self._total

    @property
    def cached_rows(self) -> int:
        return sum(len(p) for p in self._pages.values())

    @property
    def loading(self) -> bool:
        return bool(self._in_flight)

    def _count_arrived(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._total = total
        self._resize(total)
        self.count_known.emit(total)

    def _resize(self, rows: int) -> None:
        if rows > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, rows - 1)
            self._rows = rows
            self.endInsertRows()
        elif rows < self._rows:
            self.beginRemoveRows(QModelIndex(), rows, self._rows - 1)
            self._rows = rows
            self.endRemoveRows()

    # --- pages --------------------------------------------------------------------------------
    def _want(self, page: int) -> None:
        if page in self._in_flight or page in self._pages:
            return
        if page in self._wanted:
            self._wanted.remove(page)
        self._wanted.append(page)
        self._flush.start()

    def _submit_wanted(self) -> None:
        # The newest wishes first (what is on screen now); older ones are dropped — if their
        # rows are painted again they will ask again.
        while self._wanted and len(self._in_flight) < MAX_IN_FLIGHT:
            page = self._wanted.pop()
            if page not in self._pages and page not in self._in_flight:
                self._request(page)
        self._wanted.clear()

    def _plan(self, page: int) -> tuple[bool, Any, int, int]:
        """(newest_first, edge key, skip, limit) for the cheapest walk to ``page``."""
        size, start = self.page_size, page * self.page_size
        total = self._total if self._total is not None else self._rows
        limit = max(0, min(size, total - start))
        below = [q for q in self._pages if q < page]
        above = [q for q in self._pages if q > page]
        options: list[tuple[int, bool, Any]] = [(start, True, None)]
        if below:
            q = max(below)
            rows = self._pages[q]
            if rows:
                options.append((start - (q * size + len(rows)), True, rows[-1].key))
        if above:
            q = min(above)
            rows = self._pages[q]
            if rows:
                options.append((q * size - (start + limit), False, rows[0].key))
        options.append((total - (start + limit), False, None))
        skip, newest_first, edge = min((o for o in options if o[0] >= 0), key=lambda o: o[0])
        return newest_first, edge, skip, limit

    def _request(self, page: int) -> None:
        listing = self.listing
        if listing is None:
            return
        newest_first, edge, skip, limit = self._plan(page)
        if limit <= 0:
            return
        generation = self._generation
        self._in_flight.add(page)
        self.runner.submit(
            f"moderate.page.{generation}.{page}",
            lambda s: listing_window(s, listing_conditions(s, listing),
                                     newest_first=newest_first, edge=edge, skip=skip,
                                     limit=limit),
            lambda rows: self._page_arrived(generation, page, rows), self._failed)

    def _page_arrived(self, generation: int, page: int, rows: list[QueueRow]) -> None:
        if generation != self._generation:
            return
        self._in_flight.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        end = first + len(rows)
        if self._total is None and end > self._rows:
            self._resize(end)  # until the count arrives, the table is as long as what is known
        if rows and end <= self._rows:
            self.dataChanged.emit(self.index(first, 0), self.index(end - 1, len(HEADERS) - 1))
        self.page_loaded.emit(page)
        if self._wanted:
            self._flush.start()

    def _failed(self, sentence: str) -> None:
        self._in_flight.clear()
        self.failed.emit(sentence)

    # --- rows ---------------------------------------------------------------------------------
    def row_at(self, row: int) -> QueueRow | None:
        """The row if its page is cached (no request is made)."""
        if not 0 <= row < self._rows:
            return None
        page, offset = divmod(row, self.page_size)
        rows = self._pages.get(page)
        if rows is None or offset >= len(rows):
            return None
        return rows[offset]

    def ensure_row(self, row: int) -> QueueRow | None:
        """The row, asking for its page when it is not cached."""
        found = self.row_at(row)
        if found is None and 0 <= row < self._rows:
            self._want(row // self.page_size)
        elif found is not None:
            self._pages.move_to_end(row // self.page_size)
        return found

    def cached_by_id(self) -> dict[str, QueueRow]:
        return {r.id: r for rows in self._pages.values() for r in rows}

    def row_of(self, comment_id: str) -> int | None:
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == comment_id:
                    return page * self.page_size + i
        return None

    def decided(self, comment_id: str) -> str | None:
        return self._decided.get(comment_id)

    def set_decided(self, statuses: dict[str, str | None]) -> None:
        """Show decisions (comment id -> new status; None forgets one, as after an undo)."""
        for cid, status in statuses.items():
            if status is None:
                self._decided.pop(cid, None)
            else:
                self._decided[cid] = status
        self._changed_rows(statuses)

    def set_marked(self, ids: set[str] | list[str], marked: bool = True) -> None:
        if marked:
            self.marked.update(ids)
        else:
            self.marked.difference_update(ids)
        self._changed_rows(ids)

    def clear_marks(self) -> None:
        ids, self.marked = self.marked, set()
        self._changed_rows(ids)

    def _changed_rows(self, ids: Any) -> None:
        wanted = set(ids)
        if len(wanted) > 2000:  # a bulk change: repaint all cached rows at once
            if self._rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(self._rows - 1, len(HEADERS) - 1))
            return
        for cid in wanted:
            row = self.row_of(cid)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    # --- model --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.ensure_row(index.row()) if role == Qt.ItemDataRole.DisplayRole \
            else self.row_at(index.row())
        if row is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 4 else None
        decided = self._decided.get(row.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, index.column(), decided)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == MARK_COLUMN:
            return Qt.CheckState.Checked if row.id in self.marked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and decided is not None:
            return DECIDED_COLOUR
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None
