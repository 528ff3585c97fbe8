"""Applying a moderation decision to many comments at once, audit trail and outbox included.

This is the one place that changes a comment's status. ``apply_decision`` works in the caller's
session with a handful of set-based SQLite statements, whatever the number of comments: the
ids go in as one JSON array into a temporary table, the comments that will change are joined
into a second one, and the status change, the ``moderation_event`` rows, the commenters'
counters and the ``change_log`` entries are each one ``UPDATE … FROM`` or ``INSERT … SELECT``
over it. No Python object is made per comment: 10,000 decisions of the million-comment demo
are about 0.6 s of SQLite work on a 2-core machine, with the GIL released (the per-row
``executemany`` this replaced took twice as long and held the GIL in between).

It does by hand what the ORM outbox hook does for ORM writes: every changed comment and
commenter gets a fresh HLC (from one ``HybridClock.reserve`` block, computed in SQL) and
``updated_at``, and a ``change_log`` entry, in the same transaction as the status change and
the events. Comment and commenter entries carry no payload (``payload`` NULL means "the push
reads the current row": bodies can be large and only the status and counters changed); the
events, which are new rows, carry their full values.

A comment already in the decided status is left alone: no event, no stamp, no outbox entry
(issue 8: "spam → spam" in the audit trail said nothing and hid what did happen). Two
moderators deciding one comment differently are both on record, because the later one sees
the earlier one's status and changes it; the later decision wins. The one event written
without a change is asked for explicitly (``to_status=None``): a ban is put on record on the
comment the moderator was looking at even when it changes nothing there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from pse_desk.store import outbox
from pse_desk.store.hlc import HybridClock, StampBlock
from pse_desk.store.model import Comment, CommentStatus, utcnow

BIG_CACHE_KIB = -131072  # 128 MiB of page cache while a large batch is written
BIG_BATCH = 1000
COUNTED = ("approved", "rejected", "spam")  # statuses with a counter on the commenter
SEPARATOR = "\x1f"  # between ids in one group_concat (ids are UUIDs: never in an id)

_COMMENT = cast(Table, Comment.__table__)

_TEMP_TABLES = (
    # the ids asked for, once each
    "CREATE TEMP TABLE IF NOT EXISTS decision_target (comment_id TEXT PRIMARY KEY)",
    # the comments that get an event, in table order; n (from 1) numbers their stamps
    "CREATE TEMP TABLE IF NOT EXISTS decision_change (n INTEGER PRIMARY KEY, "
    "comment_rowid INTEGER, comment_id TEXT, commenter_id TEXT, from_status TEXT, "
    "to_status TEXT, old_hlc TEXT, event_id TEXT)",
    # the commenters whose counters move, in table order
    "CREATE TEMP TABLE IF NOT EXISTS decision_commenter (n INTEGER PRIMARY KEY, "
    "commenter_rowid INTEGER, commenter_id TEXT, old_hlc TEXT, approved INTEGER, "
    "rejected INTEGER, spam INTEGER)",
)
_TEMP_NAMES = ("decision_target", "decision_change", "decision_commenter")

# A version 4 UUID from 32 random hex digits in event_id.
_UUID_FROM_HEX = (
    "substr(event_id, 1, 8) || '-' || substr(event_id, 9, 4) || '-4' || "
    "substr(event_id, 14, 3) || '-' || "
    "substr('89ab', 1 + (instr('0123456789abcdef', substr(event_id, 17, 1)) - 1) % 4, 1) || "
    "substr(event_id, 18, 3) || '-' || substr(event_id, 21, 12)")


@dataclass(frozen=True, slots=True)
class Changed:
    """The comments one decision moved from one status to another (equal: only on record)."""

    from_status: str
    to_status: str
    comment_ids: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return self.from_status != self.to_status


def clock_of(session: Session) -> HybridClock:
    clock = session.info.get(outbox.CLOCK_KEY)
    if not isinstance(clock, HybridClock):
        raise RuntimeError("decisions need a writing session from Store.session()")
    return clock


def apply_decision(session: Session, comment_ids: Sequence[str],
                   to_status: CommentStatus | None, *, actor: str, action: str,
                   reason: str = "") -> list[Changed]:
    """Set the status of ``comment_ids`` to ``to_status``, with an audit event for each change.

    Deleted or unknown ids are skipped, and so is a comment already in ``to_status``.
    ``to_status=None`` changes no status but writes an event on every comment (a ban on
    record). Returns the comments that got an event, grouped by their move (no order within).
    """
    if not comment_ids:
        return []
    clock = clock_of(session)
    session.flush()  # the statements below go past the ORM: it must have written its changes
    conn = session.connection()
    with _page_cache_for(conn, len(comment_ids)):
        events = _select_changes(conn, comment_ids, to_status)
        if not events:
            _clear_temp_tables(conn)
            return []
        commenters = _commenter_deltas(conn)
        # two stamps per event row (the event's, then its comment's), then one per commenter
        block = clock.reserve(2 * events + commenters)
        _write(conn, block, events, _Values.now(session, clock.device, actor, action, reason))
    changed = _groups(conn)
    _clear_temp_tables(conn)
    session.expire_all()  # ORM objects loaded earlier in this session are now stale
    return changed


def _select_changes(conn: Connection, comment_ids: Sequence[str],
                    to_status: CommentStatus | None) -> int:
    """The comments that get an event, into ``decision_change``; returns how many."""
    _fresh_temp_tables(conn)
    run = conn.exec_driver_sql
    run("INSERT OR IGNORE INTO decision_target (comment_id) SELECT value FROM json_each(?)",
        (json.dumps(list(comment_ids)),))
    target = None if to_status is None else to_status.value
    # the random digits are drawn once per row (a materialised CTE), then made a UUID
    run("WITH found AS MATERIALIZED (SELECT c.rowid AS r, c.id, c.commenter_id, c.status, "
        "c.hlc, lower(hex(randomblob(16))) AS event_id "
        "FROM decision_target t CROSS JOIN comment c ON c.id = t.comment_id "
        "WHERE c.deleted = 0 AND (?1 IS NULL OR c.status != ?1)) "
        "INSERT INTO decision_change (comment_rowid, comment_id, commenter_id, from_status, "
        f"to_status, old_hlc, event_id) SELECT r, id, commenter_id, status, "
        f"coalesce(?1, status), hlc, {_UUID_FROM_HEX} FROM found ORDER BY r",
        (target,))
    events = int(run("SELECT count(*) FROM decision_change").scalar() or 0)
    return events


def existing_count(session: Session, comment_ids: Sequence[str]) -> int:
    """How many of ``comment_ids`` are comments that exist (not deleted)."""
    if not comment_ids:
        return 0
    return int(session.connection().exec_driver_sql(
        "SELECT count(*) FROM comment WHERE deleted = 0 AND id IN "
        "(SELECT value FROM json_each(?))", (json.dumps(list(comment_ids)),)).scalar() or 0)


@dataclass(frozen=True, slots=True)
class _Values:
    """What every row of one decision shares, converted once by the columns' own types."""

    now_text: Any  # updated_at / created_at / at as the column stores it
    now_iso: str   # the same instant in the change_log payload
    origin: str
    actor: str
    action: str
    reason: str

    @classmethod
    def now(cls, session: Session, origin: str, actor: str, action: str,
            reason: str) -> _Values:
        moment = utcnow()
        bind = _COMMENT.c.updated_at.type.bind_processor(session.get_bind().dialect)
        return cls(bind(moment) if bind else moment, moment.isoformat(), origin, actor,
                   action, reason)


