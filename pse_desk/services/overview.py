"""Small reads for the window's frame: the status-bar counts and sync state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.store.model import (
    Article,
    Comment,
    CommentStatus,
    SyncState,
)


@dataclass(frozen=True)
class Overview:
    articles: int
    pending_comments: int
    sync: str  # one short phrase for the status bar


def sync_phrase(session: Session) -> str:
    state = session.get(SyncState, 1)
    if state is None or not state.hub_identity:
        return "Hub: not configured"
    if state.last_sync_error:
        return f"Hub: {state.hub_identity} (last sync failed)"
    if state.last_sync_at is None:
        return f"Hub: {state.hub_identity} (never synced)"
    return f"Hub: {state.hub_identity} (synced {state.last_sync_at:%Y-%m-%d %H:%M} UTC)"


def overview(session: Session) -> Overview:
    """Counts for the status bar; each is one indexed count, cheap on a million comments."""
    articles = session.scalar(select(func.count()).select_from(Article)
                              .where(Article.deleted.is_(False))) or 0
    pending = session.scalar(select(func.count()).select_from(Comment)
                             .where(Comment.status == CommentStatus.PENDING,
                                    Comment.deleted.is_(False))) or 0
    return Overview(articles=articles, pending_comments=pending, sync=sync_phrase(session))
