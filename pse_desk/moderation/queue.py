"""The comment queues as SQL: which comments a queue holds, filters, and the rows a list shows.

Queues are read with keyset pagination — ``(posted_at, id)`` of the last row shown — so the
cost of a page does not grow with how far the moderator has scrolled in a million comments.
``window_select`` is the one statement that reads list rows, for a page, a table's window at
any position, or a comment's thread; ``services.moderation.queue`` runs it, and
``moderation.search`` adds its conditions to it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    func,
    literal_column,
    select,
    text,
    tuple_,
    type_coerce,
)

from pse_desk.store.model import Article, Comment, Commenter, CommentStatus

EXCERPT_CHARS = 200
Key = tuple[datetime, str]  # the keyset position of a row: (posted_at, id)


class Queue(enum.Enum):
    PENDING = "pending"          # held by a rule
    REPORTED = "reported"        # reported by readers, not yet rejected or marked spam
    UNMODERATED = "unmoderated"  # pending, no rule hit
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


def plain(column: Any, name: str) -> Any:
    """``column`` written ``+comment.name``: SQLite will not use an index for that term.

    When a search also has a selective condition (FTS matches, a commenter, an article),
    scanning the status or date index of a million comments is the worst plan, and without
    ANALYZE statistics SQLite's planner sometimes picks it; the unary plus rules it out.
    """
    return literal_column(f"+comment.{name}", column.type)


def queue_condition(queue: Queue, *, use_index: bool = True) -> ColumnElement[bool]:
    live = Comment.deleted.is_(False)
    held = Comment.held_reasons != []
    status = Comment.status if use_index else plain(Comment.status, "status")
    match queue:
        case Queue.PENDING:
            return and_(live, status == CommentStatus.PENDING, held)
        case Queue.UNMODERATED:
            return and_(live, status == CommentStatus.PENDING, ~held)
        case Queue.REPORTED:
            # reported comments are few: their index drives, never the two status ranges
            # (which would read and sort most of the table)
            reports = Comment.reports if use_index else plain(Comment.reports, "reports")
            return and_(live, reports > 0, plain(Comment.status, "status").in_(
                [CommentStatus.PENDING, CommentStatus.APPROVED]))
        case Queue.APPROVED:
            return and_(live, status == CommentStatus.APPROVED)
        case Queue.REJECTED:
            return and_(live, status == CommentStatus.REJECTED)
        case Queue.SPAM:
            return and_(live, status == CommentStatus.SPAM)


_RULE_KIND_SQL = ("EXISTS (SELECT 1 FROM json_each(comment.held_reasons) AS hr "
                  "WHERE json_extract(hr.value, '$.kind') = :{name})")


def held_by(kind: str, name: str = "rule_kind") -> ColumnElement[bool]:
    """Comments whose held_reasons include a hit of rule ``kind``.

    ``instr`` on the raw JSON is a cheap first test; ``json_each`` then checks the field, so a
    comment that merely quotes the word is not counted.
    """
    exact = text(_RULE_KIND_SQL.format(name=name)).bindparams(**{name: kind})
    raw = type_coerce(Comment.held_reasons, Text)
    return and_(func.instr(raw, f'"{kind}"') > 0, exact)


@dataclass(frozen=True)
class QueueFilter:
    """Narrowing a queue: by article, commenter, the rule kind that held it, posting time."""

    article_id: str | None = None
    commenter_id: str | None = None
    rule_kind: str | None = None
    since: datetime | None = None   # posted at or after
    until: datetime | None = None   # posted before

    def conditions(self, *, use_index: bool = True) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.article_id:
            found.append(Comment.article_id == self.article_id)
        if self.commenter_id:
            found.append(Comment.commenter_id == self.commenter_id)
        if self.rule_kind:
            found.append(held_by(self.rule_kind, "filter_rule_kind"))
        posted = Comment.posted_at if use_index else plain(Comment.posted_at, "posted_at")
        if self.since:
            found.append(posted >= self.since)
        if self.until:
            found.append(posted < self.until)
        return found


@dataclass(frozen=True)
class QueueRow:
    id: str
    posted_at: datetime
    status: str
    commenter: str
    article_title: str
    excerpt: str
    reports: int
    held_kinds: tuple[str, ...]

    @property
    def key(self) -> Key:
        """The keyset position of this row, for ``window_select(edge=...)``."""
        return (self.posted_at, self.id)


def window_select(conditions: Iterable[ColumnElement[bool]], *, edge: Key | None = None,
                  newest_first: bool = True, skip: int = 0, limit: int = 100) -> Select[Any]:
    """The list rows matching ``conditions``, newest first: ``limit`` of them, found by walking
    from the keyset position ``edge`` (exclusive) or from an end of the listing.

    ``newest_first`` walks towards older comments from ``edge`` (or the newest comment), which
    is the next page after ``edge``; otherwise the walk goes towards newer ones from ``edge``
    (or the oldest comment). ``skip`` rows are passed over on the index first, so a table can
    reach a row far from any known key with one index walk.

    The window is chosen on ``comment`` alone (ids) and only its rows are joined to their
    commenter and article: when a search has thousands of candidates to sort, the sort carries
    ids, not excerpts.
    """
    key = tuple_(Comment.posted_at, Comment.id)
    if newest_first:
        order = (Comment.posted_at.desc(), Comment.id.desc())
    else:
        order = (Comment.posted_at.asc(), Comment.id.asc())
    window = select(Comment.id).where(*conditions).order_by(*order).limit(limit)
    if skip:
        window = window.offset(skip)
    if edge is not None:
        window = window.where(key < tuple_(*edge) if newest_first else key > tuple_(*edge))
    return (select(Comment.id, Comment.posted_at, Comment.status, Commenter.display_name,
                   Article.title, func.substr(Comment.body, 1, EXCERPT_CHARS), Comment.reports,
                   Comment.held_reasons)
            .join(Commenter, Commenter.id == Comment.commenter_id)
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.id.in_(window.scalar_subquery()))
            .order_by(Comment.posted_at.desc(), Comment.id.desc()))


def to_row(r: Any) -> QueueRow:
    """A ``QueueRow`` from one result row of ``window_select``."""
    return QueueRow(id=r[0], posted_at=r[1], status=r[2].value, commenter=r[3],
                    article_title=r[4], excerpt=r[5] or "", reports=r[6],
                    held_kinds=tuple(h.get("kind", "") for h in (r[7] or [])
                                     if isinstance(h, dict)))
