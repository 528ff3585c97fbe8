"""The quick start-up check of a database path, with the standard library only.

It runs before the first paint (SQLAlchemy alone takes ~0.3 s to import, so this module must not
import it, nor anything of ours that does): it refuses a file that is not SQLite, another
program's SQLite database, a read-only place, a database locked by another process, a damaged
file and a schema newer than ours — without changing the file.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pse_desk.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    MissingDatabaseError,
    NeedsUpgradeError,
    NotADatabaseError,
    SchemaTooNewError,
)
from pse_desk.store.migrations import HEAD_REVISION, KNOWN_REVISIONS
from pse_desk.store.walcheck import wal_problem

SQLITE_MAGIC = b"SQLite format 3\x00"
LOCK_PROBE_S = 1.0


@dataclass(frozen=True)
class Preflight:
    path: Path
    exists: bool
    revision: str | None  # None: no schema yet

    @property
    def needs_migration(self) -> bool:
        return self.revision != HEAD_REVISION


def _check_writable(path: Path) -> None:
    folder = path.parent
    if path.exists():
        if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
            # WAL mode writes -wal and -shm files beside the database
            raise DatabaseReadOnlyError(str(path))
        return
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not os.access(existing, os.W_OK):
        raise DatabaseReadOnlyError(str(path))


def preflight(path: str | os.PathLike[str], *, read_only: bool = False) -> Preflight:
    """Check a database path without changing it; raise a ``DatabaseError`` with a sentence.

    ``read_only``: the caller only reads (an export), so a read-only file or folder is fine,
    but the database must exist and need no migration.
    """
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise NotADatabaseError(str(path))
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except PermissionError as exc:
            raise DatabaseReadOnlyError(str(path)) from exc
        if head and head != SQLITE_MAGIC:
            raise NotADatabaseError(str(path))
        if not head and not read_only:
            return Preflight(path, exists=False, revision=None)  # empty file: a new database
        # before SQLite opens it: SQLite would drop a WAL whose header is not its own, and
        # with it the last commits
        wal = wal_problem(path)
        if wal is not None:
            raise CorruptDatabaseError(str(path), wal)
    if read_only:
        return _preflight_for_reading(path)
    _check_writable(path)
    if not path.exists():
        return Preflight(path, exists=False, revision=None)
    revision = _read_revision(path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaTooNewError(str(path), revision)
    _probe_lock(path)
    return Preflight(path, exists=True, revision=revision)


def _preflight_for_reading(path: Path) -> Preflight:
    if not path.exists() or path.stat().st_size == 0:
        raise MissingDatabaseError(str(path))
    revision = _read_revision(path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaTooNewError(str(path), revision)
    checked = Preflight(path, exists=True, revision=revision)
    if checked.needs_migration:
        raise NeedsUpgradeError(str(path))
    return checked


def _read_revision(path: Path) -> str | None:
    # A read-only connection to a WAL database creates -wal and -shm files beside it. With no
    # -wal file nobody has the database open (the last connection to close removes it), so the
    # main file is complete and stable: read it as immutable, which creates nothing, and a file
    # we refuse gets no new companions.
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=LOCK_PROBE_S)
        try:
            found = con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                "AND name='alembic_version'").fetchone()
            if not found:
                if con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name "
                               "NOT LIKE 'sqlite%' LIMIT 1").fetchone():
                    # someone else's SQLite database: migrating would write our tables into it
                    raise NotADatabaseError(str(path), "it is an SQLite database of another "
                                                       "program")
                return None
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(row[0]) if row else None
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise DatabaseLockedError(str(path)) from exc
        raise CorruptDatabaseError(str(path), str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(str(path), str(exc)) from exc


def _probe_lock(path: Path) -> None:
    """Fail fast when another process holds a write lock (instead of hanging on first write)."""
    con = sqlite3.connect(str(path), timeout=LOCK_PROBE_S, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseLockedError(str(path)) from exc
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise DatabaseReadOnlyError(str(path)) from exc
        raise CorruptDatabaseError(str(path), str(exc)) from exc
    finally:
        con.close()
