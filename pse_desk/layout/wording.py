"""How the layout's sentences write names, numbers, moments and source descriptions.

Names go in curly quotes, cut to a readable length and with control characters made visible;
numbers get thousands separators; moments are "dd/mm/yyyy hh:mm" (naive UTC, as stored). One
place for these, so every warning, refusal and comparison reads the same way.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from pse_desk.layout.values import LATEST, LINKS, PICKED, Item, Source

NAME_CHARS = 60  # a name quoted in a sentence is cut to this many characters
DELETED_ARTICLE = "(deleted article)"
NONE_SHOWN = "(none)"
_REPLACEMENT = "\ufffd"


def is_control(char: str) -> bool:
    """Control and format characters (C0, C1, bidi overrides, zero-width …)."""
    return unicodedata.category(char) in ("Cc", "Cf")


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the last being "…" when cut."""
    if len(text) <= limit:
        return text
    return text[:max(limit - 1, 0)] + "…"


def visible(text: str, limit: int = NAME_CHARS) -> str:
    """``text`` as a sentence can show it: one line, control characters replaced, cut."""
    text = cut(text, limit * 2)  # no need to clean 5,000 characters of a name shown as 60
    cleaned = "".join(_REPLACEMENT if is_control(c) and c not in "\t\n\r" else c for c in text)
    return cut(" ".join(cleaned.split()), limit)


def quoted(text: str, limit: int = NAME_CHARS) -> str:
    return f"“{visible(text, limit)}”"


def count(n: int) -> str:
    return f"{n:,}"


def plural(n: int, word: str, words: str = "") -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def moment(value: datetime) -> str:
    """dd/mm/yyyy hh:mm (zero-padded whatever the year, unlike ``strftime('%Y')``)."""
    return (f"{value.day:02d}/{value.month:02d}/{value.year:04d} "
            f"{value.hour:02d}:{value.minute:02d}")


def day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def either(names: tuple[str, ...] | list[str]) -> str:
    """“A”, “B” or “C”."""
    quoted_names = [quoted(name) for name in names]
    if len(quoted_names) <= 1:
        return "".join(quoted_names)
    return ", ".join(quoted_names[:-1]) + " or " + quoted_names[-1]


def item_name(item: Item, article_title: str | None) -> str:
    """What an item is called in a sentence: its article's title, or the link's own title
    (its address when it has none)."""
    if item.article_id is not None:
        return article_title if article_title is not None else item.title or DELETED_ARTICLE
    return item.title.strip() or item.url.strip() or "(untitled link)"


def source_text(source: Source) -> str:
    """A source as a person reads it: "latest articles in “Health”, tagged “nhs”, by “Ann”"."""
    if source.kind == PICKED:
        return "picked articles"
    if source.kind == LINKS:
        return "links"
    if source.kind != LATEST:
        return f"an unknown source {quoted(source.kind)}"
    parts = []
    if source.sections:
        parts.append(f"in {either(source.sections)}")
    if source.tags:
        parts.append(f"tagged {either(source.tags)}")
    if source.author:
        parts.append(f"by {quoted(source.author)}")
    return " ".join(["latest articles", ", ".join(parts)]) if parts else "latest articles"
