"""Markdown masked to prose: syntax blanked, positions kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pse_desk.writing.prose import blank_code, fenced_lines, mask, words


def test_masked_lines_keep_the_length_of_every_line() -> None:
    text = "# Title\n- a [link](http://x.org) `code`\n\n```\nx = 1\n```\n> quote"
    assert [len(m) for m in mask(text)] == [len(line) for line in text.split("\n")]


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_masking_never_moves_a_character(text: str) -> None:
    masked = mask(text)
    for original, line in zip(text.split("\n"), masked, strict=True):
        assert len(line) == len(original)
        assert all(m == " " or m == o for m, o in zip(line, original, strict=True))


def test_link_targets_urls_and_emails_are_blanked_but_link_text_stays() -> None:
    (line,) = mask("See [the council report](https://example.org/r.pdf), "
                   "mail news@example.org or visit www.example.org/page.")
    assert "the council report" in line
    for gone in ("https", "example", "news@", "www"):
        assert gone not in line


def test_code_spans_and_fenced_code_are_blanked_unless_kept() -> None:
    text = "Use `pip install` here.\n```\nprint('hi')\n```"
    assert "pip" not in mask(text)[0]
    assert "print" not in mask(text)[2]
    kept = mask(text, keep_code=True)
    assert "pip install" in kept[0]
    assert "print('hi')" in kept[2]


def test_an_unclosed_fence_runs_to_the_end_of_the_text() -> None:
    assert fenced_lines(["a", "~~~", "b", "c"]) == [False, True, True, True]


def test_a_longer_fence_is_only_closed_by_a_fence_as_long() -> None:
    assert fenced_lines(["````", "```", "x", "````", "y"]) == [True, True, True, True, False]


def test_words_report_their_line_and_zero_based_column() -> None:
    found = list(words(mask("## Local news\n**Budget** cut")))
    assert [(w.text, w.line, w.column) for w in found] == [
        ("Local", 1, 3), ("news", 1, 9), ("Budget", 2, 2), ("cut", 2, 11)]


def test_snake_case_keeps_its_underscores_but_emphasis_marks_go() -> None:
    (line,) = mask("_emphasis_ and snake_case")
    assert line.split() == ["emphasis", "and", "snake_case"]


def test_blank_code_keeps_markdown_outside_code() -> None:
    assert blank_code("[a](b) `[c](d)`") == ["[a](b)" + " " * 9]


def test_html_comments_and_tags_are_blanked() -> None:
    masked = mask("Keep <!-- hidden note --> this <span class='x'>and</span> <!-- open")
    assert [w.text for w in words(masked)] == ["Keep", "this", "and", "open"]
