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
* an HTML block that starts with a block-level tag runs to its matching closing tag.

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
from dataclasses import dataclass
from typing import NamedTuple

from markdown.util import BLOCK_LEVEL_ELEMENTS

_CHUNK_SEPARATOR = re.compile(r"\n(?:[ \t]*\n)+")
_FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})", re.MULTILINE)
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)])[ \t]")
_DEFINITION_ITEM = re.compile(r"[ ]{0,3}:[ \t]")
_QUOTE = re.compile(r"[ ]*>")
_HTML_START = re.compile(r"<(!--|[A-Za-z][A-Za-z0-9-]*)")
_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[([^\[\]\n^][^\[\]\n]*)\]:[ \t]*(\S*)", re.MULTILINE)
_FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}\[\^([^\]\n]+)\]:", re.MULTILINE)
_ABBR_DEF = re.compile(r"^\*\[([^\]\n]+)\][ \t]*:", re.MULTILINE)
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,300})\]")
_NEVER_CONTINUES = frozenset("#[!(<\"'`~_=|&\\/")  # first characters that start a new block
_BLOCK_TAGS = frozenset(tag.lower() for tag in BLOCK_LEVEL_ELEMENTS)


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
    """Every label a block could refer to: the normalised contents of its ``[...]`` pairs."""
    if "[" not in text:
        return frozenset()
    return frozenset(normalise_label(m) for m in _BRACKETED.findall(text))


def _fence_state(chunk: str, open_fence: str | None) -> tuple[str | None, bool]:
    """The fence still open after ``chunk`` given the one open before, and whether that fence
    was opened inside this chunk."""
    opened_here = False
    for line in chunk.split("\n"):
        if open_fence is None:
            match = _FENCE_OPEN.match(line)
            if match:
                open_fence, opened_here = match.group(1), True
        elif line.rstrip(" ") == open_fence:
            open_fence, opened_here = None, False
    return open_fence, opened_here


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


def _html_closed(text: str, tag: str) -> bool:
    lowered = text.lower()
    if tag == "!--":
        return "-->" in lowered
    return lowered.count("</" + tag) >= lowered.count("<" + tag)


def _chunks(md: str) -> list[tuple[int, int, int]]:
    """Non-blank chunks as (start offset, end offset, 1-based first line)."""
    chunks: list[tuple[int, int, int]] = []
    pos = 0
    line = 1
    count = md.count
    for sep in _CHUNK_SEPARATOR.finditer(md):
        start, end = sep.span()
        # separators swallow every blank line, so only a chunk of spaces can be blank
        if start > pos and (start - pos > 16 or md[pos:start].strip()):
            chunks.append((pos, start, line))
        line += count("\n", pos, end)
        pos = end
    if md[pos:].strip():
        chunks.append((pos, len(md.rstrip()), line))
    return chunks


def _continues(md: str, block_start: int, start: int) -> bool:
    """Whether the chunk at ``start`` continues the block at ``block_start``."""
    first = md[start]
    if first.isalpha() or first in _NEVER_CONTINUES:
        return False
    if md.startswith(("    ", "\t"), start) or _DEFINITION_ITEM.match(md, start):
        return True
    if _LIST_ITEM.match(md, start):
        return _LIST_ITEM.match(md, block_start) is not None
    return _QUOTE.match(md, start) is not None and _QUOTE.match(md, block_start) is not None


def split_blocks(md: str) -> list[Block]:
    """Split Markdown into top-level blocks (see the module docstring for the rules)."""
    blocks: list[Block] = []
    block_start = block_end = block_line = -1
    open_fence: str | None = None
    open_html: str | None = None
    find = md.find
    for start, end, line in _chunks(md):
        joins = block_start >= 0 and (open_fence is not None or open_html is not None
                                      or _continues(md, block_start, start))
        if joins:
            block_end = end
        else:
            if block_start >= 0:
                blocks.append(Block(md[block_start:block_end], block_line))
            block_start, block_end, block_line = start, end, line
            open_html = (_html_block_tag(md[start:end].lstrip(" "))
                         if md.startswith(("<", " <"), start) else None)
        if open_html is not None and _html_closed(md[block_start:block_end], open_html):
            open_html = None
        if find("```", start, end) >= 0 or find("~~~", start, end) >= 0:
            still_open, opened_here = _fence_state(md[start:end], open_fence)
            if still_open is not None and opened_here \
                    and not _fence_closes_after(md, end, still_open):
                still_open = None  # never closed: Python-Markdown does not treat it as a fence
            open_fence = still_open
    if block_start >= 0:
        blocks.append(Block(md[block_start:block_end], block_line))
    return blocks


def _footnote_text(block: str, start: int) -> str:
    """A footnote definition from ``start`` to the next definition or the end of its block."""
    rest = block[start:]
    following = [m.start() for m in (_FOOTNOTE_DEF.search(rest, 1), _REFERENCE_DEF.search(rest, 1))
                 if m is not None]
    return rest[:min(following)] if following else rest


def collect_definitions(blocks: list[Block]) -> Definitions:
    """Reference, footnote and abbreviation definitions of the whole text, in source order."""
    references: dict[str, str] = {}
    footnotes: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    footnote_line = 0
    for block in blocks:
        text = block.text
        if "]" not in text:
            continue
        if text.startswith(("```", "~~~", "    ", "\t")):
            continue  # code: definitions in it are text
        if "]:" in text:
            for match in _REFERENCE_DEF.finditer(text):
                line_end = text.find("\n", match.end())
                definition = text[match.start():line_end if line_end >= 0 else len(text)]
                if not match.group(2) and line_end >= 0:  # the URL is on the next line
                    next_end = text.find("\n", line_end + 1)
                    definition = text[match.start():next_end if next_end >= 0 else len(text)]
                references.setdefault(normalise_label(match.group(1)), definition.strip())
            for match in _FOOTNOTE_DEF.finditer(text):
                label = match.group(1)
                if label not in footnotes:
                    footnotes[label] = _footnote_text(text, match.start()).rstrip()
                    footnote_line = footnote_line or block.line + text.count("\n", 0,
                                                                              match.start())
        if "*[" in text:
            for match in _ABBR_DEF.finditer(text):
                line_end = text.find("\n", match.end())
                abbreviations[match.group(1)] = text[match.start():
                                                     line_end if line_end >= 0 else len(text)]
    return Definitions(references, footnotes, tuple(footnotes), footnote_line, abbreviations)
