"""Opening the local SQLite database: checks, migrations, engine, pragmas and units of work.

``preflight(path)`` uses only the standard library (it runs before the first paint and must be
quick): it refuses a file that is not SQLite, a read-only place, a database locked by another
process and a schema newer than ours, without changing the file. ``open_store(path)`` then
migrates (Alembic, on open) and returns a ``Store`` whose ``session()`` is one unit of work.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from pse_desk.errors import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    NotADatabaseError,
    SchemaTooNewError,
)
from pse_desk.store import outbox
from pse_desk.store.hlc import HybridClock
from pse_desk.store.migrations import HEAD_REVISION, KNOWN_REVISIONS
from pse_desk.store.model import SyncState

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
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


def preflight(path: str | os.PathLike[str]) -> Preflight:
    """Check a database path without changing it; raise a ``DatabaseError`` with a sentence."""
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
        if not head:
            return Preflight(path, exists=False, revision=None)  # empty file: a new database
    _check_writable(path)
    if not path.exists():
        return Preflight(path, exists=False, revision=None)
    revision = _read_revision(path)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise SchemaTooNewError(str(path), revision)
    _probe_lock(path)
    return Preflight(path, exists=True, revision=revision)


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


def _on_connect(dbapi_con: Any, _record: Any) -> None:
    # The driver's own transaction handling is off; we emit BEGIN ourselves (see _on_begin).
    dbapi_con.isolation_level = None
    cur = dbapi_con.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.close()


def _on_begin(conn: Any) -> None:
    # A writing unit of work takes the write lock up front, so two writers queue on the busy
    # timeout instead of failing when a read lock cannot be upgraded.
    mode = conn.get_execution_options().get("pse_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to our head revision with Alembic (imported only when needed)."""
    from pse_desk.store.migrations.runner import upgrade

    upgrade(engine)


class Store:
    """An open database: ``session()`` for writes, ``read_session()`` for reads.

    Each thread gets its own connections from the pool; a session is never shared.
    """

    def __init__(self, path: Path, engine: Engine, device_id: str) -> None:
        self.path = path
        self.engine = engine
        self.device_id = device_id
        self.clock = HybridClock(device_id)
        self._writer = sessionmaker(engine, expire_on_commit=False,
                                    info={outbox.CLOCK_KEY: self.clock})
        self._reader = sessionmaker(engine.execution_options(pse_begin="DEFERRED"),
                                    expire_on_commit=False)
        outbox.install(Session)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: call ``commit()``; leaving without it rolls everything back."""
        with self._writer() as s:
            yield s

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._reader() as s:
            yield s

    def close(self) -> None:
        """Safe to call twice."""
        self.engine.dispose()


def _ensure_device(engine: Engine) -> str:
    with Session(engine) as s:
        state = s.scalar(select(SyncState).where(SyncState.id == 1))
        if state is None:
            state = SyncState(id=1, device_id=uuid.uuid4().hex[:12])
            s.add(state)
            s.commit()
        return state.device_id


def open_store(path: str | os.PathLike[str]) -> Store:
    """Check, migrate and open the database at ``path`` (created if missing)."""
    checked = preflight(path)
    checked.path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(checked.path)
    try:
        if checked.needs_migration:
            migrate(engine)
        device_id = _ensure_device(engine)
    except Exception:
        engine.dispose()
        raise
    return Store(checked.path, engine, device_id)
