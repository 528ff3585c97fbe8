"""The outbox: stamps every changed synced row and writes its ``change_log`` entry.

This is the one place that does it: a ``before_flush`` hook on our sessions gives each new or
changed synced row a fresh HLC, its origin and ``updated_at``, and adds a ``ChangeLog`` entry with
the row's new values and the HLC the change was based on, all in the same transaction as the
change itself. Synced rows are never hard-deleted: set ``deleted = True`` (a tombstone).
Bulk loaders that bypass the ORM call ``change_entries`` for their rows.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import set_committed_value

from pse_desk.store.hlc import HybridClock
from pse_desk.store.model import Base, ChangeLog, Synced, utcnow

CLOCK_KEY = "pse_desk.clock"
REMOTE_KEY = "pse_desk.applying_remote"  # set while applying hub changes: no outbox entries
STAMPED_KEY = "pse_desk.stamped"  # (row, its change_log entry) stamped in this flush
GUARD_KEY = "pse_desk.write_guard"  # a WriteGuard: may this desk change that table?


class WriteGuard:
    """Asked before any synced row is queued: ``check(table)`` raises the error of whoever
    set it (a desk that syncs as a moderator may not change articles), or does nothing."""

    def __init__(self) -> None:
        self.check: Callable[[str], None] | None = None

    def __call__(self, table: str) -> None:
        if self.check is not None:
            self.check(table)


class TombstoneRequired(RuntimeError):
    """A synced row was deleted with ``session.delete``; set ``deleted = True`` instead."""


def to_json_value(value: Any) -> Any:
    """A column value as JSON: datetimes and dates in ISO form, enums by value, bytes base64."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return value


def row_payload(obj: Base) -> dict[str, Any]:
    """Every column of a mapped object, as JSON values keyed by column name."""
    mapper = inspect(obj).mapper
    return {attr.columns[0].name: to_json_value(getattr(obj, attr.key))
            for attr in mapper.column_attrs}


def _fill_defaults(obj: Base) -> None:
    # Column defaults run at INSERT time, after this hook; run the scalar and callable ones now
    # so the payload holds what the row will hold.
    mapper = inspect(obj).mapper
    for attr in mapper.column_attrs:
        if getattr(obj, attr.key) is not None:
            continue
        default = attr.columns[0].default
        if default is None:
            continue
        if default.is_callable:
            setattr(obj, attr.key, default.arg(None))
        elif default.is_scalar:
            setattr(obj, attr.key, default.arg)


def _stamp(session: Session, obj: Synced, clock: HybridClock, *, new: bool) -> None:
    base_hlc = ""
    if not new:
        history = inspect(obj).attrs.hlc.history
        base_hlc = (history.deleted[0] if history.deleted else obj.hlc) or ""
    obj.hlc = clock.now()
    obj.updated_at = utcnow()
    if new:
        obj.origin = obj.origin or clock.device
        obj.created_at = obj.created_at or obj.updated_at
    _fill_defaults(obj)  # type: ignore[arg-type]
    entry = ChangeLog(table_name=obj.__tablename__,  # type: ignore[attr-defined]
                      row_id=obj.id, hlc=obj.hlc, base_hlc=base_hlc,
                      payload=row_payload(obj))  # type: ignore[arg-type]
    session.add(entry)
    session.info.setdefault(STAMPED_KEY, []).append((obj, entry))


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    # A foreign key set through a relationship (``panel.items.append(item)``) is filled in by
    # the flush, after the payload was taken: write the payload again where it changed.
    stamped = session.info.pop(STAMPED_KEY, None)
    if not stamped:
        return
    table = ChangeLog.__table__
    assert isinstance(table, Table)
    for obj, entry in stamped:
        payload = row_payload(obj)
        if payload != entry.payload and entry.seq is not None:
            session.connection().execute(
                table.update().where(table.c.seq == entry.seq).values(payload=payload))
            set_committed_value(entry, "payload", payload)


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    if session.info.get(REMOTE_KEY):
        return
    clock = session.info.get(CLOCK_KEY)
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise TombstoneRequired(f"{type(obj).__name__} rows are synced: mark them deleted")
    if clock is None:
        return
    guard = session.info.get(GUARD_KEY)
    if guard is not None:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Synced) and (obj in session.new or session.is_modified(
                    obj, include_collections=False)):
                guard(obj.__tablename__)  # type: ignore[attr-defined]
    for obj in list(session.new):
        if isinstance(obj, Synced):
            _stamp(session, obj, clock, new=True)
    for obj in list(session.dirty):
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            _stamp(session, obj, clock, new=False)


def install(session_class: type[Session]) -> None:
    """Attach the outbox hook to a session class (idempotent)."""
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def change_entries(table: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``change_log`` rows for rows written in bulk (they must already carry id and hlc)."""
    return [{"table_name": table, "row_id": r["id"], "hlc": r["hlc"], "base_hlc": "",
             "payload": {k: to_json_value(v) for k, v in r.items()}} for r in rows]
