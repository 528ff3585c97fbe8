"""Moderation decisions off the GUI thread, and their place on the workspace's undo stack.

``DecisionRunner.run(fn, on_done, on_error)`` calls a ``services.moderation.decisions``
function in the thread pool (it opens its own units of work) and hands the ``DecisionResult``
back on the GUI thread, once; a big selection goes through ``decisions.decide_many``,
whose chunks move the progress bar. ``DecisionCommand`` is the undo stack's entry
for a decision already made: undo and redo call ``decisions.undo``/``redo``, which write
audit events of their own (nothing is ever deleted from the trail).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QUndoCommand

from pse_desk.errors import DeskError
from pse_desk.moderation.wording import decision_name
from pse_desk.services.moderation import decisions as actions
from pse_desk.services.moderation.decisions import DecisionResult, Progress
from pse_desk.ui.preferences import default_actor

if TYPE_CHECKING:
    from pse_desk.store import Store




class _DecisionJob(QRunnable):
    def __init__(self, runner: DecisionRunner, job_id: int,
                 fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._runner, self._id, self._fn = runner, job_id, fn

    def run(self) -> None:
        try:
            result = self._fn(lambda done, total: self._runner.progressed.emit(self._id, done,
                                                                               total))
        except DeskError as exc:
            self._runner.delivered.emit(self._id, False, str(exc))
            return
        except Exception as exc:
            traceback.print_exc()
            self._runner.delivered.emit(self._id, False,
                                        f"That was not saved ({type(exc).__name__}: {exc}).")
            return
        self._runner.delivered.emit(self._id, True, result)


class _Checkpoint(QRunnable):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def run(self) -> None:
        try:
            self._store.checkpoint()
        except Exception:  # housekeeping: the next commit folds the WAL instead
            traceback.print_exc()


def fold_wal_soon(store: Store, pool: QThreadPool) -> None:
    """Fold the WAL of a big decision into the database, in the pool, after the user has the
    result (a checkpoint runs beside writers; see ``Store.session(fold_wal=False)``)."""
    pool.start(_Checkpoint(store))


class DecisionRunner(QObject):
    """Runs writing calls one after another in the pool; results come back in order."""

    delivered = Signal(int, bool, object)
    progressed = Signal(int, int, int)  # job id, done, total
    busy_changed = Signal(bool)
    progress = Signal(int, int)  # done, total of the running job

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._next = 1
        self._queue: list[tuple[int, Callable[[Progress], Any], Callable[[Any], None],
                                Callable[[str], None]]] = []
        self._running: tuple[int, Callable[[Any], None], Callable[[str], None]] | None = None
        self.delivered.connect(self._deliver)
        self.progressed.connect(self._progressed)

    @property
    def busy(self) -> bool:
        return self._running is not None or bool(self._queue)

    def run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
            on_error: Callable[[str], None]) -> int:
        job_id, self._next = self._next, self._next + 1
        self._queue.append((job_id, fn, on_done, on_error))
        if self._running is None:
            self._start_next()
        return job_id

    def _start_next(self) -> None:
        if not self._queue:
            self._running = None
            self.busy_changed.emit(False)
            return
        job_id, fn, on_done, on_error = self._queue.pop(0)
        self._running = (job_id, on_done, on_error)
        self.busy_changed.emit(True)
        self.pool.start(_DecisionJob(self, job_id, fn))

    @Slot(int, int, int)
    def _progressed(self, job_id: int, done: int, total: int) -> None:
        if self._running is not None and self._running[0] == job_id:
            self.progress.emit(done, total)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        running = self._running
        if running is None or running[0] != job_id:
            return
        _id, on_done, on_error = running
        self._running = None
        try:
            if ok:
                on_done(payload)
            else:
                on_error(str(payload))
        finally:
            if self._running is None:  # on_done may have started the next job itself
                self._start_next()


class DecisionCommand(QUndoCommand):
    """A decision that has been made; the first ``redo`` (on push) does nothing."""

    def __init__(self, result: DecisionResult, store: Store, runner: DecisionRunner,
                 on_applied: Callable[[DecisionResult, bool], None],
                 on_error: Callable[[str], None], ticket: int = 0,
                 actor: Callable[[], str] = default_actor) -> None:
        super().__init__(decision_name(result.action, result.count))
        self._actor = actor  # who undoes or redoes it: the moderator at the desk then
        self.result = result
        self.ticket = ticket  # the key's ticket from moderation.burst.BurstGuard (0: none)
        self._store, self._runner = store, runner
        self._on_applied, self._on_error = on_applied, on_error
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        store, result, actor = self._store, self.result, self._actor()
        big = result.count >= actions.BIG
        self._runner.run(lambda _p: actions.redo(store, result, actor=actor, fold_later=big),
                         lambda r: self._on_applied(r, False), self._on_error)

    def undo(self) -> None:
        store, result, actor = self._store, self.result, self._actor()
        big = result.count >= actions.BIG
        self._runner.run(lambda _p: actions.undo(store, result, actor=actor, fold_later=big),
                         lambda r: self._on_applied(r, True), self._on_error)
