"""The revisions of one article: the timeline, a side-by-side comparison of any two, restore.

The timeline (``services.revisions.timeline``) lists autosaves, named revisions, restores and
conflicts, newest first. Selecting one compares it with the text in the editor; selecting two
compares them with each other (older on the left). Restore never destroys anything: the
service adds a revision of kind restore, and the editor gets the text as one undoable change.
Everything is read and written through the workspace's ``WriteQueue`` (off the GUI thread,
after any autosave still queued).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services import revisions
from pse_desk.services.revisions import ArticleText, RevisionSummary, RevisionText
from pse_desk.ui.write.autosave import WriteQueue
from pse_desk.ui.write.diff_view import DiffView
from pse_desk.writing.diff import Segment

if TYPE_CHECKING:
    from pse_desk.store import Store

ID_ROLE = Qt.ItemDataRole.UserRole
KIND_NAMES = {"autosave": "Autosave", "manual": "Saved", "restore": "Restored",
              "conflict": "Conflict", "import": "Imported"}


def timeline_label(rev: RevisionSummary) -> str:
    """One line of the timeline: when, what kind, and the label if it has one."""
    kind = KIND_NAMES.get(rev.kind.value, rev.kind.value.title())
    text = f"{rev.created_at:%d %b %Y, %H:%M:%S} · {kind}"
    if rev.label:
        text += f" — {rev.label}"
    return text


class RevisionsDialog(QDialog):
    restored = Signal(object)  # ArticleText now live (a restore revision was added)

    def __init__(self, store: Store, queue: WriteQueue, article_id: str, title: str,
                 current_text: Callable[[], ArticleText],
                 before_restore: Callable[[], None] = lambda: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revisionsDialog")
        self.setWindowTitle(f"Revisions of “{title}”")
        self.resize(1000, 640)
        self.store, self.queue, self.article_id = store, queue, article_id
        self._current_text = current_text
        self._before_restore = before_restore  # autosaves the editor's text first
        self.timeline: list[RevisionSummary] = []
        self.list = QListWidget()
        self.list.setObjectName("revisionList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.diff = DiffView()
        self.status = QLabel("Reading the revisions…")
        self.status.setObjectName("revisionsStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel("Pick one revision to compare it with the text in the editor, or two to "
                      "compare them with each other.")
        hint.setWordWrap(True)
        left = QWidget()
        left_lay = QVBoxLayout(left)
        left_lay.setContentsMargins(0, 0, 0, 0)
        left_lay.addWidget(hint)
        left_lay.addWidget(self.list, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.diff)
        split.setSizes([300, 700])
        self.restore_button = QPushButton("&Restore this revision")
        self.restore_button.setObjectName("restoreRevision")
        self.restore_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.restore_button.clicked.connect(self.restore_selected)
        self._compare_serial = 0
        self.compared: tuple[str | None, str | None] = (None, None)
        self._said = ""  # a sentence to keep in the status line when the timeline is read
        self.reload()

    def reload(self) -> None:
        store, article_id = self.store, self.article_id
        self.queue.submit(lambda: revisions.timeline(store, article_id), self._timeline_arrived,
                          self._problem, self)

    def _problem(self, sentence: str) -> None:
        self.status.setText(sentence)

    def _timeline_arrived(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.timeline = rows
        self.list.clear()
        for rev in rows:
            item = QListWidgetItem(timeline_label(rev))
            item.setData(ID_ROLE, rev.id)
            self.list.addItem(item)
        n = len(rows)
        count = (f"{n} revision{'s' if n != 1 else ''}." if n else
                 "No revisions yet: autosave writes one after a pause in typing.")
        # a restore's sentence stays until the user picks something else
        self.status.setText(f"{self._said} {count}" if self._said else count)
        self._said = ""
        if n:
            self.list.setCurrentRow(0)

    def selected_ids(self) -> list[str]:
        """Selected revision ids, oldest first (the timeline is newest first)."""
        rows = sorted((self.list.row(i), str(i.data(ID_ROLE)))
                      for i in self.list.selectedItems())
        return [rid for _row, rid in reversed(rows)]

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        self.restore_button.setEnabled(len(ids) == 1)
        if len(ids) == 1:
            self.compare(ids[0], None)
        elif len(ids) == 2:
            self.compare(ids[0], ids[1])

    def compare(self, old_id: str, new_id: str | None) -> None:
        """Compare two revisions, or one (``new_id`` None) with the editor's text."""
        self._compare_serial += 1
        serial = self._compare_serial
        store = self.store
        current = self._current_text().body_md if new_id is None else ""

        def job() -> tuple[RevisionText, RevisionText | None, list[Segment]]:
            old = revisions.get_revision(store, old_id)
            new = revisions.get_revision(store, new_id) if new_id is not None else None
            return old, new, revisions.compare(old.body_md, new.body_md if new else current)

        self.queue.submit(job, lambda r: self._compared(serial, old_id, new_id, r),
                          self._problem, self)

    def _compared(self, serial: int, old_id: str, new_id: str | None, result: object) -> None:
        if serial != self._compare_serial:
            return  # a newer choice is on its way
        assert isinstance(result, tuple)
        old, new, segments = result
        self.diff.set_titles(timeline_label(old.summary),
                             timeline_label(new.summary) if new else "The text in the editor")
        self.diff.set_segments(segments)
        self.compared = (old_id, new_id)

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        store, revision_id = self.store, ids[0]

        def job() -> RevisionText:
            summary = revisions.restore(store, revision_id)
            return revisions.get_revision(store, summary.id)

        self.restore_button.setEnabled(False)
        self._before_restore()
        self.queue.submit(job, self._restored, self._problem, self)

    def _restored(self, result: object) -> None:
        assert isinstance(result, RevisionText)
        self.restored.emit(ArticleText(result.title, result.standfirst, result.body_md))
        self._said = (f"{result.summary.label}. The text it replaced is kept in the "
                      "timeline.")
        self.status.setText(self._said)
        self.reload()
