"""Loading many rows into SQLite fast, inside the caller's transaction (the demo newsroom and
a desk's first pull of the whole newsroom).

Rows go in through the DB-API ``executemany`` in large batches, with the secondary indexes and
the full-text triggers of the tables dropped for the load and rebuilt in one pass afterwards
(exactly the same SQL SQLite kept for them), a large page cache, and the rows produced ahead in
a worker thread. All of it is DDL inside the one transaction, so a failure leaves nothing
half-done.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

BATCH = 50_000
FTS_TABLES = {"article": "article_fts", "comment": "comment_fts",
              "commenter": "commenter_fts"}
SORT_THREADS = 4
CACHE_KIB = 256 * 1024  # page cache for the load: random UUID keys touch the whole index
Chunk = TypeVar("Chunk")


@contextmanager
def fts_suspended(con: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the full-text triggers of ``tables``; afterwards rebuild the index, recreate them."""
    if not tables:
        yield
        return
    marks = " OR ".join("(tbl_name = ? AND name LIKE ?)" for _ in tables)
    args: list[str] = []
    for table in tables:
        args += [table, f"{FTS_TABLES[table]}%"]
    triggers = con.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           f"AND ({marks}) ORDER BY name", args).fetchall()
    for name, _sql in triggers:
        con.execute(f'DROP TRIGGER "{name}"')
    yield
    for table in tables:
        fts = FTS_TABLES[table]
        con.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    for _name, sql in triggers:
        con.execute(sql)


@contextmanager
def indexes_suspended(con: sqlite3.Connection, tables: Sequence[str],
                      keep: Sequence[str] = ()) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` (but those named in ``keep``); afterwards
    create the same ones again.

    Building an index once from sorted rows is much cheaper than keeping it current through
    a million inserts in random key order. Automatic (primary key, unique) indexes stay, and
    so must an index over a column that refers to its own table (a comment's parent) when
    foreign keys are deferred: each new row is looked for among the rows waiting for it.
    """
    if not tables:
        yield
        return
    marks = ", ".join("?" for _ in tables)
    indexes = [(name, sql) for name, sql in con.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
        list(tables)).fetchall() if name not in keep]
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        con.execute(sql)


@contextmanager
def rollback_journal(con: sqlite3.Connection) -> Iterator[None]:
    """Leave WAL mode for a bulk load on ``con`` and come back to it afterwards.

    In WAL mode every page of a big transaction is written twice (to the log, then by the
    checkpoint into the file); with a rollback journal the new pages of a fresh database go
    straight into the file and the transaction is just as atomic. The load must run on this
    same connection (a new pooled connection would switch the file back to WAL). If another
    connection holds the file busy the switch does not happen, and nothing else changes.
    """
    (timeout,) = con.execute("PRAGMA busy_timeout").fetchone()
    con.execute("PRAGMA busy_timeout = 0")  # do not wait: if the file is busy, stay in WAL
    try:
        (mode,) = con.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.OperationalError:
        mode = "wal"
    finally:
        con.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    try:
        yield
    finally:
        if str(mode).lower() == "delete":
            con.execute("PRAGMA journal_mode = WAL")


@contextmanager
def large_cache(con: sqlite3.Connection, kib: int = CACHE_KIB) -> Iterator[None]:
    """A big page cache and sorting threads for the load; the connection's own ones after."""
    (before,) = con.execute("PRAGMA cache_size").fetchone()
    (threads,) = con.execute("PRAGMA threads").fetchone()
    con.execute(f"PRAGMA cache_size = -{int(kib)}")
    con.execute(f"PRAGMA threads = {SORT_THREADS}")  # helper threads sort for CREATE INDEX
    try:
        yield
    finally:
        con.execute(f"PRAGMA cache_size = {int(before)}")
        con.execute(f"PRAGMA threads = {int(threads)}")


def batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def prefetched(chunks: Iterator[Chunk], depth: int = 2) -> Iterator[Chunk]:
    """The chunks of ``chunks``, produced ahead in a worker thread.

    sqlite3 releases the GIL while it steps a statement, so generating the next batch in
    Python overlaps with SQLite writing the current one: two cores instead of one. The
    producer's exception is raised here; leaving early (an error while writing) stops it.
    """
    out: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not put(("chunk", chunk)):
                    return
            put(("end", None))
        except BaseException as exc:  # noqa: BLE001 - the consumer re-raises it
            put(("error", exc))

    worker = threading.Thread(target=produce, name="bulk-rows", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = out.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        worker.join()
