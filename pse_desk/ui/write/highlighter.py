"""Markdown syntax highlighting for the editor, one block (source line) at a time.

Headings, emphasis, links, inline and fenced code, quotes, lists, HTML and URLs get their own
look; colours come from the editor's palette (a light and a dark set), so a theme switch only
rebuilds the formats. Fenced code is tracked through the block state, so a keystroke re-styles
one line unless it opens or closes a fence. Styles are collected as spans and resolved into
runs, so emphasis inside a heading or quote keeps both looks. The spelling hook adds a red
wavy underline to the words it reports; lines inside fenced code are never spell-checked.

Positions: Python indexes code points, Qt indexes UTF-16 units; ``utf16_offsets`` converts
where a line holds characters outside the Basic Multilingual Plane (emoji).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from pse_desk.writing.prose import (
    ATX,
    AUTOLINK,
    EMAIL,
    FENCE,
    HTML_TAG,
    INLINE_LINK,
    LINK_DEF,
    REF_LINK,
    THEMATIC_BREAK,
    URL,
)

# lines longer than this get no inline styling: a 10 MB pasted line must not stall a keystroke
LONG_LINE = 10_000
LAZY_SLICE_LINES = 80  # lines styled per turn of the event loop after a long text loads
NORMAL, IN_FENCE = 0, 1
# block state of a line inside fenced code: fence character kind * 1000 + fence length
_FENCE_KINDS = {"`": 1, "~": 2}

SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
QUOTE = re.compile(r"^(?:[ \t]{0,3}>[ \t]?)+")
LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t])(?:[ \t]+\[[ xX]\](?=[ \t]|$))?")
BACKTICKS = re.compile(r"`+")
DELIMITER_RUN = re.compile(r"\*+|_+|~~+")
# a footnote reference, bounded: prose.FOOTNOTE_REF goes quadratic on '[^' * 10000
FOOTNOTE = re.compile(r"\[\^[^\]\s\[]{1,100}\]")
NON_BMP = re.compile("[\U00010000-\U0010ffff]")

Spans = Sequence[tuple[int, int]]
SpellingHook = Callable[[QTextBlock, str], Spans]


@dataclass(frozen=True)
class Colours:
    heading: str
    marker: str
    code: str
    code_back: str
    link: str
    url: str
    quote: str
    html: str
    misspelt: str


LIGHT = Colours(heading="#1c5d8c", marker="#8a8a84", code="#8b3d1a", code_back="#f1f0ec",
                link="#1c5d8c", url="#77776f", quote="#4f6b3a", html="#8a4f9e",
                misspelt="#d0312d")
DARK = Colours(heading="#7ab8e6", marker="#8d9096", code="#e3a27a", code_back="#2a2c2f",
               link="#7ab8e6", url="#8d9096", quote="#9cc283", html="#c79ad8",
               misspelt="#ff6b6b")


def colours_for(palette: QPalette) -> Colours:
    """The dark set when the editor's base colour is dark, else the light set."""
    return DARK if palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5 else LIGHT


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Maps a code-point index of ``text`` to Qt's UTF-16 index."""
    if NON_BMP.search(text) is None:
        return lambda i: i
    wide = [m.start() for m in NON_BMP.finditer(text)]

    def convert(i: int) -> int:
        return i + sum(1 for w in wide if w < i)

    return convert


