"""The outline: headings with level, plain text and line."""

from __future__ import annotations

from pse_desk.writing.outline import Heading, outline


def test_atx_headings_are_listed_with_level_text_and_line() -> None:
    text = "# The future of localism\n\nIntro.\n\n## Reinvigorating **local** democracy ##\n"
    assert outline(text) == [Heading(1, "The future of localism", 1),
                             Heading(2, "Reinvigorating local democracy", 5)]


def test_hash_lines_inside_fenced_code_are_not_headings() -> None:
    text = "## Real\n```bash\n# a shell comment\n```\n### Also real"
    assert [h.text for h in outline(text)] == ["Real", "Also real"]


def test_setext_headings_are_found_and_a_rule_after_a_blank_line_is_not() -> None:
    text = "Big title\n=========\n\nSmaller one\n---\n\n---\n\n- item\n---"
    assert outline(text) == [Heading(1, "Big title", 1), Heading(2, "Smaller one", 4)]


def test_a_hash_without_a_space_is_not_a_heading() -> None:
    assert outline("#hashtag and ####### seven") == []


def test_link_syntax_is_stripped_from_heading_text() -> None:
    assert outline("## See [the report](http://x.org)")[0].text == "See the report"
