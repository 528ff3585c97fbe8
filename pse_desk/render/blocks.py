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
every rule errs on the joining side. Reference links (``[id]: url``), footnote definitions
(``[^id]: text``) and abbreviations (``*[ABBR]: text``) are collected from the whole text so
that the renderer can append the ones a block uses.

Everything here runs on every keystroke of a 100,000-word article, so the split works on
blank-line chunks found by one regular expression and only looks line by line at chunks that
can contain a fence or an HTML block.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from markdown.util import BLOCK_LEVEL_ELEMENTS

from pse_desk.render.textdiff import text_change

_CHUNK_SEPARATOR = re.compile(r"\n(?:[ \t]*\n)+")
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]")
_DEFINITION_ITEM = re.compile(r"[ ]{0,3}:[ \t]")
_QUOTE = re.compile(r"[ ]*>")
_DEFINITION_START = re.compile(r"\[\^?[^\]\n]+\]:|\*\[[^\]\n]+\][ \t]*:")
_QUOTE_LINE = re.compile(r"^[ ]*>", re.MULTILINE)
_LIST_LINE = re.compile(r"^[ ]*(?:[*+-]|\d+[.)])[ \t]", re.MULTILINE)
_HTML_START = re.compile(r"<(!--|[A-Za-z][A-Za-z0-9-]*)")
_LINE_HTML_START = re.compile(r"^[ ]{0,3}<(!--|[A-Za-z][A-Za-z0-9-]*)", re.MULTILINE)
_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[([^\[\]\n^][^\[\]\n]*)\]:[ \t]*(\S*)", re.MULTILINE)
_FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}\[\^([^\]\n]+)\]:", re.MULTILINE)
_SPLITS_FOOTNOTE = re.compile(
    r"^(?:#{1,6}|[ ]{0,3}>|[ ]{0,3}:[ ]|[ ]{0,3}(?:(?:-[ ]*){3,}|(?:_[ ]*){3,}|(?:\*[ ]*){3,})$)",
    re.MULTILINE)
# a footnote goes on only over one blank line followed by an indented line
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FOOTNOTE_ENDS = re.compile(r"\n[ \t]*\n(?:(?:[ \t]*\n)+|(?![ ]{4}|\t))")
_BLOCK_TAGS = frozenset(tag.lower() for tag in BLOCK_LEVEL_ELEMENTS)
_RAW_HTML_LINE = re.compile(  # taken out of the text before any block is parsed
    r"^[ ]{0,3}<(?:!--|(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")(?![A-Za-z0-9-]))",
    re.MULTILINE | re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"^[ ]{0,3}\|?[ ]*:?-+:?[ ]*\|[ :|-]*$", re.MULTILINE)
_DEFINITION_LIST_LINE = re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE)
_SETEXT_SECOND_LINE = re.compile(r"[^\n]*\n(?:=+|-+)[ ]*(?:\n|$)")
_ABBR_DEF = re.compile(r"^\*\[([^\]\n]+)\][ \t]*:", re.MULTILINE)
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,300})\]")
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


@dataclass(frozen=True, slots=True)
class Definitions:
    """Definitions collected from the whole text, keyed by their normalised label.

    ``footnote_order`` is the definition order, which numbers the footnotes.
    """

    references: dict[str, str]
    footnotes: dict[str, str]
    footnote_order: tuple[str, ...]
    footnote_line: int
    abbreviations: dict[str, str]

    @property
    def empty(self) -> bool:
        return not (self.references or self.footnotes or self.abbreviations)


def normalise_label(label: str) -> str:
    """Reference labels match case-insensitively with runs of white space collapsed."""
    return " ".join(label.split()).lower()


def bracketed_labels(text: str) -> frozenset[str]:
    """Every label a block could refer to: the normalised contents of its ``[...]`` pairs (none
    for a raw HTML block, whose text Python-Markdown leaves alone)."""
    if "[" not in text:
        return frozenset()
    if "<" in text:
        text = without_raw_html(text)
    return frozenset(normalise_label(m) for m in _BRACKETED.findall(text))


