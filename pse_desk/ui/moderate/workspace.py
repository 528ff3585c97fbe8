"""The Moderate workspace: queues with live counts, the chosen queue's comments, one comment."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from pse_desk.services import overview
from pse_desk.services.moderation import Queue, queue_counts
from pse_desk.services.overview import CommentDetail
from pse_desk.ui.moderate.comment_pane import CommentPane
from pse_desk.ui.moderate.queue_list import QueueList
from pse_desk.ui.moderate.queue_model import QueueModel
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column


class ModerateWorkspace(Workspace):
    key = "moderate"
    title = "Moderate"

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.queues = QueueList()
        self.model = QueueModel(runner, self)
        self.table = QTableView()
        self.table.setObjectName("commentTable")
        self.table.setModel(self.model)
        configure_table(self.table)
        for col, width in enumerate((125, 130, 200, 360, 60, 110)):
            self.table.setColumnWidth(col, width)
        stretch_column(self.table, 3)
        self.pane = CommentPane()
        self.queue_title = QLabel()
        self.toolbar.addWidget(self.queue_title)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.table)
        right.addWidget(self.pane)
        right.setSizes([420, 260])
        self.remember_splitter("comments", right)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(self.queues)
        outer.addWidget(right)
        outer.setStretchFactor(1, 1)
        outer.setSizes([190, 1000])
        self.remember_splitter("main", outer)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(outer)

        self.queues.queue_chosen.connect(self._queue_chosen)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.failed.connect(self._on_error)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def refresh(self) -> None:
        self.runner.submit("moderate.counts", queue_counts, self.queues.set_counts,
                           self._on_error)
        if self.queues.current_queue() is None:
            self.queues.choose(Queue.PENDING)  # requests the first page
        else:
            self.model.reload()

    def _queue_chosen(self, queue: Queue) -> None:
        self.queue_title.setText(f"  {queue.label} comments, newest first")
        self.pane.clear()
        self.model.set_queue(queue)

    def _page_loaded(self, _n: int) -> None:
        if self.model.capped:
            self.queue_title.setText(f"  The newest {self.model.rowCount():,} comments of this "
                                     "queue are listed; search to reach older ones")
        if not self.table.selectionModel().hasSelection() and self.model.rowCount():
            self.table.selectRow(0)
        if not self.model.rowCount():
            self.pane.clear("This queue is empty.")
        self._mark_loaded()

    def _selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        row = self.model.row_at(indexes[0].row()) if indexes else None
        if row is None:
            return
        comment_id = row.id
        self.runner.submit("moderate.comment",
                           lambda s: overview.comment_detail(s, comment_id),
                           self._comment_arrived, self._on_error)

    def _comment_arrived(self, detail: CommentDetail) -> None:
        self.pane.show_comment(detail)
