"""The moderation rules: one small class per kind, built from ``Rule`` rows by a registry.

A rule looks at a comment (``CommentFacts``) and what is known around it (``RuleContext``) and
returns a ``RuleHit`` — which rule, which version, what it wants done, the exact text that
tripped it with character offsets, and one sentence saying why — or None. ``evaluate`` runs a
list of rules and decides: reject beats hold beats flag. The hits are stored with the comment
as ``held_reasons`` (see ``Comment`` in the model), so "why was this held?" keeps its answer
after the rule is edited.

Rules are plain Python and never see a database session; every regex is compiled when the rule
is built, so checking a comment costs a few C-level scans (see benchmarks/moderation_engine.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any, ClassVar, Protocol

from pse_desk.errors import ValidationError
from pse_desk.moderation.facts import CommentFacts, RuleContext
from pse_desk.moderation.text import (
    Span,
    WordMatcher,
    ascii_capitals,
    find_links,
    letter_counts,
    shouting_runs,
    sketch,
    tokens,
)

ACTIONS = ("hold", "reject", "flag")
ACTION_WORD = {"hold": "Held", "reject": "Rejected", "flag": "Flagged"}
# What a comment's status becomes for the strongest action among its hits.
ACTION_STATUS = {"reject": "rejected", "hold": "pending"}
PRECEDENCE = {"reject": 3, "hold": 2, "flag": 1}
MATCHED_CHARS = 200


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule_id: str
    rule_version: int
    kind: str
    action: str
    matched: tuple[str, ...]
    spans: tuple[Span, ...]
    explanation: str
    related: tuple[str, ...] = ()  # other comments involved (a duplicate's original)

    def to_json(self) -> dict[str, Any]:
        """The ``held_reasons`` entry for this hit."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id, "rule_version": self.rule_version, "kind": self.kind,
            "action": self.action, "matched": list(self.matched),
            "explanation": self.explanation, "spans": [list(s) for s in self.spans],
        }
        if self.related:
            out["related"] = list(self.related)
        return out


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of all rules on one comment: the strongest action and every hit."""

    action: str | None  # reject / hold / flag, or None when nothing hit
    hits: tuple[RuleHit, ...]

    @property
    def status(self) -> str | None:
        """The comment status to apply ("rejected", "pending"), or None to leave it be."""
        return ACTION_STATUS.get(self.action or "")

    @property
    def held_reasons(self) -> list[dict[str, Any]]:
        return [h.to_json() for h in self.hits]

    def explanation(self) -> str:
        return " ".join(h.explanation for h in self.hits)


def _quoted(items: Iterable[str], limit: int = 5) -> str:
    items = list(items)
    shown = ", ".join(f"“{i}”" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class RuleCheck(Protocol):
    id: str
    version: int
    action: str
    kind: ClassVar[str]

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None: ...


@dataclass(frozen=True)
class BaseRule:
    """Fields every rule has; subclasses add their parameters and ``check``."""

    id: str
    version: int
    action: str
    kind: ClassVar[str] = ""

    @property
    def verb(self) -> str:
        return ACTION_WORD[self.action]

    def hit(self, explanation: str, matched: Iterable[tuple[str, Span]] = (),
            related: tuple[str, ...] = ()) -> RuleHit:
        pairs = tuple(matched)
        texts: tuple[str, ...] = ()
        spans: tuple[Span, ...] = ()
        if pairs:
            texts, spans = map(tuple, zip(*pairs, strict=True))
        return RuleHit(self.id, self.version, self.kind, self.action, texts, spans,
                       f"{ACTION_WORD[self.action]}: {explanation}", related)


# --- parameter checks (a wrong parameter is a sentence the rules editor can show) -------------

def _words(params: Mapping[str, Any], kind: str) -> list[str]:
    words = params.get("words", [])
    if isinstance(words, str):
        words = [w for w in words.replace("\n", ",").split(",")]
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValidationError(f"{kind}: words must be a list of words.")
    return [w for w in words if w.strip()]


def _int(params: Mapping[str, Any], key: str, default: int, kind: str, low: int = 1) -> int:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value \
            or value < low:
        raise ValidationError(f"{kind}: {key} must be a whole number of at least {low}.")
    return int(value)


def _ratio(params: Mapping[str, Any], key: str, default: float, kind: str) -> float:
    value = params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise ValidationError(f"{kind}: {key} must be a number above 0 and at most 1.")
    return float(value)


# --- the rules --------------------------------------------------------------------------------

@dataclass(frozen=True)
class BannedWordsRule(BaseRule):
    """Whole words from a list, any case, also written with look-alikes or spaced out."""

    matcher: WordMatcher = field(default_factory=lambda: WordMatcher.build([]))
    kind: ClassVar[str] = "banned_words"
    label: ClassVar[str] = "banned word"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> BannedWordsRule:
        return cls(matcher=WordMatcher.build(_words(params, cls.kind)), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        keys = self.matcher.keys  # the shared-token shortcut of ``find``, without a call
        if keys is not None:
            toks = tokens(comment.body)
            if toks is not None and keys.isdisjoint(toks.words) \
                    and keys.isdisjoint(toks.spelled):
                return None
        found = self.matcher.find(comment.body)
        if not found:
            return None
        distinct = list(dict.fromkeys(m for m, _ in found))
        return self.hit(f"{_plural(len(distinct), self.label)}: {_quoted(distinct)}.", found)


@dataclass(frozen=True)
class SuspectWordsRule(BannedWordsRule):
    kind: ClassVar[str] = "suspect_words"
    label: ClassVar[str] = "suspect word"


@dataclass(frozen=True)
class LinkCountRule(BaseRule):
    max_links: int = 2
    kind: ClassVar[str] = "link_count"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> LinkCountRule:
        return cls(max_links=_int(params, "max_links", 2, cls.kind, low=0), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        body = comment.body
        if "://" not in body and "www." not in body.lower():
            return None
        links = find_links(body)
        if len(links) <= self.max_links:
            return None
        shown = ", ".join(u for u, _ in links[:5]) + (", …" if len(links) > 5 else "")
        return self.hit(f"{_plural(len(links), 'link')} (the limit is {self.max_links}): "
                        f"{shown}.", links)


@dataclass(frozen=True)
class FirstTimeRule(BaseRule):
    kind: ClassVar[str] = "first_time"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> FirstTimeRule:
        return cls(**common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        if ctx.approved_count > 0 or ctx.commenter_trust == "trusted":
            return None
        who = comment.commenter_name or "this commenter"
        return self.hit(f"first comment from {who} (no approved comment yet).")


@dataclass(frozen=True)
class ShoutingRule(BaseRule):
    min_letters: int = 20
    max_caps_ratio: float = 0.6
    kind: ClassVar[str] = "shouting"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> ShoutingRule:
        return cls(min_letters=_int(params, "min_letters", 20, cls.kind),
                   max_caps_ratio=_ratio(params, "max_caps_ratio", 0.6, cls.kind), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        # a hit needs caps > ratio * letters >= ratio * min_letters: most texts fail that first
        caps = ascii_capitals(comment.body)
        if caps is not None and caps <= self.max_caps_ratio * self.min_letters:
            return None
        letters, caps = letter_counts(comment.body)
        if letters < self.min_letters or caps <= self.max_caps_ratio * letters:
            return None
        share = round(100 * caps / letters)
        return self.hit(f"{share}% of its {letters} letters are capitals "
                        f"(the limit is {round(100 * self.max_caps_ratio)}%).",
                        shouting_runs(comment.body))


@dataclass(frozen=True)
class DuplicateRule(BaseRule):
    window_days: int = 7
    similarity: float = 0.9
    kind: ClassVar[str] = "duplicate"

    @cached_property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> DuplicateRule:
        return cls(window_days=_int(params, "window_days", 7, cls.kind),
                   similarity=_ratio(params, "similarity", 0.9, cls.kind), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        sk = ctx.sketch if ctx.sketch is not None else sketch(comment.body)
        if sk is None:
            return None
        since = comment.posted_at - self.window
        match = ctx.duplicates.best_match(sk, exclude_id=comment.id, since=since,
                                          threshold=self.similarity)
        if match is None:
            return None
        end = min(len(comment.body), MATCHED_CHARS)
        how = "the same text as" if match.similarity >= 1.0 else \
            f"{round(100 * match.similarity)}% the same as"
        return self.hit(f"{how} a comment posted {match.posted_at:%Y-%m-%d %H:%M} "
                        f"(within {_plural(self.window_days, 'day')}).",
                        [(comment.body[:end], (0, end))], related=(match.comment_id,))


@dataclass(frozen=True)
class RateLimitRule(BaseRule):
    max_comments: int = 5
    minutes: int = 10
    kind: ClassVar[str] = "rate_limit"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> RateLimitRule:
        return cls(max_comments=_int(params, "max_comments", 5, cls.kind),
                   minutes=_int(params, "minutes", 10, cls.kind), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        recent = ctx.recent_posted_at
        if len(recent) < self.max_comments:
            return None
        start, end = comment.posted_at - timedelta(minutes=self.minutes), comment.posted_at
        count = 1 + sum(1 for t in recent if start < t <= end)
        if count <= self.max_comments:
            return None
        return self.hit(f"{count} comments within {_plural(self.minutes, 'minute')} from "
                        f"this commenter (the limit is {self.max_comments}).")


@dataclass(frozen=True)
class BannedCommenterRule(BaseRule):
    kind: ClassVar[str] = "banned_commenter"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> BannedCommenterRule:
        return cls(**common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        if ctx.commenter_trust != "banned":
            return None
        who = comment.commenter_name or "the commenter"
        return self.hit(f"{who} is banned.")


@dataclass(frozen=True)
class ReportsRule(BaseRule):
    min_reports: int = 3
    kind: ClassVar[str] = "reports"

    @classmethod
    def from_params(cls, params: Mapping[str, Any], **common: Any) -> ReportsRule:
        return cls(min_reports=_int(params, "min_reports", 3, cls.kind), **common)

    def check(self, comment: CommentFacts, ctx: RuleContext) -> RuleHit | None:
        if comment.reports < self.min_reports:
            return None
        return self.hit(f"reported by {_plural(comment.reports, 'reader')} "
                        f"({self.min_reports} reports are enough to hold a comment).")


# --- registry ---------------------------------------------------------------------------------

RULE_KINDS: dict[str, Any] = {cls.kind: cls for cls in (
    BannedWordsRule, SuspectWordsRule, LinkCountRule, FirstTimeRule, ShoutingRule,
    DuplicateRule, RateLimitRule, BannedCommenterRule, ReportsRule)}


def build_rule(kind: str, params: Mapping[str, Any] | None, *, id: str = "draft",
               version: int = 1, action: str = "hold") -> RuleCheck:
    """A rule from its kind and parameters; a wrong kind or parameter raises ValidationError."""
    cls = RULE_KINDS.get(kind)
    if cls is None:
        raise ValidationError(f"There is no rule kind “{kind}”; the kinds are "
                              f"{', '.join(RULE_KINDS)}.")
    action = getattr(action, "value", action)
    if action not in ACTIONS:
        raise ValidationError(f"A rule's action must be hold, reject or flag, not “{action}”.")
    if params is not None and not isinstance(params, Mapping):
        raise ValidationError(f"{kind}: the parameters must be a JSON object.")
    rule: RuleCheck = cls.from_params(params or {}, id=id, version=version, action=action)
    return rule


class RuleRow(Protocol):
    """What ``rules_from_rows`` reads from a ``Rule`` row (or anything shaped like one)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def params(self) -> dict[str, Any]: ...
    @property
    def action(self) -> Any: ...
    @property
    def version(self) -> int: ...
    @property
    def enabled(self) -> bool: ...


def rules_from_rows(rows: Iterable[RuleRow]) -> list[RuleCheck]:
    """The enabled rules, strongest action first (so ``evaluate`` reads them in that order)."""
    rules = [build_rule(r.kind, r.params, id=r.id, version=r.version, action=r.action)
             for r in rows if r.enabled]
    rules.sort(key=lambda r: -PRECEDENCE[r.action])
    return rules


def evaluate(rules: Iterable[RuleCheck], comment: CommentFacts, ctx: RuleContext) -> Verdict:
    """Run every rule; the verdict's action is the strongest among the hits."""
    hits = [found for rule in rules if (found := rule.check(comment, ctx)) is not None]
    if not hits:
        return NO_HITS
    if len(hits) == 1:
        return Verdict(hits[0].action, (hits[0],))
    action = max([h.action for h in hits], key=PRECEDENCE.__getitem__)
    return Verdict(action, tuple(hits))


NO_HITS = Verdict(None, ())
