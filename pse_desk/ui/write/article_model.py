"""The article list as a table model (title, section, status, author, updated)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from pse_desk.services.articles import ArticleRow
from pse_desk.ui.table_model import Column, RowTableModel

COLUMNS: tuple[Column[ArticleRow], ...] = (
    Column("Title", lambda r: r.title),
    Column("Section", lambda r: r.section),
    Column("Status", lambda r: r.status),
    Column("Author", lambda r: r.author),
    Column("Updated", lambda r: r.updated_at),
)


class ArticleListModel(RowTableModel[ArticleRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def row_of(self, article_id: str) -> int:
        for i, r in enumerate(self._rows):
            if r.id == article_id:
                return i
        return -1
