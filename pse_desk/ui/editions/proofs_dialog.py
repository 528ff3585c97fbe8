"""An edition's proofs: every export recorded with what went in. Select one to export it again
(the same pages, whatever changed since), or two to compare them page by page — the pages
that differ, each shown as the left proof, the right proof and their difference in red.
The comparison and the export run off the GUI thread.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.edition.proof_diff import PageChange, ProofDiff
from pse_desk.services import edition_export as ex
from pse_desk.services.edition_export import ProofRow
from pse_desk.ui.workers import OrderedJobs, ReadRunner
from pse_desk.ui.workspace import plain_label

PROOF = Qt.ItemDataRole.UserRole + 1
CHANGE = Qt.ItemDataRole.UserRole + 2


class ProofsDialog(QDialog):
    def __init__(self, runner: ReadRunner, edition_id: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proofsDialog")
        self.setWindowTitle(f"Proofs of “{title[:60]}”")
        self.resize(1100, 640)
        self.runner, self.edition_id = runner, edition_id
        self.jobs = OrderedJobs(parent=self)
        self._work = tempfile.TemporaryDirectory(prefix="pse-desk-proofs-")
        self.diff: ProofDiff | None = None
        self.proofs = QListWidget()
        self.proofs.setObjectName("proofList")
        self.proofs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.proofs.itemSelectionChanged.connect(self._selected)
        self.again = QPushButton("Export again…")
        self.again.setObjectName("proofAgain")
        self.again.clicked.connect(self._export_again)
        self.compare = QPushButton("Compare the two selected")
        self.compare.setObjectName("proofCompare")
        self.compare.clicked.connect(self.run_compare)
        self.changes = QListWidget()
        self.changes.setObjectName("proofChanges")
        self.changes.currentItemChanged.connect(self._show_change)
        self.pictures = [QLabel(), QLabel(), QLabel()]
        for label in self.pictures:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = plain_label("proofNote")
        self._build()
        self.reload()

    def _build(self) -> None:
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.addWidget(self.proofs, 1)
        for b in (self.again, self.compare):
            lbox.addWidget(b)
        lbox.addWidget(self.changes, 1)
        shown = QWidget()
        sbox = QHBoxLayout(shown)
        for label in self.pictures:
            sbox.addWidget(label, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(shown)
        split.setSizes([330, 770])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addWidget(self.note)
        box.addWidget(buttons)
        self._selected()

    def reload(self) -> None:
        ident = self.edition_id
        self.runner.submit("editions.proofs", lambda s: ex.list_proofs(s, ident), self._fill,
                           self.note.setText)

    def _fill(self, rows: list[ProofRow]) -> None:
        self.proofs.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.created_at:%d/%m/%Y %H:%M:%S}  {row.variant}, "
                                   f"{row.pages} pages  ({row.file_sha256[:10]}…)")
            item.setData(PROOF, row)
            self.proofs.addItem(item)
        self.note.setText(f"{len(rows)} proof(s). Select one to export it again, two to "
                          "compare them." if rows else "No proof yet: export the edition "
                          "first (Ctrl+Alt+S).")

    def _chosen(self) -> list[ProofRow]:
        rows = [i.data(PROOF) for i in self.proofs.selectedItems()]
        return sorted((r for r in rows if isinstance(r, ProofRow)),
                      key=lambda r: r.created_at)

    def _selected(self) -> None:
        chosen = self._chosen()
        self.again.setEnabled(len(chosen) == 1 and chosen[0].variant != "html")
        self.compare.setEnabled(len(chosen) == 2 and all(r.variant != "html" for r in chosen))

    def run_compare(self) -> None:
        chosen = self._chosen()
        if len(chosen) != 2 or self.jobs.pending:
            return
        store = self.runner.store
        if store is None:
            return
        older, newer = chosen
        work = Path(self._work.name) / f"{older.id}-{newer.id}"
        self.note.setText("Drawing both proofs' pages to compare them…")
        self.jobs.submit(lambda: ex.compare_proofs(store, older.id, newer.id, work),
                         self.show_diff, self.note.setText, self)

    def show_diff(self, diff: ProofDiff) -> None:
        self.diff = diff
        self.note.setText(diff.summary())
        self.changes.clear()
        for change in diff.changes:
            item = QListWidgetItem(f"Page {change.page}: {change.changed_share:.1%} of it "
                                   "differs" if change.left and change.right
                                   else f"Page {change.page}: only in one proof")
            item.setData(CHANGE, change)
            self.changes.addItem(item)
        if diff.changes:
            self.changes.setCurrentRow(0)

    def _show_change(self, current: QListWidgetItem | None, _previous: object) -> None:
        change = current.data(CHANGE) if current is not None else None
        if not isinstance(change, PageChange):
            return
        for label, path in zip(self.pictures, (change.left, change.right, change.diff),
                               strict=True):
            picture = QPixmap(str(path)) if path is not None else QPixmap()
            label.setPixmap(picture.scaledToHeight(480, Qt.TransformationMode.SmoothTransformation)
                            if not picture.isNull() else QPixmap())
            label.setToolTip({0: "older proof", 1: "newer proof", 2: "what differs (red)"}
                             [self.pictures.index(label)])

    def _export_again(self) -> None:
        chosen = self._chosen()
        store = self.runner.store
        if len(chosen) != 1 or store is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export the proof again", "proof.pdf",
                                              "PDF (*.pdf)")
        if not path:
            return
        ident = chosen[0].id
        self.note.setText("Making the proof again from what it recorded…")
        def made(proof: ex.ProofRecord) -> None:
            self.note.setText(f"Made again: {proof.path}, {proof.pages} pages.")
            self.reload()

        self.jobs.submit(lambda: ex.export_again(store, ident, path), made, self.note.setText,
                         self)

    def done(self, result: int) -> None:
        self.jobs.wait()
        self._work.cleanup()
        super().done(result)
