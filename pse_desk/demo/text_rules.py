"""The text checks of the default rules, just enough to keep demo comments honest.

Demo comments are generated with their ``held_reasons``; these checks find the exact
substrings (banned and suspect words, links, a shouted stretch) so every hit we store names
text that really is in the comment, and ordinary comments can be shown to trip nothing.
The real rule engine lives in ``pse_desk.moderation``; this is not it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pse_desk.demo.rules import BANNED_WORDS, SUSPECT_WORDS

LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+", re.IGNORECASE)
SHOUT_RUN = re.compile(r"[A-Z][A-Z0-9 ,.!?'’-]*[A-Z!?]")
MAX_LINKS = 2
MIN_LETTERS = 20
MAX_CAPS_RATIO = 0.6


def _word_pattern(words: Sequence[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


BANNED = _word_pattern(BANNED_WORDS)
SUSPECT = _word_pattern(SUSPECT_WORDS)


def banned_words(body: str) -> list[str]:
    return BANNED.findall(body)


def suspect_words(body: str) -> list[str]:
    return SUSPECT.findall(body)


def links(body: str) -> list[str]:
    return LINK.findall(body)


def caps_ratio(body: str) -> float:
    letters = [c for c in body if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


def is_shouting(body: str) -> bool:
    return caps_ratio(body) > MAX_CAPS_RATIO


def shouted_runs(body: str) -> list[str]:
    """The stretches written in capitals (at least ten characters long)."""
    return [m.strip() for m in SHOUT_RUN.findall(body) if len(m.strip()) >= 10]


def trips_any_text_rule(body: str) -> bool:
    return bool(banned_words(body) or suspect_words(body) or len(links(body)) > MAX_LINKS
                or is_shouting(body))
