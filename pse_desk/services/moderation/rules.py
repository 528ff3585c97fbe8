"""Rules as use cases: list, add, edit (a new version), enable, disable; try a draft rule on past
comments; and apply the rules to a new or edited comment (ingest).

Editing a rule's parameters or action bumps its version, so the hits stored with comments keep
pointing at the exact rule that made them. ``try_rule_on_past`` is written for a worker thread:
it opens its own read session, reports progress, honours a cancel callback and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal_column, select

from pse_desk.errors import NotFoundError
from pse_desk.moderation.context import load_context
from pse_desk.moderation.decisions import apply_decision
from pse_desk.moderation.engine import CommenterState, RuleRunner
from pse_desk.moderation.facts import CommentFacts
from pse_desk.moderation.rules import (
    FirstTimeRule,
    RuleCheck,
    RuleHit,
    Verdict,
    build_rule,
    rules_from_rows,
)
from pse_desk.moderation.wording import kind_label
from pse_desk.store.db import Store
from pse_desk.store.model import (
    Comment,
    Commenter,
    CommentStatus,
    Rule,
    RuleAction,
    Trust,
    utcnow,
)

RULES_ACTOR = "rules"
TRIAL_BATCH = 2000


@dataclass(frozen=True)
class RuleInfo:
    id: str
    kind: str
    label: str
    params: dict[str, Any]
    action: str
    enabled: bool
    version: int
    description: str


def _info(r: Rule) -> RuleInfo:
    return RuleInfo(r.id, r.kind, kind_label(r.kind), dict(r.params),
                    r.action.value, r.enabled, r.version, r.description)


def list_rules(store: Store) -> list[RuleInfo]:
    with store.read_session() as s:
        rows = s.scalars(select(Rule).where(Rule.deleted.is_(False))
                         .order_by(Rule.kind, Rule.created_at))
        return [_info(r) for r in rows]


def add_rule(store: Store, kind: str, params: Mapping[str, Any], action: str = "hold", *,
             description: str = "", enabled: bool = True) -> RuleInfo:
    build_rule(kind, params, action=action)  # refuses a wrong kind or parameter, in a sentence
    with store.session() as s:
        rule = Rule(kind=kind, params=dict(params), action=RuleAction(action),
                    description=description, enabled=enabled, version=1)
        s.add(rule)
        s.commit()
        return _info(rule)


def _live_rule(s: Any, rule_id: str) -> Rule:
    rule = s.get(Rule, rule_id)
    if rule is None or rule.deleted:
        raise NotFoundError("That rule no longer exists.")
    assert isinstance(rule, Rule)
    return rule


def edit_rule(store: Store, rule_id: str, *, params: Mapping[str, Any] | None = None,
              action: str | None = None, description: str | None = None) -> RuleInfo:
    """Change a rule; a change of parameters or action makes a new version."""
    with store.session() as s:
        rule = _live_rule(s, rule_id)
        new_params = dict(params) if params is not None else dict(rule.params)
        new_action = action if action is not None else rule.action.value
        build_rule(rule.kind, new_params, action=new_action)
        if new_params != rule.params or new_action != rule.action.value:
            rule.params = new_params
            rule.action = RuleAction(new_action)
            rule.version += 1
        if description is not None:
            rule.description = description
        s.commit()
        return _info(rule)


def set_rule_enabled(store: Store, rule_id: str, enabled: bool) -> RuleInfo:
    with store.session() as s:
        rule = _live_rule(s, rule_id)
        rule.enabled = enabled
        s.commit()
        return _info(rule)


def remove_rule(store: Store, rule_id: str) -> None:
    """Retire a rule (a tombstone: hits stored with comments still name it)."""
    with store.session() as s:
        rule = _live_rule(s, rule_id)
        rule.deleted = True
        rule.enabled = False
        s.commit()


# --- try on past comments ---------------------------------------------------------------------

@dataclass(frozen=True)
class TrialHit:
    comment_id: str
    posted_at: datetime
    excerpt: str
    hit: RuleHit


@dataclass(frozen=True)
class TrialResult:
    scanned: int
    held: int            # how many the draft rule would have hit
    hits: tuple[TrialHit, ...]  # the first ``sample`` of them, oldest first
    cancelled: bool


Progress = Callable[[int, int], None]  # (done, total)


def try_rule_on_past(store: Store, kind: str, params: Mapping[str, Any], action: str = "hold",
                     *, days: int = 30, now: datetime | None = None, sample: int = 500,
                     progress: Progress | None = None,
                     cancel: Callable[[], bool] | None = None) -> TrialResult:
    """Run a draft rule (not saved) over the comments of the last ``days`` days.

    Comments are read oldest first in batches, each commenter's history is carried
    along (``RuleRunner``), so first-time, rate and duplicate rules see what they would have
    seen at the time. Raises ``ValidationError`` for a wrong parameter before reading anything.
    """
    rule = build_rule(kind, params, action=action)
    since = (now or utcnow()) - timedelta(days=days)
    rowid: Any = literal_column("comment.rowid")
    held = 0
    hits: list[TrialHit] = []
    with store.read_session() as s:
        # One sort of the window's keys (not of its bodies), then bodies a batch at a time:
        # there is no index on posted_at alone, so paging with a keyset would sort each time.
        order = list(s.scalars(select(rowid).where(Comment.deleted.is_(False),
                                                   Comment.posted_at >= since)
                               .order_by(Comment.posted_at, Comment.id)))
        total = len(order)
        runner = RuleRunner([rule], _commenter_states(s, rule, since))
        for start in range(0, total, TRIAL_BATCH):
            part = order[start:start + TRIAL_BATCH]
            rows = {r[0]: r for r in s.execute(
                select(rowid, Comment.id, Comment.body, Comment.posted_at,
                       Comment.commenter_id, Comment.article_id, Comment.reports,
                       Comment.status, Commenter.display_name)
                .join(Commenter, Commenter.id == Comment.commenter_id)
                .where(rowid.in_(part)))}
            for key in part:
                _, cid, body, posted, commenter_id, article_id, reports, status, name = rows[key]
                facts = CommentFacts(cid, body, posted, commenter_id, name, article_id, reports)
                verdict = runner.check(facts, approved=status == CommentStatus.APPROVED)
                if verdict.hits:
                    held += 1
                    if len(hits) < sample:
                        hits.append(TrialHit(cid, posted, body[:200], verdict.hits[0]))
            done = min(start + TRIAL_BATCH, total)
            if progress is not None:
                progress(done, total)
            if cancel is not None and cancel():
                return TrialResult(done, held, tuple(hits), True)
    return TrialResult(total, held, tuple(hits), False)


def _commenter_states(s: Any, rule: RuleCheck, since: datetime) -> dict[str, CommenterState]:
    """Trust of every commenter, and for first-time rules their approvals before ``since``."""
    states = {cid: CommenterState(trust=trust.value) for cid, trust in
              s.execute(select(Commenter.id, Commenter.trust).where(
                  Commenter.trust != Trust.NEW))}
    if isinstance(rule, FirstTimeRule):
        for cid, n in s.execute(select(Comment.commenter_id, func.count())
                                .where(Comment.status == CommentStatus.APPROVED,
                                       Comment.posted_at < since)
                                .group_by(Comment.commenter_id)):
            states.setdefault(cid, CommenterState()).approved = n
    return states


# --- ingest -------------------------------------------------------------------------------------

def _enabled_rules(s: Any) -> list[RuleCheck]:
    return rules_from_rows(s.scalars(select(Rule).where(Rule.deleted.is_(False),
                                                        Rule.enabled.is_(True))))


def ingest_comment(store: Store, comment_id: str, *, premoderate: bool = False) -> Verdict:
    """Apply the enabled rules to a new or edited comment: status and held_reasons.

    Holding rules put it in the Pending queue, rejecting ones reject it; with no hit, a new
    comment is approved (or left pending, unheld, when ``premoderate``). A comment a moderator
    already rejected or marked as spam keeps that status. A status change by the rules is an
    audit event by the actor "rules".
    """
    with store.session() as s:
        comment = s.get(Comment, comment_id)
        if comment is None or comment.deleted:
            raise NotFoundError("That comment no longer exists.")
        name = s.scalar(select(Commenter.display_name)
                        .where(Commenter.id == comment.commenter_id)) or ""
        facts = CommentFacts(comment.id, comment.body, comment.posted_at, comment.commenter_id,
                             name, comment.article_id, comment.reports)
        rules = _enabled_rules(s)
        verdict = _verdict(s, facts, rules)
        current = comment.status
        comment.held_reasons = verdict.held_reasons
        s.flush()
        target = _target_status(current, verdict, premoderate)
        if target != current:
            apply_decision(s, [comment.id], target, actor=RULES_ACTOR,
                           action=f"auto-{verdict.action or 'approve'}",
                           reason=verdict.explanation() or "no rule held it")
        s.commit()
    return verdict


def _verdict(s: Any, facts: CommentFacts, rules: list[RuleCheck]) -> Verdict:
    from pse_desk.moderation.rules import evaluate

    return evaluate(rules, facts, load_context(s, facts, rules))


def _target_status(current: CommentStatus, verdict: Verdict,
                   premoderate: bool) -> CommentStatus:
    if current in (CommentStatus.REJECTED, CommentStatus.SPAM):
        return current
    if verdict.status is not None:
        return CommentStatus(verdict.status)
    if current == CommentStatus.PENDING and not premoderate:
        return CommentStatus.APPROVED
    return current


def submit_comment(store: Store, *, article_id: str, commenter_id: str, body: str,
                   parent_id: str | None = None, posted_at: datetime | None = None,
                   premoderate: bool = False) -> tuple[str, Verdict]:
    """Store a new reader comment (pending), count it for its commenter, then ingest it."""
    with store.session() as s:
        commenter = s.get(Commenter, commenter_id)
        if commenter is None or commenter.deleted:
            raise NotFoundError("That commenter does not exist.")
        comment = Comment(article_id=article_id, commenter_id=commenter_id, body=body,
                          parent_id=parent_id, posted_at=posted_at or utcnow(),
                          status=CommentStatus.PENDING, held_reasons=[])
        s.add(comment)
        commenter.comment_count += 1
        s.commit()
        comment_id = comment.id
    return comment_id, ingest_comment(store, comment_id, premoderate=premoderate)
