"""Markdown masked down to its prose, with every character kept in place.

``mask(text)`` returns the lines of a Markdown text with syntax (heading marks, list bullets,
emphasis marks, link targets, URLs, e-mail addresses, HTML tags, code) replaced by spaces. Each
masked line has the length of the original line, so a word found in the mask sits at the same
line and column in the source: spelling, checks and statistics all work on the mask and report
positions the editor can use unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX = re.compile(r"^ {0,3}(#{1,6})(?=[ \t]|$)")
BLOCK_PREFIX = re.compile(
    r"^(?:[ \t]*>[ \t]?)*"                 # block quotes, nested
    r"(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+"  # a list marker
    r"(?:\[[ xX]\][ \t]+)?)?"              # a task box
)
LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S")
THEMATIC_BREAK = re.compile(
    r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
# (written so that no two runs of blanks can trade characters: linear on any line)
TABLE_RULE = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?:?-{2,}:?(?:[ \t]*\|[ \t]*:?-{2,}:?)*[ \t]*(?:\|[ \t]*)?$")
ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]{0,200}\}")

CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# ![alt](target) and [text](target): the groups are the brackets' text
INLINE_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"
                         r"\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\))?[^()\s]*)"
                         r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*\)")
REF_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\[([^\[\]]*)\]")
FOOTNOTE_REF = re.compile(r"\[\^[^\]\s\[]{1,100}\]")  # bounded: linear on "[^" * 10000
AUTOLINK = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
URL = re.compile(r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]{1,31}://|\bwww\.|\bmailto:)[^\s<>]*[^\s<>.,;:!?'\")\]]")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+\b")
HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
EMPHASIS = re.compile(r"\*+|~~|(?<!\w)_+|(?<!_)_++(?!\w)|\\(?=[^\w\s])|\|")

WORD = re.compile(r"\w+(?:['’]\w+)*")
# Patterns run over lines of any length (a 10 MB paste is one line): every unbounded run either
# cannot fail after it starts or starts only at the beginning of its run, so none is quadratic.


@dataclass(frozen=True)
class Word:
    """A word of the prose: its text and where it stands in the source."""

    text: str
    line: int  # 1-based
    column: int  # 0-based


def fenced_lines(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (fence lines included)."""
    flags: list[bool] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            m = FENCE.match(line)
            if m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
                fence = m.group(1)
            flags.append(fence is not None)
            continue
        flags.append(True)
        stripped = line.strip()
        if (stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}
                and len(line) - len(line.lstrip(" ")) <= 3):
            fence = None
    return flags


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        chars[i] = " "


def _blank_matches(chars: list[str], pattern: re.Pattern[str], line: str) -> None:
    for m in pattern.finditer(line):
        _blank(chars, m.start(), m.end())


def _blank_comments(chars: list[str], line: str) -> None:
    """Blank ``<!-- … -->`` on one line, with ``str.find``: linear however many openers."""
    start = line.find("<!--")
    while start != -1:
        end = line.find("-->", start + 4)
        if end == -1:
            return  # no closing anywhere after: no later opener can close either
        _blank(chars, start, end + 3)
        start = line.find("<!--", end + 3)


def _mask_links(chars: list[str], line: str, *, keep_text: bool) -> None:
    """Blank link syntax and targets; keep the visible text (alt text of images too)."""
    for pattern in (INLINE_LINK, REF_LINK):
        for m in pattern.finditer(line):
            text_start, text_end = m.start(2), m.end(2)
            if keep_text:
                _blank(chars, m.start(), text_start)
                _blank(chars, text_end, m.end())
            else:
                _blank(chars, m.start(), m.end())


def mask_line(line: str, *, keep_code: bool = False) -> str:
    """One line outside fenced code, with Markdown syntax blanked (same length)."""
    if LINK_DEF.match(line) or THEMATIC_BREAK.match(line) or TABLE_RULE.match(line):
        return " " * len(line)
    chars = list(line)
    heading = ATX.match(line)
    if heading:
        _blank(chars, 0, heading.end())
        closing = re.search(r"[ \t]#+[ \t]*$", line)
        if closing:
            _blank(chars, closing.start(), len(line))
    else:
        prefix = BLOCK_PREFIX.match(line)
        if prefix:
            _blank(chars, 0, prefix.end())
    for m in CODE_SPAN.finditer(line):
        if keep_code:
            ticks = len(m.group(1))
            _blank(chars, m.start(), m.start() + ticks)
            _blank(chars, m.end() - ticks, m.end())
        else:
            _blank(chars, m.start(), m.end())
    _blank_comments(chars, "".join(chars))
    masked_so_far = "".join(chars)
    _mask_links(chars, masked_so_far, keep_text=True)
    masked_so_far = "".join(chars)
    for pattern in (FOOTNOTE_REF, AUTOLINK, HTML_TAG, URL, EMAIL, ENTITY, ATTR_LIST, EMPHASIS):
        _blank_matches(chars, pattern, masked_so_far)
        masked_so_far = "".join(chars)
    return masked_so_far


def mask(text: str, *, keep_code: bool = False) -> list[str]:
    """The lines of ``text`` with Markdown syntax blanked; code blanked unless ``keep_code``."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    out: list[str] = []
    for line, in_fence in zip(lines, fenced, strict=True):
        if in_fence:
            if keep_code and not FENCE.match(line):
                out.append(line)
            else:
                out.append(" " * len(line))
        else:
            out.append(mask_line(line, keep_code=keep_code))
    return out


def words(masked_lines: Sequence[str]) -> Iterator[Word]:
    """The words of masked lines, with their positions."""
    for number, line in enumerate(masked_lines, start=1):
        for m in WORD.finditer(line):
            yield Word(m.group(), number, m.start())


def blank_code(text: str) -> list[str]:
    """The lines of ``text`` with fenced code and code spans blanked and all else intact."""
    lines = text.split("\n")
    out: list[str] = []
    for line, in_fence in zip(lines, fenced_lines(lines), strict=True):
        if in_fence:
            out.append(" " * len(line))
            continue
        chars = list(line)
        _blank_matches(chars, CODE_SPAN, line)
        out.append("".join(chars))
    return out
