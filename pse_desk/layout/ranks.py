"""Order keys for panels and items: fractional indexing, so a move rewrites one row's key.

A row's place among its siblings is its ``rank``, a string key from the ``fractional_indexing``
package (``"a0" < "a0V" < "a1"``): moving a row gives it a new key between its new neighbours
and touches no other row. Two desks that reorder the same panels while offline each write only
the rows they moved; after last-writer-wins sync per row the order is the same on both, with no
renumbering and no duplicate positions. If both desks happen to pick the same key for two rows,
``order_key`` breaks the tie by the row's id, so every desk still shows one order.

Stored keys are not trusted: a corrupt row or one written by another program may hold a key that
is not a valid fractional index, and ties give ``before == after``. ``rank_between`` never raises
on them (see its docstring for what it returns then).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

# The package has no type information (no py.typed); "unused-ignore" keeps this line quiet once
# pyproject.toml tells mypy to ignore the missing stubs.
from fractional_indexing import (  # type: ignore[import-untyped, unused-ignore]
    FIError,
    generate_key_between,
    generate_n_keys_between,
)

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # base 62, ASCII order
HEADS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # a key's first character
FIRST_KEY = "a0"  # what an empty list's first row gets
_DIGIT_SET = frozenset(DIGITS)
_HEAD_SET = frozenset(HEADS)
_SMALLEST = "A" + "0" * 26  # the one key of valid shape the package refuses


class Ranked(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def rank(self) -> str: ...


R = TypeVar("R", bound=Ranked)


def order_key(rank: str, row_id: str) -> tuple[str, str]:
    """How rows sort: by rank, then by id when two desks picked the same rank."""
    return (rank, row_id)


def sorted_by_rank(rows: Iterable[R]) -> list[R]:
    """Panels or items in their stored order (rank, then id)."""
    return sorted(rows, key=lambda row: (row.rank, row.id))


def initial_ranks(n: int) -> list[str]:
    """Keys for ``n`` rows in a fresh list: "a0", "a1", … (none for ``n`` ≤ 0)."""
    if n <= 0:
        return []
    keys: list[str] = generate_n_keys_between(None, None, n)
    return keys


def rank_for_index(sibling_ranks: Sequence[str], index: int) -> str:
    """The key that puts a row at ``index`` among its siblings' ranks (in order, the moving row
    not among them); ``index`` is clamped to 0 … len(sibling_ranks)."""
    index = max(0, min(index, len(sibling_ranks)))
    before = sibling_ranks[index - 1] if index > 0 else None
    after = sibling_ranks[index] if index < len(sibling_ranks) else None
    return rank_between(before, after)


def rank_between(before: str | None, after: str | None) -> str:
    """A valid key that sorts strictly between ``before`` and ``after`` (``None``: open end).

    Never raises. With valid keys in order this is the package's own midpoint. Otherwise (a key
    that is not a valid fractional index, or ``before`` ≥ ``after`` from a tie) it still returns
    a valid key strictly between the two strings whenever one exists; when none does (a tie, or
    ``before`` ≥ ``after``) it returns a valid key just after ``before``, and when even that is
    impossible (``before`` sorts after every key) or ``before`` is ``None``, ``"a0"``.
    """
    if _is_valid_or_none(before) and _is_valid_or_none(after) and (
            before is None or after is None or before < after):
        try:
            key: str = generate_key_between(before, after)
            # the package can return the one key it refuses itself ("A" + 26 zeros): below
            # "A00…01" it decrements into it; then the fallback finds a valid key
            if is_valid_rank(key):
                return key
        except (FIError, ValueError, IndexError):  # not expected for valid keys
            pass
    found = _search_between(before, after)
    if found is None and before is not None:
        found = _key_above(before, 0)
    return found if found is not None else FIRST_KEY


def is_valid_rank(key: str) -> bool:
    """Whether ``key`` is a fractional index the package can work from."""
    return _is_partial(key) and _is_complete(key)


# --- the fallback: a valid key between any two strings --------------------------------------
# A valid key is a head letter, as many base-62 digits as the head says (its "integer part"),
# then base-62 digits not ending in "0". Walking that shape character by character finds a key
# between any two strings, or proves there is none, in time linear in their length.


def _is_valid_or_none(key: str | None) -> bool:
    return key is None or is_valid_rank(key)


def _integer_length(head: str) -> int:
    """How many characters the integer part of a key with this head letter has."""
    if "a" <= head <= "z":
        return ord(head) - ord("a") + 2
    return ord("Z") - ord(head) + 2


def _allowed(prefix_length: int, char: str) -> bool:
    return char in (_HEAD_SET if prefix_length == 0 else _DIGIT_SET)


def _allowed_chars(prefix_length: int) -> str:
    return HEADS if prefix_length == 0 else DIGITS


def _is_partial(text: str) -> bool:
    """Whether ``text`` is the start of some valid key (the empty string is)."""
    return not text or (text[0] in _HEAD_SET and all(c in _DIGIT_SET for c in text[1:]))


def _is_complete(partial: str) -> bool:
    """Whether a partial key is a whole valid key."""
    if not partial or len(partial) < _integer_length(partial[0]) or partial == _SMALLEST:
        return False
    return len(partial) == _integer_length(partial[0]) or partial[-1] != "0"


def _complete(partial: str) -> str:
    """The shortest valid key that starts with ``partial``."""
    if not partial:
        return FIRST_KEY
    key = partial + "0" * max(0, _integer_length(partial[0]) - len(partial))
    return key if _is_complete(key) else key + "1"


def _partial_length(text: str) -> int:
    """The length of the longest start of ``text`` that is the start of a valid key."""
    for i, char in enumerate(text):
        if not _allowed(i, char):
            return i
    return len(text)


def _key_above(low: str, keep: int) -> str | None:
    """The valid key just above ``low`` that keeps its first ``keep`` characters, if any."""
    for i in range(min(_partial_length(low), len(low)), keep - 1, -1):
        nxt = low[i] if i < len(low) else ""
        char = next((c for c in _allowed_chars(i) if c > nxt), None)
        if char is not None:
            return _complete(low[:i] + char)
    return None


def _key_below(high: str, keep: int) -> str | None:
    """The valid key just below ``high`` that keeps its first ``keep`` characters, if any."""
    for i in range(min(_partial_length(high), len(high) - 1), keep - 1, -1):
        char = next((c for c in reversed(_allowed_chars(i)) if c < high[i]), None)
        if char is not None:
            return _complete(high[:i] + char)
        if _is_complete(high[:i]):
            return high[:i]
    return None


def _middle_char(prefix_length: int, low: str, high: str) -> str | None:
    """An allowed character strictly between ``low`` ("" = below all) and ``high``: the middle
    digit, or for a head letter the one with the shortest integer part ("a", then "Z" …)."""
    chars = [c for c in _allowed_chars(prefix_length) if low < c < high]
    if not chars:
        return None
    if prefix_length == 0:
        return min(chars, key=lambda c: (_integer_length(c), c < "a"))
    return chars[len(chars) // 2]


def _search_between(low: str | None, high: str | None) -> str | None:
    """A valid key strictly between two strings (``None``: open end), or None if none exists."""
    if low is None:
        return FIRST_KEY if high is None else _key_below(high, 0)
    if high is None:
        return _key_above(low, 0)
    if low >= high:
        return None
    i = 0
    while i < len(low) and low[i] == high[i]:
        i += 1
    if not _is_partial(low[:i]):
        return None  # every key in between starts with this common part, which no key can
    middle = _middle_char(i, low[i:i + 1], high[i])
    if middle is not None:
        return _complete(low[:i] + middle)
    if i < len(low) and _allowed(i, low[i]):
        found = _key_above(low, i + 1)
        if found is not None:
            return found
    return _key_below(high, i + 1) if _allowed(i, high[i]) else None
