"""Moderation use cases that read: queue counts, keyset-paged queue rows, and search.

Queues are read with keyset pagination — ``(posted_at, id)`` of the last row shown — so the
cost of a page does not grow with how far the moderator has scrolled in a million comments.
``comment_detail`` gives the detail pane one comment in context. The SQL lives in
``moderation.queue`` and ``moderation.search``; decisions are in
``services.moderation_actions``, rules in ``services.moderation_rules``, the audit trail in
``services.moderation_audit``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.moderation.queue import (
    EXCERPT_CHARS,
    Queue,
    QueueFilter,
    QueueRow,
    queue_condition,
    row_select,
    to_row,
)
from pse_desk.moderation.search import (
    MATCH_CAP,
    SearchQuery,
    newest_matches_floor,
    parse_query,
    resolve,
    search_conditions,
)
from pse_desk.store.model import Article, Comment, Commenter

__all__ = [
    "EXCERPT_CHARS",
    "MATCH_CAP",
    "CommentDetail",
    "CommenterSummary",
    "Queue",
    "QueueFilter",
    "QueueRow",
    "SearchQuery",
    "comment_detail",
    "parse_query",
    "queue_condition",
    "queue_counts",
    "queue_page",
    "search_is_capped",
    "search_page",
]


def queue_counts(session: Session, filters: QueueFilter | None = None) -> dict[Queue, int]:
    """How many comments each queue holds, in one pass over the table (or the filter's index).

    Most comments are approved: counting a queue through the status index would look up
    every one of their rows for ``deleted``; one sequential pass counting every queue at
    once reads the table a single time instead (~0.3 s for a million comments).
    """
    extra = filters.conditions() if filters else []
    counts = [func.count().filter(queue_condition(q, use_index=False)) for q in Queue]
    row = session.execute(select(*counts).select_from(Comment)
                          .where(Comment.deleted.is_(False), *extra)).one()
    return {q: int(n or 0) for q, n in zip(Queue, row, strict=True)}


def queue_page(session: Session, queue: Queue, *, after: tuple[datetime, str] | None = None,
               limit: int = 100, filters: QueueFilter | None = None) -> list[QueueRow]:
    """Up to ``limit`` rows of a queue, newest first, after the keyset position ``after``."""
    conditions = [queue_condition(queue), *(filters.conditions() if filters else [])]
    return [to_row(r) for r in session.execute(row_select(conditions, after=after,
                                                          limit=limit))]


def search_page(session: Session, query: str | SearchQuery, queue: Queue | None = None, *,
                after: tuple[datetime, str] | None = None, limit: int = 100,
                filters: QueueFilter | None = None) -> list[QueueRow]:
    """Rows matching the moderator's search text (see ``moderation.search``), newest first.

    A malformed operator raises ``SearchError`` (a ``ValidationError``) with one sentence.
    Free text found in more than ``MATCH_CAP`` comments searches the newest of them only;
    ``search_is_capped`` tells the UI when to say so.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    floor = _floor(session, parsed)
    conditions = search_conditions(parsed, floor=floor, resolved=resolve(session, parsed))
    use_index = not parsed.is_selective
    conditions.append(queue_condition(queue, use_index=use_index) if queue
                      else Comment.deleted.is_(False))
    if filters:
        conditions += filters.conditions(use_index=use_index)
    return [to_row(r) for r in session.execute(row_select(conditions, after=after,
                                                          limit=limit))]


def search_is_capped(session: Session, query: str | SearchQuery) -> bool:
    """Whether the free text matches so many comments that only the newest are searched."""
    parsed = parse_query(query) if isinstance(query, str) else query
    return _floor(session, parsed) is not None


def _floor(session: Session, parsed: SearchQuery) -> int | None:
    """The cap on very common free text; none when ``user:`` already narrows the search."""
    free = parsed.fts_text()
    if not free or parsed.users:
        return None
    return newest_matches_floor(session, free)


# --- one comment in context (the detail pane) --------------------------------------------------

@dataclass(frozen=True)
class CommenterSummary:
    id: str
    display_name: str
    first_seen: datetime
    trust: str
    comment_count: int
    approved_count: int
    rejected_count: int
    spam_count: int


@dataclass(frozen=True)
class CommentDetail:
    """Everything the detail pane shows about one comment. ``body`` is raw and untrusted:
    show it as plain text, or through ``render.sanitise_comment``; ``held_reasons`` carry
    ``spans`` (offsets into ``body``) for highlighting the words that tripped a rule."""

    id: str
    body: str
    posted_at: datetime
    status: str
    reports: int
    held_reasons: list[dict[str, Any]]
    article_id: str
    article_title: str
    commenter: CommenterSummary
    parent: QueueRow | None
    replies: list[QueueRow]
    recent_by_commenter: list[QueueRow]


def comment_detail(session: Session, comment_id: str, *, recent: int = 10) -> CommentDetail:
    """A comment with its article, parent, replies and the commenter's history."""
    row = session.execute(
        select(Comment, Commenter, Article.title)
        .join(Commenter, Commenter.id == Comment.commenter_id)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id)).first()
    if row is None or row[0].deleted:
        raise NotFoundError("That comment no longer exists.")
    c, who, title = row
    live = Comment.deleted.is_(False)
    parent = None
    if c.parent_id:
        found = session.execute(row_select([Comment.id == c.parent_id], limit=1)).first()
        parent = to_row(found) if found else None
    replies = [to_row(r) for r in session.execute(
        row_select([Comment.parent_id == c.id, live], limit=50))]
    others = [to_row(r) for r in session.execute(
        row_select([Comment.commenter_id == who.id, Comment.id != c.id, live], limit=recent))]
    summary = CommenterSummary(who.id, who.display_name, who.first_seen, who.trust.value,
                               who.comment_count, who.approved_count, who.rejected_count,
                               who.spam_count)
    return CommentDetail(c.id, c.body, c.posted_at, c.status.value, c.reports,
                         list(c.held_reasons or []), c.article_id, title, summary, parent,
                         replies[::-1], others)
