"""Text changes sent to the render worker: exact, small for a keystroke, never overlapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pse_desk.render.textdiff import apply_change, text_change


@given(st.text(), st.text())
def test_applying_the_change_gives_the_new_text(old: str, new: str) -> None:
    assert apply_change(old, text_change(old, new)) == new


@given(st.text(min_size=1), st.integers(min_value=0), st.text(max_size=3))
def test_a_keystroke_sends_only_what_was_typed(text: str, at: int, typed: str) -> None:
    at %= len(text) + 1
    prefix, suffix, middle = text_change(text, text[:at] + typed + text[at:])
    assert len(middle) <= len(typed)
    assert prefix + suffix + len(middle) == len(text) + len(typed)


def test_a_change_in_a_long_text_is_found_exactly() -> None:
    old = "word " * 200_000
    new = old[:654_321] + "X" + old[654_322:]
    assert text_change(old, new) == (654_321, len(old) - 654_322, "X")
    assert text_change(old, old) == (len(old), 0, "")


def test_a_change_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ValueError):
        apply_change("short", (3, 3, ""))
