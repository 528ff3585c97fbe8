"""The Editions workspace: editions (title, issue date, page size, bleed) and the ordered
items of the selected one (articles, panels, page breaks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from pse_desk.services import editions
from pse_desk.services.editions import EditionItemRow, EditionRow
from pse_desk.ui.master_detail import MasterDetailWorkspace
from pse_desk.ui.table_model import Column
from pse_desk.ui.workers import ReadRunner

EDITION_COLUMNS: tuple[Column[EditionRow], ...] = (
    Column("Title", lambda e: e.title),
    Column("Issue date", lambda e: e.issue_date),
    Column("Page size", lambda e: e.page_size),
    Column("Bleed", lambda e: f"{e.bleed_mm:g} mm", align_right=True),
    Column("Items", lambda e: e.item_count, align_right=True),
    Column("Status", lambda e: e.status),
)
ITEM_COLUMNS: tuple[Column[EditionItemRow], ...] = (
    Column("#", lambda i: i.position, align_right=True),
    Column("Page break", lambda i: "new page" if i.page_break_before else ""),
    Column("Kind", lambda i: i.kind),
    Column("Title", lambda i: i.title),
)


class EditionsWorkspace(MasterDetailWorkspace[EditionRow, EditionItemRow]):
    key = "editions"
    title = "Editions"
    master_title = "Editions, newest issue first"
    items_title = "Contents of the selected edition, in print order"

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, EDITION_COLUMNS, ITEM_COLUMNS, (320, 100, 80, 70, 60, 80),
                         (40, 90, 80, 400), stretch=(0, 3), parent=parent)
        self.toolbar.addWidget(QLabel("  Print editions"))

    def read_masters(self) -> Callable[[Any], list[EditionRow]]:
        return editions.list_editions

    def read_items(self, master: EditionRow) -> Callable[[Any], list[EditionItemRow]]:
        edition_id = master.id
        return lambda s: editions.edition_items(s, edition_id)
