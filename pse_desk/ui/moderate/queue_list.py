"""The list of moderation queues with their live counts ("Pending  1,204")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from pse_desk.moderation.queue import Queue
from pse_desk.moderation.wording import queue_label


class QueueList(QListWidget):
    queue_chosen = Signal(object)  # Queue

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueList")
        for queue in Queue:
            item = QListWidgetItem(queue_label(queue))
            item.setData(Qt.ItemDataRole.UserRole, queue)
            self.addItem(item)
        self.currentItemChanged.connect(self._changed)
        self.counts: dict[Queue, int] = {}

    def set_counts(self, counts: dict[Queue, int]) -> None:
        self.counts = dict(counts)
        for i in range(self.count()):
            item = self.item(i)
            queue = item.data(Qt.ItemDataRole.UserRole)
            item.setText(queue_label(queue, counts.get(queue)))

    def current_queue(self) -> Queue | None:
        item = self.currentItem()
        queue = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return queue if isinstance(queue, Queue) else None

    def choose(self, queue: Queue) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) is queue:
                self.setCurrentRow(i)
                return

    def _changed(self, current: QListWidgetItem | None, _old: QListWidgetItem | None) -> None:
        if current is not None:
            self.queue_chosen.emit(current.data(Qt.ItemDataRole.UserRole))
