"""A layout's history: every saved change as a version, newest first. Select one to see what
changed since then; "Restore" makes the layout what it was then (a new version: the later ones
stay, and Edit > Undo takes the restore back)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.compare import LayoutDiff
from pse_desk.layout.values import Layout
from pse_desk.services.layout import history
from pse_desk.services.layout.history import VersionRow
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import plain_label

VERSION = Qt.ItemDataRole.UserRole + 1


class HistoryDialog(QDialog):
    restore_requested = Signal(str, str)  # version id, its label

    def __init__(self, runner: ReadRunner, layout: Layout, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("layoutHistory")
        self.setWindowTitle(f"History of the layout “{layout.name[:60]}”")
        self.resize(860, 520)
        self.runner, self.layout_id = runner, layout.id
        self.versions = QListWidget()
        self.versions.setObjectName("historyList")
        self.versions.currentItemChanged.connect(self._selected)
        self.changes = QListWidget()
        self.changes.setObjectName("historyChanges")
        self.changes.setWordWrap(True)
        self.note = plain_label("historyNote")
        self.restore = QPushButton("Restore this version")
        self.restore.setObjectName("historyRestore")
        self.restore.setEnabled(False)
        self.restore.clicked.connect(self._restore)
        split = QSplitter()
        split.addWidget(self.versions)
        split.addWidget(self.changes)
        split.setSizes([380, 480])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addWidget(self.note)
        box.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        ident = self.layout_id
        self.runner.submit("layout.history", lambda s: history.timeline(s, ident), self._fill,
                           self.note.setText)

    def _fill(self, rows: list[VersionRow]) -> None:
        self.versions.clear()
        for row in rows:
            who = f" — {row.author}" if row.author else ""
            item = QListWidgetItem(f"{row.created_at:%d/%m/%Y %H:%M:%S}  {row.label[:120]}{who}")
            item.setData(VERSION, row)
            self.versions.addItem(item)
        self.note.setText(f"{len(rows)} version(s). The newest is the layout as it is now."
                          if rows else "No change has been saved to this layout yet.")

    def _selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        row = current.data(VERSION) if current is not None else None
        self.restore.setEnabled(isinstance(row, VersionRow) and current is not None
                                and self.versions.row(current) > 0)
        if isinstance(row, VersionRow):
            ident = row.id
            self.runner.submit("layout.history.diff",
                               lambda s: history.compare_with_version(s, ident), self._show,
                               self.note.setText)

    def _show(self, diff: LayoutDiff) -> None:
        self.changes.clear()
        if diff.identical:
            self.changes.addItem("The layout is as this version saved it.")
            return
        self.changes.addItem("Since this version:")
        for panel in diff.panels:
            if panel.status == "same":
                continue
            what = {"only_in_a": "removed", "only_in_b": "added"}.get(panel.status, "changed")
            self.changes.addItem(f"{panel.title[:80]}: {what}")
            for line in (*panel.changes, *(f"item gone: {n}" for n in panel.items_only_a),
                         *(f"item added: {n}" for n in panel.items_only_b)):
                self.changes.addItem(f"    {line[:200]}")

    def _restore(self) -> None:
        item = self.versions.currentItem()
        row = item.data(VERSION) if item is not None else None
        if isinstance(row, VersionRow):
            self.restore_requested.emit(row.id, row.label)
            self.accept()
