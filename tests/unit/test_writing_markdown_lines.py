"""The Markdown line grammar the editor styles and types with, without Qt: style spans, fence
states, setext headings, Enter and Tab rules, and UTF-16 positions."""

from __future__ import annotations

from pse_desk.writing.markdown_spans import (
    NORMAL,
    closes_fence,
    fence_state,
    inline_spans,
    is_setext_heading,
    resolve,
)
from pse_desk.writing.typing_rules import (
    continuation,
    outdented,
    renumbered_siblings,
    wrapped_in_stars,
)
from pse_desk.writing.utf16 import python_index, utf16_len, utf16_offsets


def test_a_heading_line_is_styled_as_a_heading_with_its_marker():
    assert "heading" in {s for _a, _b, s in inline_spans("## Budget day")}
    runs = resolve(inline_spans("## Budget **day**"))
    assert runs[0] == (0, 2, ("heading", "marker"))  # "##"; the space is heading only
    assert runs[-1][2] == ("heading", "strong")


def test_a_fence_opens_a_state_that_only_its_own_kind_and_length_closes():
    state = fence_state("````python")
    assert state != NORMAL
    assert not closes_fence("```", state)  # shorter than the opening
    assert closes_fence("````", state) and closes_fence("  `````", state)
    assert fence_state("``not a fence`` here") == NORMAL


def test_a_setext_heading_needs_text_above_an_underline():
    assert is_setext_heading("Budget day", "===")
    assert not is_setext_heading("Budget day", "plain text")
    assert not is_setext_heading("", "---") and not is_setext_heading("- item", "---")
    assert not is_setext_heading("Budget day", None)


def test_enter_continues_items_and_quotes_and_ends_an_empty_one():
    assert continuation("- first", 7).prefix == "- "  # type: ignore[union-attr]
    assert continuation("9. ninth", 8).prefix == "10. "  # type: ignore[union-attr]
    assert continuation("- [x] done", 10).prefix == "- [ ] "  # type: ignore[union-attr]
    assert continuation("> quoted", 8).prefix == "> "  # type: ignore[union-attr]
    ended = continuation("- ", 2)
    assert ended is not None and ended.end_block and ended.replacement == ""
    assert continuation("plain words", 5) is None


def test_tab_levels_renumbering_and_star_markers():
    assert outdented("        nested") == "    nested" and outdented("\tx") == "x"
    assert renumbered_siblings("2. new", ["2. old", "3. older"]) == [(0, "3. old"),
                                                                    (1, "4. older")]
    assert wrapped_in_stars("**bold**", 2) and not wrapped_in_stars("*it*", 2)


def test_utf16_positions_count_an_emoji_twice():
    text = "a😀b"
    assert utf16_len(text) == 4 and utf16_len("abc") == 3
    assert [utf16_offsets(text)(i) for i in range(4)] == [0, 1, 3, 4]
    assert [python_index(text, p) for p in (0, 1, 3, 4)] == [0, 1, 2, 3]
    assert utf16_offsets("plain")(3) == 3
