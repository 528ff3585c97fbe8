"""Running rules over a stream of comments in posting order, keeping the context as it goes.

``RuleRunner`` is what "try on past comments" and the engine benchmark use: it remembers each
commenter's recent posting times (for rate limits), how many of their comments were approved so
far (for first-time holds) and a ``DuplicateIndex`` of recent texts, so one pass over N comments
costs N rule evaluations and no queries. It holds no session: the caller reads the comments.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pse_desk.moderation.facts import CommentFacts, DuplicateIndex, RuleContext
from pse_desk.moderation.rules import DuplicateRule, RateLimitRule, RuleCheck, Verdict, evaluate


@dataclass(slots=True)
class CommenterState:
    trust: str = "new"
    approved: int = 0
    comments: int = 0
    recent: deque[datetime] = field(default_factory=deque)


class RuleRunner:
    """Evaluates rules on comments fed oldest first; see the module docstring."""

    def __init__(self, rules: Iterable[RuleCheck],
                 commenters: Mapping[str, CommenterState] | None = None) -> None:
        self.rules = list(rules)
        self.commenters: dict[str, CommenterState] = dict(commenters or {})
        minutes = max((r.minutes for r in self.rules if isinstance(r, RateLimitRule)),
                      default=0)
        days = max((r.window_days for r in self.rules if isinstance(r, DuplicateRule)),
                   default=0)
        self.rate_window = timedelta(minutes=minutes)
        self.needs_sketch = days > 0
        self.index = DuplicateIndex(keep=timedelta(days=days))
        self._ctx = RuleContext(duplicates=self.index)

    def check(self, facts: CommentFacts, *, approved: bool = False) -> Verdict:
        """The verdict on ``facts``; then the comment joins the context of later ones.

        ``approved`` says whether this comment ended up approved, which makes later comments
        by the same commenter no longer first-timers.
        """
        state = self._state(facts)
        recent = state.recent
        ctx = self._ctx
        ctx.commenter_trust = state.trust
        ctx.approved_count = state.approved
        ctx.comment_count = state.comments
        ctx.recent_posted_at = recent
        ctx.sketch = sk = self.index.sketch(facts.body) if self.needs_sketch else None
        verdict = evaluate(self.rules, facts, ctx)
        if self.rate_window:
            recent.append(facts.posted_at)
        state.comments += 1
        if approved:
            state.approved += 1
        if sk is not None:
            self.index.add(facts.id, facts.posted_at, sk)
        return verdict

    @property
    def window(self) -> timedelta:
        """How far back a comment's context reaches (rate limits, duplicates)."""
        return max(self.rate_window, self.index.keep)

    def observe(self, facts: CommentFacts) -> None:
        """A comment that is already decided (the desk's own, beside imported ones) joins the
        context of later ones, unjudged: its time for rate limits, its text for duplicates.
        The commenter's counts stay as the caller gave them."""
        state = self._state(facts)
        if self.rate_window:
            state.recent.append(facts.posted_at)
        if self.needs_sketch:
            self.index.add(facts.id, facts.posted_at, self.index.sketch(facts.body))

    def _state(self, facts: CommentFacts) -> CommenterState:
        state = self.commenters.get(facts.commenter_id)
        if state is None:
            state = self.commenters[facts.commenter_id] = CommenterState()
        if self.rate_window:
            recent, cutoff = state.recent, facts.posted_at - self.rate_window
            while recent and recent[0] < cutoff:
                recent.popleft()
        return state
