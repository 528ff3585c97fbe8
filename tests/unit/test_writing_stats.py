"""Word count and reading time, with Markdown syntax left out."""

from __future__ import annotations

from pse_desk.writing.stats import WORDS_PER_MINUTE, reading_minutes, text_stats, word_count


def test_markdown_syntax_and_link_targets_are_not_counted() -> None:
    text = "## Two words\n\n- [three more words](https://example.org/a/b/c) **here**"
    assert word_count(text) == 6


def test_code_counts_but_urls_do_not() -> None:
    assert word_count("Run `make test` at https://ci.example.org today") == 5


def test_reading_time_uses_238_words_a_minute_rounded_up() -> None:
    assert WORDS_PER_MINUTE == 238
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(238) == 1
    assert reading_minutes(239) == 2


def test_stats_of_a_long_text() -> None:
    stats = text_stats(" ".join(["word"] * 2380))
    assert stats.words == 2380
    assert stats.reading_minutes == 10
    assert stats.reading_time == "10 min read"
    assert stats.characters == 4 * 2380
