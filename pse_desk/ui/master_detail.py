"""A workspace shape shared by Layout and Editions: a list of things above the items of the
selected one, both read through services in the thread pool."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui.table_model import Column, RowTableModel
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column

Master = TypeVar("Master")
Item = TypeVar("Item")


def _titled(title: str, view: QTableView) -> QWidget:
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(6, 6, 6, 0)
    heading = QLabel(title)
    heading.setObjectName("paneMeta")
    lay.addWidget(heading)
    lay.addWidget(view, 1)
    return box


class MasterDetailWorkspace(Workspace, Generic[Master, Item]):
    master_title = ""
    items_title = ""

    def __init__(self, runner: ReadRunner, master_columns: Sequence[Column[Master]],
                 item_columns: Sequence[Column[Item]], widths: Sequence[int] = (),
                 item_widths: Sequence[int] = (), stretch: tuple[int, int] = (-1, -1),
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.master_model: RowTableModel[Master] = RowTableModel(master_columns, self)
        self.item_model: RowTableModel[Item] = RowTableModel(item_columns, self)
        self.master_view = QTableView()
        self.master_view.setObjectName(f"{self.key}MasterTable")
        self.item_view = QTableView()
        self.item_view.setObjectName(f"{self.key}ItemTable")
        for view, model in ((self.master_view, self.master_model),
                            (self.item_view, self.item_model)):
            view.setModel(model)
            configure_table(view)
        for view, col_widths, stretch_col in ((self.master_view, widths, stretch[0]),
                                              (self.item_view, item_widths, stretch[1])):
            for col, width in enumerate(col_widths):
                view.setColumnWidth(col, width)
            if stretch_col >= 0:
                stretch_column(view, stretch_col)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(_titled(self.master_title, self.master_view))
        splitter.addWidget(_titled(self.items_title, self.item_view))
        splitter.setSizes([250, 410])
        self.remember_splitter("main", splitter)
        self.lists = splitter  # a subclass may put it beside more
        self.main_layout = lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)
        self.master_view.selectionModel().selectionChanged.connect(self._selection_changed)

    # subclasses name their two reads
    def read_masters(self) -> Callable[[Any], list[Master]]:
        raise NotImplementedError

    def read_items(self, master: Master) -> Callable[[Any], list[Item]]:
        raise NotImplementedError

    def master_id(self, master: Master) -> str:
        return str(getattr(master, "id"))  # noqa: B009 (rows are frozen dataclasses with an id)

    def refresh(self) -> None:
        self.runner.submit(f"{self.key}.masters", self.read_masters(), self._masters_arrived,
                           self._on_error)

    def _masters_arrived(self, rows: list[Master]) -> None:
        current = self._current_master()
        keep = self.master_id(current) if current is not None else None
        self.master_model.set_rows(rows)
        ids = [self.master_id(r) for r in rows]
        if rows:
            self.master_view.selectRow(ids.index(keep) if keep in ids else 0)
        else:
            self.item_model.set_rows([])
        self._mark_loaded()

    def _current_master(self) -> Master | None:
        rows = self.master_view.selectionModel().selectedRows()
        return self.master_model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        master = self.master_model.row_at(indexes[0].row()) if indexes else None
        if master is None:
            return
        self.runner.submit(f"{self.key}.items", self.read_items(master), self._items_arrived,
                           self._on_error)

    def _items_arrived(self, rows: list[Item]) -> None:
        self.item_model.set_rows(rows)
