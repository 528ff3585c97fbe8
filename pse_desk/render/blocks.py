"""Split Markdown into top-level blocks and collect the definitions every block may need.

Incremental rendering converts each top-level block on its own, so the split must never cut
through a construct that Python-Markdown reads across a blank line. The rules:

* blocks are separated by blank lines;
* a fenced code block (a line starting with three or more backticks or tildes, closed by the
  same fence — Python-Markdown's own rule) stays one block, blank lines included; a fence that
  is never closed is not a fence, exactly as in Python-Markdown;
* a chunk whose first line is indented (four spaces or a tab) continues the block before it
  (list item paragraphs, footnote paragraphs, indented code);
* a list item after a list, a ``>`` quote after a quote and a ``: definition`` after a term
  continue the block;
* an HTML block (a line starting with a block-level tag, anywhere in a chunk, as
  Python-Markdown reads it) runs to its matching closing tag.

Joining too much is always safe (it only costs render time); splitting too much is not, so
every rule errs on the joining side. ``IncrementalSplitter`` gives the same result for each new
version of a text while splitting only around the change.

Everything here runs on every keystroke of a 100,000-word article, so the split works on
blank-line chunks found by one regular expression and only looks line by line at chunks that
can contain a fence or an HTML block.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import NamedTuple

from markdown.util import BLOCK_LEVEL_ELEMENTS

from pse_desk.render.textdiff import text_change

_CHUNK_SEPARATOR = re.compile(r"\n(?:[ \t]*\n)+")
FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]")
DEFINITION_ITEM = re.compile(r"[ ]{0,3}:[ \t]")
_QUOTE = re.compile(r"[ ]*>")
_DEFINITION_START = re.compile(r"\[\^?[^\]\n]+\]:|\*\[[^\]\n]+\][ \t]*:")
_QUOTE_LINE = re.compile(r"^[ ]*>", re.MULTILINE)
_LIST_LINE = re.compile(r"^[ ]*(?:[*+-]|\d+[.)])[ \t]", re.MULTILINE)
LINE_HTML_START = re.compile(r"^[ ]{0,3}<(!--|[A-Za-z][A-Za-z0-9-]*)", re.MULTILINE)
BLOCK_TAGS = frozenset(tag.lower() for tag in BLOCK_LEVEL_ELEMENTS)
_NEVER_CONTINUES = frozenset("#[!(<\"'`~_=|&\\/")  # first characters that start a new block


class Span(NamedTuple):
    """Where a block is in the text; ``fresh`` when it began in a finished state (not a run of
    definitions that a following chunk could still pull into the block before)."""

    start: int
    end: int
    line: int
    fresh: bool


class Block(NamedTuple):
    """A top-level block: its exact source text and the 1-based line it starts on."""

    text: str
    line: int


def closing_line(lines: list[str], start: int, fence: str) -> int:
    """Index of the first line from ``start`` that closes ``fence``, else -1."""
    for index in range(start, len(lines)):
        if lines[index].rstrip(" ") == fence:
            return index
    return -1


def _fence_state(md: str, start: int, end: int, open_fence: str | None) -> str | None:
    """The fence still open after the chunk ``md[start:end]``, given the one open before.

    As Python-Markdown's fenced-code regex does: an opening fence that is never closed (here
    or later in the text) is not a fence, and scanning goes on after it.
    """
    lines = md[start:end].split("\n")
    index = 0
    if open_fence is not None:
        index = closing_line(lines, 0, open_fence)
        if index < 0:
            return open_fence
        index += 1
    while index < len(lines):
        match = FENCE_OPEN.match(lines[index])
        if match:
            fence = match.group(1)
            closing = closing_line(lines, index + 1, fence)
            if closing >= 0:
                index = closing + 1
                continue
            if _fence_closes_after(md, end, fence):
                return fence
        index += 1
    return None


def _fence_closes_after(md: str, offset: int, fence: str) -> bool:
    """Whether a line consisting of exactly ``fence`` follows ``offset`` (Python-Markdown's
    closing rule: the first such line closes the fenced block)."""
    return re.compile("^" + re.escape(fence) + "[ ]*$", re.MULTILINE).search(md, offset) \
        is not None


def _unclosed_html_block(md: str, start: int, end: int) -> tuple[str | None, int]:
    """A raw HTML block that starts at a line of this chunk and is still open at its end
    (Python-Markdown starts one at any line that begins with a block-level tag)."""
    for match in LINE_HTML_START.finditer(md, start, end):
        tag = match.group(1).lower()
        if (tag == "!--" or tag in BLOCK_TAGS) and not html_closed(md[match.start():end], tag):
            return tag, match.start()
    return None, 0


def html_closed(text: str, tag: str) -> bool:
    lowered = text.lower()
    if tag == "!--":
        return "-->" in lowered
    return lowered.count("</" + tag) >= lowered.count("<" + tag)


def _chunks(md: str, pos: int = 0, line: int = 1) -> Iterator[tuple[int, int, int]]:
    """Non-blank chunks from offset ``pos`` (a chunk start on ``line``) as (start offset, end
    offset, 1-based first line)."""
    count = md.count
    for sep in _CHUNK_SEPARATOR.finditer(md, pos):
        start, end = sep.span()
        # separators swallow every blank line, so only a chunk of spaces can be blank
        if start > pos and (start - pos > 16 or md[pos:start].strip()):
            yield pos, start, line
        line += count("\n", pos, end)
        pos = end
    if md[pos:].strip():
        yield pos, len(md.rstrip()), line


def _has_definition_line(md: str, start: int, end: int) -> bool:
    """Whether a line of ``md[start:end]`` is a ``: definition`` (up to three spaces, a colon,
    a space or tab). Colons are few, so finding them beats a regular expression."""
    colon = md.find(":", start, end)
    while colon >= 0:
        line_start = max(md.rfind("\n", start, colon) + 1, start)
        if colon - line_start <= 3 and not md[line_start:colon].strip(" ") \
                and md.startswith((" ", "\t"), colon + 1):
            return True
        colon = md.find(":", colon + 1, end)
    return False


def _continues(md: str, previous: tuple[int, int], start: int, end: int) -> bool:
    """Whether the chunk at ``start`` continues the block that spans ``previous``.

    A list item, a quote or a definition continues the block when the block holds a line of
    the same kind anywhere (Python-Markdown splits a chunk at a quote or heading, so a list or
    quote can end a chunk that starts with something else).
    """
    first = md[start]
    if _has_definition_line(md, start, end) and _has_definition_line(md, *previous):
        return True  # more terms and definitions join the definition list before them
    if first.isalpha() or first in _NEVER_CONTINUES:
        return False
    if md.startswith(("    ", "\t"), start) or DEFINITION_ITEM.match(md, start):
        return True
    if _LIST_ITEM.match(md, start):
        return _LIST_LINE.search(md, *previous) is not None
    if _QUOTE.match(md, start):
        return _QUOTE_LINE.search(md, *previous) is not None
    return False


class _Splitter:
    """The state of one pass of ``split_blocks`` over the chunks of a text."""

    def __init__(self, md: str) -> None:
        self.md = md
        self.spans: list[Span] = []
        self.block: list[int] = []  # start, end, line of the block being built
        self.last_chunk_end = 0
        # definition chunks right after the block: they render to nothing, so the chunk after
        # them may still continue the block (a list item after "[^1]: note")
        self.definitions: list[int] = []
        self.open_fence: str | None = None
        self.open_html: str | None = None
        self.html_from = 0

    def idle(self) -> bool:
        """No construct open and no definitions waiting: a plain chunk starts a new block."""
        return self.open_fence is None and self.open_html is None and not self.definitions

    def start_block(self, start: int, end: int, line: int) -> None:
        if self.block:
            self.spans.append(Span(self.block[0], self.block[1], self.block[2], True))
        self.block = [start, end, line]
        self.last_chunk_end = end

    def _emit(self, span: list[int], fresh: bool) -> None:
        if span:
            self.spans.append(Span(span[0], span[1], span[2], fresh))

    def _is_definition(self, start: int) -> bool:
        return self.md.startswith(("[", "*["), start) and \
            _DEFINITION_START.match(self.md, start) is not None

    def _after_definitions(self, start: int, end: int) -> int:
        """Where the lines after the leading definitions of this chunk start (``end`` when
        there are none): the definition processors put them back as a block of their own."""
        md = self.md
        position = start
        while position < end and _DEFINITION_START.match(md, position):
            newline = md.find("\n", position, end)
            if newline < 0:
                return end
            position = newline + 1
        return position

    def add(self, start: int, end: int, line: int) -> None:
        md = self.md
        inside = self.open_fence is not None or self.open_html is not None
        joins = inside
        if self.block and not inside:
            if self.definitions and md.startswith(("    ", "\t"), start) \
                    and md.count("\n", self.definitions[1], start) == 2:
                self.definitions[1] = end  # a footnote's indented paragraphs
                self._track_open_constructs(start, end)
                return
            rest = self._after_definitions(start, end) if self._is_definition(start) else start
            if rest > start:  # the chunk starts with definitions
                joins = rest < end and _continues(md, (self.block[0], self.last_chunk_end),
                                                  rest, end)
                if not joins and rest == end:  # nothing but definitions
                    if self.definitions:
                        self.definitions[1] = end
                    else:
                        self.definitions = [start, end, line]
                    self._track_open_constructs(start, end)
                    return
            else:
                joins = _continues(md, (self.block[0], self.last_chunk_end), start, end)
        if self.block and joins:
            self.block[1] = end  # takes any definitions in between along
        else:
            self._emit(self.block, True)
            self._emit(self.definitions, False)
            self.block = [start, end, line]
        self.definitions = []
        self.last_chunk_end = end
        self._track_open_constructs(start, end)

    def _track_open_constructs(self, start: int, end: int) -> None:
        md = self.md
        if self.open_html is not None:
            if html_closed(md[self.html_from:end], self.open_html):
                # closed here: another raw block may open on a later line of this chunk
                self.open_html, self.html_from = _unclosed_html_block(
                    md, max(start, self.html_from + 1), end)
        elif md.find("<", start, end) >= 0:
            self.open_html, self.html_from = _unclosed_html_block(md, start, end)
        if md.find("```", start, end) >= 0 or md.find("~~~", start, end) >= 0:
            self.open_fence = _fence_state(md, start, end, self.open_fence)

    def open_constructs(self) -> bool:
        return self.open_fence is not None or self.open_html is not None

    def started_fresh_at(self, start: int) -> bool:
        """Whether the last chunk added began a new block of its own at ``start``."""
        return bool(self.block) and self.block[0] == start and not self.definitions

    def finish(self) -> list[Span]:
        self._emit(self.block, True)
        self._emit(self.definitions, False)
        return self.spans


def split_blocks(md: str) -> list[Block]:
    """Split Markdown into top-level blocks (see the module docstring for the rules)."""
    return [Block(md[s.start:s.end], s.line) for s in _split_spans(md)]


def _split_spans(md: str, pos: int = 0, first_line: int = 1,
                 stop: Callable[[_Splitter, int], bool] | None = None) -> list[Span]:
    """The block spans from ``pos``; ``stop(splitter, start)`` may end the pass after a chunk
    (the incremental splitter stops where the old spans take over)."""
    splitter = _Splitter(md)
    find = md.find
    for start, end, line in _chunks(md, pos, first_line):
        # the common case, a paragraph of plain text after a finished block, on the fast path
        # (str.find is many times faster than a regular expression with alternatives here)
        if md[start].isalpha() and splitter.idle() and find("<", start, end) < 0 \
                and find("```", start, end) < 0 and find("~~~", start, end) < 0 \
                and not _has_definition_line(md, start, end):
            splitter.start_block(start, end, line)
        else:
            splitter.add(start, end, line)
        if stop is not None and stop(splitter, start):
            splitter.block = []  # the old spans from here on replace it
            splitter.definitions = []
            break
    return splitter.finish()


class IncrementalSplitter:
    """``split_blocks`` for successive versions of one text, as typing produces them.

    Only the region around the change is split again: the blocks before it are kept, and the
    split stops at the first block after the change that starts fresh where an old block
    started fresh (from there on the text, and so the split, is the old one, shifted). A
    change that touches a fence line re-splits everything, since whether an opening fence is
    closed depends on the text after it. The result is always what ``split_blocks`` gives (a
    property test checks this over random edits).
    """

    def __init__(self) -> None:
        self._text: str | None = None
        self._spans: list[Span] = []
        self._blocks: list[Block] = []

    def split(self, md: str) -> list[Block]:
        old = self._text
        if old is None or not self._spans:
            spans = _split_spans(md)
            self._remember(md, spans, [Block(md[s.start:s.end], s.line) for s in spans])
            return list(self._blocks)
        if old == md:
            return list(self._blocks)
        prefix, suffix, _ = text_change(old, md)
        if self._touches_a_fence(old, md, prefix, suffix):
            self._text = None
            return self.split(md)
        spans, blocks = self._resplit(old, md, prefix, suffix)
        self._remember(md, spans, blocks)
        return list(blocks)

    def _remember(self, md: str, spans: list[Span], blocks: list[Block]) -> None:
        self._text, self._spans, self._blocks = md, spans, blocks

    @staticmethod
    def _touches_a_fence(old: str, md: str, prefix: int, suffix: int) -> bool:
        first = old.rfind("\n", 0, prefix) + 1
        for text in (old, md):
            last = text.find("\n", len(text) - suffix)
            changed = text[first:last if last >= 0 else len(text)]
            if "```" in changed or "~~~" in changed:
                return True
        return False

    def _resplit(self, old: str, md: str, prefix: int,
                 suffix: int) -> tuple[list[Span], list[Block]]:
        spans, blocks = self._spans, self._blocks
        delta = len(md) - len(old)
        lines_delta = md.count("\n", prefix, len(md) - suffix) - \
            old.count("\n", prefix, len(old) - suffix)
        # restart two blocks before the change, at a block that began fresh
        index = max(0, bisect_right([s.start for s in spans], prefix) - 3)
        while index > 0 and not spans[index].fresh:
            index -= 1
        restart_at, restart_line = (spans[index].start, spans[index].line) if index else (0, 1)
        tail_from = len(old) - suffix  # old offsets from here on are unchanged text
        old_fresh = {s.start: i for i, s in enumerate(spans)
                     if s.fresh and s.start > tail_from}
        resumed: list[int] = []

        def stop(splitter: _Splitter, start: int) -> bool:
            old_index = old_fresh.get(start - delta)
            if old_index is not None and start - delta > tail_from \
                    and splitter.started_fresh_at(start) and not splitter.open_constructs():
                resumed.append(old_index)
                return True
            return False

        middle = _split_spans(md, restart_at, restart_line, stop)
        new_spans = spans[:index] + middle
        new_blocks = blocks[:index] + [Block(md[s.start:s.end], s.line) for s in middle]
        if resumed:
            for span, block in zip(spans[resumed[0]:], blocks[resumed[0]:], strict=True):
                new_spans.append(Span(span.start + delta, span.end + delta,
                                      span.line + lines_delta, span.fresh))
                new_blocks.append(Block(block.text, block.line + lines_delta))
        return new_spans, new_blocks
