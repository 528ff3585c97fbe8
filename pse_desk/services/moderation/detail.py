"""One comment in context, for the detail pane: its article, parent, replies, the commenter's
history and its audit trail (``comment_detail``), and all of it prepared for display
(``comment_view``): the body made safe (``services.moderation.body``), the words that tripped
a rule, "why was this held?" line by line, and the comment's decisions.

Everything here takes a read ``Session`` and runs in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.moderation.queue import QueueRow, to_row, window_select
from pse_desk.moderation.wording import UNKNOWN_RULE, held_reason_line, kind_label
from pse_desk.services.moderation.audit import AuditEntry, comment_history
from pse_desk.services.moderation.body import safe_body
from pse_desk.store.model import Article, Comment, Commenter

BODY_CHARS = 100_000  # a longer body is shown cut here, and the pane says so
MAX_HIGHLIGHTS = 50
REPLIES = 50


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
        found = session.execute(window_select([Comment.id == c.parent_id], limit=1)).first()
        parent = to_row(found) if found else None
    replies = [to_row(r) for r in session.execute(
        window_select([Comment.parent_id == c.id, live], limit=REPLIES))]
    others = [to_row(r) for r in session.execute(
        window_select([Comment.commenter_id == who.id, Comment.id != c.id, live],
                      limit=recent))]
    summary = CommenterSummary(who.id, who.display_name, who.first_seen, who.trust.value,
                               who.comment_count, who.approved_count, who.rejected_count,
                               who.spam_count)
    return CommentDetail(c.id, c.body, c.posted_at, c.status.value, c.reports,
                         list(c.held_reasons or []), c.article_id, title, summary, parent,
                         replies[::-1], others)


# --- one comment for display ------------------------------------------------------------------

@dataclass(frozen=True)
class HeldReason:
    """One line of "why was this held?"."""

    rule: str          # the rule's label, e.g. "Suspect words"
    version: int
    action: str        # hold / reject / flag
    matched: tuple[str, ...]
    sentence: str

    @property
    def text(self) -> str:
        return held_reason_line(self.rule, self.version, self.action, self.matched,
                                self.sentence)


@dataclass(frozen=True)
class CommentView:
    detail: CommentDetail
    html: str                      # sanitised: safe to put in a QTextBrowser
    highlights: tuple[str, ...]    # the text that tripped a rule, to mark in the shown body
    reasons: tuple[HeldReason, ...]
    history: tuple[AuditEntry, ...]
    body_chars: int                # the length of the whole body
    cut: bool                      # only the first BODY_CHARS characters are shown
    markup_removed: bool = False   # the sanitiser removed tags (scripts, images, frames …)
    nothing_left: bool = False     # ... and nothing readable was left: ``html`` is empty


def _reason(hit: dict[str, Any]) -> HeldReason:
    kind = str(hit.get("kind", ""))
    matched = tuple(str(m) for m in hit.get("matched") or () if m)
    version = hit.get("rule_version")
    return HeldReason(kind_label(kind) if kind else UNKNOWN_RULE,
                      version if isinstance(version, int) else 1, str(hit.get("action", "hold")),
                      matched, str(hit.get("explanation", "")))


def _highlights(body: str, held: list[dict[str, Any]]) -> tuple[str, ...]:
    """The exact text of every stored span (falling back to the matched text), deduplicated."""
    found: list[str] = []
    for hit in held:
        if not isinstance(hit, dict):
            continue
        spans = hit.get("spans") or []
        for span in spans:
            if isinstance(span, list | tuple) and len(span) == 2:
                a, b = span
                if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(body):
                    found.append(body[a:b])
        if not spans:
            found += [str(m) for m in hit.get("matched") or () if m]
    words = [w.strip() for w in found if w.strip() and len(w.strip()) <= 200]
    return tuple(dict.fromkeys(words))[:MAX_HIGHLIGHTS]


def comment_view(session: Session, comment_id: str) -> CommentView:
    detail = comment_detail(session, comment_id)
    body = detail.body
    cut = len(body) > BODY_CHARS
    shown = body[:BODY_CHARS] if cut else body
    held = [h for h in detail.held_reasons if isinstance(h, dict)]
    safe = safe_body(shown)
    return CommentView(detail, safe.html, _highlights(shown, held),
                       tuple(_reason(h) for h in held),
                       tuple(comment_history(session, comment_id)), len(body), cut,
                       safe.markup_removed, safe.nothing_left)
