"""The default moderation rules of a new newsroom, and rule hits in the ``held_reasons`` form.

The kinds and params are the contract the rule engine (``pse_desk.moderation``) reads; a hit
is ``{"rule_id", "rule_version", "kind", "action", "matched", "explanation"}`` where
``matched`` holds the exact substrings of the comment that tripped the rule.
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


def _explanation(kind: str, matched: list[str], detail: str) -> str:
    quoted = ", ".join(f"“{m}”" for m in matched)
    match kind:
        case "banned_words":
            return f"Rejected because it contains the banned word {quoted}."
        case "suspect_words":
            return f"Held because it contains the suspect word {quoted}."
        case "link_count":
            return f"Held because it has {len(matched)} links; the limit is 2."
        case "first_time":
            return "Held because this is the commenter's first comment."
        case "shouting":
            return f"Held because {detail} of its letters are capitals; the limit is 60%."
        case "duplicate":
            return "Held because the same commenter posted the same text earlier this week."
        case "rate_limit":
            return f"Held because the commenter posted {detail} comments within ten minutes."
        case "banned_commenter":
            return "Rejected because the commenter is banned."
        case "reports":
            return f"Held because {detail} readers reported it."
    raise ValueError(f"unknown rule kind {kind!r}")


def rule_hit(rule_ids: dict[str, str], kind: str, matched: list[str], detail: str = ""
             ) -> dict[str, Any]:
    """One ``held_reasons`` entry for the default rule of ``kind``."""
    spec = next(r for r in DEFAULT_RULES if r.kind == kind)
    return {"rule_id": rule_ids[kind], "rule_version": RULE_VERSION, "kind": kind,
            "action": spec.action.value, "matched": matched,
            "explanation": _explanation(kind, matched, detail)}
