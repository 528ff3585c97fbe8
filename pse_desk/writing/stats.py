"""Word count and reading time of a Markdown text, with its syntax left out.

Link targets, URLs, image addresses, HTML tags and Markdown marks are not words; the visible
text of links, alt text and code are (a reader reads them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pse_desk.writing.prose import WORD, mask

WORDS_PER_MINUTE = 238  # average silent reading speed of adults for non-fiction (Brysbaert 2019)


@dataclass(frozen=True)
class TextStats:
    words: int
    characters: int  # of the words, without spaces or syntax
    reading_minutes: int  # rounded up; 0 only for an empty text

    @property
    def reading_time(self) -> str:
        """For the status bar: "4 min read"."""
        return f"{self.reading_minutes} min read"


def word_count(text: str) -> int:
    return sum(len(WORD.findall(line)) for line in mask(text, keep_code=True))


def text_stats(text: str) -> TextStats:
    words = 0
    characters = 0
    for line in mask(text, keep_code=True):
        for found in WORD.findall(line):
            words += 1
            characters += len(found)
    return TextStats(words, characters, reading_minutes(words))


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0
