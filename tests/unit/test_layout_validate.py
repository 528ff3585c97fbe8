"""Which addresses a page may link, the one-sentence refusals of bad input, and panel keys."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.layout.validate import (
    MAX_KEY_CHARS,
    item_refusal,
    panel_refusal,
    pin_refusal,
    safe_url,
    unique_key,
)
from pse_desk.layout.values import LATEST, LINKS, PICKED, Source

START = datetime(2024, 5, 2, 10, 0)
EARLIER = datetime(2024, 5, 1, 9, 0)


# --- safe_url -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://example.com", "http://example.com/news?id=1#top", "HTTPS://EXAMPLE.COM/A",
    "mailto:desk@example.org", "/news/budget-2024", "/", " https://example.com ",
])
def test_web_mail_and_site_addresses_are_safe(url: str) -> None:
    assert safe_url(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", " javascript:alert(1)", "data:text/html,<script>x</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "//evil.example",
    "//evil.example/news", "/\\evil.example", "\\\\evil.example", "", "   ", "\t",
    "https://example.com/\x00", "\x01javascript:alert(1)", "https://exa\u202emple.com",
    "https://example.com/\u200b", "https://example.com/\x7f", "http://", "https:evil.example",
    "news/relative", "ftp://files.example", "file:///etc/passwd", "http://[::1",
])
def test_scripts_data_protocol_relative_empty_and_control_characters_are_refused(
        url: str) -> None:
    assert not safe_url(url)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_safe_url_never_raises_and_refuses_every_script_address(text: str) -> None:
    assert isinstance(safe_url(text), bool)
    assert not safe_url("javascript:" + text)
    assert not safe_url("java\tscript:" + text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20).filter(lambda t: "\x00" not in t))
def test_an_address_with_a_control_character_is_refused(text: str) -> None:
    assert not safe_url(f"https://example.com/{text}\x00")
    assert not safe_url(f"https://example.com/{text}\u202e")


# --- item refusals ------------------------------------------------------------------------------

def link_refusal(title: str = "A video", url: str = "https://tv.example/1", summary: str = "",
                 pinned: bool = False, pinned_from: datetime | None = None,
                 pinned_until: datetime | None = None) -> str | None:
    return item_refusal(title, url, summary, pinned, pinned_from, pinned_until, True)


def test_a_good_link_and_a_good_article_item_are_not_refused() -> None:
    assert link_refusal() is None
    assert link_refusal(url="/news/x", pinned=True, pinned_from=EARLIER,
                        pinned_until=START) is None
    assert item_refusal("", "", "", False, None, None, False) is None  # an article's own title


@pytest.mark.parametrize(("refusal", "expected"), [
    (lambda: link_refusal(title=""),
     "A link needs a title, which the panel shows."),
    (lambda: link_refusal(title="   "),
     "A link needs a title, which the panel shows."),
    (lambda: link_refusal(title="x" * 5000),
     "A title can be at most 300 characters; this one has 5,000."),
    (lambda: item_refusal("x" * 5000, "", "", False, None, None, False),
     "A title can be at most 300 characters; this one has 5,000."),
    (lambda: link_refusal(summary="s" * 2001),
     "A summary can be at most 2,000 characters; this one has 2,001."),
    (lambda: link_refusal(url=""), "A link needs an address (https://…)."),
    (lambda: link_refusal(url="  "), "A link needs an address (https://…)."),
    (lambda: link_refusal(url="https://example.com/" + "a" * 2000),
     "An address can be at most 2,000 characters; this one has 2,020."),
    (lambda: link_refusal(url="javascript:alert(1)"),
     "“javascript:alert(1)” cannot be linked: use a web address (http:// or https://), a "
     "mail address (mailto:) or a path on the site (/news/…)."),
    (lambda: link_refusal(pinned=True, pinned_from=START, pinned_until=EARLIER),
     "The pin would end (01/05/2024 09:00) before it starts (02/05/2024 10:00); pick an end "
     "after the start."),
    (lambda: item_refusal("", "", "", True, START, START, False),
     "The pin would end (02/05/2024 10:00) before it starts (02/05/2024 10:00); pick an end "
     "after the start."),
])
def test_item_refusals_are_one_sentence(refusal: object, expected: str) -> None:
    assert callable(refusal)
    text = refusal()
    assert text == expected
    assert text.endswith(".")
    assert "\n" not in text


def test_a_backwards_window_is_only_refused_for_a_pin() -> None:
    assert link_refusal(pinned=False, pinned_from=START, pinned_until=EARLIER) is None
    assert pin_refusal(START, None) is None
    assert pin_refusal(None, EARLIER) is None
    assert pin_refusal(EARLIER, START) is None


def test_a_refused_address_is_quoted_short_and_visible() -> None:
    text = link_refusal(url="javascript:" + "a" * 500 + "\x1b[31m")
    assert text is not None
    assert text.startswith("“javascript:aaaa")
    assert "…”" in text  # cut
    assert "\x1b" not in text
    assert text.endswith(".")


# --- panel refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [LATEST, PICKED, LINKS])
@pytest.mark.parametrize("count", [1, 3, 50])
def test_a_good_panel_is_not_refused(kind: str, count: int) -> None:
    assert panel_refusal("Latest news", count, Source(kind=kind)) is None


@pytest.mark.parametrize(("title", "count", "source", "expected"), [
    ("", 3, Source(), "A panel needs a title, which the page shows above it."),
    (" \t ", 3, Source(), "A panel needs a title, which the page shows above it."),
    ("x" * 5000, 3, Source(),
     "A panel's title can be at most 300 characters; this one has 5,000."),
    ("News", 0, Source(), "A panel shows 1 to 50 items; 0 is out of range."),
    ("News", 51, Source(), "A panel shows 1 to 50 items; 51 is out of range."),
    ("News", 10_000, Source(), "A panel shows 1 to 50 items; 10,000 is out of range."),
    ("News", -1, Source(), "A panel shows 1 to 50 items; -1 is out of range."),
    ("News", 3, Source(kind="podcast"), "“podcast” is not a source a panel can have."),
    ("News", 3, Source(sections=("s" * 121,)),
     "A section, tag or author can be at most 120 characters; this one has 121."),
    ("News", 3, Source(author="a" * 500),
     "A section, tag or author can be at most 120 characters; this one has 500."),
])
def test_panel_refusals_are_one_sentence(title: str, count: int, source: Source,
                                         expected: str) -> None:
    text = panel_refusal(title, count, source)
    assert text == expected
    assert text.endswith(".")


def test_the_first_problem_of_a_panel_is_the_one_refused() -> None:
    assert panel_refusal("", 0, Source(kind="x")) == (
        "A panel needs a title, which the page shows above it.")
    text = panel_refusal("News", 0, Source(kind="x"))
    assert text is not None and "out of range" in text


# --- unique_key -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "key"), [
    ("Latest news", "latest_news"),
    ("  Latest   public-sector NEWS!  ", "latest_public_sector_news"),
    ("TV: top 10 videos", "tv_top_10_videos"),
    ("Café Übersicht", "cafe_ubersicht"),
    ("Crème brûlée", "creme_brulee"),
    ("!!!", "panel"),
    ("", "panel"),
    ("日本語のニュース", "panel"),
    ("Новости", "panel"),
    ("News 日本", "news"),
])
def test_unique_key_is_the_title_as_ascii_words(title: str, key: str) -> None:
    assert unique_key(title, set()) == key


def test_unique_key_adds_a_number_when_taken() -> None:
    assert unique_key("Latest news", {"latest_news"}) == "latest_news_2"
    assert unique_key("Latest news", {"latest_news", "latest_news_2"}) == "latest_news_3"
    assert unique_key("Latest news", {"latest_news", "latest_news_3"}) == "latest_news_2"
    assert unique_key("Latest news", {"latest_news_2"}) == "latest_news"
    assert unique_key("???", ["panel", "panel_2"]) == "panel_3"


def test_unique_key_is_cut_without_a_trailing_underscore() -> None:
    key = unique_key("word " * 20, set())
    assert len(key) <= MAX_KEY_CHARS
    assert key == "word_word_word_word_word_word_word_word"
    assert unique_key("a" * 100, set()) == "a" * MAX_KEY_CHARS


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80), taken=st.sets(st.text(max_size=12), max_size=5))
def test_unique_key_is_never_taken_and_always_css_safe(title: str, taken: set[str]) -> None:
    key = unique_key(title, taken)
    assert key not in taken
    assert key
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789_" for c in key)
    assert not key.startswith("_") and not key.endswith("_")
