"""A killable render worker: Markdown is converted in a separate process with a deadline.

Python-Markdown hangs (roughly quadratic) or raises ``RecursionError`` on hostile input (see
PITFALLS.md), so the editor never converts Markdown in its own process. ``RenderProcess`` keeps
one long-lived worker (``spawn`` context, so it is safe from a Qt application and from any
thread) fed through a pipe: a normal keystroke costs one block's conversion and a pipe round
trip, no process start. A request carries only the change since the text sent before
(``textdiff``); the worker keeps a ``BlockRenderer`` (and its cache) between requests and sends
back only the HTML of blocks that changed; this side keeps the rest.

While it works, the worker writes which block it is converting into shared memory. If no new
block starts within ``deadline_s`` seconds (the whole render is also capped at
``deadline_s * TOTAL_FACTOR``), or the worker dies, this side kills it, starts a fresh one for
the next request and answers with one sentence naming the line where the trouble starts. The
offending block is remembered: later renders show it as escaped plain text with a note instead
of hanging again, so the rest of the article keeps its preview.

No Qt here: a Qt worker thread (or the CLI) calls ``render()``, which blocks; ``cancel()`` from
another thread stops a render in progress.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pse_desk.render.markdown import (
    BlockRenderer,
    Heading,
    RenderedBlock,
    RenderResult,
    block_base_id,
    source_blocks,
)
from pse_desk.render.text import normalise_text
from pse_desk.render.textdiff import apply_change, text_change
from pse_desk.worker_process import SPAWN, WorkerProcess

TOTAL_FACTOR = 15
_POLL_S = 0.05
_QUARANTINE_SIZE = 256
_PROGRESS_FIELDS = 4  # request id, block index, block line, ticks


class _WorkerGone(Exception):
    """The worker died before it received the request."""


@dataclass(frozen=True)
class RenderOutcome:
    """The answer to one request: a result made for ``revision``, or a failure sentence."""

    revision: int
    result: RenderResult | None = None
    failure: str | None = None
    failed_line: int | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.result is not None


# --- the worker process ----------------------------------------------------------------------

def _encode(result: RenderResult) -> tuple[Any, ...]:
    blocks = [(b.id, b.line, b.html if b.id in result.changed else None) for b in result.blocks]
    outline = [(h.level, h.text, h.id, h.line) for h in result.outline]
    return blocks, sorted(result.changed), sorted(result.removed), outline, list(result.problems)


def _worker_main(conn: Connection, progress: Any) -> None:
    """Entry point of the worker process: render requests until told to stop."""
    renderer = BlockRenderer()
    text = ""  # the text of the previous request: requests carry only the change
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "render":
            return
        _, request_id, change, remote, plain, full = message
        md = text = apply_change(text, change)  # a mismatch kills the worker: sent afresh
        progress[0], progress[1] = request_id, -1  # received: a death from now on is ours

        def on_block(index: int, line: int, request_id: int = request_id) -> None:
            progress[0], progress[1], progress[2] = request_id, index, line
            progress[3] += 1

        if full:
            renderer.reset_changes()
        try:
            result = renderer.render(md, allow_remote_images=remote, progress=on_block,
                                     plain=plain)
        except Exception as exc:  # noqa: BLE001 - outside the per-block guard: the parent
            # gets it as a sentence, and the worker keeps serving
            renderer.reset_changes()
            conn.send(("error", request_id, f"{type(exc).__name__}: {exc}"))
            continue
        conn.send(("done", request_id, _encode(result)))


# --- this side -------------------------------------------------------------------------------

class RenderProcess:
    """Renders Markdown in a killable worker process; see the module docstring."""

    def __init__(self, *, start_timeout_s: float = 60.0) -> None:
        self._start_timeout_s = start_timeout_s
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._progress: Any = SPAWN.RawArray("q", _PROGRESS_FIELDS)
        self._worker = WorkerProcess(_worker_main, "pse-render-worker", self._progress)
        self._conn: Connection | None = None
        self._ready = False
        self._html: dict[str, str] = {}
        self._sent_text = ""  # what the worker holds: requests carry only the change
        self._request_id = 0
        self._plain: OrderedDict[str, None] = OrderedDict()
        self.restarts = 0

    # lifecycle

    def start(self) -> None:
        """Start the worker now (it is started on first use otherwise)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._worker.alive:
            return
        self._discard_worker()
        for index in range(_PROGRESS_FIELDS):
            self._progress[index] = 0
        self._conn = self._worker.start()
        self._ready = False
        self._html = {}
        self._sent_text = ""

    def _wait_ready(self) -> str | None:
        """``None`` when the worker is ready, else the reason it is not."""
        if self._ready:
            return None
        assert self._conn is not None
        limit = time.monotonic() + self._start_timeout_s
        while time.monotonic() < limit:
            if self._cancel.is_set():
                return "cancelled"
            try:
                if self._conn.poll(_POLL_S) and self._conn.recv()[0] == "ready":
                    self._ready = True
                    return None
            except (EOFError, OSError):
                break
            if not self._worker.alive:
                break
        self._discard_worker()
        return "The renderer could not be started."

    def _discard_worker(self, grace_s: float = 0.0) -> None:
        self._worker.stop(grace_s)
        self._conn = None
        self._ready = False
        self._html = {}
        self._sent_text = ""

    def close(self) -> None:
        """Stop the worker; ``render()`` starts a new one if called again."""
        with self._lock:
            asked = False
            if self._conn is not None and self._ready:
                with contextlib.suppress(OSError, ValueError):
                    self._conn.send(("stop",))
                    asked = True
            self._discard_worker(grace_s=1.0 if asked else 0.0)

    def __enter__(self) -> RenderProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Make a render in progress (in another thread) return a cancelled outcome."""
        self._cancel.set()

    @property
    def worker_pid(self) -> int | None:
        return self._worker.pid

    # rendering

    def render(self, md: str, revision: int = 0, deadline_s: float = 2.0, *,
               allow_remote_images: bool = False) -> RenderOutcome:
        """Render ``md`` (the text at ``revision``) within the deadline.

        ``deadline_s`` bounds how long any one block may take; the whole render is bounded by
        ``deadline_s * TOTAL_FACTOR``.
        """
        with self._lock:
            self._cancel.clear()
            self._ensure_started()
            for _attempt in range(2):  # a second, fresh worker if the first had died idle
                problem = self._wait_ready()
                if problem == "cancelled":
                    return RenderOutcome(revision, cancelled=True,
                                         failure="The render was cancelled.")
                if problem is not None:
                    return RenderOutcome(revision, failure=problem)
                try:
                    return self._render_ready(md, revision, deadline_s, allow_remote_images)
                except _WorkerGone:
                    self._restart()
            return RenderOutcome(revision, failure="The renderer stopped before it could "
                                                   "render this text.")

    def _render_ready(self, md: str, revision: int, deadline_s: float,
                      remote: bool) -> RenderOutcome:
        assert self._conn is not None
        self._request_id += 1
        request_id = self._request_id
        self._progress[0], self._progress[1], self._progress[2] = 0, -1, 1
        try:
            change = text_change(self._sent_text, md)
            self._conn.send(("render", request_id, change, remote, frozenset(self._plain),
                             not self._html))
        except (OSError, ValueError):
            raise _WorkerGone from None
        self._sent_text = md
        started = last_tick_at = time.monotonic()
        last_tick = self._progress[3]
        while True:
            try:
                if self._conn.poll(_POLL_S):
                    return self._receive(md, revision, request_id, deadline_s)
            except (EOFError, OSError):
                return self._crashed(md, revision, request_id, deadline_s)
            now = time.monotonic()
            if self._progress[3] != last_tick:
                last_tick, last_tick_at = self._progress[3], now
            if self._cancel.is_set():
                self._restart()
                return RenderOutcome(revision, cancelled=True, failure="The render was cancelled.")
            if not self._worker.alive:
                return self._crashed(md, revision, request_id, deadline_s)
            if now - last_tick_at > deadline_s or now - started > deadline_s * TOTAL_FACTOR:
                return self._fail(md, revision, deadline_s, crashed=False)

    def _receive(self, md: str, revision: int, request_id: int,
                 deadline_s: float) -> RenderOutcome:
        assert self._conn is not None
        try:
            message = self._conn.recv()
        except (EOFError, OSError):
            return self._crashed(md, revision, request_id, deadline_s)
        kind, answered = message[0], message[1]
        if answered != request_id:  # cannot happen with one request at a time; be safe
            self._restart()
            return RenderOutcome(revision, failure="The renderer answered out of turn.")
        if kind == "error":
            self._html = {}
            return RenderOutcome(revision, failure=f"The text could not be rendered "
                                                   f"({message[2]}).")
        try:
            result = self._decode(message[2])
        except KeyError:
            self._html = {}
            return RenderOutcome(revision, failure="The renderer lost track of the page; "
                                                   "the next render starts afresh.")
        return RenderOutcome(revision, result=result)

    def _decode(self, payload: tuple[Any, ...]) -> RenderResult:
        blocks_raw, changed, removed, outline, problems = payload
        previous = self._html
        current: dict[str, str] = {}
        blocks: list[RenderedBlock] = []
        for block_id, line, block_html in blocks_raw:
            if block_html is None:
                block_html = previous[block_id]
            current[block_id] = block_html
            blocks.append(RenderedBlock(block_id, line, block_html))
        self._html = current
        return RenderResult(tuple(blocks), frozenset(changed), frozenset(removed),
                            tuple(Heading(*h) for h in outline), tuple(problems))

    # failures

    def _restart(self) -> None:
        self._discard_worker()
        self.restarts += 1
        self._ensure_started()  # the next request finds it starting or ready

    def _crashed(self, md: str, revision: int, request_id: int,
                 deadline_s: float) -> RenderOutcome:
        if int(self._progress[0]) != request_id:
            raise _WorkerGone  # it died before it saw this request: not this text's fault
        return self._fail(md, revision, deadline_s, crashed=True)

    def _fail(self, md: str, revision: int, deadline_s: float, *, crashed: bool) -> RenderOutcome:
        index, line = int(self._progress[1]), int(self._progress[2])
        self._restart()
        blocks, _ = source_blocks(md)
        if 0 <= index < len(blocks):
            line = blocks[index].line
            self._remember_plain(block_base_id(blocks[index].text))
        line = max(line, 1)
        snippet = _line_snippet(normalise_text(md), line)
        if crashed:
            sentence = (f"The renderer stopped while rendering this text; the trouble starts at "
                        f"line {line}{snippet}.")
        else:
            unit = "second" if deadline_s == 1 else "seconds"
            sentence = (f"This text could not be rendered within {deadline_s:g} {unit}; the "
                        f"trouble starts at line {line}{snippet}.")
        return RenderOutcome(revision, failure=sentence, failed_line=line)

    def _remember_plain(self, base_id: str) -> None:
        self._plain[base_id] = None
        self._plain.move_to_end(base_id)
        while len(self._plain) > _QUARANTINE_SIZE:
            self._plain.popitem(last=False)


def _line_snippet(md: str, line: int) -> str:
    start = 0
    for _ in range(line - 1):
        start = md.find("\n", start) + 1
        if start == 0:
            return ""
    end = md.find("\n", start)
    text = md[start:end if end >= 0 else len(md)].strip()
    if not text:
        return ""
    shown = text[:30] + ("…" if len(text) > 30 else "")
    return f" (“{shown}”)"
