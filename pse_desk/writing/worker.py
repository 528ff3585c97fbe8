"""The editor's analysis process: outline, writing checks and statistics of each text it is
sent over a pipe (``serve``, the child), and ``AnalysisWorker``, the parent's side. No Qt here,
so the process starts light."""

from __future__ import annotations

import threading
import traceback
from multiprocessing.connection import Connection

from pse_desk.worker_process import WorkerProcess
from pse_desk.writing.checks import Finding, check
from pse_desk.writing.outline import Heading, outline
from pse_desk.writing.stats import TextStats, text_stats

Analysis = tuple[list[Heading], list[Finding], TextStats]


def serve(conn: Connection) -> None:
    while True:
        try:
            text = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply: object = ("ok", (outline(text), check(text), text_stats(text)))
        except Exception:  # noqa: BLE001 - a check failed on this text (RecursionError,
            # say): the parent gets the traceback as the answer
            reply = ("error", traceback.format_exc())
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class AnalysisWorker:
    """The analysis process, shared by the editors that are given it; started on first use,
    replaced after a text kept it busy past the deadline."""

    def __init__(self) -> None:
        self._process = WorkerProcess(serve, "pse-desk-analysis")
        self._lock = threading.Lock()  # one text at a time

    def analyse(self, text: str, timeout_s: float) -> Analysis:
        """The analysis of ``text``; ``TimeoutError`` past the deadline (the process is then
        stopped), ``OSError``/``EOFError`` when it died, ``RuntimeError`` when a check failed."""
        with self._lock:
            # the end in hand, not the attribute: ``stop`` (quitting, from the GUI thread)
            # may clear it meanwhile, and a closed end then fails as a dead process does
            conn = self._process.connection if self._process.alive else None
            if conn is None:
                conn = self._process.start()
            try:
                conn.send(text)
                if not conn.poll(timeout_s):
                    self._process.stop()
                    raise TimeoutError
                kind, value = conn.recv()
            except (OSError, EOFError):
                self._process.stop()  # a new one next time
                raise
        if kind != "ok":
            raise RuntimeError(value)
        return value  # type: ignore[no-any-return]

    def stop(self) -> None:
        """End the process (quitting, or the editors that shared it are gone); safe twice."""
        self._process.stop()
