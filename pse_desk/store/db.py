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
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from pse_desk.store import outbox
from pse_desk.store.hlc import HybridClock
from pse_desk.store.model import SyncState
from pse_desk.store.preflight import preflight

BUSY_TIMEOUT_MS = 5000
AUTOCHECKPOINT_PAGES = 16384
_NO_CHECKPOINT = "pse_desk.no_checkpoint"  # in a pooled connection's info while it is set


def _on_connect(dbapi_con: Any, _record: Any) -> None:
    # The driver's own transaction handling is off; we emit BEGIN ourselves (see _on_begin).
    dbapi_con.isolation_level = None
    cur = dbapi_con.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA temp_store = MEMORY")
    # Fold the WAL into the database in bigger, rarer steps (and from Store.checkpoint() when
    # idle), so an ordinary commit — an autosave — seldom pays for a checkpoint.
    cur.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    cur.close()


def _on_checkin(dbapi_con: Any, record: Any) -> None:
    # a session(fold_wal=False) is over: the connection folds the WAL on commit again
    if dbapi_con is not None and record is not None and record.info.pop(_NO_CHECKPOINT, False):
        dbapi_con.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")


def _on_begin(conn: Any) -> None:
    # A writing unit of work takes the write lock up front, so two writers queue on the busy
    # timeout instead of failing when a read lock cannot be upgraded.
    mode = conn.get_execution_options().get("pse_begin", "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _on_connect_read_only(dbapi_con: Any, _record: Any) -> None:
    dbapi_con.isolation_level = None
    dbapi_con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    dbapi_con.execute("PRAGMA query_only = ON")


def make_read_only_engine(path: Path) -> Engine:
    """An engine that can only read: no -wal or -shm is created where nobody else has the
    database open (read as immutable, as the preflight does), and nothing is ever written."""
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        uri, uri=True, check_same_thread=False), future=True)
    event.listen(engine, "connect", _on_connect_read_only)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN DEFERRED"))
    return engine


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    event.listen(engine, "checkin", _on_checkin)
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
        # The writer lane: the desk's writes (autosaves, decisions, rule edits …) run on this
        # one thread, one at a time and in the order they were asked for, as datasette does;
        # reads keep their own connections. SQLite has one writer anyway, and so nobody
        # waits on its busy timeout for another part of the desk.
        self.lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pse-writes")
        self.clock = HybridClock(device_id)
        # who may change what (set from the sync settings: a moderator's desk changes no
        # article); asked for every queued row and by bulk writers through check_write()
        self.guard = outbox.WriteGuard()
        self._writer = sessionmaker(engine, expire_on_commit=False,
                                    info={outbox.CLOCK_KEY: self.clock,
                                          outbox.GUARD_KEY: self.guard})
        self._reader = sessionmaker(engine.execution_options(pse_begin="DEFERRED"),
                                    expire_on_commit=False)
        outbox.install(Session)

    @contextmanager
    def session(self, *, fold_wal: bool = True) -> Iterator[Session]:
        """One unit of work: call ``commit()``; leaving without it rolls everything back.

        ``fold_wal=False`` is for a bulk write whose commit must not also fold a WAL it made
        large into the database (a checkpoint of 10,000 decisions costs as much again as
        writing them): the caller runs ``checkpoint()`` afterwards, from a worker, once the
        user has the result. If nobody does, the next ordinary commit folds it.
        """
        with self._writer() as s:
            if not fold_wal:
                conn = s.connection()  # begins the unit of work's transaction
                conn.connection.info[_NO_CHECKPOINT] = True
                conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
            yield s

    def check_write(self, *tables: str) -> None:
        """For writers that bypass the ORM: raise as the outbox would for these tables."""
        for table in tables:
            self.guard(table)

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._reader() as s:
            yield s

    def checkpoint(self) -> None:
        """Fold the WAL into the database; run from an idle worker, not on a commit path."""
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
        finally:
            raw.close()

    def close(self) -> None:
        """Finish the writes asked for, then close; safe to call twice."""
        self.lane.shutdown(wait=True)
        self.engine.dispose()


def _ensure_device(engine: Engine) -> str:
    with Session(engine) as s:
        state = s.scalar(select(SyncState).where(SyncState.id == 1))
        if state is None:
            state = SyncState(id=1, device_id=uuid.uuid4().hex[:12])
            s.add(state)
            s.commit()
        return state.device_id


def open_read_only(path: str | os.PathLike[str]) -> Store:
    """Open an existing, current database only to read it (exports): a read-only file or
    folder is fine, and nothing is written; ``session()`` writes fail."""
    checked = preflight(path, read_only=True)
    engine = make_read_only_engine(checked.path)
    with Session(engine) as s:
        state = s.scalar(select(SyncState).where(SyncState.id == 1))
    return Store(checked.path, engine, state.device_id if state is not None else "reader")


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
