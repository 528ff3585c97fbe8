"""Fast loading of many comments and commenters into SQLite, inside the caller's transaction.

The ORM is far too slow for a million rows, so rows go in through the DB-API ``executemany``
in large batches, with the full-text triggers and the indexes of ``comment`` and ``commenter``
suspended for the load (``pse_desk.store.bulk``, which a desk's first pull uses too). Rows
carry their sync columns, and each gets a
``change_log`` entry with ``payload NULL`` (meaning "the push reads the current row"), which
keeps the outbox small; commenters' entries come before their comments', so the outbox lists
every parent before the rows that refer to it, as the hub's foreign keys need.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from pse_desk.store.bulk import (
    batches,
    fts_suspended,
    indexes_suspended,
    large_cache,
    prefetched,
    rollback_journal,
)
from pse_desk.store.hlc import HybridClock

__all__ = [
    "batches",
    "finish_commenters",
    "fts_suspended",
    "indexes_suspended",
    "insert_commenters",
    "insert_comments",
    "large_cache",
    "prefetched",
    "rollback_journal",
]

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
