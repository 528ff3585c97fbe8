"""Where things live: the default database in the platform's user data folder, resources."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

APP_NAME = "PSE Desk"
APP_SLUG = "pse-desk"
ORG_NAME = "PSE"
DB_ENV = "PSE_DESK_DB"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def default_db_path() -> Path:
    """``$PSE_DESK_DB`` if set, else ``newsroom.sqlite`` in the user data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_SLUG, appauthor=False) / "newsroom.sqlite"


def resolve_db_path(cli_value: str | None) -> Path:
    """``--db`` wins over ``$PSE_DESK_DB``, which wins over the default."""
    return Path(cli_value).expanduser() if cli_value else default_db_path()


def log_path(db_path: Path) -> Path:
    """The desk's log, beside the database it works on (``newsroom.sqlite.log``)."""
    return db_path.with_name(db_path.name + ".log")


@contextmanager
def atomic_writer(target: Path) -> Iterator[IO[bytes]]:
    """A binary file that takes ``target``'s name durably and all at once, only if the block
    ends without an error: written beside it, fsynced, renamed over it (``os.replace``,
    atomic on POSIX and Windows), the folder fsynced. A reader never sees a half-written file
    under the final name; a failure leaves the old file (or none) and no temporary file."""
    import tempfile

    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through ``atomic_writer``. ``OSError`` as the system
    gave it."""
    with atomic_writer(target) as fh:
        fh.write(data)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (nothing to do on Windows)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
