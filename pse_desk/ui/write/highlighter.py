"""Markdown syntax highlighting for the editor, one block (source line) at a time.

Headings, emphasis, links, inline and fenced code, quotes, lists, HTML and URLs get their own
look; colours come from the editor's palette (a light and a dark set), so a theme switch only
rebuilds the formats. Fenced code is tracked through the block state, so a keystroke re-styles
one line unless it opens or closes a fence. Styles are collected as spans and resolved into
runs, so emphasis inside a heading or quote keeps both looks. The spelling hook adds a red
wavy underline to the words it reports; lines inside fenced code are never spell-checked.

What a line looks like is plain logic (``writing.markdown_spans``); this module turns its
spans into Qt formats, line by line, in UTF-16 positions (``writing.utf16``).
"""

from __future__ import annotations

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

from pse_desk.writing.markdown_spans import (
    LONG_LINE,
    NORMAL,
    closes_fence,
    fence_state,
    inline_spans,
    is_setext_heading,
    resolve,
)
from pse_desk.writing.utf16 import utf16_len, utf16_offsets

LAZY_SLICE_LINES = 80  # lines styled per turn of the event loop after a long text loads

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
        return is_setext_heading(text, below.text() if below.isValid() else None)

    def highlightBlock(self, text: str) -> None:
        previous = self.previousBlockState()
        number = self.currentBlock().blockNumber()
        later = 0 <= self._styled_up_to < number and number not in self._styled_ahead
        if previous > NORMAL:
            if not later:
                self.setFormat(0, utf16_len(text), self._styles["fence"])
            self.setCurrentBlockState(NORMAL if closes_fence(text, previous) else previous)
            return
        opened = fence_state(text)
        self.setCurrentBlockState(opened)
        if later:
            return  # styled by _style_some
        if opened:
            self.setFormat(0, utf16_len(text), self._styles["fence"])
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