def _closing_line(lines: list[str], start: int, fence: str) -> int:
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
        index = _closing_line(lines, 0, open_fence)
        if index < 0:
            return open_fence
        index += 1
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index])
        if match:
            fence = match.group(1)
            closing = _closing_line(lines, index + 1, fence)
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


def _html_block_tag(first_line: str) -> str | None:
    """The block-level tag (or ``!--``) an HTML block starts with, else ``None``."""
    match = _HTML_START.match(first_line)
    if not match:
        return None
    tag = match.group(1).lower()
    return tag if tag == "!--" or tag in _BLOCK_TAGS else None


def _unclosed_html_block(md: str, start: int, end: int) -> tuple[str | None, int]:
    """A raw HTML block that starts at a line of this chunk and is still open at its end
    (Python-Markdown starts one at any line that begins with a block-level tag)."""
    for match in _LINE_HTML_START.finditer(md, start, end):
        tag = match.group(1).lower()
        if (tag == "!--" or tag in _BLOCK_TAGS) and not _html_closed(md[match.start():end], tag):
            return tag, match.start()
    return None, 0


def without_raw_html(text: str) -> str:
    """``text`` with the lines of raw HTML blocks blanked (line count kept)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _LINE_HTML_START.match(lines[index])
        tag = match.group(1).lower() if match else ""
        if tag == "!--" or tag in _BLOCK_TAGS:
            end = index
            while end < len(lines) and not _html_closed("\n".join(lines[index:end + 1]), tag):
                end += 1
            lines[index:end + 1] = [""] * (min(end, len(lines) - 1) + 1 - index)
            index = end
        index += 1
    return "\n".join(lines)


def is_html_block(text: str) -> bool:
    """Whether ``text`` starts a raw HTML block (a block-level tag or a comment)."""
    return text.startswith(("<", " <")) and _html_block_tag(text.lstrip(" ")) is not None


def _html_closed(text: str, tag: str) -> bool:
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
    if md.startswith(("    ", "\t"), start) or _DEFINITION_ITEM.match(md, start):
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
            if _html_closed(md[self.html_from:end], self.open_html):
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


def _footnote_text(block: str, start: int) -> str:
    """A footnote definition from ``start`` to where Python-Markdown ends it: in its own
    paragraph, at the next definition or a line that a block processor running before the
    footnotes one splits off (heading, rule, quote, definition list); after it, indented
    paragraphs after one blank line; raw HTML lines anywhere (taken out before parsing)."""
    rest = block[start:]
    paragraph = _BLANK_LINE.search(rest)
    first_end = paragraph.start() if paragraph else len(rest)
    ends = [m.start() for m in (_FOOTNOTE_DEF.search(rest, 1, first_end),
                                _REFERENCE_DEF.search(rest, 1, first_end),
                                _SPLITS_FOOTNOTE.search(rest, 1, first_end),
                                _FOOTNOTE_ENDS.search(rest), _RAW_HTML_LINE.search(rest, 1))
            if m is not None]
    return rest[:min(ends)] if ends else rest


def _without_fenced_code(text: str) -> str:
    """``text`` with the lines of closed fenced code blocks blanked (line count kept); a fence
    never closed is not a fence."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index])
        closing = _closing_line(lines, index + 1, match.group(1)) if match else -1
        if closing >= 0:
            lines[index:closing + 1] = [""] * (closing + 1 - index)
            index = closing
        index += 1
    return "\n".join(lines)


def _is_table(paragraph: str) -> bool:
    """A header row with ``|`` and a separator row right under it (the tables rule)."""
    lines = paragraph.lstrip("\n").split("\n")
    while lines and lines[0].startswith(("    ", "\t")):
        lines.pop(0)  # indented code first: the code processor takes it, the table follows
    return len(lines) >= 2 and "|" in lines[0] and _TABLE_SEPARATOR.match(lines[1]) is not None


