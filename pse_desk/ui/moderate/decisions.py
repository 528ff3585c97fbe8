"""Moderation decisions off the GUI thread, and their place on the workspace's undo stack.

``DecisionRunner.run(fn, on_done, on_error)`` calls a ``services.moderation.decisions``
function on the store's writer lane (it opens its own units of work) and hands the
``DecisionResult`` back on the GUI thread, once; a big selection goes through
``decisions.decide_many``, whose chunks move the progress bar. ``DecisionCommand`` is the undo
stack's entry for a decision already made: undo and redo call ``decisions.undo``/``redo``,
which write audit events of their own (nothing is ever deleted from the trail).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QUndoCommand

from pse_desk.errors import DeskError
from pse_desk.moderation.wording import decision_name
from pse_desk.services.moderation import decisions as actions
from pse_desk.services.moderation.decisions import DecisionResult, Progress
from pse_desk.ui.preferences import default_actor
from pse_desk.ui.workers import OrderedJobs, emit_if_alive

if TYPE_CHECKING:
    from pse_desk.store import Store

log = logging.getLogger(__name__)



class _Checkpoint(QRunnable):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def run(self) -> None:
        try:
            self._store.checkpoint()
        except Exception:  # housekeeping: the next commit folds the WAL instead
            log.exception("folding the WAL in failed")


def fold_wal_soon(store: Store, pool: QThreadPool) -> None:
    """Fold the WAL of a big decision into the database, in the pool, after the user has the
    result (a checkpoint runs beside writers; see ``Store.session(fold_wal=False)``)."""
    pool.start(_Checkpoint(store))


def not_saved(exc: BaseException) -> str:
    if isinstance(exc, DeskError):
        return str(exc)
    return f"That was not saved ({type(exc).__name__}: {exc})."


class DecisionRunner(QObject):
    """Runs calls one after another off the GUI thread — on the store's writer lane for
    decisions and rule edits, or on a thread of its own for long reads (a rule's trial, an
    export) that must not hold up the desk's writes; results come back in order. A call gets
    a ``progress(done, total)`` callback, which moves ``progress``."""

    progressed = Signal(int, int)  # internal: done, total, from the working thread
    busy_changed = Signal(bool)
    progress = Signal(int, int)  # done, total of the running job

    def __init__(self, lane: Callable[[], Executor | None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = OrderedJobs(lane, not_saved, self)
        self.progressed.connect(self.progress)

    @property
    def busy(self) -> bool:
        return self._jobs.pending > 0

    def run(self, fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
            on_error: Callable[[str], None]) -> int:
        was_busy = self.busy

        def progress(done: int, total: int) -> None:
            emit_if_alive(self, "progressed", done, total)

        def call() -> Any:
            return fn(progress)

        job_id = self._jobs.submit(call, lambda result: self._done(on_done, result),
                                   lambda sentence: self._done(on_error, sentence))
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def _done(self, callback: Callable[[Any], None], payload: object) -> None:
        try:
            callback(payload)
        finally:
            if not self.busy:
                self.busy_changed.emit(False)

    def wait(self) -> None:
        self._jobs.wait()


def store_lane(store: Callable[[], Store | None]) -> Callable[[], Executor | None]:
    """The writer lane of the store ``store()`` gives (None while no database is open)."""
    return lambda: (found.lane if (found := store()) is not None else None)


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
