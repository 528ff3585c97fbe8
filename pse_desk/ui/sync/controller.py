"""Runs syncs off the GUI thread: Sync now (F9), every N seconds in the background, and cancel.

One sync at a time, in a pool of its own (a long first pull must not take a thread the reads
need). The job calls ``pse_desk.services.sync.sync`` with a cancel flag and reports progress and
the report by signal; ``status_text`` turns the desk's sync status into the status bar's words:
synced (when, the clock's offset from the hub), N changes waiting, offline, or the error.
A password typed in Preferences > Hub is kept in memory for this session only.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from pse_desk.ui.workers import emit_if_alive

if TYPE_CHECKING:
    from pse_desk.services.sync import SyncReport, SyncStatus
    from pse_desk.store import Store

DEFAULT_INTERVAL_S = 30
STATUS_EVERY_MS = 4000  # the status bar's "N changes waiting" is read again this often


def _local_time(when: datetime | None) -> str:
    if when is None:
        return "never"
    return when.replace(tzinfo=UTC).astimezone().strftime("%H:%M")


def status_text(status: SyncStatus, running: str = "") -> tuple[str, str]:
    """The status bar's words and their tooltip, for a status (and a sync running)."""
    if not status.configured:
        return "Hub: not set up", "Set the newsroom hub in Edit > Preferences > Hub."
    waiting = f"{status.waiting:,} change{'s' if status.waiting != 1 else ''} waiting"
    offset = ("" if status.clock_offset_ms is None
              else f" · clock {-status.clock_offset_ms / 1000:+.1f} s")
    tip = (f"Syncs as {'an editor' if status.role == 'editor' else 'a moderator'}; "
           f"last sync {_local_time(status.last_sync_at)}"
           + (f"; {status.held:,} changes wait for a desk of the other role" if status.held
              else ""))
    if running:
        return f"Syncing… {running}", tip
    if status.last_error:
        word = "offline" if "cannot be reached" in status.last_error or \
            "lost mid-sync" in status.last_error else "sync failed"
        return f"Hub: {word} · {waiting}", status.last_error
    if status.last_sync_at is None:
        return f"Hub: not synced yet · {waiting}", tip
    if status.waiting:
        return f"{waiting} · synced {_local_time(status.last_sync_at)}", tip
    return f"Synced {_local_time(status.last_sync_at)}{offset}", tip


class _SyncJob(QRunnable):
    def __init__(self, owner: SyncController, store: Store, password: str | None,
                 cancel: threading.Event) -> None:
        super().__init__()
        self._owner, self._store, self._password, self._cancel = owner, store, password, cancel

    def run(self) -> None:
        from pse_desk.services import sync as sync_service

        def progress(what: str, done: int, total: int) -> None:
            emit_if_alive(self._owner, "progress", what, done, total)

        try:
            report: Any = sync_service.sync(self._store, password=self._password,
                                            progress=progress, cancelled=self._cancel.is_set)
        except Exception as exc:  # a bug: reported as a sentence, never a crash
            import logging

            logging.getLogger(__name__).exception("sync failed")
            report = str(exc)
        emit_if_alive(self._owner, "finished", report)


class _StatusJob(QRunnable):
    def __init__(self, owner: SyncController, store: Store) -> None:
        super().__init__()
        self._owner, self._store = owner, store

    def run(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from pse_desk.errors import DeskError
        from pse_desk.services import sync as sync_service

        try:
            status = sync_service.status(self._store)
        except (DeskError, SQLAlchemyError):  # the database closed meanwhile
            return
        emit_if_alive(self._owner, "status_read", status)


class SyncController(QObject):
    progress = Signal(str, int, int)   # what, done, total
    finished = Signal(object)          # SyncReport (or a sentence when the job broke)
    status_read = Signal(object)       # SyncStatus
    text_changed = Signal(str, str)    # status bar words, tooltip
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.store: Store | None = None
        self.password: str | None = None
        self.status: SyncStatus | None = None
        self.last_report: SyncReport | None = None
        self._cancel: threading.Event | None = None
        self._running_what = ""
        self.timer = QTimer(self)
        self.timer.setInterval(DEFAULT_INTERVAL_S * 1000)
        self.timer.timeout.connect(self.background_sync)
        self.background = True
        # what is waiting changes with every save: the words follow within a few seconds
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_EVERY_MS)
        self.status_timer.timeout.connect(self._refresh_idle)
        self.progress.connect(self._progressed)
        self.finished.connect(self._finished)
        self.status_read.connect(self._status_arrived)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def attach(self, store: Store | None) -> None:
        self.cancel()
        self.pool.waitForDone()
        self.store = store
        self.refresh_status()
        if store is None:
            self.status_timer.stop()
        else:
            self.status_timer.start()

    def _refresh_idle(self) -> None:
        if not self.running:
            self.refresh_status()

    def set_background(self, enabled: bool, interval_s: int) -> None:
        self.background = enabled
        self.timer.setInterval(max(5, interval_s) * 1000)
        if enabled and self.store is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def refresh_status(self) -> None:
        if self.store is not None:
            self.pool.start(_StatusJob(self, self.store))

    def sync_now(self) -> bool:
        """Start a sync unless one runs or no hub is set; whether it started."""
        if self.store is None or self.running:
            return False
        if self.status is not None and not self.status.configured:
            self.text_changed.emit(*status_text(self.status))
            return False
        self._cancel = threading.Event()
        self._running_what = "connecting"
        self.running_changed.emit(True)
        self._emit_text()
        self.pool.start(_SyncJob(self, self.store, self.password, self._cancel))
        return True

    def background_sync(self) -> None:
        if self.background and self.status is not None and self.status.configured:
            self.sync_now()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def wait(self) -> None:
        """Stop a running sync and wait for it (closing the database)."""
        self.timer.stop()
        self.status_timer.stop()
        self.cancel()
        self.pool.waitForDone()

    def _progressed(self, what: str, done: int, total: int) -> None:
        share = f" {100 * done // total}%" if total else ""
        self._running_what = f"{what.lower()}{share}"
        self._emit_text()

    def _finished(self, report: object) -> None:
        self._cancel = None
        self._running_what = ""
        from pse_desk.services.sync import SyncReport

        if isinstance(report, SyncReport):
            self.last_report = report
        self.running_changed.emit(False)
        self.refresh_status()

    def _status_arrived(self, status: object) -> None:
        self.status = status  # type: ignore[assignment]
        self._emit_text()
        if self.background and self.status is not None and self.status.configured \
                and not self.timer.isActive():
            self.timer.start()

    def _emit_text(self) -> None:
        if self.status is None:
            return
        self.text_changed.emit(*status_text(self.status, self._running_what))
