"""Whole-text analysis for the editor — outline, writing checks, word count — off the GUI thread.

``TextAnalyser`` waits for a pause in typing (longer for texts that take longer), then hands
the text to a QThreadPool job, which has it analysed in a worker process and reports a
``TextAnalysis`` tagged with the text revision it was made for. One analysis runs at a time
per editor; a result for an older revision is dropped and the work done again for the new
text. The worker is a process, not a thread: the checks of a 100,000-word article are a
second of pure Python (and long regular expressions), which in a thread would hold the GIL
against the GUI thread. A text that keeps the worker busy past the deadline gets a rough
word count, and the worker is replaced.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from pse_desk.ui.workers import emit_if_alive
from pse_desk.writing.checks import Finding
from pse_desk.writing.outline import Heading
from pse_desk.writing.stats import TextStats, reading_minutes
from pse_desk.writing.worker import AnalysisWorker

log = logging.getLogger(__name__)

ANALYSIS_MIN_DELAY_MS = 300
ANALYSIS_MAX_DELAY_MS = 3000
ANALYSIS_DEADLINE_S = 30.0


@dataclass(frozen=True)
class TextAnalysis:
    """What the whole-text aids need, made for one text revision."""

    revision: int
    outline: list[Heading]
    findings: list[Finding]
    stats: TextStats
    seconds: float  # worker time it took
    complete: bool = True  # False: the text defeated the analysis (rough word count only)


class _AnalysisBridge(QObject):
    finished = Signal(object)  # TextAnalysis


def _rough_stats(text: str) -> TextStats:
    words = len(text.split())
    return TextStats(words, len(text), reading_minutes(words))


def _analyse_in_process(worker: AnalysisWorker, text: str
                        ) -> tuple[list[Heading], list[Finding], TextStats, bool]:
    """Outline, findings, statistics and whether they are complete. A text the worker cannot
    finish within the deadline (or that makes a check fail) gets a rough word count and no
    outline or findings; it never gets analysed here, beside the GUI thread."""
    try:
        headings, findings, stats = worker.analyse(text, ANALYSIS_DEADLINE_S)
        return headings, findings, stats, True
    except (TimeoutError, OSError, EOFError, ValueError):
        pass  # past the deadline, or the worker died or could not start: a new one next time
    except RuntimeError as exc:  # a check failed on this text
        log.warning("the analysis of a text failed: %s", exc)
    return [], [], _rough_stats(text), False


class _AnalysisJob(QRunnable):
    def __init__(self, bridge: _AnalysisBridge, worker: AnalysisWorker, text: str,
                 revision: int) -> None:
        super().__init__()
        self._bridge, self._worker, self._text, self._revision = bridge, worker, text, revision

    def run(self) -> None:
        started = time.perf_counter()
        headings, findings, stats, complete = _analyse_in_process(self._worker, self._text)
        emit_if_alive(self._bridge, "finished",
                      TextAnalysis(self._revision, headings, findings, stats,
                                   time.perf_counter() - started, complete))


class TextAnalyser(QObject):
    """Debounced, one-at-a-time analysis of a text that keeps changing."""

    ready = Signal(object)  # TextAnalysis of the current revision

    def __init__(self, text: Callable[[], str], revision: Callable[[], int],
                 parent: QObject | None = None, *, pool: QThreadPool | None = None,
                 worker: AnalysisWorker | None = None) -> None:
        super().__init__(parent)
        self._text, self._revision = text, revision
        self._pool = pool or QThreadPool.globalInstance()
        # a worker shared with other editors (the Write workspace's), or one of this
        # analyser's own, stopped when the analyser goes
        self._worker = worker or AnalysisWorker()
        if worker is None:
            own = self._worker
            self.destroyed.connect(lambda *_a: own.stop())
        self._bridge = _AnalysisBridge()
        self._bridge.finished.connect(self._finished)
        self._running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ANALYSIS_MIN_DELAY_MS)
        self._timer.timeout.connect(self._start)
        self.last: TextAnalysis | None = None

    def text_changed(self) -> None:
        self._timer.start()

    def analyse_now(self) -> None:
        self._timer.stop()
        self._start()

    def _start(self) -> None:
        if self._running:
            return  # done again when the running one reports
        self._running = True
        self._pool.start(_AnalysisJob(self._bridge, self._worker, self._text(),
                                      self._revision()))

    def _finished(self, result: TextAnalysis) -> None:
        self._running = False
        # the longer the analysis takes, the longer we wait for a pause in typing
        delay = int(min(max(result.seconds * 2000, ANALYSIS_MIN_DELAY_MS),
                        ANALYSIS_MAX_DELAY_MS))
        self._timer.setInterval(delay)
        if result.revision != self._revision():
            self._timer.start()  # stale: dropped, done again for the new text
            return
        self.last = result
        self.ready.emit(result)
