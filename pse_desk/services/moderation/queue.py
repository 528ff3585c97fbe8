"""The comment queues as use cases: counts, pages, searches, windows at any position, and ids.

Every list of rows is read by the one windowed statement, ``moderation.queue.window_select``:
a page after the keyset position of the last row shown — ``(posted_at, id)`` — so the cost
of a page does not grow with how far the moderator has scrolled in a million comments, or a
window found from the nearest known keyset (or an end) in either direction, so a table can
cover a whole queue. A *listing* is a queue, optionally narrowed by a search and a filter;
its conditions are made in one place (``listing_conditions``) for its rows, count and ids.
Everything here takes a read ``Session`` and runs in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from pse_desk.moderation.queue import (
    EXCERPT_CHARS,
    Key,
    Queue,
    QueueFilter,
    QueueRow,
    queue_condition,
    to_row,
    window_select,
)
from pse_desk.moderation.search import (
    MATCH_CAP,
    SearchQuery,
    newest_matches_floor,
    parse_query,
    resolve,
    search_conditions,
)
from pse_desk.store.model import Comment

__all__ = [
    "EXCERPT_CHARS",
    "MATCH_CAP",
    "Key",
    "Listing",
    "Queue",
    "QueueFilter",
    "QueueRow",
    "SearchQuery",
    "listing_conditions",
    "listing_count",
    "listing_ids",
    "listing_window",
    "parse_query",
    "queue_counts",
    "queue_page",
    "search_is_capped",
    "search_page",
]


@dataclass(frozen=True)
class Listing:
    """What the comment table shows: a queue, optionally narrowed by a search."""

    queue: Queue
    query: str = ""
    filters: QueueFilter | None = None


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


def conditions(session: Session, queue: Queue | None, query: str | SearchQuery = "",
               filters: QueueFilter | None = None) -> list[ColumnElement[bool]]:
    """The WHERE terms of a queue (every live comment when None), a search and a filter.

    A malformed search raises ``SearchError`` (a ``ValidationError``) with one sentence. Free
    text found in more than ``MATCH_CAP`` comments searches the newest of them only.
    """
    if isinstance(query, str) and not query.strip():
        return [queue_condition(queue) if queue else Comment.deleted.is_(False),
                *(filters.conditions() if filters else [])]
    parsed = parse_query(query) if isinstance(query, str) else query
    found = search_conditions(parsed, floor=_floor(session, parsed),
                              resolved=resolve(session, parsed))
    use_index = not parsed.is_selective
    found.append(queue_condition(queue, use_index=use_index) if queue
                 else Comment.deleted.is_(False))
    if filters:
        found += filters.conditions(use_index=use_index)
    return found


def listing_conditions(session: Session, listing: Listing) -> list[ColumnElement[bool]]:
    """The WHERE terms of a listing; a malformed search raises ``SearchError`` (one sentence)."""
    return conditions(session, listing.queue, listing.query, listing.filters)


def _rows(session: Session, where: list[ColumnElement[bool]], *, edge: Key | None = None,
          newest_first: bool = True, skip: int = 0, limit: int) -> list[QueueRow]:
    stmt = window_select(where, edge=edge, newest_first=newest_first, skip=skip, limit=limit)
    return [to_row(r) for r in session.execute(stmt)]


def queue_page(session: Session, queue: Queue, *, after: Key | None = None,
               limit: int = 100, filters: QueueFilter | None = None) -> list[QueueRow]:
    """Up to ``limit`` rows of a queue, newest first, after the keyset position ``after``."""
    return _rows(session, conditions(session, queue, "", filters), edge=after, limit=limit)


def search_page(session: Session, query: str | SearchQuery, queue: Queue | None = None, *,
                after: Key | None = None, limit: int = 100,
                filters: QueueFilter | None = None) -> list[QueueRow]:
    """Rows matching the moderator's search text (see ``moderation.search``), newest first.

    A malformed operator raises ``SearchError`` (a ``ValidationError``) with one sentence.
    Free text found in more than ``MATCH_CAP`` comments searches the newest of them only;
    ``search_is_capped`` tells the UI when to say so.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    return _rows(session, conditions(session, queue, parsed, filters), edge=after, limit=limit)


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


def listing_count(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(Comment).where(*where)) or 0


def listing_window(session: Session, where: list[ColumnElement[bool]], *,
                   newest_first: bool = True, edge: Key | None = None, skip: int = 0,
                   limit: int = 200) -> list[QueueRow]:
    """``limit`` rows, newest first, found by walking from ``edge`` (exclusive) or an end
    (see ``window_select``)."""
    return _rows(session, where, edge=edge, newest_first=newest_first, skip=skip, limit=limit)


def listing_ids(session: Session, listing: Listing, limit: int = 100_000) -> list[str]:
    """The ids of a listing, newest first, at most ``limit`` of them."""
    stmt = (select(Comment.id).where(*listing_conditions(session, listing))
            .order_by(Comment.posted_at.desc(), Comment.id.desc()).limit(limit))
    return list(session.scalars(stmt))
