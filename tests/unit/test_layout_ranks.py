"""Order keys for panels and items: fresh keys, keys between neighbours (also from stored keys
that are tied, reversed or not keys at all), and two desks that reorder offline converging."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pse_desk.layout.ranks import (
    DIGITS,
    FIRST_KEY,
    HEADS,
    initial_ranks,
    is_valid_rank,
    order_key,
    rank_between,
    rank_for_index,
    sorted_by_rank,
)
from pse_desk.layout.values import Panel

SMALLEST = "A" + "0" * 26  # the one key of valid shape the package refuses
JUST_ABOVE_SMALLEST = "A" + "0" * 25 + "1"  # the smallest integer key that is valid
LARGEST_INTEGER = "z" * 27
GARBAGE = ["", "!!", "zzzz", "A000000000000000000000000000", SMALLEST, "a", "a00", "a0 ",
           "0", "~", "é", "\x00", "a0\x00", "Zz!", "a" + "0" * 40]

FAST = settings(max_examples=200, deadline=None)


def between(before: str | None, key: str, after: str | None) -> bool:
    return (before is None or before < key) and (after is None or key < after)


# --- fresh keys -----------------------------------------------------------------------------

def test_initial_ranks_are_valid_distinct_and_in_order() -> None:
    keys = initial_ranks(100)
    assert keys[:3] == ["a0", "a1", "a2"]
    assert len(set(keys)) == 100
    assert keys == sorted(keys)
    assert all(is_valid_rank(k) for k in keys)


@pytest.mark.parametrize("n", [0, -1, -50])
def test_initial_ranks_for_no_rows_is_empty(n: int) -> None:
    assert initial_ranks(n) == []


def test_an_empty_list_gets_the_first_key() -> None:
    assert rank_between(None, None) == FIRST_KEY == "a0"
    assert rank_for_index([], 0) == "a0"
    assert rank_for_index([], 7) == "a0"


# --- rank_for_index ---------------------------------------------------------------------------

@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 5])
def test_rank_for_index_puts_the_row_at_that_index(index: int) -> None:
    siblings = initial_ranks(5)
    key = rank_for_index(siblings, index)
    assert is_valid_rank(key)
    assert key not in siblings
    assert sorted([*siblings, key]).index(key) == index
    assert between(siblings[index - 1] if index else None, key,
                   siblings[index] if index < len(siblings) else None)


@pytest.mark.parametrize(("index", "expected_place"), [(-1, 0), (-100, 0), (6, 3), (10**9, 3)])
def test_rank_for_index_clamps_the_index(index: int, expected_place: int) -> None:
    siblings = initial_ranks(3)
    key = rank_for_index(siblings, index)
    assert key not in siblings
    assert sorted([*siblings, key]).index(key) == expected_place


def test_rank_for_index_keeps_making_room_at_the_same_place() -> None:
    siblings = initial_ranks(2)
    for _ in range(200):  # always insert right after the first row
        key = rank_for_index(siblings, 1)
        assert between(siblings[0], key, siblings[1])
        siblings.insert(1, key)
    assert siblings == sorted(siblings)
    assert len(set(siblings)) == len(siblings)


def test_rank_for_index_at_the_top_below_the_smallest_valid_integer_key() -> None:
    # the package alone would return "A" + 26 zeros here, a key it then refuses itself
    key = rank_for_index([JUST_ABOVE_SMALLEST, "a0"], 0)
    assert is_valid_rank(key)
    assert key < JUST_ABOVE_SMALLEST
    assert key != SMALLEST


# --- rank_between on valid keys, ties and reversed keys ----------------------------------------

@pytest.mark.parametrize(("before", "after"), [
    ("a0", "a1"), ("a0", "a0V"), ("a0V", "a1"), (None, "a0"), ("a0", None), ("Zz", "a0"),
    ("a0", "b00"), (None, JUST_ABOVE_SMALLEST), (LARGEST_INTEGER, None),
    ("A" + "0" * 26 + "1", JUST_ABOVE_SMALLEST),
])
def test_rank_between_valid_keys_is_strictly_between(before: str | None,
                                                     after: str | None) -> None:
    key = rank_between(before, after)
    assert is_valid_rank(key)
    assert between(before, key, after)


@pytest.mark.parametrize("tied", ["a0", "a0V", "Zz", LARGEST_INTEGER])
def test_a_tie_gives_a_valid_key_just_after_it(tied: str) -> None:
    key = rank_between(tied, tied)
    assert is_valid_rank(key)
    assert key > tied


@pytest.mark.parametrize(("before", "after"), [("a1", "a0"), ("b00", "a0"), ("a0V", "a0")])
def test_reversed_keys_give_a_valid_key_after_before(before: str, after: str) -> None:
    key = rank_between(before, after)
    assert is_valid_rank(key)
    assert key > before


# --- rank_between on stored keys that are not keys ----------------------------------------------

@pytest.mark.parametrize("bad", GARBAGE)
@pytest.mark.parametrize("other", [None, "a0", "a1", "Zz", *GARBAGE[:4]])
def test_garbage_keys_never_raise_and_give_a_valid_key(bad: str, other: str | None) -> None:
    for before, after in ((bad, other), (other, bad)):
        key = rank_between(before, after)
        assert is_valid_rank(key), (before, after, key)


@pytest.mark.parametrize(("before", "after"), [
    ("!!", None), ("", None), ("zzzz", None), ("!!", "zzzz"), ("", "a0"),
    ("a0", "zzzz"), ("!!", "a0"), ("A000000000000000000000000000", None),
    ("A000000000000000000000000000", "a0"), ("a", "b"), ("a00", "a01"), ("a0 ", "a1"),
])
def test_garbage_keys_get_a_key_strictly_between_when_there_is_one(before: str | None,
                                                                   after: str | None) -> None:
    key = rank_between(before, after)
    assert is_valid_rank(key)
    assert between(before, key, after), (before, after, key)


def test_garbage_with_no_key_between_gives_a_key_after_before_or_the_first_key() -> None:
    # no valid key sorts below "A" followed by 27 zeros: the answer is the first key
    assert rank_between(None, "A000000000000000000000000000") == "a0"
    assert rank_between(None, "") == "a0"
    # nothing lies between "a0" and "a00" (a key cannot end in "0"): just after "a0"
    key = rank_between("a0", "a00")
    assert is_valid_rank(key)
    assert key > "a0"
    # every key starts with a letter, so none sorts between "" and "!!": one after ""
    assert rank_between("", "!!") == "A" + "0" * 26 + "1"  # the smallest valid key
    # "~" sorts after every key: nothing after it, so the first key
    assert rank_between("~", None) == "a0"


@st.composite
def valid_keys(draw: st.DrawFn) -> str:
    """A valid fractional index, its digits leaning on "0" to reach the edge cases."""
    head = draw(st.sampled_from(HEADS))
    length = (ord(head) - ord("a") + 2) if head >= "a" else (ord("Z") - ord(head) + 2)
    digit = st.sampled_from("0" * 20 + DIGITS)
    integer = draw(st.text(digit, min_size=length - 1, max_size=length - 1))
    fraction = draw(st.text(digit, max_size=4)).rstrip("0")
    key = head + integer + fraction
    return key + "1" if key == SMALLEST else key


TEXT = st.text(st.sampled_from(DIGITS + "0000000000!~ \x00\x7fé"), max_size=30)
ANY_KEY = st.one_of(st.none(), TEXT, valid_keys())


@FAST
@given(before=ANY_KEY, after=ANY_KEY)
@example(before=None, after=JUST_ABOVE_SMALLEST)
@example(before="", after="!!")
@example(before="zzzz", after="A000000000000000000000000000")
def test_rank_between_never_raises_and_always_gives_a_valid_key(before: str | None,
                                                                 after: str | None) -> None:
    key = rank_between(before, after)
    assert is_valid_rank(key)
    if before is not None and key <= before:  # only when nothing valid lies after ``before``
        assert key == FIRST_KEY


@FAST
@given(inside=valid_keys(), low=ANY_KEY, high=ANY_KEY)
@example(inside="A" + "0" * 26 + "1", low=None, high=JUST_ABOVE_SMALLEST)
def test_rank_between_is_strictly_between_whenever_a_valid_key_is(
        inside: str, low: str | None, high: str | None) -> None:
    # ``inside`` is a valid key with ``before`` < inside < ``after``: a key between exists
    before = low if low is None or low < inside else inside[:len(low) % len(inside)]
    after = high if high is None or high > inside else inside + (high or "!")
    key = rank_between(before, after)
    assert is_valid_rank(key)
    assert between(before, key, after), (before, after, key)


@FAST
@given(keys=st.lists(valid_keys(), min_size=2, max_size=8, unique=True))
def test_the_valid_path_agrees_with_string_order(keys: list[str]) -> None:
    keys.sort()
    for before, after in itertools.pairwise(keys):
        assert between(before, rank_between(before, after), after)


# --- ordering rows ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    id: str
    rank: str


def test_sorted_by_rank_breaks_ties_by_id() -> None:
    rows = [Row("c", "a1"), Row("b", "a0"), Row("a", "a1"), Row("d", "Zz")]
    assert [r.id for r in sorted_by_rank(rows)] == ["d", "b", "a", "c"]
    assert sorted(rows, key=lambda r: order_key(r.rank, r.id)) == sorted_by_rank(rows)


# --- two desks reorder offline and converge -------------------------------------------------

Stamp = tuple[int, str]  # (counter, desk): last writer wins, the desk name breaks ties
State = dict[str, tuple[Panel, Stamp]]


class Desk:
    def __init__(self, name: str, state: State) -> None:
        self.name = name
        self.state = dict(state)
        self.counter = max((stamp[0] for _p, stamp in state.values()), default=0)

    def order(self) -> list[str]:
        return [p.id for p in sorted_by_rank(panel for panel, _stamp in self.state.values())]

    def move(self, row_id: str, index: int) -> None:
        """Put ``row_id`` at ``index`` among the others, writing only its own rank."""
        before = dict(self.state)
        others = [p for p in sorted_by_rank(p for p, _s in self.state.values()) if p.id != row_id]
        sibling_ranks = [p.rank for p in others]
        rank = rank_for_index(sibling_ranks, index)
        assert is_valid_rank(rank)
        self.counter += 1
        panel = self.state[row_id][0]
        self.state[row_id] = (replace(panel, rank=rank), (self.counter, self.name))
        changed = [i for i in self.state if self.state[i] != before[i]]
        assert changed == [row_id]  # a move writes exactly one row
        if len(set(sibling_ranks)) == len(sibling_ranks):  # distinct neighbours: exact place
            assert self.order().index(row_id) == max(0, min(index, len(others)))

    def merge(self, other: Desk) -> None:
        for row_id, theirs in other.state.items():
            if theirs[1] > self.state[row_id][1]:
                self.state[row_id] = theirs
        self.counter = max(self.counter, other.counter)


def starting_state(n: int) -> State:
    return {f"p{i}": (Panel(f"p{i}", f"k{i}", f"Panel {i}", "main", rank), (0, ""))
            for i, rank in enumerate(initial_ranks(n))}


MOVES = st.lists(st.tuples(st.integers(0, 30), st.integers(-2, 32)), max_size=12)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 12), rounds=st.lists(st.tuples(MOVES, MOVES), min_size=1, max_size=3))
def test_two_desks_that_reorder_offline_converge(
        n: int, rounds: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> None:
    start = starting_state(n)
    ids = sorted(start)
    a, b = Desk("deskA", start), Desk("deskB", start)
    for moves_a, moves_b in rounds:
        for desk, moves in ((a, moves_a), (b, moves_b)):
            for row, index in moves:
                desk.move(ids[row % n], index)
        alone_a = a.order()
        a_copy = Desk("deskA", a.state)  # each desk merges what the other had before
        a.merge(b)
        b.merge(a_copy)
        assert a.state == b.state
        assert a.order() == b.order()
        assert sorted(a.order()) == ids  # every row once
        assert len(a.order()) == n
        by_order_key = sorted((p for p, _s in a.state.values()),
                              key=lambda p: order_key(p.rank, p.id))
        assert [p.id for p in by_order_key] == a.order()
        if not moves_b:  # only one desk moved rows: its order is the merged order
            assert a.order() == alone_a
        assert all(is_valid_rank(p.rank) for p, _s in a.state.values())


def test_two_desks_moving_different_rows_keep_both_moves() -> None:
    start = starting_state(4)  # p0 p1 p2 p3
    a, b = Desk("deskA", start), Desk("deskB", start)
    a.move("p3", 0)  # p3 to the top
    b.move("p0", 3)  # p0 to the bottom
    a_copy = Desk("deskA", a.state)
    a.merge(b)
    b.merge(a_copy)
    assert a.order() == b.order() == ["p3", "p1", "p2", "p0"]


def test_two_desks_moving_the_same_row_agree_on_the_later_move() -> None:
    start = starting_state(3)
    a, b = Desk("deskA", start), Desk("deskB", start)
    a.move("p0", 2)  # counter 1 on deskA
    b.move("p0", 1)  # counter 1 on deskB
    b.move("p0", 1)  # counter 2 on deskB: the later write
    a_copy = Desk("deskA", a.state)
    a.merge(b)
    b.merge(a_copy)
    assert a.order() == b.order() == ["p1", "p0", "p2"]


def test_two_desks_picking_the_same_key_still_show_one_order() -> None:
    start = starting_state(3)
    a, b = Desk("deskA", start), Desk("deskB", start)
    a.move("p0", 3)  # p1 p2 p0
    b.move("p1", 3)  # p0 p2 p1: the same new key as deskA's p0
    assert a.state["p0"][0].rank == b.state["p1"][0].rank
    a_copy = Desk("deskA", a.state)
    a.merge(b)
    b.merge(a_copy)
    assert a.order() == b.order() == ["p2", "p0", "p1"]  # the tie broken by id
