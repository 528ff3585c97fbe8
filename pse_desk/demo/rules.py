"""The default moderation rules of a new newsroom.

The kinds and params are the contract the rule engine (``pse_desk.moderation``) reads; the
demo asks the engine, built from these, why its comments are held (``holds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pse_desk.store.model import RuleAction

BANNED_WORDS = ["viagra", "cialis", "xanax", "tramadol", "scumbags", "halfwits"]
SUSPECT_WORDS = ["crypto", "bitcoin", "casino", "click here", "visit my site",
                 "work from home", "guaranteed returns", "cheap meds"]


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    params: dict[str, Any]
    action: RuleAction
    description: str


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec("banned_words", {"words": BANNED_WORDS}, RuleAction.REJECT,
             "Reject a comment that contains a banned word (pill spam and abuse)."),
    RuleSpec("suspect_words", {"words": SUSPECT_WORDS}, RuleAction.HOLD,
             "Hold a comment that contains a word often used by spammers."),
    RuleSpec("link_count", {"max_links": 2}, RuleAction.HOLD,
             "Hold a comment with more than two links."),
    RuleSpec("first_time", {}, RuleAction.HOLD,
             "Hold the first comment of a commenter who has no approved comment yet."),
    RuleSpec("shouting", {"min_letters": 20, "max_caps_ratio": 0.6}, RuleAction.HOLD,
             "Hold a comment of at least 20 letters of which more than 60% are capitals."),
    RuleSpec("duplicate", {"window_days": 7, "similarity": 0.9}, RuleAction.HOLD,
             "Hold a comment that repeats, at 90% similarity or more, one the same commenter "
             "posted in the last 7 days."),
    RuleSpec("rate_limit", {"max_comments": 5, "minutes": 10}, RuleAction.HOLD,
             "Hold a commenter's comments beyond five in ten minutes."),
    RuleSpec("banned_commenter", {}, RuleAction.REJECT,
             "Reject every comment from a commenter who has been banned."),
    RuleSpec("reports", {"min_reports": 3}, RuleAction.HOLD,
             "Hold a comment that three or more readers have reported."),
)

RULE_KINDS: tuple[str, ...] = tuple(r.kind for r in DEFAULT_RULES)
RULE_VERSION = 1
