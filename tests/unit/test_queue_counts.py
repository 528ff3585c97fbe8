"""The queue counts a decision moves at once, before the recount (no Qt, no database)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pse_desk.moderation.counts import counts_after
from pse_desk.moderation.decisions import Changed
from pse_desk.moderation.queue import Queue, QueueRow

COUNTS = {Queue.PENDING: 82, Queue.REPORTED: 5, Queue.UNMODERATED: 10, Queue.APPROVED: 900,
          Queue.REJECTED: 40, Queue.SPAM: 7}


def row(comment_id: str, *, held: tuple[str, ...] = (), reports: int = 0,
        status: str = "pending") -> QueueRow:
    return QueueRow(comment_id, datetime(2026, 11, 1), status, "Ann", "Budgets", "text",
                    reports, held)


def moved(changes: list[Changed], known: Sequence[QueueRow] = (), shown: Queue | None = None,
          counts: dict[Queue, int] = COUNTS) -> dict[Queue, int]:
    after = counts_after(counts, changes, {r.id: r for r in known}, shown)
    return {q: after.get(q, 0) - counts.get(q, 0) for q in Queue if after.get(q, 0)
            != counts.get(q, 0)}


def test_approving_a_held_comment_moves_one_from_pending_to_approved() -> None:
    change = [Changed("pending", "approved", ("a",))]
    assert moved(change, [row("a", held=("suspect_words",))]) == \
        {Queue.PENDING: -1, Queue.APPROVED: 1}


def test_a_pending_comment_no_rule_held_leaves_unmoderated() -> None:
    change = [Changed("pending", "rejected", ("a", "b"))]
    assert moved(change, [row("a"), row("b")]) == {Queue.UNMODERATED: -2, Queue.REJECTED: 2}


def test_a_comment_not_at_hand_is_taken_from_the_pending_queue_on_screen() -> None:
    change = [Changed("pending", "spam", ("a",))]
    assert moved(change, shown=Queue.UNMODERATED) == {Queue.UNMODERATED: -1, Queue.SPAM: 1}
    assert moved(change, shown=Queue.PENDING) == {Queue.PENDING: -1, Queue.SPAM: 1}
    assert moved(change, shown=Queue.APPROVED) == {Queue.PENDING: -1, Queue.SPAM: 1}
    assert moved(change) == {Queue.PENDING: -1, Queue.SPAM: 1}


def test_a_reported_comment_leaves_reported_when_rejected_and_stays_when_approved() -> None:
    reported = row("a", reports=2, status="approved")
    assert moved([Changed("approved", "rejected", ("a",))], [reported]) == \
        {Queue.APPROVED: -1, Queue.REJECTED: 1, Queue.REPORTED: -1}
    held = row("b", held=("reports",), reports=4)
    assert moved([Changed("pending", "approved", ("b",))], [held]) == \
        {Queue.PENDING: -1, Queue.APPROVED: 1}  # reported both before and after


def test_an_undo_moves_the_counts_back() -> None:
    known = [row("a", held=("shouting",), reports=1)]
    there = counts_after(COUNTS, [Changed("pending", "rejected", ("a",))], {"a": known[0]})
    back = counts_after(there, [Changed("rejected", "pending", ("a",))], {"a": known[0]})
    assert back == COUNTS


def test_a_decision_only_put_on_record_moves_nothing() -> None:
    assert moved([Changed("pending", "pending", ("a",))], [row("a")]) == {}
    empty = {Queue.UNMODERATED: 0}
    assert counts_after(empty, [Changed("pending", "pending", ("a",))], {"a": row("a")}) == empty


def test_no_count_goes_below_zero_and_the_given_counts_are_left_alone() -> None:
    counts = {Queue.PENDING: 1, Queue.APPROVED: 0}
    after = counts_after(counts, [Changed("pending", "approved", ("a", "b", "c"))], {})
    assert after[Queue.PENDING] == 0 and after[Queue.APPROVED] == 3
    assert counts == {Queue.PENDING: 1, Queue.APPROVED: 0}
    assert counts_after({}, [Changed("approved", "spam", ("a",))], {}) == \
        {Queue.APPROVED: 0, Queue.SPAM: 1}