def _formats(c: Colours) -> dict[str, QTextCharFormat]:
    def fmt(colour: str | None = None, *, bold: bool = False, italic: bool = False,
            back: str | None = None, underline: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        if colour:
            f.setForeground(QColor(colour))
        if bold:
            f.setFontWeight(QFont.Weight.Bold)
        if italic:
            f.setFontItalic(True)
        if back:
            f.setBackground(QColor(back))
        if underline:
            f.setFontUnderline(True)
        return f

    misspelt = QTextCharFormat()
    misspelt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    misspelt.setUnderlineColor(QColor(c.misspelt))
    strike = QTextCharFormat()
    strike.setFontStrikeOut(True)
    return {
        "heading": fmt(c.heading, bold=True), "marker": fmt(c.marker),
        "strong": fmt(bold=True), "emphasis": fmt(italic=True), "strike": strike,
        "code": fmt(c.code, back=c.code_back), "fence": fmt(c.code, back=c.code_back),
        "link_text": fmt(c.link, underline=True), "url": fmt(c.url), "quote": fmt(c.quote),
        "html": fmt(c.html), "misspelt": misspelt,
    }


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


class MarkdownHighlighter(QSyntaxHighlighter):
    """Highlights Markdown source; ``spelling`` (if set) reports misspelt spans of a line."""

    def __init__(self, document: QTextDocument, palette: QPalette) -> None:
        self.spelling: SpellingHook | None = None
        self._styles: dict[str, QTextCharFormat] = {}
        self._composed: dict[tuple[str, ...], QTextCharFormat] = {}
        self.colours = colours_for(palette)
        self._styles = _formats(self.colours)
        self._styled_up_to = -1  # blocks after this get their state only, not yet their styles
        self._styled_ahead: set[int] = set()  # ... except these, styled out of turn (on screen)
        super().__init__(document)
        self._later = QTimer(self)
        self._later.setInterval(0)
        self._later.timeout.connect(self._style_some)

    # A long text is styled from its top down, a slice of lines per turn of the event loop:
    # styling all of a 100,000-word article at once holds the GUI thread ~0.3 s before its first
    # line shows. Lines not yet styled still carry their fence state, so the ones styled later
    # come out as they would have at once.
    def style_lazily(self, first_lines: int) -> None:
        """Style the first ``first_lines`` lines now (next time the document is laid out) and
        the rest in slices afterwards; call before loading a long text."""
        self._styled_up_to = first_lines
        self._styled_ahead.clear()
        self._later.start()

    @property
    def fully_styled(self) -> bool:
        return self._styled_up_to < 0

    def style_up_to(self, line: int) -> None:
        """Style every line up to ``line`` (0-based block number) now."""
        doc = self.document()
        if self._styled_up_to < 0 or doc is None or line <= self._styled_up_to:
            return
        start, self._styled_up_to = self._styled_up_to + 1, line
        block = doc.findBlockByNumber(start)
        while block.isValid() and block.blockNumber() <= line:
            if block.blockNumber() not in self._styled_ahead:
                self.rehighlightBlock(block)
            block = block.next()
        self._styled_ahead = {n for n in self._styled_ahead if n > line}
        if not block.isValid():
            self._styled_up_to = -1
            self._styled_ahead.clear()
            self._later.stop()

    def style_lines(self, first: int, last: int) -> None:
        """Style lines ``first``..``last`` now, ahead of the slices (a jump far down the text
        shows its lines styled at once, without styling all those before them first)."""
        doc = self.document()
        if self._styled_up_to < 0 or doc is None:
            return
        block = doc.findBlockByNumber(max(first, self._styled_up_to + 1))
        while block.isValid() and block.blockNumber() <= last:
            number = block.blockNumber()
            if number not in self._styled_ahead:
                self._styled_ahead.add(number)  # before: highlightBlock must style it
                self.rehighlightBlock(block)
            block = block.next()

    def _style_some(self) -> None:
        doc = self.document()
        if self._styled_up_to < 0 or doc is None:
            self._later.stop()
            return
        self.style_up_to(self._styled_up_to + LAZY_SLICE_LINES)

    def set_palette(self, palette: QPalette) -> None:
        """Follow a theme switch: new colours, every line re-styled."""
        colours = colours_for(palette)
        if colours == self.colours:
            return
        self.colours = colours
        self._styles = _formats(colours)
        self._composed.clear()
        self.rehighlight()

    def _format(self, styles: tuple[str, ...]) -> QTextCharFormat:
        found = self._composed.get(styles)
        if found is None:
            found = QTextCharFormat()
            for style in styles:
                found.merge(self._styles[style])
            self._composed[styles] = found
        return found

    def _underlined(self, text: str) -> bool:
        """Whether ``text`` is the text of a setext heading (the next line is === or ---)."""
        below = self.currentBlock().next()
        return (below.isValid() and SETEXT_UNDERLINE.match(below.text()) is not None
                and bool(text.strip()) and not ATX.match(text) and not QUOTE.match(text)
                and not LIST_MARKER.match(text) and not SETEXT_UNDERLINE.match(text)
                and not THEMATIC_BREAK.match(text))

    def highlightBlock(self, text: str) -> None:
        previous = self.previousBlockState()
        number = self.currentBlock().blockNumber()
        later = 0 <= self._styled_up_to < number and number not in self._styled_ahead
        if previous > NORMAL:
            if not later:
                self.setFormat(0, len(text.encode("utf-16-le")) // 2, self._styles["fence"])
            self.setCurrentBlockState(NORMAL if closes_fence(text, previous) else previous)
            return
        opened = fence_state(text)
        self.setCurrentBlockState(opened)
        if later:
            return  # styled by _style_some
        if opened:
            self.setFormat(0, len(text.encode("utf-16-le")) // 2, self._styles["fence"])
            return
        if len(text) > LONG_LINE or not text:
            return
        spans = inline_spans(text)
        if self._underlined(text):
            spans.insert(0, (0, len(text), "heading"))
        if self.spelling is not None:
            spans.extend((s, e, "misspelt") for s, e in self.spelling(self.currentBlock(), text))
        to16 = utf16_offsets(text)
        for a, b, styles in resolve(spans):
            start = to16(a)
            self.setFormat(start, to16(b) - start, self._format(styles))


# --- the line grammar the editor's typing aids share with the highlighting ------------------

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
