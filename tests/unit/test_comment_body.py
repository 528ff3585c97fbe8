"""What the detail pane is given for a comment body: the sanitised HTML and whether sanitising
removed markup — and when nothing readable is left, no HTML at all, not the quotes and brackets
an injection leaves around the tag it tried to break out of (issue 8: ``">`` was shown)."""

from __future__ import annotations

import pytest

from pse_desk.services.moderation.body import safe_body


@pytest.mark.parametrize("body", [
    '"><script src=https://evil.example/x.js></script>',
    "'><svg onload=alert(1)>",
    "<img src=x onerror=alert(document.cookie)>",
    '<iframe src="https://evil.example/frame"></iframe>',
    "<style>body { display: none }</style>\n",
    "<!-- hidden --><input autofocus onfocus=alert(1)>",
])
def test_a_body_of_nothing_but_markup_leaves_nothing_to_show(body: str) -> None:
    shown = safe_body(body)
    assert shown.markup_removed and shown.nothing_left
    assert shown.html == ""


@pytest.mark.parametrize(("body", "kept"), [
    ("<script>alert('pwned')</script>Great article!", "Great article!"),
    ('"><script src=x.js></script> Read this', "Read this"),
    ("<img src=x> 👍", "👍"),
])
def test_markup_removed_around_words_is_said_and_the_words_are_shown(body: str,
                                                                     kept: str) -> None:
    shown = safe_body(body)
    assert shown.markup_removed and not shown.nothing_left
    assert kept in shown.html


@pytest.mark.parametrize("body", [
    "", ":)", '<b>"></b>', "a < b and c > d", "Line one\nline two", "<p>para</p><p>two",
    "<b>unclosed", "Tom &amp; Jerry", "bell\x07", "<a href=\"https://example.org\">a link</a>",
])
def test_a_comment_the_sanitiser_leaves_whole_says_nothing_was_removed(body: str) -> None:
    shown = safe_body(body)
    assert not shown.markup_removed and not shown.nothing_left
