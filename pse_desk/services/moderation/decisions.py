"""Moderation decisions as use cases: approve, reject, spam, restore, ban — one or many — and undo.

Each function is one unit of work: the status change, the audit events, the commenter counters
and the outbox entries commit together or not at all (``moderation.decisions`` does the
writing); ``decide_many`` is one per chunk of a large selection. A comment already in the
decided status is left alone, with no event. A ``DecisionResult`` says what changed, so the
UI can put it on its undo stack; ``undo`` applies the inverse decision, which writes events of
its own (events are never deleted), and ``redo`` applies the original one again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.moderation.decisions import Changed, apply_decision, existing_count
from pse_desk.moderation.wording import ban_question
from pse_desk.store.db import Store
from pse_desk.store.model import Comment, Commenter, CommentStatus, Trust

ACTION_STATUS: dict[str, CommentStatus] = {
    "approve": CommentStatus.APPROVED,
    "reject": CommentStatus.REJECTED,
    "spam": CommentStatus.SPAM,
    "restore": CommentStatus.PENDING,
}
DECISION_TABLES = ("comment", "moderation_event")  # written in bulk, past the outbox hook
CHUNK = 2500  # comments per unit of work in decide_many: the write lock is let go between
BIG = 1000  # comments from which a caller had better fold the WAL itself, later (fold_later)
Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class DecisionResult:
    """What a decision wrote: its comments grouped by their move (see ``Changed``)."""

    action: str
    changes: tuple[Changed, ...]
    banned_commenter_id: str | None = None
    previous_trust: str | None = None

    @property
    def count(self) -> int:
        """How many comments changed status."""
        return sum(len(c.comment_ids) for c in self.changes if c.moved)

    @property
    def comment_ids(self) -> frozenset[str]:
        """Every comment that got an event (also those only put on record)."""
        return frozenset(cid for c in self.changes for cid in c.comment_ids)

    def new_statuses(self) -> dict[str, str]:
        """Comment id -> its new status, for the comments that changed."""
        return {cid: c.to_status for c in self.changes if c.moved for cid in c.comment_ids}


def merged(groups: Iterable[Changed]) -> tuple[Changed, ...]:
    """Groups with the same move joined into one."""
    joined: dict[tuple[str, str], list[str]] = {}
    for g in groups:
        joined.setdefault((g.from_status, g.to_status), []).extend(g.comment_ids)
    return tuple(Changed(a, b, tuple(ids)) for (a, b), ids in joined.items())


def _status_of(action: str) -> CommentStatus:
    to_status = ACTION_STATUS.get(action)
    if to_status is None:
        raise ValidationError(f"“{action}” is not a moderation decision; use approve, reject, "
                              "spam or restore.")
    return to_status


def decide(store: Store, comment_ids: Sequence[str], action: str, *, actor: str,
           reason: str = "") -> DecisionResult:
    """Approve, reject, mark as spam or restore to pending one comment or a selection.

    A comment already in that status is left as it is, with no event; the result then counts
    nothing for it. Raises ``NotFoundError`` when none of the comments exists any more.
    """
    to_status = _status_of(action)
    if not comment_ids:
        raise ValidationError("Select at least one comment first.")
    store.check_write(*DECISION_TABLES)
    with store.session() as s:
        changes = apply_decision(s, comment_ids, to_status, actor=actor, action=action,
                                 reason=reason)
        if not changes and not existing_count(s, comment_ids):
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


def decide_many(store: Store, comment_ids: Sequence[str], action: str, actor: str,
                progress: Progress | None = None, *, reason: str = "",
                chunk: int = CHUNK, fold_later: bool = False) -> DecisionResult:
    """``decide`` over a large selection, one unit of work per ``chunk`` comments.

    Each chunk commits with its events (a failure keeps the chunks already saved, and the
    result of those is lost with the exception: the audit trail still shows them); between
    chunks other writers get their turn and ``progress(done, total)`` is called. One result
    for them all, for the undo stack. ``fold_later``: the commits leave the WAL unfolded and
    the caller runs ``store.checkpoint()`` once the user has the result (see
    ``Store.session``).
    """
    to_status = _status_of(action)
    store.check_write(*DECISION_TABLES)
    ids = list(dict.fromkeys(comment_ids))  # a comment in two chunks would be decided twice
    if not ids:
        raise ValidationError("Select at least one comment first.")
    groups: list[Changed] = []
    found = 0
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        with store.session(fold_wal=not fold_later) as s:
            changes = apply_decision(s, part, to_status, actor=actor, action=action,
                                     reason=reason)
            found += sum(len(c.comment_ids) for c in changes) or existing_count(s, part)
            s.commit()
        groups += changes
        if progress is not None:
            progress(min(start + chunk, len(ids)), len(ids))
    if not found:
        raise NotFoundError("The selected comments no longer exist.")
    return DecisionResult(action, merged(groups))


@dataclass(frozen=True)
class BanPreview:
    """What banning a comment's author will do, for the confirmation dialog."""

    commenter_id: str
    display_name: str
    pending: int

    @property
    def question(self) -> str:
        return ban_question(self.display_name, self.pending)


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
        why = reason or f"{commenter.display_name} banned"
        commenter.trust = Trust.BANNED
        s.flush()
        pending = list(s.scalars(select(Comment.id).where(
            Comment.commenter_id == commenter_id, Comment.status == CommentStatus.PENDING,
            Comment.deleted.is_(False))))
        changes = apply_decision(s, pending, CommentStatus.REJECTED, actor=actor,
                                 action="ban", reason=why)
        if via_comment_id and via_comment_id not in set(pending):
            # on record, status unchanged
            changes += apply_decision(s, [via_comment_id], None, actor=actor, action="ban",
                                      reason=why)
        s.commit()
    return DecisionResult("ban", tuple(changes), commenter_id, previous)


