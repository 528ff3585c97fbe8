"""The duplicate index's shortcuts never change an answer: candidates it skips could not reach the
threshold, a re-post reuses the original's sketch, entries leave the garbage collector alone,
and the cheap pre-checks of the shouting and link rules agree with the full ones."""

from __future__ import annotations

import gc
import struct
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pse_desk.moderation.facts import CommentFacts, DuplicateIndex, RuleContext, may_reach
from pse_desk.moderation.rules import build_rule
from pse_desk.moderation.text import SKETCH_SIZE, sketch, sketch_jaccard

NOW = datetime(2026, 11, 20, 12, 0)
HASHES = st.lists(st.integers(min_value=-40, max_value=40), min_size=1, max_size=SKETCH_SIZE,
                  unique=True).map(sorted)


@given(ours=HASHES, theirs=HASHES,
       threshold=st.floats(min_value=0.01, max_value=1.0, allow_nan=False))
def test_a_skipped_candidate_could_never_reach_the_threshold(
        ours: list[int], theirs: list[int], threshold: float) -> None:
    packed = struct.pack(f"{len(theirs)}q", *theirs)
    if not may_reach(set(ours), packed, threshold):
        assert sketch_jaccard(set(ours), theirs, threshold) < threshold


def test_a_near_repeat_at_the_threshold_is_still_found() -> None:
    words = [f"word{n}" for n in range(60)]
    original = " ".join(words)
    index = DuplicateIndex()
    index.add("old", NOW - timedelta(hours=1), original)
    for changed in range(1, 8):  # change the last words, one more each time
        text = " ".join(words[:-changed] + [f"other{n}" for n in range(changed)])
        sk = sketch(text)
        assert sk is not None
        old = sketch(original)
        assert old is not None
        expected = sketch_jaccard(set(sk.mins), old.mins, 0.0)
        found = index.best_match(sk, exclude_id="new", since=NOW - timedelta(days=7),
                                 threshold=0.9)
        if expected >= 0.9:
            assert found is not None and found.similarity == expected
        else:
            assert found is None


def test_a_repost_takes_the_original_sketch_and_is_found_as_the_same_text() -> None:
    body = ("Residents were promised a new library years ago and the site is still a car park "
            "with a fence round it.")
    index = DuplicateIndex()
    index.add("first", NOW - timedelta(days=1), body)
    again = index.sketch(body.upper() + " ...")
    assert again == sketch(body)
    hit = build_rule("duplicate", {}).check(CommentFacts("second", body, NOW, "u2", "Bo"),
                                           RuleContext(duplicates=index, sketch=again))
    assert hit is not None and hit.related == ("first",)
    assert "the same text as" in hit.explanation


def test_indexed_texts_are_not_walked_by_the_garbage_collector() -> None:
    index = DuplicateIndex()
    for n in range(300):
        index.add(f"c{n}", NOW + timedelta(seconds=n), f"comment number {n} about the bins")
    gc.collect()
    assert len(index) == 300
    assert not any(gc.is_tracked(entry) for entry in index._order)


def test_shouting_needs_more_capitals_than_the_ratio_of_the_minimum_letters() -> None:
    rule = build_rule("shouting", {"min_letters": 20, "max_caps_ratio": 0.6})
    ctx = RuleContext()
    at_limit = "ABCDEFGHIJKL" + "abcdefgh"  # 12 capitals of 20 letters: 60%, not above
    over = "ABCDEFGHIJKLM" + "abcdefg"  # 13 of 20
    assert rule.check(CommentFacts("c1", at_limit, NOW), ctx) is None
    hit = rule.check(CommentFacts("c2", over, NOW), ctx)
    assert hit is not None and hit.explanation.startswith("Held: 65% of its 20 letters")


def test_link_count_sees_www_links_in_any_case_but_not_inside_a_word() -> None:
    rule = build_rule("link_count", {"max_links": 0})
    ctx = RuleContext()
    hit = rule.check(CommentFacts("c1", "See WWW.Example.org, now", NOW), ctx)
    assert hit is not None and hit.matched == ("WWW.Example.org",)
    assert rule.check(CommentFacts("c2", "a xwww.example.org b", NOW), ctx) is None
    hit = rule.check(CommentFacts("c3", "Voir www.exemple.fr — merci", NOW), ctx)
    assert hit is not None and hit.matched == ("www.exemple.fr",)
