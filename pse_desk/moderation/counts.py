"""Queue counts moved at once by a decision, before the exact recount catches up.

Counting every queue of a million comments takes a while, so the desk recounts only after
decisions pause; meanwhile its counts move by what each decision changed. A comment moved from
one status to another is taken off the queue it left and added to the one it joined. A pending
comment is in Pending when a rule held it and in Unmoderated otherwise, and a reported one
(pending or approved) is in Reported too: the rows the table holds say which. For a comment
not among them, the queue being shown is the best guess (Pending or Unmoderated; Pending from
any other queue), and it is not counted as reported; the recount corrects what the guess got
wrong. No count goes below zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pse_desk.moderation.decisions import Changed
from pse_desk.moderation.queue import Queue, QueueRow

STATUS_QUEUES = {"approved": Queue.APPROVED, "rejected": Queue.REJECTED, "spam": Queue.SPAM}
REPORTED_STATUSES = ("pending", "approved")  # the statuses a reported comment is listed in
PENDING_QUEUES = (Queue.PENDING, Queue.UNMODERATED)


def counts_after(counts: Mapping[Queue, int], changes: Iterable[Changed],
                 known: Mapping[str, QueueRow], shown: Queue | None = None,
                 ) -> dict[Queue, int]:
    """``counts`` moved by ``changes``; ``known`` are the rows at hand by id, ``shown`` the
    queue on screen. ``counts`` itself is left as it was."""
    moved = dict(counts)
    guess = shown if shown in PENDING_QUEUES else Queue.PENDING
    for group in changes:
        if not group.moved:
            continue  # only put on record: no status changed
        for comment_id in group.comment_ids:
            row = known.get(comment_id)
            pending = guess if row is None else \
                Queue.PENDING if row.held_kinds else Queue.UNMODERATED
            reported = row is not None and bool(row.reports)
            for status, step in ((group.from_status, -1), (group.to_status, 1)):
                queue = STATUS_QUEUES.get(status) or (pending if status == "pending" else None)
                if queue is not None:
                    moved[queue] = max(0, moved.get(queue, 0) + step)
                if reported and status in REPORTED_STATUSES:
                    moved[Queue.REPORTED] = max(0, moved.get(Queue.REPORTED, 0) + step)
    return moved
