"""Word-level comparison of two texts, for side-by-side highlighting of two revisions.

Tokens are words, runs of whitespace and single punctuation marks, so the segments put back
together give both texts exactly. Texts are first compared line by line (paragraphs), then word
by word inside the lines that changed; a very long changed line is matched sentence by sentence
first. A 100,000-word article with a few edits compares in a fraction of a second: the cost
follows the size of the change, not of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Tag = Literal["equal", "insert", "delete", "replace"]
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# beyond this many tokens on both sides, a changed block is matched sentence by sentence first
MAX_WORD_DIFF_TOKENS = 6_000
SENTENCE_END = re.compile(r"(?<=[.!?][ \t])")


@dataclass(frozen=True)
class Segment:
    """One piece of the comparison: ``a_text`` stands in the old text, ``b_text`` in the new."""

    tag: Tag
    a_text: str
    b_text: str
    a_start: int  # character offset in the old text
    b_start: int  # character offset in the new text


class _Builder:
    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.a_pos = 0
        self.b_pos = 0

    def add(self, tag: Tag, a_text: str, b_text: str) -> None:
        if not a_text and not b_text:
            return
        last = self.segments[-1] if self.segments else None
        if last is not None and _mergeable(last.tag, tag):
            merged: Tag = "equal" if tag == "equal" else _combined(last, a_text, b_text)
            self.segments[-1] = Segment(merged, last.a_text + a_text, last.b_text + b_text,
                                        last.a_start, last.b_start)
        else:
            self.segments.append(Segment(tag, a_text, b_text, self.a_pos, self.b_pos))
        self.a_pos += len(a_text)
        self.b_pos += len(b_text)


def _mergeable(previous: Tag, tag: Tag) -> bool:
    return (previous == "equal") == (tag == "equal")


def _combined(last: Segment, a_text: str, b_text: str) -> Tag:
    has_a = bool(last.a_text or a_text)
    has_b = bool(last.b_text or b_text)
    return "replace" if has_a and has_b else ("delete" if has_a else "insert")


def _trim(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common head and tail of ``a`` and ``b``, cut at whitespace."""
    head = _common_prefix(a, b)
    while head and not a[head - 1].isspace():  # back off to a token boundary
        head -= 1
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    while tail and not a[len(a) - tail].isspace():
        tail -= 1
    return head, tail


def _block_diff(builder: _Builder, a: str, b: str, *, by_sentence: bool) -> None:
    """Word diff of a changed block; a very long block is first matched sentence by sentence."""
    head, tail = _trim(a, b)
    builder.add("equal", a[:head], b[:head])
    a_mid, b_mid = a[head:len(a) - tail], b[head:len(b) - tail]
    a_tokens = TOKEN.findall(a_mid)
    b_tokens = TOKEN.findall(b_mid)
    if len(a_tokens) <= MAX_WORD_DIFF_TOKENS or len(b_tokens) <= MAX_WORD_DIFF_TOKENS:
        _add_opcodes(builder, a_tokens, b_tokens)
    elif by_sentence:
        a_parts, b_parts = SENTENCE_END.split(a_mid), SENTENCE_END.split(b_mid)
        matcher = SequenceMatcher(None, a_parts, b_parts, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            a_part, b_part = "".join(a_parts[i1:i2]), "".join(b_parts[j1:j2])
            if tag == "replace":
                _block_diff(builder, a_part, b_part, by_sentence=False)
            else:
                builder.add(tag, a_part, b_part)
    else:
        # Exact matching is quadratic in the worst case: a huge rewrite is one replacement.
        builder.add("replace", a_mid, b_mid)
    builder.add("equal", a[len(a) - tail:], b[len(b) - tail:])


def _add_opcodes(builder: _Builder, a_tokens: list[str], b_tokens: list[str]) -> None:
    matcher = SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        builder.add(tag, "".join(a_tokens[i1:i2]), "".join(b_tokens[j1:j2]))


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    lo, hi = 0, n
    while lo < hi:  # binary search on slices: C-speed comparisons of long texts
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def compare(a: str, b: str) -> list[Segment]:
    """Segments that spell ``a`` (their ``a_text``) and ``b`` (their ``b_text``) in order."""
    builder = _Builder()
    if a == b:
        builder.add("equal", a, b)
        return builder.segments
    a_lines = a.splitlines(keepends=True)
    b_lines = b.splitlines(keepends=True)
    matcher = SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_part = "".join(a_lines[i1:i2])
        b_part = "".join(b_lines[j1:j2])
        if tag == "replace":
            _block_diff(builder, a_part, b_part, by_sentence=True)
        else:
            builder.add(tag, a_part, b_part)
    return builder.segments
