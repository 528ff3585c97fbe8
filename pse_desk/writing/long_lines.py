"""Lines too long for the editor: finding them, showing them cut, and splitting them.

Qt's text layout costs grow with the length of a line, not of the document: measured here with
the Markdown editor, a keystroke in a line of 10,000 characters without spaces takes ~15 ms,
20,000 ~30 ms, 40,000 ~90 ms, and a single 10 MB line takes many seconds to lay out. So a text
with a line over ``LINE_LIMIT`` is not put into the editor whole: it is shown with each long
line cut (``shown_text``), and ``split_long_lines`` offers to break those lines up.

``split_long_lines`` only ever inserts line breaks: removing the inserted ``\\n`` characters
gives back the original text, character for character and in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

LINE_LIMIT = 10_000  # longest line the editor takes (a keystroke stays well under 30 ms)
LOAD_STEP_CHARS = 50_000  # a big text goes into the editor this much per event-loop turn
SHOWN_CHARS = 2_000  # how much of an over-long line is shown while it is protected
PARAGRAPH_TARGET = 1_200  # preferred length of the pieces a long line is split into
SENTENCE_ENDS = (". ", "? ", "! ", ".” ", "?” ", "!” ", ".) ")
# lines that start a Markdown block other than a paragraph: a blank line inside them would
# end the list item, quote or table, so their pieces are joined by a single line break
_BLOCK_STARTS = ("#", ">", "-", "*", "+", "|", "`", "~", "<", " ", "\t")


@dataclass(frozen=True)
class LongLine:
    """A line over the limit: its number (1-based) and its length in characters."""

    number: int
    length: int


def long_lines(text: str, limit: int = LINE_LIMIT) -> list[LongLine]:
    """Every line of ``text`` longer than ``limit`` characters (O(n): ~5 ms for 10 MB)."""
    if len(text) <= limit:
        return []
    return [LongLine(number, length)
            for number, length in enumerate(map(len, text.split("\n")), start=1)
            if length > limit]


def longest_line(text: str) -> int:
    return max(map(len, text.split("\n"))) if text else 0


def _cut_marker(number: int, rest: int) -> str:
    return f"… [line {number:,} continues for {rest:,} more characters — not shown]"


def shown_text(text: str, limit: int = LINE_LIMIT, shown: int = SHOWN_CHARS) -> str:
    """``text`` with every line over ``limit`` cut to its first ``shown`` characters and a
    marker saying how much is left out (for display only: never to be saved)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if len(line) > limit:
            lines[index] = line[:shown] + _cut_marker(index + 1, len(line) - shown)
    return "\n".join(lines)


def _numbers(found: Sequence[LongLine], most: int = 4) -> str:
    names = [f"{f.number:,}" for f in found[:most]]
    if len(found) > most:
        return ", ".join(names) + f" and {len(found) - most:,} more"
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def protection_sentence(found: Sequence[LongLine]) -> str:
    """Why the text is shown cut and read-only, in one sentence."""
    if not found:
        return ""
    if len(found) == 1:
        line = found[0]
        return (f"Line {line.number:,} is {line.length:,} characters long, too long to edit "
                "here; it is shown cut and the saved text is untouched.")
    longest = max(f.length for f in found)
    return (f"Lines {_numbers(found)} are up to {longest:,} characters long, too long to edit "
            "here; they are shown cut and the saved text is untouched.")


def paste_sentence(longest: int, limit: int = LINE_LIMIT) -> str:
    """What the status bar says after a paste with an over-long line was split."""
    return (f"The pasted text had a line of {longest:,} characters; it was split into lines "
            f"of at most {limit:,} characters so the editor stays quick (nothing was left out).")


def _after_spaces(line: str, index: int, stop: int) -> int | None:
    """Where the next piece starts when a break goes after the space at ``index``: after
    the whole run of spaces (so no piece starts with spaces), but never past ``stop``."""
    end = index + 1
    while end < len(line) and end < stop and line[end] == " ":
        end += 1
    return end if end < len(line) else None


def _first(line: str, marks: Sequence[str], start: int, end: int) -> int:
    found = [i for i in (line.find(m, start, end) for m in marks) if i >= 0]
    return min(found) if found else -1


def _next_break(line: str, pos: int, limit: int, target: int) -> int | None:
    """Where the piece starting at ``pos`` should end (the next piece's start), or None to
    keep the rest whole. Prefers a sentence end, then a space, near ``target``; a piece is
    hard-cut at ``limit`` only when neither is found."""
    if len(line) - pos <= target:
        return None
    stop = min(pos + limit, len(line))
    wanted = pos + target
    for marks in (SENTENCE_ENDS, (" ",)):
        back = max(line.rfind(m, pos, wanted) for m in marks)
        at = back if back > pos else _first(line, marks, wanted, stop)
        if at > pos:
            width = next((len(m) for m in marks if line.startswith(m, at)), 1)
            return _after_spaces(line, at + width - 1, pos + limit)
    return stop if len(line) - pos > limit else None


def _split_line(line: str, limit: int, target: int) -> str:
    joiner = "\n" if line.startswith(_BLOCK_STARTS) or line[:1].isdigit() else "\n\n"
    pieces: list[str] = []
    pos = 0
    while True:
        cut = _next_break(line, pos, limit, target)
        if cut is None:
            pieces.append(line[pos:])
            return joiner.join(pieces)
        pieces.append(line[pos:cut])
        pos = cut


def split_long_lines(text: str, limit: int = LINE_LIMIT,
                     target: int = PARAGRAPH_TARGET) -> str:
    """Break every line longer than ``limit`` into pieces of about ``target`` characters at
    sentence ends or spaces (hard-wrapped at ``limit`` where there are none). A plain
    paragraph becomes several paragraphs; a list item, quote or other block keeps together
    with single line breaks. Only line breaks are inserted."""
    if not long_lines(text, limit):
        return text
    target = max(1, min(target, limit))
    lines = text.split("\n")
    return "\n".join(_split_line(line, limit, target) if len(line) > limit else line
                     for line in lines)


def line_slices(text: str, size: int = LOAD_STEP_CHARS) -> Iterator[str]:
    """``text`` in consecutive slices of about ``size`` characters, each ending after a line
    break (but the last); joined, they give ``text`` back. A big text is put into the editor
    a slice per turn of the event loop: all at once, its highlighting and layout would hold the
    GUI for seconds."""
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end
