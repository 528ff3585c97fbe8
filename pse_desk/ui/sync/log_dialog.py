"""Tools > Sync log (Ctrl+F9): every sync run, newest first, with what moved and its notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui.table_model import Column, RowTableModel

if TYPE_CHECKING:
    from pse_desk.services.sync import RunRow

OUTCOME_WORDS = {"ok": "synced", "offline": "offline", "error": "failed",
                 "cancelled": "cancelled", "running": "running"}


def _when(row: RunRow) -> str:
    from datetime import UTC

    return row.started_at.replace(tzinfo=UTC).astimezone().strftime("%d %b %Y %H:%M:%S")


def _seconds(row: RunRow) -> str:
    if row.finished_at is None:
        return ""
    return f"{(row.finished_at - row.started_at).total_seconds():.1f} s"


COLUMNS: tuple[Column[RunRow], ...] = (
    Column("Started", _when),
    Column("Outcome", lambda r: OUTCOME_WORDS.get(r.outcome, r.outcome)),
    Column("Sent", lambda r: r.pushed, align_right=True),
    Column("Received", lambda r: r.pulled, align_right=True),
    Column("Merged", lambda r: r.merged, align_right=True),
    Column("Conflicts", lambda r: r.conflicts, align_right=True),
    Column("Refused", lambda r: r.refused, align_right=True),
    Column("Took", _seconds, align_right=True),
    Column("What happened", lambda r: r.message),
)


class SyncLogDialog(QDialog):
    def __init__(self, rows: list[RunRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncLogDialog")
        self.setWindowTitle("Sync log")
        self.resize(1000, 560)
        self.model: RowTableModel[RunRow] = RowTableModel(COLUMNS, self)
        self.model.set_rows(rows)
        self.table = QTableView()
        self.table.setObjectName("syncLogTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.details = QPlainTextEdit()
        self.details.setObjectName("syncLogDetails")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("Choose a run to read its notes.")
        self.table.selectionModel().currentRowChanged.connect(self._show)
        summary = QLabel(f"{len(rows)} sync run{'s' if len(rows) != 1 else ''} on this desk, "
                         "newest first." if rows else "This desk has not synced yet.")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setSizes([380, 140])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(summary)
        lay.addWidget(split, 1)
        lay.addWidget(buttons)
        if rows:
            self.table.selectRow(0)
            self.table.setFocus()

    def _show(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row())
        if row is None:
            self.details.clear()
            return
        lines = [row.message, f"Hub: {row.hub}" if row.hub else ""]
        lines += [f"• {note}" for note in row.notes]
        self.details.setPlainText("\n".join(line for line in lines if line))
