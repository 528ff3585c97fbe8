"""The outline of a Markdown text: its headings with level, plain text and source line.

ATX headings (``## Title``) and setext headings (a line underlined with ``===`` or ``---``) are
found; lines inside fenced code are not headings, whatever they start with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pse_desk.writing.prose import ATX, fenced_lines, mask_line

SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
LIST_OR_QUOTE = re.compile(r"^ {0,3}(?:[-*+>]|\d{1,9}[.)])(?:[ \t]|$)")


@dataclass(frozen=True)
class Heading:
    level: int  # 1-6
    text: str  # without Markdown syntax
    line: int  # 1-based line of the heading text


def _plain(line: str) -> str:
    return " ".join(mask_line(line, keep_code=True).split())


def outline(text: str) -> list[Heading]:
    """Every heading of ``text`` in order."""
    lines = text.split("\n")
    fenced = fenced_lines(lines)
    headings: list[Heading] = []
    for index, line in enumerate(lines):
        if fenced[index]:
            continue
        m = ATX.match(line)
        if m:
            headings.append(Heading(len(m.group(1)), _plain(line), index + 1))
            continue
        underline = SETEXT.match(line)
        if underline and index > 0 and not fenced[index - 1]:
            above = lines[index - 1]
            if (above.strip() and not ATX.match(above) and not LIST_OR_QUOTE.match(above)
                    and not SETEXT.match(above)
                    and (index < 2 or not lines[index - 2].strip() or fenced[index - 2])):
                level = 1 if underline.group(1)[0] == "=" else 2
                headings.append(Heading(level, _plain(above), index))
    return headings
