"""Splitting Markdown into top-level blocks: what stays together, line numbers, definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.render.blocks import Block, IncrementalSplitter, split_blocks
from pse_desk.render.definitions import collect_definitions


def texts(md: str) -> list[str]:
    return [b.text for b in split_blocks(md)]


def test_paragraphs_separated_by_blank_lines_are_blocks_with_their_first_line() -> None:
    md = "# Title\n\nFirst paragraph\nstill first.\n\n\n\nSecond."
    assert split_blocks(md) == [Block("# Title", 1), Block("First paragraph\nstill first.", 3),
                                Block("Second.", 8)]


def test_a_fenced_code_block_with_blank_lines_stays_one_block() -> None:
    md = "Intro\n\n```python\na = 1\n\n\nb = 2\n```\n\nAfter"
    assert texts(md) == ["Intro", "```python\na = 1\n\n\nb = 2\n```", "After"]
    assert [b.line for b in split_blocks(md)] == [1, 3, 10]


def test_a_tilde_fence_needs_its_own_closing_fence() -> None:
    md = "~~~\nx\n\n```\n\ny\n~~~\n\nz"
    assert texts(md) == ["~~~\nx\n\n```\n\ny\n~~~", "z"]


def test_a_fence_that_is_never_closed_is_not_a_fence() -> None:
    md = "Intro\n\n```\nstarted typing\n\nnext paragraph\n\nlast"
    assert texts(md) == ["Intro", "```\nstarted typing", "next paragraph", "last"]


def test_a_loose_list_and_its_indented_paragraphs_stay_one_block() -> None:
    md = "- one\n\n- two\n\n    more of two\n\n1. three\n\nAfter the list"
    assert texts(md) == ["- one\n\n- two\n\n    more of two\n\n1. three", "After the list"]


def test_quotes_separated_by_a_blank_line_stay_one_block() -> None:
    assert texts("> a\n\n> b\n\nc") == ["> a\n\n> b", "c"]


def test_a_definition_after_a_blank_line_joins_its_term() -> None:
    assert texts("Term\n\n: the definition\n\nNext") == ["Term\n\n: the definition", "Next"]


def test_an_html_block_runs_to_its_closing_tag_across_blank_lines() -> None:
    md = "<div>\n\ninside\n\n<div>nested</div>\n\n</div>\n\nafter"
    assert texts(md) == ["<div>\n\ninside\n\n<div>nested</div>\n\n</div>", "after"]


def test_an_html_comment_runs_to_its_end() -> None:
    assert texts("<!-- a\n\nb -->\n\nc") == ["<!-- a\n\nb -->", "c"]


def test_a_table_is_one_block() -> None:
    md = "| a | b |\n|---|---|\n| 1 | 2 |\n\nafter"
    assert texts(md) == ["| a | b |\n|---|---|\n| 1 | 2 |", "after"]


def test_empty_and_blank_texts_have_no_blocks() -> None:
    assert split_blocks("") == []
    assert split_blocks("\n\n   \n\t\n") == []


def test_line_numbers_count_blank_lines_with_spaces() -> None:
    md = "a\n  \n\t\nb\n \nc"
    assert [(b.text, b.line) for b in split_blocks(md)] == [("a", 1), ("b", 4), ("c", 6)]


def test_definitions_are_collected_from_every_block_but_not_from_code() -> None:
    md = ("Text [x][ref] and a note[^n].\n\n"
          "[Ref]: https://example.org/ref \"Title\"\n\n"
          "```\n[code]: https://example.org/not-a-definition\n```\n\n"
          "[^n]: The note,\n    continued.\n\n"
          "*[PSE]: Public Sector Executive")
    found = collect_definitions(split_blocks(md))
    assert set(found.references) == {"ref"}
    assert found.references["ref"].startswith("[Ref]: https://example.org/ref")
    assert found.footnote_order == ("n",)
    assert found.footnotes["n"] == "[^n]: The note,\n    continued."
    assert found.footnote_line == 9
    assert set(found.abbreviations) == {"PSE"}


def test_an_html_block_can_start_on_any_line_of_a_paragraph() -> None:
    md = "Intro line\n<div>\n\ninside\n</div>\n\nafter"
    assert texts(md) == ["Intro line\n<div>\n\ninside\n</div>", "after"]


def test_a_quote_that_ends_a_paragraph_is_continued_by_the_next_quote() -> None:
    assert texts("Text\n> a\n\n> b\n\nc") == ["Text\n> a\n\n> b", "c"]


def test_a_list_continues_past_a_definition_between_its_items() -> None:
    md = "- one\n\n[^n]: a note\n\n- two\n\nafter"
    assert texts(md) == ["- one\n\n[^n]: a note\n\n- two", "after"]


def test_a_definition_between_paragraphs_is_a_block_of_its_own() -> None:
    assert texts("One\n\n[x]: https://example.org\n\nTwo") == [
        "One", "[x]: https://example.org", "Two"]


def test_more_terms_join_the_definition_list_before_them() -> None:
    assert texts("A\n: one\n\nB\n: two\n\nC") == ["A\n: one\n\nB\n: two", "C"]


def test_a_fence_opened_after_an_unclosed_one_is_still_found() -> None:
    md = "```python\n~~~\ncode\n\n~~~\n\nafter"
    assert texts(md) == ["```python\n~~~\ncode\n\n~~~", "after"]


def test_definitions_inside_raw_html_and_tables_are_not_definitions() -> None:
    md = ("<div>\n[a]: https://example.org/a\n</div>\n\n"
          "| h | i |\n|---|---|\n[b]: https://example.org/b\n\n[c]: https://example.org/c")
    assert set(collect_definitions(split_blocks(md)).references) == {"c"}


DOC_PIECES = ["Plain text", "- item", "1. step", "    indented", "> quote", "```", "~~~",
              "<div>", "</div>", "# Heading", ": def", "Term", "[r]: https://example.org",
              "[^n]: note", "see [r]", "| a |", "|---|", "", "", ""]
EDIT_TEXTS = ["x", "\n", "\n\n", "- ", "> ", "```", "<div>", "[^n]: ", "    ", ": ", ""]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(DOC_PIECES), min_size=1, max_size=30),
       st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=6),
                          st.sampled_from(EDIT_TEXTS)), min_size=1, max_size=8))
def test_incremental_splitting_always_equals_a_fresh_split(
        pieces: list[str], edits: list[tuple[int, int, str]]) -> None:
    text = "\n".join(pieces)
    splitter = IncrementalSplitter()
    assert splitter.split(text) == split_blocks(text)
    for at, removed, typed in edits:
        at %= len(text) + 1
        text = text[:at] + typed + text[at + removed:]
        assert splitter.split(text) == split_blocks(text)


def test_a_keystroke_in_a_long_text_keeps_the_blocks_around_it() -> None:
    text = "\n\n".join(f"Paragraph {i} of a long article." for i in range(2000))
    splitter = IncrementalSplitter()
    before = splitter.split(text)
    at = text.index("Paragraph 1000 ") + 5
    after = splitter.split(text[:at] + "!" + text[at:])
    assert after[1000].text == "Parag!raph 1000 of a long article."
    assert after[:1000] == before[:1000] and after[1001:] == before[1001:]
