"""Applying a moderation decision to many comments at once, audit trail and outbox included.

This is the one place that changes a comment's status. ``apply_decision`` works in the caller's
session with SQLAlchemy Core ``executemany`` (10,000 comments in well under two seconds), and so
does by hand what the ORM outbox hook does for ORM writes: every changed comment and commenter
gets a fresh HLC and ``updated_at``, and a ``change_log`` entry, in the same transaction as the
status change and the ``moderation_event`` rows. Comment and commenter entries carry no payload
(``payload`` NULL means "the push reads the current row": bodies can be large and only the status
and counters changed); the events, which are new rows, carry their full values.

Every comment in the selection gets an event, even when its status does not change, so two
moderators acting on the same comment are both on record; the later decision wins.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from pse_desk.store import outbox
from pse_desk.store.hlc import HybridClock
from pse_desk.store.model import (
    ChangeLog,
    Comment,
    Commenter,
    CommentStatus,
    ModerationEvent,
    new_id,
    utcnow,
)

CHUNK = 900  # ids per IN (...) list: below SQLite's default limit on bound variables
COUNTER = {CommentStatus.APPROVED: "approved_count", CommentStatus.REJECTED: "rejected_count",
           CommentStatus.SPAM: "spam_count"}

_COMMENT = cast(Table, Comment.__table__)
_COMMENTER = cast(Table, Commenter.__table__)
_EVENT = cast(Table, ModerationEvent.__table__)
_CHANGE = cast(Table, ChangeLog.__table__)


@dataclass(frozen=True, slots=True)
class Change:
    """One comment's status before and after a decision (equal when nothing changed)."""

    comment_id: str
    from_status: str
    to_status: str


def clock_of(session: Session) -> HybridClock:
    clock = session.info.get(outbox.CLOCK_KEY)
    if not isinstance(clock, HybridClock):
        raise RuntimeError("decisions need a writing session from Store.session()")
    return clock


def chunks(ids: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def apply_decision(session: Session, comment_ids: Sequence[str], to_status: CommentStatus, *,
                   actor: str, action: str, reason: str = "",
                   targets: dict[str, CommentStatus] | None = None) -> list[Change]:
    """Set the status of ``comment_ids`` (or per comment, from ``targets``), with audit events.

    Deleted or unknown ids are skipped. Returns one ``Change`` per comment, in the given order.
    """
    clock = clock_of(session)
    wanted = list(dict.fromkeys(comment_ids))
    current: dict[str, tuple[CommentStatus, str, str]] = {}
    for part in chunks(wanted):
        rows = session.execute(
            select(Comment.id, Comment.status, Comment.hlc, Comment.commenter_id)
            .where(Comment.id.in_(part), Comment.deleted.is_(False)))
        for cid, status, hlc, commenter_id in rows:
            current[cid] = (status, hlc, commenter_id)

    now = utcnow()
    changes: list[Change] = []
    status_rows: list[dict[str, Any]] = []
    comment_log: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    deltas: dict[str, Counter[str]] = defaultdict(Counter)
    for cid in wanted:
        if cid not in current:
            continue
        old, old_hlc, commenter_id = current[cid]
        new = targets.get(cid, to_status) if targets else to_status
        changes.append(Change(cid, old.value, new.value))
        events.append({"id": new_id(), "hlc": clock.now(), "origin": clock.device,
                       "deleted": False, "created_at": now, "updated_at": now,
                       "comment_id": cid, "actor": actor, "action": action,
                       "from_status": old.value, "to_status": new.value, "reason": reason,
                       "at": now})
        if new == old:
            continue
        hlc = clock.now()
        status_rows.append({"b_id": cid, "b_status": new, "b_hlc": hlc, "b_now": now})
        comment_log.append({"table_name": "comment", "row_id": cid, "hlc": hlc,
                            "base_hlc": old_hlc})
        if old in COUNTER:
            deltas[commenter_id][COUNTER[old]] -= 1
        if new in COUNTER:
            deltas[commenter_id][COUNTER[new]] += 1

    if status_rows:
        session.execute(
            update(_COMMENT).where(_COMMENT.c.id == bindparam("b_id"))
            .values(status=bindparam("b_status"), hlc=bindparam("b_hlc"),
                    updated_at=bindparam("b_now")),
            status_rows)
    if events:
        session.execute(insert(_EVENT), events)
        session.execute(insert(_CHANGE), outbox.change_entries("moderation_event", events))
    # rows without a "payload" key leave it SQL NULL: "the push reads the current row"
    bare_log = comment_log + _apply_counts(session, clock, deltas, now)
    if bare_log:
        session.execute(insert(_CHANGE), bare_log)
    session.expire_all()  # ORM objects loaded earlier in this session are now stale
    return changes


def _apply_counts(session: Session, clock: HybridClock, deltas: dict[str, Counter[str]],
                  now: Any) -> list[dict[str, Any]]:
    """Move the commenters' counters with their comments; returns their change_log rows."""
    moved = {cid: d for cid, d in deltas.items() if any(d.values())}
    if not moved:
        return []
    old_hlc: dict[str, str] = {}
    for part in chunks(list(moved)):
        for cid, hlc in session.execute(
                select(Commenter.id, Commenter.hlc).where(Commenter.id.in_(part))):
            old_hlc[cid] = hlc
    rows = []
    for cid, d in moved.items():
        rows.append({"b_id": cid, "b_hlc": clock.now(), "b_now": now,
                     "b_a": d["approved_count"], "b_r": d["rejected_count"],
                     "b_s": d["spam_count"]})
    c = _COMMENTER.c
    session.execute(
        update(_COMMENTER).where(c.id == bindparam("b_id"))
        .values(approved_count=c.approved_count + bindparam("b_a"),
                rejected_count=c.rejected_count + bindparam("b_r"),
                spam_count=c.spam_count + bindparam("b_s"),
                hlc=bindparam("b_hlc"), updated_at=bindparam("b_now")),
        rows)
    return [{"table_name": "commenter", "row_id": r["b_id"], "hlc": r["b_hlc"],
             "base_hlc": old_hlc.get(r["b_id"], "")} for r in rows]
