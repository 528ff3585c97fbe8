"""Hostile text: every writing aid stays linear on long lines and deep nesting."""

from __future__ import annotations

import time

import pytest

from pse_desk.writing.checks import check
from pse_desk.writing.outline import outline
from pse_desk.writing.spelling import SpellChecker
from pse_desk.writing.stats import text_stats

HOSTILE = {
    "open brackets": "[" * 20000 + "a" + "]" * 20000,
    "unclosed links": "[a](" * 10000,
    "unclosed tags": "<a " * 20000,
    "unclosed images": "<img " * 20000,
    "list nested 1000 deep": "\n".join("  " * i + "- x" for i in range(1000)),
    "dotted run": "a." * 100_000,
    "dots without end": "." * 100_000 + "x",
    "underscores": "_" * 100_000 + "a",
    "comment openers": "<!--" * 30_000,
    "attribute openers": "{." * 50_000,
    "blanks before a table rule": "|--" + " " * 100_000 + "x",
    "NUL characters": "a\x00b " * 50_000,
    "long single line": "word " * 100_000,
    "unclosed footnote references": "[^" * 10000,
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_writing_aids_finish_quickly_on_hostile_text(name: str) -> None:
    text = HOSTILE[name]
    checker = SpellChecker()
    for aid in (check, outline, text_stats, checker.check_text):
        start = time.perf_counter()
        aid(text)
        elapsed = time.perf_counter() - start
        assert elapsed < 5.0, f"{aid.__name__} took {elapsed:.1f}s on {name}"
