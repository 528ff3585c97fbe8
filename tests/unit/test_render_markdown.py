"""Markdown conversion for the site, and the incremental block renderer the preview uses."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pse_desk.render.markdown import (
    BlockRenderer,
    RenderResult,
    is_cut,
    markdown_to_html,
    whole_text,
)
from pse_desk.render.sanitise import sanitise_article

SAMPLE = """# Councils and the future of localism

Local people know their *places* best, says the [commission][c] in its "first" report.[^1]

## What the evidence shows

| Area | Turnout |
|:-----|--------:|
| North | 31% |

- Community rights

- Neighbourhood planning

    with its own paragraph

> Power should sit as close to people as it can.

```python
def turnout(votes, electorate):
    return votes / electorate
```

## What the evidence shows

The PSE view, in short.

[c]: https://example.org/commission "The commission"
[^1]: Published this spring, with a [summary][c].

*[PSE]: Public Sector Executive
"""


def canonical(html: str) -> str:
    """Sanitised HTML without line attributes or whitespace between tags, for comparisons."""
    cleaned = re.sub(r' data-line="\d+"', "", sanitise_article(html))
    return re.sub(r">\s+<", "><", cleaned).strip()


def body(result: RenderResult) -> str:
    return "".join(block.html for block in result.blocks)


def test_full_conversion_marks_top_level_blocks_with_their_source_line() -> None:
    html = markdown_to_html("# Title\n\nFirst\n\n\n- a\n- b\n\n> quote")
    assert '<h1 data-line="1" id="title">Title</h1>' in html
    assert '<p data-line="3">First</p>' in html
    assert '<ul data-line="6">' in html
    assert '<blockquote data-line="9">' in html


def test_code_is_highlighted_with_css_classes_not_inline_styles() -> None:
    html = markdown_to_html("```python\nx = 1\n```")
    assert '<div class="codehilite">' in html
    assert '<span class="n">x</span>' in html
    assert "style=" not in html


def test_news_site_extensions_are_on() -> None:
    html = markdown_to_html('He said "yes" -- twice.\n\n*[PSE]: Public Sector Executive\n\n'
                            "PSE\n\nTerm\n: meaning\n\n| a |\n|---|\n| 1 |\n\nText{: .lead }")
    assert "&ldquo;yes&rdquo;" in html and "&ndash;" in html  # smarty
    assert '<abbr title="Public Sector Executive">PSE</abbr>' in html
    assert "<dl" in html and "<table" in html


def test_block_rendering_matches_one_full_conversion() -> None:
    full = canonical(markdown_to_html(SAMPLE))
    blocks = canonical(body(BlockRenderer().render(SAMPLE)))
    assert blocks == full


def test_each_block_carries_its_first_line_and_a_stable_id() -> None:
    result = BlockRenderer().render("# A\n\nB\n\nB")
    assert [(b.line, b.html) for b in result.blocks] == [
        (1, '<h1 id="a">A</h1>'), (3, "<p>B</p>"), (5, "<p>B</p>")]
    first, second, third = (b.id for b in result.blocks)
    assert len({first, second, third}) == 3
    assert third == f"{second}.1"  # the same text twice gets a counter


def test_an_edit_changes_only_its_block_and_reports_the_replaced_id() -> None:
    renderer = BlockRenderer()
    before = renderer.render("One\n\nTwo\n\nThree")
    after = renderer.render("One\n\nTwo!\n\nThree")
    assert before.changed == {b.id for b in before.blocks}
    new_id = after.blocks[1].id
    assert after.changed == {new_id}
    assert after.removed == {before.blocks[1].id}
    assert [b.id for b in after.blocks][::2] == [b.id for b in before.blocks][::2]


def test_unchanged_blocks_come_from_the_cache() -> None:
    renderer = BlockRenderer()
    renderer.render("One\n\nTwo\n\nThree")
    misses = renderer.misses
    renderer.render("One\n\nTwo\n\nThree and more")
    assert renderer.misses == misses + 1


def test_inserting_lines_above_moves_line_numbers_without_re_rendering() -> None:
    renderer = BlockRenderer()
    renderer.render("One\n\nTwo")
    misses = renderer.misses
    result = renderer.render("\n\n\nOne\n\nTwo")
    assert renderer.misses == misses
    assert [b.line for b in result.blocks] == [4, 6]
    assert result.changed == frozenset()


def test_reference_links_resolve_in_every_block_wherever_they_are_defined() -> None:
    md = "See [the report][r].\n\nMore [in the report][R] later.\n\n[r]: https://example.org/r"
    result = BlockRenderer().render(md)
    assert result.blocks[0].html.count('href="https://example.org/r"') == 1
    assert result.blocks[1].html.count('href="https://example.org/r"') == 1


def test_changing_a_link_definition_re_renders_the_blocks_that_use_it() -> None:
    renderer = BlockRenderer()
    renderer.render("Uses [a][x].\n\nPlain.\n\n[x]: https://example.org/1")
    result = renderer.render("Uses [a][x].\n\nPlain.\n\n[x]: https://example.org/2")
    assert 'href="https://example.org/2"' in result.blocks[0].html
    assert result.blocks[0].id in result.changed
    assert result.blocks[1].id not in result.changed


def test_footnotes_are_numbered_across_blocks_and_listed_once_at_the_end() -> None:
    md = "First[^a].\n\nSecond[^b] and again[^a].\n\n[^a]: Note A.\n\n[^b]: Note B."
    result = BlockRenderer().render(md)
    html = body(result)
    assert '<a class="footnote-ref" href="#fn:a" rel="noopener noreferrer">1</a>' in html
    assert '<a class="footnote-ref" href="#fn:b" rel="noopener noreferrer">2</a>' in html
    assert html.count('<div class="footnote">') == 1
    assert '<div class="footnote">' in result.blocks[-1].html
    assert "Note A." in result.blocks[-1].html and "Note B." in result.blocks[-1].html


def test_editing_a_footnote_text_does_not_re_render_the_blocks_that_cite_it() -> None:
    renderer = BlockRenderer()
    renderer.render("Cites[^a].\n\n[^a]: Old note.")
    misses = renderer.misses
    result = renderer.render("Cites[^a].\n\n[^a]: New note.")
    assert "New note." in result.blocks[-1].html
    assert result.blocks[0].id not in result.changed
    assert renderer.misses == misses + 2  # the definition's own block and the footnote list


def test_heading_ids_are_unique_across_blocks_and_form_the_outline() -> None:
    result = BlockRenderer().render("# Intro\n\ntext\n\n## Intro\n\n### Next step")
    assert 'id="intro"' in result.blocks[0].html
    assert 'id="intro_1"' in result.blocks[2].html
    assert [(h.level, h.text, h.id, h.line) for h in result.outline] == [
        (1, "Intro", "intro", 1), (2, "Intro", "intro_1", 5), (3, "Next step", "next-step", 7)]


def test_raw_html_in_markdown_is_sanitised_in_blocks() -> None:
    md = ('<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n'
          '[click](javascript:alert(1))\n\n<a href="javascript:alert(1)">a</a>\n\n'
          '![remote](https://tracker.example/pixel.png)\n\n<iframe src="https://e.example">')
    html = body(BlockRenderer().render(md))
    for bad in ("<script", "onerror", "javascript:", "tracker.example", "<iframe"):
        assert bad not in html


def test_remote_images_load_only_when_the_article_allows_them() -> None:
    md = "![chart](https://images.example/chart.png)\n\n![logo](pse-asset:1234)"
    blocked = body(BlockRenderer().render(md))
    allowed = body(BlockRenderer().render(md, allow_remote_images=True))
    assert "images.example" not in blocked and 'src="pse-asset:1234"' in blocked
    assert 'src="https://images.example/chart.png"' in allowed


@pytest.mark.parametrize("text", ["a\x00b", "lone \ud800 surrogate", "bell \x07", "\x00" * 50])
def test_nul_and_lone_surrogates_are_replaced_not_fatal(text: str) -> None:
    result = BlockRenderer().render(f"# {text}\n\n{text}")
    html = body(result)
    assert "\ufffd" in html
    assert "\x00" not in html and "\ud800" not in html
    assert "\ufffd" in markdown_to_html(text)


def test_a_block_over_a_megabyte_is_shown_as_plain_text_with_a_note() -> None:
    huge = "word " * 250_000
    result = BlockRenderer().render(f"Intro\n\n{huge}")
    assert result.blocks[1].html.startswith('<div class="pse-unrendered')
    assert "more characters not shown" in result.blocks[1].html and is_cut(result.blocks[1].html)
    assert result.problems == ("The block at line 3 is too large to format (1.2 million "
                               "characters) and is shown as plain text.",)
    whole = whole_text(result, f"Intro\n\n{huge}")
    assert whole.blocks[0] == result.blocks[0] and not is_cut(whole.blocks[1].html)
    assert huge.strip() in whole.blocks[1].html and "not shown" not in whole.blocks[1].html
    assert "This block is too large to format (1.2 million characters)" in whole.blocks[1].html


def test_a_list_nested_a_thousand_deep_is_shown_as_plain_text() -> None:
    nested = "\n".join("    " * i + "- x" for i in range(1000))
    result = BlockRenderer().render(nested[:900_000])
    assert "too deeply" in result.problems[0]
    assert "pse-unrendered" in result.blocks[0].html


def test_blocks_named_plain_are_escaped_instead_of_rendered() -> None:
    renderer = BlockRenderer()
    first = renderer.render("Fine\n\n<b>[[[x]]]</b>")
    bad_id = first.blocks[1].id
    again = BlockRenderer().render("Fine\n\n<b>[[[x]]]</b>", plain={bad_id})
    assert "&lt;b&gt;[[[x]]]&lt;/b&gt;" in again.blocks[1].html
    assert "could not be rendered in time" in again.problems[0]
    assert again.blocks[0].html == "<p>Fine</p>"


def test_body_html_wraps_each_block_in_a_patchable_container() -> None:
    result = BlockRenderer().render("One\n\nTwo")
    first, second = result.blocks
    assert result.body_html() == (
        f'<div class="pse-block" data-block="{first.id}" data-line="1"><p>One</p></div>'
        f'<div class="pse-block" data-block="{second.id}" data-line="3"><p>Two</p></div>')


PIECES = [
    "Plain paragraph", "another line", "- item", "* star item", "1. first", "    indented",
    "> quote", "```", "~~~", "```python", "<div>inside</div>", "<!-- c\n\nx -->",
    "# Heading", "Heading", "| a | b |", "|---|---|", ": def", "Term",
    "[ref]: https://example.org", "see [ref]", "", "", "", "<p>raw</p>",
    "text *em* **strong**", "  - nested", "        deep code",
]


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_block_rendering_matches_a_full_conversion_for_mixed_constructs(
        lines: list[str]) -> None:
    md = "\n".join(lines)
    full = canonical(markdown_to_html(md)).replace("<p></p>", "")
    blocks = canonical(body(BlockRenderer().render(md))).replace("<p></p>", "")
    assert blocks == full
