"""Work off the GUI thread: read jobs in a QThreadPool, each with its own read session.

``ReadRunner.submit(channel, fn, on_done)`` runs ``fn(session)`` in the pool and calls
``on_done(result)`` back on the GUI thread. Each channel remembers only its newest request id;
a result for an older request is dropped, so a slow answer never overwrites a newer one.
``StoreOpener`` checks and opens the database in the pool after the first paint (opening may
import SQLAlchemy and migrate, which must not delay the window).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from pse_desk.errors import DeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from pse_desk.store import Store

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[str], None]


def emit_if_alive(owner: QObject, signal_name: str, *args: object) -> bool:
    """Emit ``owner.<signal_name>(*args)`` from a pool thread, unless ``owner`` is gone.

    A job can outlive whoever asked for it (the window closed, the tab or dialog went while the
    query ran); its answer is then for nobody, and emitting on the deleted object would raise
    in the pool thread. Returns whether it was emitted.
    """
    if not shiboken6.isValid(owner):
        return False
    try:
        getattr(owner, signal_name).emit(*args)
    except RuntimeError:  # deleted between the check and the emit
        return False
    return True


class OrderedJobs(QObject):
    """Calls run one at a time, in the order asked, off the GUI thread; answers come back on it.

    ``lane`` gives the executor they run on: a store's writer lane (``Store.lane``: every
    write of the desk, in order) or, when it is None, a thread of this queue's own (work that
    must not wait behind writes, such as rendering an export). ``submit(fn, on_done, on_error,
    owner)`` returns a job id; the callbacks are skipped when ``owner`` (a closed tab, a dialog)
    is gone when the answer arrives — the call itself always runs. A failure comes back as a
    sentence (``failure``).
    """

    delivered = Signal(int, bool, object)  # job id, ok, result or sentence
    failed = Signal(str)  # a job failed and it had no error callback

    def __init__(self, lane: Callable[[], Executor | None] | None = None,
                 failure: Callable[[BaseException], str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._own: ThreadPoolExecutor | None = None
        self._lane = lane or self._own_lane
        self._failure = failure or _sentence
        self._next = 0
        self._callbacks: dict[int, tuple[OnDone | None, OnError | None, QObject | None]] = {}
        self._futures: set[Future[Any]] = set()
        self.delivered.connect(self._deliver)

    def _own_lane(self) -> Executor:
        if self._own is None:
            self._own = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pse-jobs")
        return self._own

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, fn: Callable[[], Any], on_done: OnDone | None = None,
               on_error: OnError | None = None, owner: QObject | None = None) -> int:
        self._next += 1
        job_id = self._next
        self._callbacks[job_id] = (on_done, on_error, owner)
        lane = self._lane()
        if lane is None:
            self.delivered.emit(job_id, False, "No newsroom database is open.")
            return job_id
        try:
            future = lane.submit(self._call, fn)
        except RuntimeError:  # the lane was shut down: the database closed meanwhile
            self.delivered.emit(job_id, False, "The newsroom database was closed; "
                                               "nothing was written.")
            return job_id
        self._futures.add(future)
        future.add_done_callback(partial(self._finished, job_id))
        return job_id

    def _call(self, fn: Callable[[], Any]) -> tuple[bool, Any]:
        try:
            return True, fn()
        except Exception as exc:  # any failure of a job becomes a sentence, not a crash
            if not isinstance(exc, DeskError):
                log.exception("a job failed")
            return False, self._failure(exc)

    def _finished(self, job_id: int, future: Future[tuple[bool, Any]]) -> None:
        self._futures.discard(future)
        ok, payload = future.result()
        emit_if_alive(self, "delivered", job_id, ok, payload)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        on_done, on_error, owner = self._callbacks.pop(job_id, (None, None, None))
        if owner is not None and not shiboken6.isValid(owner):
            return
        if ok:
            if on_done is not None:
                on_done(payload)
        elif on_error is not None:
            on_error(str(payload))
        else:
            self.failed.emit(str(payload))

    def wait(self) -> None:
        """Block until every job asked for so far has run (quitting, switching database)."""
        futures_wait(list(self._futures))


def _sentence(exc: BaseException) -> str:
    if isinstance(exc, DeskError):
        return str(exc)
    return f"Reading the database failed ({type(exc).__name__}: {exc})."


class _Job(QRunnable):
    def __init__(self, runner: ReadRunner, store: Store, request_id: int,
                 fn: Callable[[Session], Any]) -> None:
        super().__init__()
        self._runner, self._store, self._id, self._fn = runner, store, request_id, fn

    def run(self) -> None:
        try:
            with self._store.read_session() as session:
                result = self._fn(session)
        except Exception as exc:  # reported to the GUI thread as a sentence
            log.exception("a read failed")
            emit_if_alive(self._runner, "delivered", self._id, False, _sentence(exc))
            return
        emit_if_alive(self._runner, "delivered", self._id, True, result)


class ReadRunner(QObject):
    """Runs read-only service calls in a thread pool and delivers fresh results."""

    delivered = Signal(int, bool, object)  # request id, ok, result or error sentence
    idle = Signal()  # no request is outstanding any more
    failed = Signal(str)  # a request failed and nobody handled it

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.store: Store | None = None
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._callbacks: dict[int, tuple[str, OnDone, OnError | None]] = {}
        self.delivered.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, channel: str, fn: Callable[[Session], Any], on_done: OnDone,
               on_error: OnError | None = None) -> int:
        """Queue ``fn(session)``; returns the request id (0 when no database is open yet)."""
        if self.store is None:
            return 0
        request_id = next(self._ids)
        self._latest[channel] = request_id
        self._callbacks[request_id] = (channel, on_done, on_error)
        self.pool.start(_Job(self, self.store, request_id, fn))
        return request_id

    def forget(self, channel: str) -> None:
        """Drop whatever is in flight on ``channel``."""
        self._latest.pop(channel, None)

    @Slot(int, bool, object)
    def _deliver(self, request_id: int, ok: bool, payload: object) -> None:
        entry = self._callbacks.pop(request_id, None)
        if entry is not None:
            channel, on_done, on_error = entry
            if self._latest.get(channel) == request_id:
                if ok:
                    on_done(payload)
                elif on_error is not None:
                    on_error(str(payload))
                else:
                    self.failed.emit(str(payload))
        if not self._callbacks:
            self.idle.emit()

    def wait(self) -> None:
        self.pool.waitForDone()


class StoreOpener(QObject):
    """Checks (preflight) and opens a database in the pool; reports back on the GUI thread."""

    opened = Signal(object)  # Store
    failed = Signal(str)  # one sentence

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def open(self, path: Path, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(_OpenJob(self, path))


# Modules without Qt that the workspaces and the preview need soon after the database is open:
# imported in the pool right after it opened, while the GUI thread builds the workspaces.
WARM_MODULES = (
    "pse_desk.services.articles", "pse_desk.services.page",
    "pse_desk.services.revisions", "pse_desk.services.recovery", "pse_desk.services.overview",
    "pse_desk.services.assets", "pse_desk.render.markdown", "pse_desk.render.page",
    "pse_desk.render.process", "pse_desk.writing.stats", "pse_desk.writing.checks",
)


def _warm_imports() -> None:
    import importlib

    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a module renamed: the GUI thread imports what it needs anyway
            continue


class _OpenJob(QRunnable):
    def __init__(self, owner: StoreOpener, path: Path) -> None:
        super().__init__()
        self._owner, self._path = owner, path

    def run(self) -> None:
        try:
            from pse_desk.store.db import open_store

            store = open_store(self._path)  # preflight first: a bad file is never touched
            from pse_desk.services.hub_settings import apply_role

            apply_role(store)  # a moderator's desk refuses article changes before they queue
        except DeskError as exc:
            emit_if_alive(self._owner, "failed", str(exc))
            return
        except Exception as exc:
            log.exception("opening %s failed", self._path)
            emit_if_alive(self._owner, "failed", f"{self._path} could not be opened ({exc}).")
            return
        if not emit_if_alive(self._owner, "opened", store):
            store.close()  # the window went while the database opened
            return
        _warm_imports()  # while the GUI thread builds the workspaces
