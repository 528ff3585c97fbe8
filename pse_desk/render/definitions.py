"""Reference, footnote and abbreviation definitions of a text, for blocks rendered alone.

A block rendered on its own still needs the link definitions (``[id]: url``), footnote
definitions (``[^id]: text``) and abbreviations (``*[ABBR]: text``) written elsewhere in the
text. They are collected here from all blocks, the way Python-Markdown reads them: not inside
fenced code, raw HTML, tables or definition-list terms (processors that run before the
definition processors claim those lines), the last definition of a label winning, a footnote
running on over indented paragraphs. Each block's findings are cached by its text, since
blocks rarely change between keystrokes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pse_desk.render.blocks import (
    BLOCK_TAGS,
    DEFINITION_ITEM,
    FENCE_OPEN,
    LINE_HTML_START,
    Block,
    closing_line,
    html_closed,
)

_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[([^\[\]\n^][^\[\]\n]*)\]:[ \t]*(\S*)", re.MULTILINE)
_FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}\[\^([^\]\n]+)\]:", re.MULTILINE)
_SPLITS_FOOTNOTE = re.compile(
    r"^(?:#{1,6}|[ ]{0,3}>|[ ]{0,3}:[ ]|[ ]{0,3}(?:(?:-[ ]*){3,}|(?:_[ ]*){3,}|(?:\*[ ]*){3,})$)",
    re.MULTILINE)
# a footnote goes on only over one blank line followed by an indented line
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_FOOTNOTE_ENDS = re.compile(r"\n[ \t]*\n(?:(?:[ \t]*\n)+|(?![ ]{4}|\t))")
_RAW_HTML_LINE = re.compile(  # taken out of the text before any block is parsed
    r"^[ ]{0,3}<(?:!--|(?:" + "|".join(sorted(BLOCK_TAGS)) + r")(?![A-Za-z0-9-]))",
    re.MULTILINE | re.IGNORECASE)
_TABLE_SEPARATOR = re.compile(r"^[ ]{0,3}\|?[ ]*:?-+:?[ ]*\|[ :|-]*$", re.MULTILINE)
_DEFINITION_LIST_LINE = re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE)
_SETEXT_SECOND_LINE = re.compile(r"[^\n]*\n(?:=+|-+)[ ]*(?:\n|$)")
_ABBR_DEF = re.compile(r"^\*\[([^\]\n]+)\][ \t]*:", re.MULTILINE)
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,300})\]")


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


def without_raw_html(text: str) -> str:
    """``text`` with the lines of raw HTML blocks blanked (line count kept)."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = LINE_HTML_START.match(lines[index])
        tag = match.group(1).lower() if match else ""
        if tag == "!--" or tag in BLOCK_TAGS:
            end = index
            while end < len(lines) and not html_closed("\n".join(lines[index:end + 1]), tag):
                end += 1
            lines[index:end + 1] = [""] * (min(end, len(lines) - 1) + 1 - index)
            index = end
        index += 1
    return "\n".join(lines)


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
        match = FENCE_OPEN.match(lines[index])
        closing = closing_line(lines, index + 1, match.group(1)) if match else -1
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
        if DEFINITION_ITEM.match(line):
            above = index - 1
            while above >= 0 and lines[above].strip() and not DEFINITION_ITEM.match(
                    lines[above]):
                lines[above] = ""
                above -= 1
    return "\n".join(lines)


_Found = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str, int], ...],
               tuple[tuple[str, str], ...]]
_FOUND_CACHE: dict[str, _Found] = {}  # block text -> its definitions (blocks rarely change)
_FOUND_CACHE_SIZE = 20_000
_NOTHING: _Found = ((), (), ())


def _where_definitions_can_be(text: str) -> str:
    """``text`` without what cannot hold a definition (raw HTML, code, tables, terms)."""
    if "<" in text:
        text = without_raw_html(text)  # Python-Markdown leaves raw HTML alone
    if "```" in text or "~~~" in text:
        text = _without_fenced_code(text)  # definitions in code are text
    if "|" in text and _TABLE_SEPARATOR.search(text):
        text = _without_tables(text)
    if ":" in text and _DEFINITION_LIST_LINE.search(text):
        text = _without_definition_terms(text)
    return text


def _definitions_in(text: str) -> _Found:
    """The (label, definition) references, (label, text, line offset) footnotes and
    (abbreviation, definition) abbreviations defined in one block."""
    text = _where_definitions_can_be(text)
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


