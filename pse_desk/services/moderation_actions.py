"""Moderation decisions as use cases: approve, reject, spam, restore, ban — one or many — and undo.

Each function is one unit of work: the status change, the audit events, the commenter counters
and the outbox entries commit together or not at all (``moderation.decisions`` does the
writing). A ``DecisionResult`` says what changed, so the UI can put it on its undo stack;
``undo`` applies the inverse decision, which writes events of its own (events are never
deleted), and ``redo`` applies the original one again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.moderation.decisions import Change, apply_decision
from pse_desk.store.db import Store
from pse_desk.store.model import Comment, Commenter, CommentStatus, Trust

ACTION_STATUS: dict[str, CommentStatus] = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
    "restore": CommentStatus.PENDING,
}


@dataclass(frozen=True)
class DecisionResult:
    action: str
    changes: tuple[Change, ...]
    banned_commenter_id: str | None = None
    previous_trust: str | None = None

    @property
    def count(self) -> int:
        """How many comments changed status."""
        return sum(1 for c in self.changes if c.from_status != c.to_status)

    @property
    def comment_ids(self) -> tuple[str, ...]:
        return tuple(c.comment_id for c in self.changes)


def decide(store: Store, comment_ids: Sequence[str], action: str, *, actor: str,
           reason: str = "") -> DecisionResult:
    """Approve, reject, mark as spam or restore to pending one comment or a selection."""
    to_status = ACTION_STATUS.get(action)
    if to_status is None:
        raise ValidationError(f"“{action}” is not a moderation decision; use approve, reject, "
                              "spam or restore.")
    if not comment_ids:
        raise ValidationError("Select at least one comment first.")
    with store.session() as s:
        changes = apply_decision(s, comment_ids, to_status, actor=actor, action=action,
                                 reason=reason)
        if not changes:
            raise NotFoundError("The selected comments no longer exist.")
        s.commit()
    return DecisionResult(action, tuple(changes))


def approve(store: Store, comment_ids: Sequence[str], *, actor: str,
            reason: str = "") -> DecisionResult:
    return decide(store, comment_ids, "approve", actor=actor, reason=reason)


def reject(store: Store, comment_ids: Sequence[str], *, actor: str,
           reason: str = "") -> DecisionResult:
    return decide(store, comment_ids, "reject", actor=actor, reason=reason)


def mark_spam(store: Store, comment_ids: Sequence[str], *, actor: str,
              reason: str = "") -> DecisionResult:
    return decide(store, comment_ids, "spam", actor=actor, reason=reason)


def restore(store: Store, comment_ids: Sequence[str], *, actor: str,
            reason: str = "") -> DecisionResult:
    return decide(store, comment_ids, "restore", actor=actor, reason=reason)


@dataclass(frozen=True)
class BanPreview:
    """What banning a comment's author will do, for the confirmation dialog."""

    commenter_id: str
    display_name: str
    pending: int

    @property
    def question(self) -> str:
        n = "1 pending comment" if self.pending == 1 else f"{self.pending} pending comments"
        return f"Ban {self.display_name} and reject their {n}?"


def ban_preview(store: Store, comment_id: str) -> BanPreview:
    with store.read_session() as s:
        row = s.execute(select(Commenter.id, Commenter.display_name)
                        .join(Comment, Comment.commenter_id == Commenter.id)
                        .where(Comment.id == comment_id)).first()
        if row is None:
            raise NotFoundError("That comment no longer exists.")
        pending = s.scalar(select(func.count()).select_from(Comment).where(
            Comment.commenter_id == row[0], Comment.status == CommentStatus.PENDING,
            Comment.deleted.is_(False))) or 0
    return BanPreview(row[0], row[1], pending)


def ban_commenter(store: Store, commenter_id: str, *, actor: str, reason: str = "",
                  via_comment_id: str | None = None) -> DecisionResult:
    """Ban a commenter and reject their pending comments (each rejection is an audit event).

    ``via_comment_id`` (the comment the moderator was looking at) also gets a "ban" event, so
    the ban is on record even when nothing was pending.
    """
    with store.session() as s:
        commenter = s.get(Commenter, commenter_id)
        if commenter is None or commenter.deleted:
            raise NotFoundError("That commenter no longer exists.")
        previous = commenter.trust.value
        commenter.trust = Trust.BANNED
        s.flush()
        pending = list(s.scalars(select(Comment.id).where(
            Comment.commenter_id == commenter_id, Comment.status == CommentStatus.PENDING,
            Comment.deleted.is_(False))))
        targets = {cid: CommentStatus.REJECTED for cid in pending}
        if via_comment_id and via_comment_id not in targets:
            via_status = s.scalar(select(Comment.status).where(Comment.id == via_comment_id))
            if via_status is not None:
                targets[via_comment_id] = via_status  # on record, status unchanged
        changes = apply_decision(s, list(targets), CommentStatus.REJECTED, actor=actor,
                                 action="ban",
                                 reason=reason or f"{commenter.display_name} banned",
                                 targets=targets)
        s.commit()
    return DecisionResult("ban", tuple(changes), commenter_id, previous)


def undo(store: Store, result: DecisionResult, *, actor: str) -> DecisionResult:
    """Put every comment of ``result`` back to its earlier status (and lift a ban it made)."""
    targets = {c.comment_id: CommentStatus(c.from_status) for c in result.changes}
    with store.session() as s:
        changes = apply_decision(s, list(targets), CommentStatus.PENDING, actor=actor,
                                 action="undo", reason=f"undo {result.action}",
                                 targets=targets)
        if result.banned_commenter_id and result.previous_trust:
            commenter = s.get(Commenter, result.banned_commenter_id)
            if commenter is not None:
                commenter.trust = Trust(result.previous_trust)
        s.commit()
    return DecisionResult("undo", tuple(changes))


def redo(store: Store, result: DecisionResult, *, actor: str) -> DecisionResult:
    """Apply ``result`` again after an undo (new events; the comments get its target states)."""
    targets = {c.comment_id: CommentStatus(c.to_status) for c in result.changes}
    with store.session() as s:
        changes = apply_decision(s, list(targets), CommentStatus.PENDING, actor=actor,
                                 action=result.action, reason=f"redo {result.action}",
                                 targets=targets)
        if result.banned_commenter_id:
            commenter = s.get(Commenter, result.banned_commenter_id)
            if commenter is not None:
                commenter.trust = Trust.BANNED
        s.commit()
    return DecisionResult(result.action, tuple(changes), result.banned_commenter_id,
                          result.previous_trust)
