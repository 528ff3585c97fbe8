"""Block merges of article text: three-way on sync, two-way in the merge view."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pse_desk.sync import merge

BASE = "# Title\n\nOne.\n\nTwo.\n\nThree.\n"


def test_blocks_cut_a_text_and_join_back_to_it() -> None:
    assert merge.blocks(BASE) == ["# Title\n\n", "One.\n\n", "Two.\n\n", "Three.\n"]
    assert "".join(merge.blocks("a\n\n\n\nb")) == "a\n\n\n\nb"


@given(st.text(alphabet="ab \n", max_size=60))
def test_blocks_never_lose_a_character(text: str) -> None:
    assert "".join(merge.blocks(text)) == text


def test_changes_to_neighbouring_blocks_merge_by_themselves() -> None:
    mine = BASE.replace("One.", "One, mine.")
    theirs = BASE.replace("Two.", "Two, theirs.")
    got = merge.merge3(BASE, mine, theirs)
    assert got.conflicts == 0
    assert got.text() == "# Title\n\nOne, mine.\n\nTwo, theirs.\n\nThree.\n"


def test_an_insertion_and_an_edit_elsewhere_merge() -> None:
    mine = BASE.replace("Two.\n\n", "Two.\n\nNew from me.\n\n")
    theirs = BASE.replace("Three.", "Three, theirs.")
    assert merge.merge3(BASE, mine, theirs).text() == (
        "# Title\n\nOne.\n\nTwo.\n\nNew from me.\n\nThree, theirs.\n")


def test_a_deleted_block_and_an_edit_elsewhere_merge() -> None:
    mine = BASE.replace("One.\n\n", "")
    theirs = BASE.replace("Three.", "Three, theirs.")
    assert merge.merge3(BASE, mine, theirs).text() == "# Title\n\nTwo.\n\nThree, theirs.\n"


def test_both_changing_one_block_is_a_conflict_that_keeps_both() -> None:
    mine = BASE.replace("Two.", "Two, mine.")
    theirs = BASE.replace("Two.", "Two, theirs.")
    got = merge.merge3(BASE, mine, theirs)
    assert got.conflicts == 1
    assert got.text("mine") == mine and got.text("theirs") == theirs


def test_two_insertions_at_one_place_conflict_unless_they_are_the_same() -> None:
    mine = BASE.replace("One.\n\n", "One.\n\nMine.\n\n")
    theirs = BASE.replace("One.\n\n", "One.\n\nTheirs.\n\n")
    assert merge.merge3(BASE, mine, theirs).conflicts == 1
    assert merge.merge3(BASE, mine, mine).text() == mine


def test_the_same_change_on_both_sides_agrees() -> None:
    both = BASE.replace("Two.", "Two, agreed.")
    got = merge.merge3(BASE, both, both.replace("agreed.\n\n", "agreed.\n\n"))
    assert got.conflicts == 0 and got.text() == both


def test_a_trailing_blank_line_is_not_a_change_of_the_block() -> None:
    mine = BASE + "Four.\n"  # "Three.\n" becomes "Three.\n\n" before the new block
    theirs = BASE.replace("One.", "One, theirs.")
    got = merge.merge3(BASE, mine.replace("Three.\n", "Three.\n\n"), theirs)
    assert got.conflicts == 0 and "Four." in got.text() and "One, theirs." in got.text()


blocks_st = st.lists(st.sampled_from(["A.", "B.", "C.", "D.", "E."]), min_size=1, max_size=6)


def _text(parts: list[str]) -> str:
    return "\n\n".join(parts) + "\n"


@given(blocks_st, blocks_st, blocks_st)
def test_a_merge_keeps_every_side_when_the_other_did_not_change(
        base: list[str], mine: list[str], theirs: list[str]) -> None:
    b, m, t = _text(base), _text(mine), _text(theirs)
    assert merge.merge3(b, m, b).text() == m
    assert merge.merge3(b, b, t).text() == t
    got = merge.merge3(b, m, t)
    if got.conflicts == 0:  # a clean merge holds what both sides added
        for block in set(mine) - set(base):
            assert block in got.text()
        for block in set(theirs) - set(base):
            assert block in got.text()


def test_the_merge_view_takes_left_right_or_both_per_changed_region() -> None:
    left = "Same.\n\nLeft words.\n\nEnd.\n"
    right = "Same.\n\nRight words.\n\nEnd.\n"
    regions = merge.compare(left, right)
    changed = [i for i, r in enumerate(regions) if r.changed]
    assert len(changed) == 1
    (i,) = changed
    assert merge.compose(regions, {}) == left
    assert merge.compose(regions, {i: "right"}) == right
    assert merge.compose(regions, {i: "both"}) == "Same.\n\nLeft words.\n\nRight words.\n\nEnd.\n"
