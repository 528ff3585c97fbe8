"""The preview's render loop on the Qt side: one render at a time, rerun with the newest text.

``RenderBridge.request(md, ...)`` hands the text to a ``RenderProcess`` (a killable worker
process with a deadline, pse_desk.render.process) from a private one-thread pool, so nothing
waits on the GUI thread. While a render runs, newer requests replace each other: when it
finishes, only the newest is rendered next (the ReText loop, without its fixed delay: an idle
preview starts rendering at once). Several previews may share one bridge (one worker process):
each caller's ``token`` keeps its own newest waiting request, served in turn. Every answer is
delivered on the GUI thread as a ``RenderReply`` carrying the caller's ``serial`` and
``revision``; the caller drops stale ones.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from pse_desk.render.process import RenderOutcome, RenderProcess
from pse_desk.ui.workers import emit_if_alive

log = logging.getLogger(__name__)

DEADLINE_S = 2.0


@dataclass(frozen=True)
class RenderRequest:
    md: str
    revision: int
    serial: int
    token: int  # the caller's page generation
    allow_remote_images: bool = False


@dataclass(frozen=True)
class RenderReply:
    request: RenderRequest
    outcome: RenderOutcome


class _RenderJob(QRunnable):
    def __init__(self, bridge: RenderBridge, request: RenderRequest) -> None:
        super().__init__()
        self._bridge, self._request = bridge, request

    def run(self) -> None:
        request = self._request
        try:
            outcome = self._bridge.process.render(
                request.md, request.revision, self._bridge.deadline_s,
                allow_remote_images=request.allow_remote_images)
        except Exception as exc:  # never let a render bug kill the pool thread
            log.exception("a render failed")
            outcome = RenderOutcome(request.revision,
                                    failure=f"The text could not be rendered ({exc}).")
        emit_if_alive(self._bridge, "finished", RenderReply(request, outcome))


class _StartJob(QRunnable):
    """Starts the worker process early (a QRunnable: PySide's ``start(callable)`` mishandles
    reference counts)."""

    def __init__(self, process: RenderProcess) -> None:
        super().__init__()
        self._process = process

    def run(self) -> None:
        self._process.start()


class RenderBridge(QObject):
    """Runs renders off the GUI thread, one at a time, newest request next."""

    rendered = Signal(object)  # RenderReply, on the GUI thread
    finished = Signal(object)  # internal: from the pool thread

    def __init__(self, parent: QObject | None = None, *, deadline_s: float = DEADLINE_S,
                 process: RenderProcess | None = None) -> None:
        super().__init__(parent)
        self.deadline_s = deadline_s
        self.process = process or RenderProcess()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._running: RenderRequest | None = None
        self._pending: dict[int, RenderRequest] = {}  # token -> newest waiting, oldest first
        self._closed = False
        self.finished.connect(self._on_finished)
        self._pool.start(_StartJob(self.process))  # the worker's imports take a while

    @property
    def busy(self) -> bool:
        return self._running is not None

    def request(self, request: RenderRequest) -> None:
        """Render ``request`` now, or next if a render is running (replacing any waiting one)."""
        if self._closed:
            return
        if self._running is not None:
            self._pending.pop(request.token, None)
            self._pending[request.token] = request
            return
        self._start(request)

    def _start(self, request: RenderRequest) -> None:
        self._running = request
        self._pool.start(_RenderJob(self, request))

    @Slot(object)
    def _on_finished(self, reply: RenderReply) -> None:
        self._running = None
        if self._pending and not self._closed:
            token = next(iter(self._pending))
            self._start(self._pending.pop(token))  # first: the worker never idles while text waits
        if not self._closed:
            self.rendered.emit(reply)

    def close(self) -> None:
        """Stop rendering and the worker process; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._pending.clear()
        self.process.cancel()
        self._pool.waitForDone()
        self.process.close()