def _without_tables(text: str) -> str:
    """``text`` with every paragraph that is a table blanked (the tables processor reads its
    lines as rows before any definition is looked for)."""
    paragraphs = _BLANK_LINE.split(text)
    separators = _BLANK_LINE.findall(text)
    out = ["\n" * paragraph.count("\n") if _is_table(paragraph) else paragraph
           for paragraph in paragraphs]
    return "".join(part for pair in zip(out, [*separators, ""], strict=True) for part in pair)


def _without_definition_terms(text: str) -> str:
    """``text`` with the lines that the definition-list processor reads as terms blanked: the
    lines right above a ``: definition`` line, up to a blank line (it runs before the
    processors of link, footnote and abbreviation definitions)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _DEFINITION_ITEM.match(line):
            above = index - 1
            while above >= 0 and lines[above].strip() and not _DEFINITION_ITEM.match(
                    lines[above]):
                lines[above] = ""
                above -= 1
    return "\n".join(lines)


_Found = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, int], ...],
               tuple[tuple[str, str], ...]]
_FOUND_CACHE: dict[str, _Found] = {}  # block text -> its definitions (blocks rarely change)
_FOUND_CACHE_SIZE = 20_000
_NOTHING: _Found = ((), (), ())


def _definitions_in(text: str) -> _Found:
    """The (label, definition) references, (label, text, line offset) footnotes and
    (abbreviation, definition) abbreviations defined in one block."""
    if "<" in text:
        text = without_raw_html(text)  # Python-Markdown leaves raw HTML alone
    if "```" in text or "~~~" in text:
        text = _without_fenced_code(text)  # definitions in code are text
    if "|" in text and _TABLE_SEPARATOR.search(text):
        text = _without_tables(text)
    if ":" in text and _DEFINITION_LIST_LINE.search(text):
        text = _without_definition_terms(text)
    references: list[tuple[str, str]] = []
    footnotes: list[tuple[str, str, int]] = []
    abbreviations: list[tuple[str, str]] = []
    if "]:" in text:
        for match in _REFERENCE_DEF.finditer(text):
            line_end = text.find("\n", match.end())
            definition = text[match.start():line_end if line_end >= 0 else len(text)]
            if not match.group(2) and line_end >= 0:  # the URL is on the next line
                next_end = text.find("\n", line_end + 1)
                definition = text[match.start():next_end if next_end >= 0 else len(text)]
            references.append((normalise_label(match.group(1)), definition.strip()))
        for match in _FOOTNOTE_DEF.finditer(text):
            if match.start() == 0 and _SETEXT_SECOND_LINE.match(text, match.end()):
                continue  # "[^1]: x" underlined is a heading, not a definition
            footnotes.append((match.group(1), _footnote_text(text, match.start()).rstrip(),
                              text.count("\n", 0, match.start())))
    if "*[" in text:
        for match in _ABBR_DEF.finditer(text):
            line_end = text.find("\n", match.end())
            abbreviations.append((match.group(1),
                                  text[match.start():line_end if line_end >= 0 else len(text)]))
    if not (references or footnotes or abbreviations):
        return _NOTHING
    return tuple(references), tuple(footnotes), tuple(abbreviations)


def collect_definitions(blocks: list[Block]) -> Definitions:
    """Reference, footnote and abbreviation definitions of the whole text, in source order.

    As in Python-Markdown, the last definition of a label wins; a footnote keeps the number
    (position) of its first definition.
    """
    references: dict[str, str] = {}
    footnotes: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    footnote_line = 0
    cache = _FOUND_CACHE
    for text, line in blocks:
        if "]" not in text:
            continue
        found = cache.get(text)
        if found is None:
            found = _definitions_in(text)
            if len(cache) >= _FOUND_CACHE_SIZE:
                cache.clear()
            cache[text] = found
        if found is _NOTHING:
            continue
        found_references, found_footnotes, found_abbreviations = found
        references.update(found_references)
        for label, definition, offset in found_footnotes:
            footnotes[label] = definition
            footnote_line = footnote_line or line + offset
        abbreviations.update(found_abbreviations)
    return Definitions(references, footnotes, tuple(footnotes), footnote_line, abbreviations)


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