def _write(conn: Connection, block: StampBlock, events: int, v: _Values) -> None:
    run = conn.exec_driver_sql
    event_hlc = block.sql("2 * (d.n - 1)")
    comment_hlc = block.sql("2 * (d.n - 1) + 1")
    commenter_hlc = block.sql(f"{2 * events} + m.n - 1")
    # table order: each page of the comment table is visited once
    run(f"UPDATE comment SET status = d.to_status, hlc = {comment_hlc}, updated_at = ? "
        "FROM decision_change d "
        "WHERE comment.rowid = d.comment_rowid AND d.from_status != d.to_status",
        (v.now_text,))
    run(f"INSERT INTO moderation_event (id, hlc, origin, deleted, created_at, updated_at, "
        "comment_id, actor, action, from_status, to_status, reason, at) "
        f"SELECT d.event_id, {event_hlc}, ?1, 0, ?2, ?2, d.comment_id, ?3, ?4, d.from_status, "
        "d.to_status, ?5, ?2 FROM decision_change d ORDER BY d.n",
        (v.origin, v.now_text, v.actor, v.action, v.reason))
    # the events are new rows: their change_log entries carry every column
    run("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
        f"SELECT 'moderation_event', d.event_id, {event_hlc}, '', json_object("
        "'comment_id', d.comment_id, 'actor', ?1, 'action', ?2, 'from_status', d.from_status, "
        "'to_status', d.to_status, 'reason', ?3, 'at', ?4, 'id', d.event_id, "
        f"'hlc', {event_hlc}, 'origin', ?5, 'deleted', json('false'), 'created_at', ?4, "
        "'updated_at', ?4) FROM decision_change d ORDER BY d.n",
        (v.actor, v.action, v.reason, v.now_iso, v.origin))
    # change_log rows without a payload: "the push reads the current row"
    run(f"INSERT INTO change_log (table_name, row_id, hlc, base_hlc) "
        f"SELECT 'comment', d.comment_id, {comment_hlc}, d.old_hlc FROM decision_change d "
        "WHERE d.from_status != d.to_status ORDER BY d.n")
    run(f"UPDATE commenter SET approved_count = approved_count + m.approved, "
        "rejected_count = rejected_count + m.rejected, spam_count = spam_count + m.spam, "
        f"hlc = {commenter_hlc}, updated_at = ? "
        "FROM decision_commenter m WHERE commenter.rowid = m.commenter_rowid", (v.now_text,))
    run(f"INSERT INTO change_log (table_name, row_id, hlc, base_hlc) "
        f"SELECT 'commenter', m.commenter_id, {commenter_hlc}, m.old_hlc "
        "FROM decision_commenter m ORDER BY m.n")


