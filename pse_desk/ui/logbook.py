"""The desk's log: what went wrong (and a little of what went right), in a file beside the
database, that Help > Show log opens.

``start_log(db_path)`` sends the ``pse_desk`` loggers to ``<database>.log`` (rotated at 1 MB,
three old files kept) and warnings to stderr as well; ``follow(db_path)`` moves the file when
another database is opened. Uncaught exceptions — in a slot, in the event loop — are logged
with their traceback before Python's own report.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from pse_desk.paths import log_path

LOGGER = "pse_desk"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUPS = 3
SHOWN_BYTES = 200_000  # the end of the log the window shows

_handler: RotatingFileHandler | None = None


def start_log(db_path: Path) -> Path | None:
    """Log to the file beside ``db_path`` (and warnings to stderr); the file, or None when
    it cannot be written (a read-only folder: the desk then says so when it opens)."""
    root = logging.getLogger(LOGGER)
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is sys.stderr
               for h in root.handlers):
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setLevel(logging.WARNING)
        to_stderr.setFormatter(logging.Formatter("pse-desk: %(message)s"))
        root.addHandler(to_stderr)
    previous = sys.excepthook

    def log_uncaught(kind: type[BaseException], value: BaseException,
                     tb: TracebackType | None) -> None:
        root.error("uncaught %s", kind.__name__, exc_info=(kind, value, tb))
        previous(kind, value, tb)

    if getattr(sys.excepthook, "__name__", "") != "log_uncaught":
        sys.excepthook = log_uncaught
    return follow(db_path)


def follow(db_path: Path) -> Path | None:
    """Write the log beside ``db_path`` from now on."""
    global _handler
    root = logging.getLogger(LOGGER)
    root.setLevel(logging.INFO)
    target = log_path(db_path)
    if _handler is not None and Path(_handler.baseFilename) == target.absolute():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = handler
    root.addHandler(handler)
    return target


def current_log() -> Path | None:
    return Path(_handler.baseFilename) if _handler is not None else None


def read_tail(path: Path, size: int = SHOWN_BYTES) -> str:
    """The last ``size`` bytes of the log, from a line start; "" when there is none yet."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, 2)
            end = fh.tell()
            fh.seek(max(0, end - size))
            data = fh.read()
    except OSError:
        return ""
    if end > size and b"\n" in data:
        data = data.split(b"\n", 1)[1]
    return data.decode("utf-8", errors="replace")
