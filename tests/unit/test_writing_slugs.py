"""Slugs from titles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pse_desk.writing.slugs import MAX_SLUG, slugify, unique_slug


def test_accents_and_special_letters_are_transliterated() -> None:
    assert slugify("Café culture in Ærøskøbing & Straße") == \
        "cafe-culture-in-aeroskobing-and-strasse"


def test_apostrophes_vanish_and_punctuation_becomes_one_hyphen() -> None:
    assert slugify("Who’s afraid of the council's 5% rise?!") == \
        "whos-afraid-of-the-councils-5-per-cent-rise"


def test_a_title_without_latin_letters_gets_a_fallback_slug() -> None:
    assert slugify("!!! ???") == "untitled"
    assert slugify("") == "untitled"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify("devolution " * 30)
    assert len(slug) <= MAX_SLUG
    assert not slug.endswith("-")
    assert set(slug.split("-")) == {"devolution"}


def test_unique_slug_counts_up_past_taken_ones() -> None:
    assert unique_slug("news", set()) == "news"
    assert unique_slug("news", {"news", "news-2"}) == "news-3"


@given(st.text(max_size=200))
def test_every_slug_is_lower_case_ascii_letters_digits_and_single_hyphens(title: str) -> None:
    slug = slugify(title)
    assert slug
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert "--" not in slug
    assert not slug.startswith("-")
    assert not slug.endswith("-")
