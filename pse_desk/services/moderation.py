"""Moderation use cases: the comment queues (counts and keyset-paged rows).

Queues are read with keyset pagination — ``(posted_at, id)`` of the last row shown — so the
cost of a page does not grow with how far the moderator has scrolled in a million comments.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import Session

from pse_desk.store.model import Article, Comment, Commenter, CommentStatus

EXCERPT_CHARS = 200


class Queue(enum.Enum):
    PENDING = "pending"          # held by a rule
    REPORTED = "reported"        # reported by readers, not yet rejected or marked spam
    UNMODERATED = "unmoderated"  # pending, no rule hit
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"

    @property
    def label(self) -> str:
        return self.value.capitalize()


def queue_condition(queue: Queue) -> ColumnElement[bool]:
    live = Comment.deleted.is_(False)
    held = Comment.held_reasons != []
    match queue:
        case Queue.PENDING:
            return and_(live, Comment.status == CommentStatus.PENDING, held)
        case Queue.UNMODERATED:
            return and_(live, Comment.status == CommentStatus.PENDING, ~held)
        case Queue.REPORTED:
            return and_(live, Comment.reports > 0,
                        Comment.status.in_([CommentStatus.PENDING, CommentStatus.APPROVED]))
        case Queue.APPROVED:
            return and_(live, Comment.status == CommentStatus.APPROVED)
        case Queue.REJECTED:
            return and_(live, Comment.status == CommentStatus.REJECTED)
        case Queue.SPAM:
            return and_(live, Comment.status == CommentStatus.SPAM)


def queue_counts(session: Session) -> dict[Queue, int]:
    return {q: session.scalar(select(func.count()).select_from(Comment)
                              .where(queue_condition(q))) or 0 for q in Queue}


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
    def key(self) -> tuple[datetime, str]:
        """The keyset position of this row, for ``queue_page(after=...)``."""
        return (self.posted_at, self.id)


def queue_page(session: Session, queue: Queue, *, after: tuple[datetime, str] | None = None,
               limit: int = 100) -> list[QueueRow]:
    """Up to ``limit`` rows of a queue, newest first, after the keyset position ``after``."""
    stmt = (select(Comment.id, Comment.posted_at, Comment.status, Commenter.display_name,
                   Article.title, func.substr(Comment.body, 1, EXCERPT_CHARS), Comment.reports,
                   Comment.held_reasons)
            .join(Commenter, Commenter.id == Comment.commenter_id)
            .join(Article, Article.id == Comment.article_id)
            .where(queue_condition(queue))
            .order_by(Comment.posted_at.desc(), Comment.id.desc())
            .limit(limit))
    if after is not None:
        stmt = stmt.where(tuple_(Comment.posted_at, Comment.id) < tuple_(*after))
    return [QueueRow(id=r[0], posted_at=r[1], status=r[2].value, commenter=r[3],
                     article_title=r[4], excerpt=r[5] or "", reports=r[6],
                     held_kinds=tuple(h.get("kind", "") for h in (r[7] or [])))
            for r in session.execute(stmt)]
