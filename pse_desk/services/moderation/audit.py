"""The audit trail as use cases: one comment's history, the global log, and its CSV export."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from pse_desk.moderation.audit import (
    AuditEntry,
    AuditFilter,
    audit_select,
    to_entry,
    write_audit_csv,
)
from pse_desk.store.db import Store

__all__ = ["AuditEntry", "AuditFilter", "audit_log", "comment_history", "export_audit_csv"]


def comment_history(session: Session, comment_id: str) -> list[AuditEntry]:
    """Every decision on one comment, oldest first."""
    stmt = audit_select(AuditFilter(comment_id=comment_id), limit=None, newest_first=False)
    return [to_entry(r) for r in session.execute(stmt)]


def audit_log(session: Session, filters: AuditFilter | None = None, *,
              after: tuple[datetime, str] | None = None, limit: int = 200) -> list[AuditEntry]:
    """A page of the global log, newest first, after the keyset position ``after``."""
    stmt = audit_select(filters or AuditFilter(), after=after, limit=limit)
    return [to_entry(r) for r in session.execute(stmt)]


def export_audit_csv(store: Store, path: str | os.PathLike[str],
                     filters: AuditFilter | None = None) -> int:
    """Write the (filtered) log, oldest first, to a CSV file; returns how many rows."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with store.read_session() as s, tmp.open("w", newline="", encoding="utf-8") as out:
        rows = s.execute(audit_select(filters or AuditFilter(), limit=None,
                                      newest_first=False).execution_options(yield_per=2000))
        count = write_audit_csv((to_entry(r) for r in rows), out)
    tmp.replace(target)  # a half-written file never takes the chosen name
    return count
