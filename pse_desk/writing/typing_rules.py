"""What Enter and Tab do on a Markdown line, without Qt: the editor's typing aids.

Enter continues a list item (the next number, an open task box) or a quote, and ends it on an
empty item; Tab and Shift+Tab indent and outdent by one list level; a numbered item's siblings
are renumbered after an insertion; ``**`` and ``*`` markers toggle bold and italic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pse_desk.writing.prose import THEMATIC_BREAK

INDENT = "    "  # one list level: Python-Markdown nests lists by four spaces
ITEM = re.compile(
    r"^(?P<quote>(?:[ \t]{0,3}>[ \t]?)*)(?P<indent>[ \t]*)"
    r"(?:(?P<bullet>[-*+])|(?P<number>\d{1,9})(?P<delim>[.)]))(?P<space>[ \t]+)"
    r"(?P<task>\[[ xX]\][ \t]+)?")
QUOTE_ONLY = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
WEB_ADDRESS = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}://|www\.|mailto:)\S+$")


@dataclass(frozen=True)
class Continuation:
    """What Enter does on a list or quote line: start the next item with ``prefix``, or
    (``end_block``) replace the empty item's line with ``replacement`` and stop there."""

    prefix: str = ""
    end_block: bool = False
    replacement: str = ""


def is_list_item(line: str) -> bool:
    return ITEM.match(line) is not None and THEMATIC_BREAK.match(line) is None


def continuation(line: str, column: int) -> Continuation | None:
    """Enter at ``column`` of ``line``; None when the line is no list item or quote, or the
    cursor stands inside its marker (Enter then just breaks the line)."""
    if THEMATIC_BREAK.match(line):
        return None
    item = ITEM.match(line)
    if item is not None:
        if column < item.end():
            return None
        quote = item.group("quote")
        if not line[item.end():].strip():
            return Continuation(end_block=True, replacement=quote.rstrip() and quote)
        number = item.group("number")
        marker = item.group("bullet") or f"{int(number) + 1}{item.group('delim')}"
        task = "[ ] " if item.group("task") else ""
        return Continuation(f"{quote}{item.group('indent')}{marker}{item.group('space')}{task}")
    quote_only = QUOTE_ONLY.match(line)
    if quote_only is None or column < quote_only.end():
        return None
    if not line[quote_only.end():].strip():
        return Continuation(end_block=True, replacement="")
    prefix = quote_only.group()
    return Continuation(prefix if prefix.endswith((" ", "\t")) else prefix + " ")


def outdented(line: str) -> str:
    """``line`` one indentation level less deep (four spaces or one tab)."""
    if line.startswith("\t"):
        return line[1:]
    return line[min(len(line) - len(line.lstrip(" ")), len(INDENT)):]


def stars_hold(run: int, width: int) -> bool:
    """Whether a run of ``run`` stars holds an emphasis marker of ``width`` (1 italic, 2 bold):
    ``*x*`` and ``***x***`` are italic, ``**x**`` and ``***x***`` bold."""
    return run in ((1, 3) if width == 1 else (2, 3))


def wrapped_in_stars(text: str, width: int) -> bool:
    """Whether ``text`` itself begins and ends with a ``width`` emphasis marker."""
    stripped = text.strip("*")
    if not stripped:
        return False
    lead = len(text) - len(text.lstrip("*"))
    trail = len(text) - len(text.rstrip("*"))
    return stars_hold(min(lead, trail), width)


def looks_like_url(text: str) -> bool:
    return WEB_ADDRESS.match(text) is not None


RENUMBER_LOOKAHEAD = 500  # lines; a list longer than this keeps its later numbers


def renumbered_siblings(item: str, following: Sequence[str]) -> list[tuple[int, str]]:
    """After a numbered ``item``, the sibling items below it whose numbers must change to
    continue its count: (index in ``following``, new line). Nested lines, blank lines and
    continuation text of the items are passed over; anything else ends the list."""
    first = ITEM.match(item)
    if first is None or first.group("number") is None:
        return []
    quote, indent, delim = first.group("quote"), first.group("indent"), first.group("delim")
    expected = int(first.group("number")) + 1
    changes: list[tuple[int, str]] = []
    for index, line in enumerate(following[:RENUMBER_LOOKAHEAD]):
        if not line.strip():
            continue
        sibling = ITEM.match(line)
        if sibling and sibling.group("quote") == quote and sibling.group("indent") == indent:
            if sibling.group("number") is None or sibling.group("delim") != delim:
                break
            if int(sibling.group("number")) != expected:
                start, end = sibling.span("number")
                changes.append((index, f"{line[:start]}{expected}{line[end:]}"))
            expected += 1
            continue
        body = line[len(quote):] if line.startswith(quote) else line
        if len(body) - len(body.lstrip(" \t")) > len(indent):
            continue  # nested in an item: a sub-list or the item's own paragraphs
        break
    return changes
