"""Word-level comparison of two texts. How long a comparison of a 100,000-word article takes is
measured by benchmarks/writing.py (``writing.diff_s.*``)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.writing.diff import Segment, compare


def spelled(segments: list[Segment]) -> tuple[str, str]:
    return "".join(s.a_text for s in segments), "".join(s.b_text for s in segments)


def test_a_changed_word_is_one_replace_between_equal_segments() -> None:
    segments = compare("The council met on Monday.", "The council met on Tuesday.")
    assert [(s.tag, s.a_text, s.b_text) for s in segments] == [
        ("equal", "The council met on ", "The council met on "),
        ("replace", "Monday", "Tuesday"),
        ("equal", ".", "."),
    ]


def test_insertions_and_deletions_are_word_sized() -> None:
    segments = compare("a plan for housing", "a bold plan for housing and transport")
    assert [(s.tag, s.b_text) for s in segments if s.tag != "equal"] == [
        ("insert", "bold "), ("insert", " and transport")]
    assert [s.a_text for s in compare("one two three", "one three") if s.tag == "delete"] \
        == ["two "]


def test_offsets_point_into_both_texts() -> None:
    a, b = "alpha beta\ngamma delta", "alpha beta\ngamma epsilon"
    for s in compare(a, b):
        assert a[s.a_start:s.a_start + len(s.a_text)] == s.a_text
        assert b[s.b_start:s.b_start + len(s.b_text)] == s.b_text


def test_identical_texts_are_one_equal_segment() -> None:
    assert [s.tag for s in compare("same\ntext", "same\ntext")] == ["equal"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .\n", max_size=60), st.text(alphabet="ab .\n", max_size=60))
def test_segments_spell_both_texts_exactly(a: str, b: str) -> None:
    segments = compare(a, b)
    assert spelled(segments) == (a, b)
    for first, second in itertools.pairwise(segments):
        assert not (first.tag == "equal" and second.tag == "equal")


def _article(words: int, rng: random.Random) -> str:
    vocabulary = ["council", "housing", "budget", "local", "people", "plan", "the", "a", "of",
                  "devolution", "community", "services"] + [f"w{i}" for i in range(2000)]
    sentences = []
    count = 0
    while count < words:
        n = rng.randint(6, 25)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + ".")
        count += n
    return " ".join(sentences)


def test_a_100000_word_article_with_scattered_edits_is_compared_edit_by_edit() -> None:
    rng = random.Random(7)
    paragraphs = [_article(200, rng) for _ in range(500)]
    old = "\n\n".join(paragraphs)
    paragraphs[3] = paragraphs[3].replace("budget", "spending")
    paragraphs[250] = "A new paragraph."
    del paragraphs[400]
    new = "\n\n".join(paragraphs)
    segments = compare(old, new)
    assert spelled(segments) == (old, new)
    assert {s.b_text for s in segments if s.tag == "replace"} >= {"spending"}
    changed = {s.b_text.strip() for s in segments if s.tag in ("insert", "replace")}
    assert {"new", "paragraph"} <= changed
    assert sum(len(s.a_text) for s in segments if s.tag == "equal") > 0.95 * len(old)


def test_a_100000_word_single_paragraph_compares_exactly_even_when_rewritten() -> None:
    rng = random.Random(8)
    old = _article(100_000, rng)
    cut = old.index(" ", 200_000)
    edited = old[:cut] + " inserted words" + old[cut:]
    rewritten = _article(100_000, rng)
    for new in (edited, rewritten, old.replace("budget", "money")):
        assert spelled(compare(old, new)) == (old, new)
    changes = [(s.tag, s.b_text.strip()) for s in compare(old, edited) if s.tag != "equal"]
    assert changes == [("insert", "inserted words")]
