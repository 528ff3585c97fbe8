"""The edition export in a process of its own: WeasyPrint holds the GIL for seconds, and a
cancel must stop it at once, so the layout runs in a spawned child fed through a pipe
(``worker_process.WorkerProcess``) which a cancel kills.

The child converts the pictures for print, composes the HTML, lays out and writes the PDF at
the given (temporary) path, runs the file checks and answers with the page count, the findings
and its peak memory. It reports progress as ``("progress", done, total, what)`` messages. The
parent's ``run_export`` waits, polling ``cancelled`` between messages.
"""

from __future__ import annotations

import logging
import resource
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pse_desk.edition.checks import check_pdf
from pse_desk.edition.compose import CMYK_PROFILE, PrintedPicture, compose_html
from pse_desk.edition.images import (
    ImageUnreadable,
    convert_for_print,
    inspect_image,
    printed_width_mm,
)
from pse_desk.edition.pdf import make_pdf
from pse_desk.edition.values import Content, Finding
from pse_desk.errors import ExportCancelled, ExportError
from pse_desk.worker_process import WorkerProcess

Progress = Callable[[int, int, str], None]
POLL_S = 0.05


@dataclass(frozen=True)
class Job:
    content: Content
    variant: str
    target: str  # the temporary file the child writes
    workdir: str  # where the converted pictures go
    created: str = ""  # ISO 8601: the PDF's dates
    profile: str = str(CMYK_PROFILE)


@dataclass(frozen=True)
class Outcome:
    pages: int
    findings: tuple[Finding, ...]
    peak_rss_mb: float
    html: str = ""  # the HTML laid out (kept for the benchmark's bare WeasyPrint run)


def prepare_pictures(job: Job, report: Callable[[int, str], None]) -> dict[str, PrintedPicture]:
    """Each readable picture converted for the variant into ``workdir``; unreadable ones are
    left out (preflight names them; their alt text prints)."""
    shown: dict[str, PrintedPicture] = {}
    for number, (url, picture) in enumerate(sorted(job.content.pictures.items()), start=1):
        report(number, "Converting pictures")
        if picture.data is None:
            continue
        try:
            facts = inspect_image(picture.data)
            width = printed_width_mm(facts, job.content.settings)
            data = convert_for_print(picture.data, width, job.variant, Path(job.profile))
        except (ImageUnreadable, OSError, ValueError):
            continue
        path = Path(job.workdir) / f"picture-{number}.jpg"
        path.write_bytes(data)
        shown[url] = PrintedPicture(path.resolve().as_uri(), width)
    return shown


def _peak_rss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_job(job: Job, progress: Progress, *, keep_html: bool = False) -> Outcome:
    """The export's work, in whichever process calls it."""
    total = len(job.content.pictures) + 3
    pictures = prepare_pictures(job, lambda n, what: progress(n - 1, total, what))
    html = compose_html(job.content, job.variant, pictures, created=job.created)
    progress(total - 3, total, "Laying out pages")
    target = Path(job.target)
    _pages, laid_out = make_pdf(html, target, job.variant, Path(job.workdir).as_uri() + "/",
                                Path(job.profile), job.content.settings.bleed_mm)
    progress(total - 1, total, "Checking the file")
    pages, findings = check_pdf(target, job.variant, job.content.settings.bleed)
    findings = [*laid_out, *findings]
    progress(total, total, "Done")
    return Outcome(pages, tuple(findings), _peak_rss_mb(), html if keep_html else "")


def _child_main(conn: Connection) -> None:
    """Serve jobs until the parent closes the pipe (the process is started ahead of the first
    job, so WeasyPrint and the fonts are loaded when one comes)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    import weasyprint  # noqa: F401 - loaded before the first job, not during it

    while True:
        try:
            job, keep_html = conn.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = run_job(job, lambda d, t, w: conn.send(("progress", d, t, w)),
                              keep_html=keep_html)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one sentence
            conn.send(("failed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        else:
            conn.send(("done", outcome))


def _answer(worker: WorkerProcess, conn: Connection, progress: Progress | None,
            cancelled: Callable[[], bool] | None) -> tuple[Any, ...]:
    while True:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if not conn.poll(POLL_S):
            if not worker.alive:
                raise ExportError("The export process stopped unexpectedly (out of memory?); "
                                  "no file was written.")
            continue
        message: tuple[Any, ...] = conn.recv()
        if message[0] != "progress":
            return message
        if progress is not None:
            progress(message[1], message[2], message[3])


def run_export(job: Job, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None, *,
               keep_html: bool = False) -> Outcome:
    """Run ``job`` in the export process (one job at a time; started if it is not running);
    ``ExportCancelled`` when ``cancelled()`` turns true (the child is killed at once, and a
    fresh one serves the next job), ``ExportError`` when the export fails."""
    with _WARM_LOCK:
        worker = _warm_worker()
        conn = worker.connection
        assert conn is not None
        done = False
        try:
            conn.send((job, keep_html))
            message = _answer(worker, conn, progress, cancelled)
            done = message[0] == "done"
        except (EOFError, OSError, BrokenPipeError):
            raise ExportError("The export process stopped unexpectedly; no file was "
                              "written.") from None
        finally:
            if not done:  # cancelled or failed: a fresh process for the next job
                worker.stop()
        if message[0] == "failed":
            raise ExportError(f"The edition could not be laid out ({message[1]}); no file was "
                              "written.")
        outcome: Outcome = message[1]
        return outcome


_WARM_LOCK = threading.Lock()
_WARM: list[WorkerProcess] = []


def _warm_worker() -> WorkerProcess:
    """The export process, started when none is running (call with ``_WARM_LOCK`` held)."""
    if not _WARM:
        _WARM.append(WorkerProcess(_child_main, "pse-edition-export"))
    worker = _WARM[0]
    if not worker.alive or worker.connection is None:
        worker.start()
    return worker


def warm_up() -> None:
    """Start the export process now, so the first export or preview does not wait for it."""
    if _WARM_LOCK.acquire(blocking=False):
        try:
            _warm_worker()
        finally:
            _WARM_LOCK.release()
