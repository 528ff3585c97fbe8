"""What a moderator reads: the labels and sentences made from moderation's plain values.

Rule kinds' names, queue names with their counts, the title over the comment table, one line
of "why was this held?", the question before a ban, and the sentences a decision leaves in the
status bar. They are written here once, apart from the SQL that finds the values and from the
widgets that show them, so each can be read and tested without a database or Qt. (A rule's own
explanation of a hit is made by the rule, in ``moderation.rules``, and stored with the hit.)
"""

from __future__ import annotations

from pse_desk.moderation.queue import Queue

KIND_LABELS: dict[str, str] = {
    "banned_words": "Banned words", "suspect_words": "Suspect words",
    "link_count": "Too many links", "first_time": "First-time commenter",
    "shouting": "Shouting", "duplicate": "Duplicate text", "rate_limit": "Too many comments",
    "banned_commenter": "Banned commenter", "reports": "Reader reports",
}
UNKNOWN_RULE = "Unknown rule"
MATCHED_SHOWN = 8      # matched texts quoted in one "why was this held?" line
MATCHED_CHARS = 60     # ... each cut to this many characters
EMPTY_QUEUE = "This queue is empty."
NOTHING_FOUND = "Nothing here."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def kind_label(kind: str) -> str:
    """The name of a rule kind ("Suspect words"); an unknown kind is shown as it is stored."""
    return KIND_LABELS.get(kind, kind)


def queue_label(queue: Queue, count: int | None = None) -> str:
    """A queue's name, with its count once known: "Pending" or "Pending  (1,204)"."""
    name = queue.value.capitalize()
    return name if count is None else f"{name}  ({count:,})"


def queue_title(queue: Queue, total: int | None, narrowed: str = "", query: str = "") -> str:
    """The line over the comment table: "Pending: 1,204 comments, matching “x”, newest first".

    ``narrowed`` says how the queue is narrowed (``only_commenter`` …); ``query`` is the search.
    """
    name = queue_label(queue)
    parts = [name if total is None else f"{name}: {total:,} comment{'s' if total != 1 else ''}"]
    if narrowed:
        parts.append(narrowed)
    if query:
        parts.append(f"matching “{query}”")
    return ", ".join(parts) + ", newest first"


def only_commenter(display_name: str) -> str:
    return f"only {display_name}’s comments"


def only_article(title: str) -> str:
    return f"only on “{title}”"


def empty_listing(narrowed: bool) -> str:
    """What the detail pane says when the table is empty (a search or a filter found none)."""
    return NOTHING_FOUND if narrowed else EMPTY_QUEUE


def held_reason_line(rule: str, version: int, action: str, matched: tuple[str, ...],
                     sentence: str) -> str:
    """One line of "why was this held?": the rule, its version and action, why, and the words."""
    words = ", ".join(f"“{m if len(m) <= MATCHED_CHARS else m[:MATCHED_CHARS - 1] + '…'}”"
                      for m in matched[:MATCHED_SHOWN])
    head = f"{rule} (rule version {version}, {action})"
    return f"{head}: {sentence}" + (f" Matched: {words}." if words else "")


def ban_question(display_name: str, pending: int) -> str:
    n = "1 pending comment" if pending == 1 else f"{pending} pending comments"
    return f"Ban {display_name} and reject their {n}?"


def nothing_changed(status: str) -> str:
    """After a decision that found every comment already in its status."""
    return f"Already {status}: nothing was changed."


def burst_undone(undone: int) -> str:
    """After "Undo those N decisions": how many the burst had made."""
    if not undone:
        return "Nothing to undo: those keys changed no comment."
    return f"Undoing the {_plural(undone, 'decision')} of that burst."


def decision_name(action: str, count: int) -> str:
    """A decision on the undo stack ("Approve 3 comments"), as Edit > Undo names it."""
    what = {"approve": "Approve", "reject": "Reject", "spam": "Mark as spam",
            "ban": "Ban"}.get(action, action.capitalize())
    return f"{what} {_plural(count, 'comment')}"
