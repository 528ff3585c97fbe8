"""Markdown style spans of one source line, without Qt: what the editor's highlighter paints.

Headings, emphasis, links, inline and fenced code, quotes, lists, HTML and URLs are collected as
spans ``(start, end, style)`` in code points of the line, then resolved into non-overlapping
runs with the styles active in each, so emphasis inside a heading or quote keeps both looks.
Fenced code is tracked from line to line through a block state (``fence_state``,
``closes_fence``). Every scan is linear in the line: regular expressions that go quadratic on
hostile lines (``'**a ' * 5000``, 20,000 backticks) are not used here.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from pse_desk.writing.prose import (
    ATX,
    AUTOLINK,
    EMAIL,
    FENCE,
    FOOTNOTE_REF,
    HTML_TAG,
    INLINE_LINK,
    LINK_DEF,
    REF_LINK,
    THEMATIC_BREAK,
    URL,
)

# lines longer than this get no inline styling: a 10 MB pasted line must not stall a keystroke
LONG_LINE = 10_000
NORMAL, IN_FENCE = 0, 1
# block state of a line inside fenced code: fence character kind * 1000 + fence length
_FENCE_KINDS = {"`": 1, "~": 2}

SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
QUOTE = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t])(?:[ \t]+\[[ xX]\](?=[ \t]|$))?")
BACKTICKS = re.compile(r"`+")
DELIMITER_RUN = re.compile(r"\*+|_+|~~+")
FOOTNOTE = FOOTNOTE_REF  # a footnote reference (bounded: linear on '[^' * 10000)

Span = tuple[int, int, str]


def fence_state(line: str) -> int:
    """The block state a fence-opening line starts, or NORMAL when it opens none."""
    m = FENCE.match(line)
    if not m or (m.group(1)[0] == "`" and "`" in line[m.end():]):
        return NORMAL
    return _FENCE_KINDS[m.group(1)[0]] * 1000 + min(len(m.group(1)), 999)


def closes_fence(line: str, state: int) -> bool:
    char = "`" if state // 1000 == 1 else "~"
    stripped = line.strip()
    return (len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= state % 1000
            and set(stripped) == {char})


def code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans of a line: a run of backticks up to the next run of the same length.

    A linear scan (the regular expression takes seconds on a line of 20,000 backticks)."""
    runs = [m.span() for m in BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        same = by_length[end - start]
        after = bisect.bisect_right(same, index)
        if after < len(same):
            close = same[after]
            spans.append((start, runs[close][1]))
            index = close + 1
        else:
            index += 1
    return spans


def emphasis_spans(text: str, blocked: bytearray) -> list[tuple[int, int, str]]:
    """Emphasis, strong and strikethrough: each closing delimiter run meets the nearest open
    one of the same character. Linear in the line, unlike a lazy regular expression, which
    goes quadratic on ``'**a ' * 5000``; close enough to Markdown's rules for colouring."""
    open_runs: dict[str, list[tuple[int, int]]] = {"*": [], "_": [], "~": []}
    spans: list[tuple[int, int, str]] = []
    size = len(text)
    for m in DELIMITER_RUN.finditer(text):
        start, end = m.span()
        if blocked[start] or (start and text[start - 1] == "\\"):
            continue
        char = text[start]
        before = text[start - 1] if start else " "
        after = text[end] if end < size else " "
        if char == "_" and before.isalnum() and after.isalnum():
            continue  # snake_case is not emphasis
        stack = open_runs[char]
        if not before.isspace() and stack:
            opened, length = stack.pop()
            width = min(length, end - start)
            styles = ("strike",) if char == "~" else \
                ("strong", "emphasis") if width >= 3 else ("strong",) if width == 2 \
                else ("emphasis",)
            spans.extend((opened, end, style) for style in styles)
        elif not after.isspace():
            stack.append((start, end - start))
    return spans


def _block_prefix(text: str, spans: list[tuple[int, int, str]]) -> bool:
    """Style the line's block syntax; True when nothing inline follows (rules, link defs)."""
    heading = ATX.match(text)
    if heading:
        spans.append((0, len(text), "heading"))
        spans.append((0, heading.end(), "marker"))
        return False
    if SETEXT_UNDERLINE.match(text) or THEMATIC_BREAK.match(text) or LINK_DEF.match(text):
        spans.append((0, len(text), "marker"))
        return True
    quote = QUOTE.match(text)
    start = 0
    if quote:
        spans.append((0, len(text), "quote"))
        spans.append((0, quote.end(), "marker"))
        start = quote.end()
    marker = LIST_MARKER.match(text, start)
    if marker:
        spans.append((start, marker.end(), "marker"))
    return False


def inline_spans(text: str) -> list[tuple[int, int, str]]:
    """Style spans of one prose line, in painting order (later spans layer over earlier)."""
    spans: list[tuple[int, int, str]] = []
    if _block_prefix(text, spans):
        return spans
    blocked = bytearray(len(text) + 1)  # 1 where code, a link target or a URL stands

    def block(start: int, end: int) -> None:
        blocked[start:end] = b"\x01" * (end - start)

    for start, end in code_spans(text):
        spans.append((start, end, "code"))
        block(start, end)
    for pattern in (INLINE_LINK, REF_LINK):
        for m in pattern.finditer(text):
            if not blocked[m.start()] and not blocked[m.end() - 1]:
                spans.append((m.start(2), m.end(2), "link_text"))
                spans.append((m.end(2) + 1, m.end(), "url"))
                block(m.end(2), m.end())
    for pattern, style in ((AUTOLINK, "url"), (URL, "url"), (EMAIL, "url"),
                           (FOOTNOTE, "url"), (HTML_TAG, "html")):
        for m in pattern.finditer(text):
            if not blocked[m.start()]:
                spans.append((m.start(), m.end(), style))
                block(m.start(), m.end())
    spans.extend(emphasis_spans(text, blocked))
    return spans


def resolve(spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Non-overlapping runs with the styles active in each, in painting order (a sweep over
    the span ends, so thousands of spans on one line stay cheap)."""
    events: dict[int, list[int]] = {}
    for index, (start, end, _style) in enumerate(spans):
        if end > start:
            events.setdefault(start, []).append(index)
            events.setdefault(end, []).append(~index)
    active: set[int] = set()
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    cuts = sorted(events)
    for a, b in itertools.pairwise(cuts):
        for event in events[a]:
            if event >= 0:
                active.add(event)
            else:
                active.discard(~event)
        if active:
            runs.append((a, b, tuple(spans[i][2] for i in sorted(active))))
    return runs


def is_setext_heading(text: str, next_line: str | None) -> bool:
    """Whether ``text`` is a setext heading's text: the line below it is ``===`` or ``---``."""
    return (next_line is not None and SETEXT_UNDERLINE.match(next_line) is not None
            and bool(text.strip()) and not ATX.match(text) and not QUOTE.match(text)
            and not LIST_MARKER.match(text) and not SETEXT_UNDERLINE.match(text)
            and not THEMATIC_BREAK.match(text))