def _apply_moves(s: Session, moves: Iterable[tuple[Changed, CommentStatus | None]], *,
                 actor: str, action: str, reason: str) -> tuple[Changed, ...]:
    done: list[Changed] = []
    for group, status in moves:
        done += apply_decision(s, group.comment_ids, status, actor=actor, action=action,
                               reason=reason)
    return merged(done)


def undo(store: Store, result: DecisionResult, *, actor: str,
         fold_later: bool = False) -> DecisionResult:
    """Put every comment of ``result`` back to its earlier status (and lift a ban it made).

    Comments ``result`` only put on record (the ban's own comment) get an "undo" event too.
    ``fold_later`` as for ``decide_many``.
    """
    moves = [(g, CommentStatus(g.from_status) if g.moved else None) for g in result.changes]
    store.check_write(*DECISION_TABLES)
    with store.session(fold_wal=not fold_later) as s:
        changes = _apply_moves(s, moves, actor=actor, action="undo",
                               reason=f"undo {result.action}")
        if result.banned_commenter_id and result.previous_trust:
            commenter = s.get(Commenter, result.banned_commenter_id)
            if commenter is not None:
                commenter.trust = Trust(result.previous_trust)
        s.commit()
    return DecisionResult("undo", changes)


def redo(store: Store, result: DecisionResult, *, actor: str,
         fold_later: bool = False) -> DecisionResult:
    """Apply ``result`` again after an undo (new events; the comments get its target states)."""
    moves = [(g, CommentStatus(g.to_status) if g.moved else None) for g in result.changes]
    with store.session(fold_wal=not fold_later) as s:
        changes = _apply_moves(s, moves, actor=actor, action=result.action,
                               reason=f"redo {result.action}")
        if result.banned_commenter_id:
            commenter = s.get(Commenter, result.banned_commenter_id)
            if commenter is not None:
                commenter.trust = Trust.BANNED
        s.commit()
    return DecisionResult(result.action, changes, result.banned_commenter_id,
                          result.previous_trust)
