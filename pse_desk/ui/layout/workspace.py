"""The Layout workspace: panels (region, position, title, source, items, enabled) and the
items of the selected panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from pse_desk.services import layout
from pse_desk.services.layout import PanelItemRow, PanelRow
from pse_desk.ui.master_detail import MasterDetailWorkspace
from pse_desk.ui.table_model import Column
from pse_desk.ui.workers import ReadRunner


def _source(p: PanelRow) -> str:
    if p.source == "section":
        return f"latest from {p.source_query}" if p.source_query else "latest from every section"
    return "chosen by hand"


PANEL_COLUMNS: tuple[Column[PanelRow], ...] = (
    Column("Region", lambda p: p.region),
    Column("Position", lambda p: p.position, align_right=True),
    Column("Title", lambda p: p.title),
    Column("Source", _source),
    Column("Items shown", lambda p: p.item_count, align_right=True),
    Column("Enabled", lambda p: p.enabled),
)
ITEM_COLUMNS: tuple[Column[PanelItemRow], ...] = (
    Column("#", lambda i: i.position, align_right=True),
    Column("Title", lambda i: i.title),
    Column("Kind", lambda i: "article" if i.article_id else "link"),
    Column("Date", lambda i: i.item_date),
    Column("Pinned", lambda i: i.pinned),
    Column("Summary", lambda i: i.summary),
)


class LayoutWorkspace(MasterDetailWorkspace[PanelRow, PanelItemRow]):
    key = "layout"
    title = "Layout"
    master_title = "Panels of the site, in page order"
    items_title = "Items of the selected panel"

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, PANEL_COLUMNS, ITEM_COLUMNS, (90, 70, 300, 260, 90, 70),
                         (40, 380, 70, 100, 60), stretch=(2, 5), parent=parent)
        self.toolbar.addWidget(QLabel("  Sidebar, main and footer panels"))

    def read_masters(self) -> Callable[[Any], list[PanelRow]]:
        return layout.list_panels

    def read_items(self, master: PanelRow) -> Callable[[Any], list[PanelItemRow]]:
        panel_id = master.id
        return lambda s: layout.panel_items(s, panel_id)
