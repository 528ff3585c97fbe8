"""Small reads for the window's frame: the status-bar counts and sync state, and the one
comment shown in full in Moderate's detail pane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.store.model import (
    Article,
    Comment,
    Commenter,
    CommentStatus,
    SyncState,
)


@dataclass(frozen=True)
class Overview:
    articles: int
    pending_comments: int
    sync: str  # one short phrase for the status bar


@dataclass(frozen=True)
class CommentDetail:
    """A comment for the detail pane; ``body`` is raw, untrusted text: show it as plain text."""

    id: str
    body: str
    status: str
    posted_at: datetime
    reports: int
    commenter: str
    commenter_trust: str
    commenter_comments: int
    article_title: str
    held_explanations: tuple[str, ...]


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


def comment_detail(session: Session, comment_id: str) -> CommentDetail:
    """One live comment with its commenter and article; ``NotFoundError`` if gone."""
    row = session.execute(
        select(Comment, Commenter, Article.title)
        .join(Commenter, Commenter.id == Comment.commenter_id)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.id == comment_id, Comment.deleted.is_(False))).first()
    if row is None:
        raise NotFoundError("That comment no longer exists; it may have been deleted.")
    comment, commenter, title = row
    explanations = tuple(str(h.get("explanation") or h.get("kind") or "")
                         for h in comment.held_reasons or [] if isinstance(h, dict))
    return CommentDetail(
        id=comment.id, body=comment.body, status=comment.status.value,
        posted_at=comment.posted_at, reports=comment.reports,
        commenter=commenter.display_name, commenter_trust=commenter.trust.value,
        commenter_comments=commenter.comment_count, article_title=title,
        held_explanations=explanations)
