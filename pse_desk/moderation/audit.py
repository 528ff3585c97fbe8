"""The audit trail as data: its rows, their filters, and a CSV that spreadsheets cannot abuse.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is read as a
formula by Excel and LibreOffice — a comment body or a reason can carry
``=HYPERLINK("http://evil", "click")`` — so such cells are written with a leading apostrophe
(OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy import ColumnElement, select, tuple_

from pse_desk.store.model import Article, Comment, Commenter, ModerationEvent

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("at", "actor", "action", "from_status", "to_status", "reason", "comment_id",
               "commenter", "article", "excerpt")
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: datetime
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str
    comment_id: str
    commenter: str
    article: str
    excerpt: str

    @property
    def key(self) -> tuple[datetime, str]:
        """The keyset position of this entry, for ``audit_log(after=...)``."""
        return (self.at, self.id)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    comment_id: str | None = None
    commenter_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        e = ModerationEvent
        found: list[ColumnElement[bool]] = [e.deleted.is_(False)]
        if self.actor:
            found.append(e.actor == self.actor)
        if self.action:
            found.append(e.action == self.action)
        if self.comment_id:
            found.append(e.comment_id == self.comment_id)
        if self.commenter_id:
            found.append(Comment.commenter_id == self.commenter_id)
        if self.since:
            found.append(e.at >= self.since)
        if self.until:
            found.append(e.at < self.until)
        return found


def audit_select(filters: AuditFilter, *, after: tuple[datetime, str] | None = None,
                 limit: int | None = 200, newest_first: bool = True) -> Any:
    e = ModerationEvent
    stmt: Any = (select(e.id, e.at, e.actor, e.action, e.from_status, e.to_status, e.reason,
                   e.comment_id, Commenter.display_name, Article.title, Comment.body)
            .join(Comment, Comment.id == e.comment_id)
            .join(Commenter, Commenter.id == Comment.commenter_id)
            .join(Article, Article.id == Comment.article_id)
            .where(*filters.conditions()))
    order = (e.at.desc(), e.id.desc()) if newest_first else (e.at, e.id)
    stmt = stmt.order_by(*order)
    if after is not None:
        key = tuple_(e.at, e.id)
        stmt = stmt.where(key < tuple_(*after) if newest_first else key > tuple_(*after))
    if limit is not None:
        stmt = stmt.limit(limit)
    return stmt


def to_entry(r: Any) -> AuditEntry:
    body = r[10] or ""
    return AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
                      " ".join(body[:EXCERPT_CHARS * 2].split())[:EXCERPT_CHARS])


def csv_safe(value: object) -> str:
    """A cell value that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_audit_csv(entries: Iterable[AuditEntry], out: TextIO) -> int:
    """Write a header and one row per entry; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for e in entries:
        writer.writerow([csv_safe(v) for v in (
            e.at.isoformat(sep=" ", timespec="seconds"), e.actor, e.action, e.from_status,
            e.to_status, e.reason, e.comment_id, e.commenter, e.article, e.excerpt)])
        n += 1
    return n
