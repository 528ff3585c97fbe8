"""Over-long lines: found, shown cut with a marker, explained in one sentence, and split with
nothing but line breaks inserted (never a character lost or moved). How long finding and
splitting a 10 MB line take is measured by benchmarks/writing.py (``writing.long_lines_*``)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.writing.long_lines import (
    LINE_LIMIT,
    LongLine,
    long_lines,
    paste_sentence,
    protection_sentence,
    shown_text,
    split_long_lines,
)


def only_line_breaks_inserted(original: str, split: str) -> bool:
    """``original`` is a subsequence of ``split`` and every extra character is a line break."""
    rest = iter(split)
    in_order = all(ch in rest for ch in original)
    extra = Counter(split) - Counter(original)
    return in_order and set(extra) <= {"\n"} and len(split) - len(original) == extra["\n"]


def test_lines_over_the_limit_are_found_with_their_numbers_and_lengths() -> None:
    text = "short\n" + "a" * 30 + "\nok\n" + "b" * 11
    assert long_lines(text, limit=10) == [LongLine(2, 30), LongLine(4, 11)]
    assert long_lines("a" * 10 + "\n" + "b" * 10, limit=10) == []


def test_a_ten_megabyte_line_is_found_with_its_number_and_length() -> None:
    text = "Intro.\n\n" + "w" * 10_000_000 + "\n\nEnd."
    assert long_lines(text) == [LongLine(3, 10_000_000)]
    assert long_lines(text.replace("w" * 10_000_000, "w" * LINE_LIMIT)) == []


def test_the_shown_text_cuts_each_long_line_and_says_how_much_is_left_out() -> None:
    text = "Intro.\n" + "x" * 50 + "\nEnd."
    shown = shown_text(text, limit=20, shown=5)
    lines = shown.split("\n")
    assert lines[0] == "Intro." and lines[2] == "End."
    assert lines[1] == "xxxxx… [line 2 continues for 45 more characters — not shown]"
    assert shown_text("fine\ntext", limit=20) == "fine\ntext"


def test_the_sentence_names_the_line_and_its_length() -> None:
    assert protection_sentence([LongLine(12, 10_000_000)]) == (
        "Line 12 is 10,000,000 characters long, too long to edit here; it is shown cut and "
        "the saved text is untouched.")
    many = protection_sentence([LongLine(n, 20_000 + n) for n in range(1, 7)])
    assert many.startswith("Lines 1, 2, 3, 4 and 2 more are up to 20,006 characters long")
    assert protection_sentence([LongLine(3, 12_000), LongLine(9, 15_000)]).startswith(
        "Lines 3 and 9 are up to 15,000 characters long")
    assert "12,000,000 characters" in paste_sentence(12_000_000)


def test_prose_splits_into_paragraphs_at_sentence_ends() -> None:
    sentence = "The council agreed a new housing budget after a long debate on Tuesday. "
    line = sentence * 400
    split = split_long_lines(line, limit=10_000, target=1_200)
    paragraphs = split.split("\n\n")
    assert len(paragraphs) > 20
    assert all(p.endswith(". ") or p == paragraphs[-1] for p in paragraphs)
    assert all(len(p) <= 1_300 for p in paragraphs)
    assert split.replace("\n", "") == line
    assert only_line_breaks_inserted(line, split)


def test_a_list_item_keeps_together_with_single_line_breaks() -> None:
    line = "- " + "word " * 5_000
    split = split_long_lines(line, limit=10_000, target=1_200)
    assert "\n\n" not in split and split.count("\n") > 10
    assert split.replace("\n", "") == line


def test_a_ten_megabyte_line_without_spaces_is_hard_wrapped_at_the_limit() -> None:
    line = "w" * 10_000_000
    text = "Intro.\n\n" + line + "\n\nEnd."
    split = split_long_lines(text)
    pieces = split.split("\n")
    assert max(map(len, pieces)) == LINE_LIMIT
    assert sum(1 for p in pieces if p) == 1_000 + 2
    assert split.replace("\n", "") == text.replace("\n", "")
    assert long_lines(split) == []


def test_text_without_long_lines_is_returned_unchanged() -> None:
    text = "# Title\n\nA paragraph.\n\n- item"
    assert split_long_lines(text) is text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab .!?”)\n-#\t"), max_size=400),
       st.integers(min_value=5, max_value=40), st.integers(min_value=1, max_value=60))
def test_splitting_only_inserts_line_breaks_and_leaves_no_long_line(
        text: str, limit: int, target: int) -> None:
    split = split_long_lines(text, limit=limit, target=target)
    assert only_line_breaks_inserted(text, split)
    assert split.replace("\n", "") == text.replace("\n", "")
    assert long_lines(split, limit) == []
