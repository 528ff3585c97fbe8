"""The labels and sentences a moderator reads, made from plain values (no Qt, no database)."""

from __future__ import annotations

from pse_desk.moderation import wording
from pse_desk.moderation.queue import Queue
from pse_desk.moderation.rules import RULE_KINDS


def test_every_rule_kind_has_a_label_and_an_unknown_kind_shows_as_stored() -> None:
    assert set(wording.KIND_LABELS) == set(RULE_KINDS)
    assert wording.kind_label("link_count") == "Too many links"
    assert wording.kind_label("retired_kind") == "retired_kind"


def test_a_queue_label_carries_its_count_once_known_with_thousands_separated() -> None:
    assert wording.queue_label(Queue.PENDING) == "Pending"
    assert wording.queue_label(Queue.PENDING, 82) == "Pending  (82)"
    assert wording.queue_label(Queue.UNMODERATED, 1_204_000) == "Unmoderated  (1,204,000)"
    assert wording.queue_label(Queue.SPAM, 0) == "Spam  (0)"


def test_the_queue_title_names_the_count_the_narrowing_and_the_search() -> None:
    assert wording.queue_title(Queue.PENDING, None) == "Pending, newest first"
    assert wording.queue_title(Queue.PENDING, 1) == "Pending: 1 comment, newest first"
    assert wording.queue_title(Queue.APPROVED, 12_345, wording.only_article("Budgets"),
                               "user:ann") == \
        "Approved: 12,345 comments, only on “Budgets”, matching “user:ann”, newest first"
    assert wording.queue_title(Queue.REJECTED, 0, wording.only_commenter("Ann")) == \
        "Rejected: 0 comments, only Ann’s comments, newest first"


def test_an_empty_listing_says_whether_a_search_or_filter_found_nothing() -> None:
    assert wording.empty_listing(False) == "This queue is empty."
    assert wording.empty_listing(True) == "Nothing here."


def test_a_held_reason_line_quotes_at_most_eight_matches_each_cut_to_sixty_characters() -> None:
    long = "x" * 61
    line = wording.held_reason_line("Suspect words", 3, "hold",
                                    (long, *(f"w{i}" for i in range(9))), "Held: crypto.")
    assert line.startswith("Suspect words (rule version 3, hold): Held: crypto. Matched: “")
    assert f"“{'x' * 59}…”" in line and long not in line
    assert "“w6”" in line and "“w7”" not in line
    assert wording.held_reason_line("Shouting", 1, "hold", (), "Held: 90% capitals.") == \
        "Shouting (rule version 1, hold): Held: 90% capitals."


def test_the_ban_question_counts_the_pending_comments() -> None:
    assert wording.ban_question("Ann", 1) == "Ban Ann and reject their 1 pending comment?"
    assert wording.ban_question("Ann", 0) == "Ban Ann and reject their 0 pending comments?"


def test_decision_sentences() -> None:
    assert wording.nothing_changed("approved") == "Already approved: nothing was changed."
    assert wording.burst_undone(0) == "Nothing to undo: those keys changed no comment."
    assert wording.burst_undone(1) == "Undoing the 1 decision of that burst."
    assert wording.burst_undone(3) == "Undoing the 3 decisions of that burst."
    assert wording.decision_name("spam", 1) == "Mark as spam 1 comment"
    assert wording.decision_name("approve", 2) == "Approve 2 comments"
    assert wording.decision_name("restore", 2) == "Restore 2 comments"