def _commenter_deltas(conn: Connection) -> int:
    """The commenters' counter moves, into ``decision_commenter``; returns how many move."""
    sums = ", ".join(f"sum((to_status = '{s}') - (from_status = '{s}')) AS {s}"
                     for s in COUNTED)
    conn.exec_driver_sql(
        "INSERT INTO decision_commenter (commenter_rowid, commenter_id, old_hlc, approved, "
        "rejected, spam) "
        "SELECT m.rowid, m.id, m.hlc, d.approved, d.rejected, d.spam FROM "
        f"(SELECT commenter_id, {sums} FROM decision_change GROUP BY commenter_id) d "
        "CROSS JOIN commenter m ON m.id = d.commenter_id "
        "WHERE d.approved != 0 OR d.rejected != 0 OR d.spam != 0 ORDER BY m.rowid")
    return int(conn.exec_driver_sql("SELECT count(*) FROM decision_commenter").scalar() or 0)


def _groups(conn: Connection) -> list[Changed]:
    rows = conn.exec_driver_sql(
        "SELECT from_status, to_status, group_concat(comment_id, char(31)) "
        "FROM decision_change GROUP BY from_status, to_status ORDER BY min(n)").all()
    return [Changed(str(a), str(b), tuple(str(ids).split(SEPARATOR))) for a, b, ids in rows]


def _fresh_temp_tables(conn: Connection) -> None:
    for ddl in _TEMP_TABLES:
        conn.exec_driver_sql(ddl)
    _clear_temp_tables(conn)


def _clear_temp_tables(conn: Connection) -> None:
    for name in _TEMP_NAMES:
        conn.exec_driver_sql(f"DELETE FROM temp.{name}")


@contextmanager
def _page_cache_for(conn: Connection, rows: int) -> Iterator[None]:
    """A bigger page cache while a large batch is written (default 2 MB spills to the WAL
    mid-transaction and rewrites the same pages); set back afterwards."""
    if rows < BIG_BATCH:
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {BIG_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
