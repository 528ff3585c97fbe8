"""Why demo comments are held: the desk's own rules, asked about each comment the demo holds.

The demo decides what kind each comment is (ordinary, spam, shouting, a first-timer's, one of a
burst …); the reasons stored with a held comment, and the status they give it, are what the
rule engine (``pse_desk.moderation``) finds, so the desk explains a demo comment exactly as it
explains a real one. Every rule on every comment would cost about 40 s for a million comments
(the engine checks some 24,000 a second), so the engine is asked only where an answer can
differ:

- the text rules (banned and suspect words, links, shouting) depend on the body alone, and the
  bodies come from small pools (``comment_pools``): each pooled body is checked once, and its
  verdict, JSON included, goes with every comment that uses it; an ordinary body stays in its
  pool only when no text rule trips on it;
- the rules that look at the situation (a first-time commenter, reader reports, a banned
  commenter, duplicate text, too many comments) are asked, one rule each, about the comments
  the demo makes to trip them, with the context the demo made for them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from pse_desk.demo.rules import DEFAULT_RULES, RULE_VERSION
from pse_desk.moderation.facts import CommentFacts, DuplicateIndex, RuleContext
from pse_desk.moderation.rules import PRECEDENCE, RuleCheck, Verdict, build_rule, evaluate

TEXT_KINDS = frozenset({"banned_words", "suspect_words", "link_count", "shouting"})
EMPTY = "[]"
_NO_TIME = datetime(2000, 1, 1)  # the text rules never look at the time


class DemoRules:
    """The default rules of a new newsroom as the engine builds them (with the demo's rule
    ids), strongest action first as ``rules_from_rows`` orders them."""

    def __init__(self, rule_ids: Mapping[str, str]) -> None:
        rules = [build_rule(s.kind, s.params, id=rule_ids[s.kind], version=RULE_VERSION,
                            action=s.action.value) for s in DEFAULT_RULES]
        rules.sort(key=lambda r: -PRECEDENCE[r.action])
        self.text: tuple[RuleCheck, ...] = tuple(r for r in rules if r.kind in TEXT_KINDS)
        self._by_kind = {r.kind: r for r in rules}
        self._json: dict[Verdict, str] = {}

    # --- the text rules, once per pooled body ---------------------------------------------------
    def text_verdict(self, body: str) -> Verdict:
        return evaluate(self.text, CommentFacts("", body, _NO_TIME), RuleContext())

    # --- the rules that look at the situation --------------------------------------------------
    def first_time(self, facts: CommentFacts, approved: int) -> Verdict:
        return self._tripped("first_time", facts, RuleContext(approved_count=approved))

    def reported(self, facts: CommentFacts) -> Verdict:
        return self._tripped("reports", facts, RuleContext())

    def banned(self, facts: CommentFacts) -> Verdict:
        return self._tripped("banned_commenter", facts, RuleContext(commenter_trust="banned"))

    def repeated(self, facts: CommentFacts, original_id: str, original_at: datetime,
                 original_body: str) -> Verdict:
        """The verdict on ``facts``, which repeats the commenter's earlier comment."""
        index = DuplicateIndex(keep=timedelta(days=31))
        index.add(original_id, original_at, original_body)
        return self._tripped("duplicate", facts, RuleContext(duplicates=index))

    def in_a_burst(self, facts: CommentFacts, earlier: Sequence[datetime]) -> Verdict:
        """The verdict on ``facts``, posted after the commenter's ``earlier`` comments."""
        return self._tripped("rate_limit", facts, RuleContext(recent_posted_at=earlier))

    def _tripped(self, kind: str, facts: CommentFacts, ctx: RuleContext) -> Verdict:
        verdict = evaluate((self._by_kind[kind],), facts, ctx)
        if not verdict.hits:  # the demo made this comment to trip the rule: a bug in the demo
            raise RuntimeError(f"a demo comment made to trip the {kind} rule did not trip it")
        return verdict

    # --- as stored ------------------------------------------------------------------------------
    def held_json(self, verdict: Verdict) -> str:
        """``held_reasons`` as the desk stores them; the same hits recur, so each is encoded
        once."""
        if not verdict.hits:
            return EMPTY
        text = self._json.get(verdict)
        if text is None:
            text = self._json[verdict] = json.dumps(verdict.held_reasons)
        return text
