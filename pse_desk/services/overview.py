"""Small reads for the window's frame: the status-bar counts (the sync state is
``pse_desk.services.sync.status``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.store.model import (
    Article,
    Comment,
    CommentStatus,
)


@dataclass(frozen=True)
class Overview:
    articles: int
    pending_comments: int


def overview(session: Session) -> Overview:
    """Counts for the status bar; each is one indexed count, cheap on a million comments."""
    articles = session.scalar(select(func.count()).select_from(Article)
                              .where(Article.deleted.is_(False))) or 0
    pending = session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.status == CommentStatus.PENDING,
                                    Comment.deleted.is_(False))) or 0
    return Overview(articles=articles, pending_comments=pending)
