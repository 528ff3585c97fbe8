"""Hostile text: every writing aid gives a sound answer on long lines and deep nesting —
the words counted, no heading invented, every finding and misspelling where the text has it.
How long the aids take is measured by benchmarks/writing.py (``writing.hostile_aids_s``); they
run in a worker process with a deadline, so a slow one never holds the editor.
"""

from __future__ import annotations

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


# what each aid must find: the words counted, and the kinds of finding (a text of many words
# gets its reading ease; one sentence of thousands of words is a long sentence)
ONE_LONG_SENTENCE = ("long_sentence", "readability")
EXPECTED: dict[str, tuple[int, tuple[str, ...]]] = {
    "open brackets": (1, ()), "unclosed links": (10000, ONE_LONG_SENTENCE),
    "unclosed tags": (20000, ONE_LONG_SENTENCE), "unclosed images": (20000, ONE_LONG_SENTENCE),
    "list nested 1000 deep": (1000, ("readability",)), "dotted run": (100_000, ()),
    "dots without end": (1, ()), "underscores": (1, ()), "comment openers": (0, ()),
    "attribute openers": (0, ()), "blanks before a table rule": (1, ()),
    "NUL characters": (100_000, ONE_LONG_SENTENCE),
    "long single line": (100_000, ONE_LONG_SENTENCE),
    "unclosed footnote references": (0, ()),
}
MISSPELT = {"unclosed images": 20000}  # "img", once per opener; nothing else is a word


@pytest.mark.parametrize("name", list(HOSTILE))
def test_writing_aids_give_sound_answers_on_hostile_text(name: str) -> None:
    text = HOSTILE[name]
    lines = text.split("\n")
    words, kinds = EXPECTED[name]
    assert text_stats(text).words == words
    assert outline(text) == []  # no hostile text here has a heading
    findings = check(text)
    assert tuple(sorted(f.kind for f in findings)) == kinds
    assert all(1 <= f.line <= len(lines) and f.message.endswith(".") for f in findings)
    checker = SpellChecker()
    if not checker.available:
        return
    misspelt = checker.check_text(text)
    assert len(misspelt) == MISSPELT.get(name, 0)
    assert all(lines[m.line - 1][m.start:m.end] == m.word for m in misspelt)
