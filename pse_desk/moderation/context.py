"""Reading what the rules need to know about one comment from the database (for ingest).

``load_context`` fills a ``RuleContext`` with only the queries the given rules need: the
commenter's trust and counts; their posting times inside the widest rate-limit window (index
``ix_comment_commenter_posted``); and, for duplicate rules, a small ``DuplicateIndex`` of
candidate texts — the commenter's own recent comments plus the recent comments that contain the
comment's four longest words (an FTS5 query), which is where a re-post, by anyone, will be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, bindparam, column, select, text
from sqlalchemy.orm import Session

from pse_desk.moderation.facts import CommentFacts, DuplicateIndex, RuleContext
from pse_desk.moderation.rules import DuplicateRule, RateLimitRule, RuleCheck
from pse_desk.moderation.search import fts_query
from pse_desk.moderation.text import sketch
from pse_desk.store.model import Comment, Commenter

CANDIDATES = 200
FTS_WORDS = 4
_WORD = re.compile(r"\w{4,}")


def load_context(session: Session, facts: CommentFacts, rules: Sequence[RuleCheck],
                 ) -> RuleContext:
    ctx = RuleContext()
    commenter = session.get(Commenter, facts.commenter_id) if facts.commenter_id else None
    if commenter is not None:
        ctx.commenter_trust = commenter.trust.value
        ctx.approved_count = commenter.approved_count
        ctx.comment_count = commenter.comment_count
    minutes = max((r.minutes for r in rules if isinstance(r, RateLimitRule)), default=0)
    if minutes and facts.commenter_id:
        since = facts.posted_at - timedelta(minutes=minutes)
        ctx.recent_posted_at = list(session.scalars(
            select(Comment.posted_at).where(
                Comment.commenter_id == facts.commenter_id, Comment.posted_at > since,
                Comment.posted_at <= facts.posted_at, Comment.id != facts.id,
                Comment.deleted.is_(False))))
    days = max((r.window_days for r in rules if isinstance(r, DuplicateRule)), default=0)
    if days:
        ctx.sketch = sketch(facts.body)
        if ctx.sketch is not None:
            ctx.duplicates = _candidates(session, facts, timedelta(days=days))
    return ctx


def _candidates(session: Session, facts: CommentFacts, window: timedelta) -> DuplicateIndex:
    since = facts.posted_at - window
    index = DuplicateIndex(keep=window)
    found: dict[str, tuple[datetime, str]] = {}
    if facts.commenter_id:
        for cid, posted, body in session.execute(
                select(Comment.id, Comment.posted_at, Comment.body).where(
                    Comment.commenter_id == facts.commenter_id, Comment.posted_at >= since,
                    Comment.id != facts.id, Comment.deleted.is_(False))
                .order_by(Comment.posted_at.desc()).limit(CANDIDATES)):
            found[cid] = (posted, body)
    words = sorted(set(w.lower() for w in _WORD.findall(facts.body)), key=lambda w: (-len(w), w))
    if words and session.get_bind().dialect.name == "sqlite":
        query = text(
            "SELECT c.id, c.posted_at, c.body FROM comment_fts f JOIN comment c "
            "ON c.rowid = f.rowid WHERE comment_fts MATCH :q AND c.posted_at >= :since "
            "AND c.id != :id AND c.deleted = 0 LIMIT :n",
        ).bindparams(bindparam("since", type_=DateTime)).columns(
            column("id", String), column("posted_at", DateTime), column("body", String))
        rows = session.execute(query, {"q": fts_query(words[:FTS_WORDS]), "since": since,
                                       "id": facts.id, "n": CANDIDATES})
        for cid, posted, body in rows:
            found.setdefault(cid, (posted, body))
    for cid, (posted, body) in sorted(found.items(), key=lambda kv: kv[1][0]):
        index.add(cid, posted, body)
    return index
