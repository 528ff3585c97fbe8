"""Writes off the GUI thread, and the autosave and crash-recovery timing of one open article.

``WriteQueue`` runs service calls that write (they open their own unit of work) on the store's
writer lane, one at a time and in order with every other write of the desk: order matters (a
snapshot, then the autosave of the same text, then the tab's close). Results come back on the
GUI thread.

``Autosaver`` decides when one article is written:
- a crash-recovery snapshot (``services.recovery``) at most ``SNAPSHOT_DELAY_MS`` after a
  change — a journal file, never waiting on the database's write lock;
- an autosave revision (``services.revisions.autosave``) after ``IDLE_MS`` without typing,
  every ``MAX_INTERVAL_MS`` while typing goes on, and whenever ``flush`` is called (switching
  tab or article, closing the tab, quitting).
Each autosave job first writes the snapshot of the same text (a kill mid-save loses nothing);
the save then settles the journal (``recovery.settle``), as every save does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from pse_desk.errors import DeskError
from pse_desk.services import recovery, revisions
from pse_desk.services.revisions import ArticleText
from pse_desk.ui.workers import OrderedJobs

if TYPE_CHECKING:
    from pse_desk.store import Store

IDLE_MS = 2000
MAX_INTERVAL_MS = 30_000
SNAPSHOT_DELAY_MS = 400



def failure_sentence(exc: BaseException) -> str:
    if isinstance(exc, DeskError):
        return str(exc)
    return f"Saving failed ({type(exc).__name__}: {exc})."


class WriteQueue(OrderedJobs):
    """Service calls that write, one at a time and in order, on the store's writer lane."""

    def __init__(self, store: Callable[[], Store | None], parent: QObject | None = None) -> None:
        super().__init__(lambda: (found.lane if (found := store()) is not None else None),
                         failure_sentence, parent)


class Autosaver(QObject):
    """When the text of one article is snapshotted and autosaved; see the module docstring."""

    saved = Signal(object)  # RevisionSummary, or None when the text was already saved
    failed = Signal(str)

    def __init__(self, queue: WriteQueue, store: Store, article_id: str,
                 text: Callable[[], ArticleText], revision: Callable[[], int],
                 cursor: Callable[[], int] = lambda: 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue, self.store, self.article_id = queue, store, article_id
        self._text, self._revision, self._cursor = text, revision, cursor
        self.saved_revision = revision()  # the text as loaded is the saved text
        self.snapshot_revision = self.saved_revision
        self.saves = 0
        self._closed = False
        self._idle = self._timer(IDLE_MS, self.flush)
        self._max = self._timer(MAX_INTERVAL_MS, self.flush)
        self._snap = self._timer(SNAPSHOT_DELAY_MS, self.snapshot)

    def _timer(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def set_pause_ms(self, ms: int) -> None:
        """How long a pause in typing is before the text is autosaved (Preferences)."""
        self._idle.setInterval(ms)

    @property
    def dirty(self) -> bool:
        return self._revision() != self.saved_revision

    def note_change(self) -> None:
        """The text or the title changed: restart the idle wait, keep the 30 s clock running."""
        if self._closed:
            return
        self._idle.start()
        if not self._max.isActive():
            self._max.start()
        if not self._snap.isActive():
            self._snap.start()

    def _snapshot_of(self, text: ArticleText) -> recovery.Snapshot:
        return recovery.Snapshot(self.article_id, text.title, text.standfirst, text.body_md,
                                 cursor=self._cursor())

    def snapshot(self) -> None:
        """Write the crash-recovery snapshot of the current text (unless it is written)."""
        revision = self._revision()
        if revision in (self.snapshot_revision, self.saved_revision) or self._closed:
            return
        self.snapshot_revision = revision
        snap = self._snapshot_of(self._text())
        store = self.store
        self.queue.submit(lambda: recovery.write_snapshot(store, snap), None, self.failed.emit,
                          self)

    def flush(self) -> None:
        """Autosave now if the text changed since the last save."""
        self._idle.stop()
        self._max.stop()
        self._snap.stop()
        revision = self._revision()
        if revision == self.saved_revision:
            return
        text = self._text()
        snap = self._snapshot_of(text)
        store, article_id = self.store, self.article_id
        self.saved_revision = self.snapshot_revision = revision

        def job() -> object:
            recovery.write_snapshot(store, snap)  # never older than the saved text
            return revisions.autosave(store, article_id, text)

        self.queue.submit(job, self._saved, self._failed, self)

    def _saved(self, summary: object) -> None:
        self.saves += 1
        self.saved.emit(summary)

    def _failed(self, sentence: str) -> None:
        self.saved_revision = -1  # try again at the next pause
        self.failed.emit(sentence)

    def mark_saved(self) -> None:
        """A named revision (Ctrl+S) or a restore saved the current text."""
        self._idle.stop()
        self._max.stop()
        self._snap.stop()
        self.saved_revision = self.snapshot_revision = self._revision()

    def close(self, *, thin: bool = True) -> None:
        """Autosave, then drop the snapshot (nothing is left to recover) and thin old autosaves.

        One job: when the autosave fails, the snapshot stays (its words are not saved).
        """
        self._idle.stop()
        self._max.stop()
        self._snap.stop()
        self._closed = True
        store, article_id = self.store, self.article_id
        text = self._text() if self.dirty else None
        snap = self._snapshot_of(text) if text is not None else None
        self.saved_revision = self.snapshot_revision = self._revision()

        def job() -> object:
            summary = None
            if text is not None and snap is not None:
                recovery.write_snapshot(store, snap)
                summary = revisions.autosave(store, article_id, text)
            recovery.clear_snapshot(store, article_id)
            if thin:
                revisions.thin_autosaves(store, article_id)
                store.checkpoint()  # fold the WAL in now, while nobody waits on a commit
            return summary

        self.queue.submit(job, self._saved, self.failed.emit, self)
