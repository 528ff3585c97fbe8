"""Fast loading of many comments and commenters into SQLite, inside the caller's transaction.

The ORM is far too slow for a million rows, so rows go in through the DB-API ``executemany``
in large batches. The full-text triggers on ``comment`` and ``commenter`` are dropped for the
load and the indexes rebuilt in one pass afterwards, then exactly the same triggers are
recreated from the SQL SQLite kept for them; all of it is DDL inside the one transaction, so
a failure leaves nothing half-done. Rows carry their sync columns, and each gets a
``change_log`` entry with ``payload NULL`` (meaning "the push reads the current row"), which
keeps the outbox small; commenters' entries come before their comments', so the outbox lists
every parent before the rows that refer to it, as the hub's foreign keys need.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import Any

from pse_desk.store.hlc import HybridClock

BATCH = 50_000
FTS_TABLES = {"comment": "comment_fts", "commenter": "commenter_fts"}
SORT_THREADS = 4
CACHE_KIB = 256 * 1024  # page cache for the load: random UUID keys touch the whole index

# origin and the two timestamps are the same for every row of a load: bound once, by name
COMMENT_INSERT = (
    "INSERT INTO comment (id, hlc, origin, deleted, created_at, updated_at, article_id, "
    "parent_id, commenter_id, body, posted_at, status, reports, held_reasons) "
    "VALUES (?, ?, {origin}, 0, {stamp}, {stamp}, ?, ?, ?, ?, ?, ?, ?, ?)")
COMMENTER_COLUMNS = ("id", "hlc", "origin", "deleted", "created_at", "updated_at",
                     "display_name", "email_hash", "first_seen", "trust", "comment_count",
                     "approved_count", "rejected_count", "spam_count")
COMMENTER_INSERT = (f"INSERT INTO commenter ({', '.join(COMMENTER_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(COMMENTER_COLUMNS))})")
CHANGE_INSERT = ("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
                 "VALUES (?, ?, ?, '', ?)")

Progress = Callable[[int, int, str], None]


@contextmanager
def fts_suspended(con: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the full-text triggers of ``tables``; afterwards rebuild the index, recreate them."""
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
def indexes_suspended(con: sqlite3.Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables``; afterwards create the same ones again.

    Building an index once from sorted rows is much cheaper than keeping it current through
    a million inserts in random key order. Automatic (primary key, unique) indexes stay.
    """
    marks = ", ".join("?" for _ in tables)
    indexes = con.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                          f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                          list(tables)).fetchall()
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
def large_cache(con: sqlite3.Connection) -> Iterator[None]:
    """A big page cache and sorting threads for the load; the connection's own ones after."""
    (before,) = con.execute("PRAGMA cache_size").fetchone()
    (threads,) = con.execute("PRAGMA threads").fetchone()
    con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
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


def prefetched(chunks: Iterator[list[Any]], depth: int = 2) -> Iterator[list[Any]]:
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

    worker = threading.Thread(target=produce, name="demo-rows", daemon=True)
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


def insert_comments(con: sqlite3.Connection, rows: Iterable[Sequence[Any]], total: int,
                    clock: HybridClock, origin: str, stamp: str,
                    progress: Progress | None) -> int:
    """Insert comment rows (``comments.ROW_FIELDS`` order) with sync columns and outbox."""
    now = clock.now
    insert = COMMENT_INSERT.format(origin=sql_literal(origin), stamp=sql_literal(stamp))

    def chunks() -> Iterator[list[tuple[Any, ...]]]:
        for chunk in batches(rows):
            yield [(r[0], now(), *r[1:]) for r in chunk]

    (last_rowid,) = con.execute("SELECT coalesce(max(rowid), 0) FROM comment").fetchone()
    done = 0
    for full in prefetched(chunks()):
        con.executemany(insert, full)
        done += len(full)
        if progress:
            progress(done, total, "comments")
    # the outbox entries in one statement, in insertion order, without a Python round trip
    con.execute("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
                "SELECT 'comment', id, hlc, '', NULL FROM comment WHERE rowid > ? "
                "ORDER BY rowid", (last_rowid,))
    return done


def sql_literal(text: str) -> str:
    """``text`` as an SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def sql_value(value: Any) -> Any:
    """A Python value as SQLAlchemy stores it on SQLite (datetimes as text, booleans as 0/1)."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, bool):
        return int(value)
    return value


COMMENTER_TALLY = ("first_seen", "trust", "comment_count", "approved_count", "rejected_count",
                   "spam_count")
COMMENTER_UPDATE = (f"UPDATE commenter SET {', '.join(f'{c} = ?' for c in COMMENTER_TALLY)} "
                    "WHERE id = ?")


def _commenter_sql(r: dict[str, Any], now: str) -> tuple[Any, ...]:
    return (r["id"], r["hlc"], r["origin"], 0, now, now, r["display_name"], r["email_hash"],
            sql_value(r["first_seen"]), r["trust"], r["comment_count"], r["approved_count"],
            r["rejected_count"], r["spam_count"])


def insert_commenters(con: sqlite3.Connection, rows: Iterable[dict[str, Any]],
                      clock: HybridClock, origin: str, now: datetime) -> list[dict[str, Any]]:
    """Insert commenters (dicts of their own columns) with sync columns; return full rows.

    Their comments follow, so their counts are provisional: ``finish_commenters`` writes the
    final ones. Their outbox entries go in now, before the comments' (the push reads the row
    as it is then).
    """
    full = [{"id": row["id"], "hlc": clock.now(), "origin": origin, "deleted": False,
             "created_at": now, "updated_at": now, **row} for row in rows]
    stamp = sql_value(now)
    for chunk in batches(full):
        con.executemany(COMMENTER_INSERT, [_commenter_sql(r, stamp) for r in chunk])
        con.executemany(CHANGE_INSERT, [("commenter", r["id"], r["hlc"], None) for r in chunk])
    return full


def finish_commenters(con: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Write the final counts of commenters inserted by ``insert_commenters``."""
    for chunk in batches(rows):
        con.executemany(COMMENTER_UPDATE, [(r["first_seen"].isoformat(" ", "microseconds"),
                                            *(r[c] for c in COMMENTER_TALLY[1:]), r["id"])
                                           for r in chunk])
