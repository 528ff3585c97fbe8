"""Merging article text by blocks: the three-way merge of sync and the two-way merge view.

A text is cut into top-level blocks (a paragraph, a heading, a list, each with the blank lines
after it), and blocks are compared by their text without trailing white space, so a block that
only gained a following blank line is the same block. ``merge3(base, mine, theirs)`` applies
both sides' changes to the common version: changes to different blocks merge by themselves,
even next to each other (where line-based diff3 would call them a conflict); both sides changing
the same block, or inserting different blocks at the same place, is a conflict. Two sides that
made the same change agree.

``compare(left, right)`` cuts two texts into the regions a merge view shows: runs both share and
changed runs, each taken "left", "right" or "both" by ``compose``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

_BLOCK = re.compile(r".*?(?:\n[ \t]*\n(?:[ \t]*\n)*|\Z)", re.S)


def blocks(text: str) -> list[str]:
    """The text's top-level blocks; ``"".join(blocks(t)) == t``."""
    found = [m.group(0) for m in _BLOCK.finditer(text) if m.group(0)]
    return found


def _keys(chunks: list[str]) -> list[str]:
    return [c.rstrip() for c in chunks]


@dataclass(frozen=True)
class _Hunk:
    lo: int   # base blocks [lo, hi) are replaced by ``new``
    hi: int
    new: tuple[str, ...]
    side: int  # 0: mine, 1: theirs


def _hunks(base: list[str], side: list[str], which: int) -> list[_Hunk]:
    matcher = SequenceMatcher(None, _keys(base), _keys(side), autojunk=False)
    return [_Hunk(i1, i2, tuple(side[j1:j2]), which)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _touch(lo: int, hi: int, h: _Hunk) -> bool:
    """Does hunk ``h`` collide with the base range [lo, hi) of a cluster?"""
    if h.lo == h.hi:  # an insertion at h.lo
        return lo == hi == h.lo or lo < h.lo < hi
    if lo == hi:      # the cluster is an insertion at lo
        return h.lo < lo < h.hi
    return max(lo, h.lo) < min(hi, h.hi)


@dataclass(frozen=True)
class Conflict:
    base: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class Merged:
    """The merge as regions: plain text (agreed) or a ``Conflict``."""

    regions: tuple[str | Conflict, ...]

    @property
    def conflicts(self) -> int:
        return sum(isinstance(r, Conflict) for r in self.regions)

    def text(self, prefer: Literal["mine", "theirs"] = "mine") -> str:
        """The merged text, taking ``prefer``'s side of every conflict."""
        out = []
        for region in self.regions:
            if isinstance(region, Conflict):
                out.append(region.mine if prefer == "mine" else region.theirs)
            else:
                out.append(region)
        return "".join(out)


def _apply(base: list[str], lo: int, hi: int, hunks: list[_Hunk]) -> str:
    out, pos = [], lo
    for h in sorted(hunks, key=lambda h: (h.lo, h.hi)):
        out.extend(base[pos:h.lo])
        out.extend(h.new)
        pos = max(pos, h.hi)
    out.extend(base[pos:hi])
    return "".join(out)


def merge3(base: str, mine: str, theirs: str) -> Merged:
    """Both sides' changes to ``base``, block by block."""
    if mine == theirs:
        return Merged((mine,))
    if mine == base:
        return Merged((theirs,))
    if theirs == base:
        return Merged((mine,))
    b = blocks(base)
    pending = sorted(_hunks(b, blocks(mine), 0) + _hunks(b, blocks(theirs), 1),
                     key=lambda h: (h.lo, h.hi != h.lo, h.side))
    regions: list[str | Conflict] = []
    pos = 0
    while pending:
        cluster = [pending.pop(0)]
        lo, hi = cluster[0].lo, cluster[0].hi
        grown = True
        while grown:
            grown = False
            for h in list(pending):
                if _touch(lo, hi, h):
                    cluster.append(h)
                    pending.remove(h)
                    lo, hi = min(lo, h.lo), max(hi, h.hi)
                    grown = True
        regions.append("".join(b[pos:lo]))
        sides = {h.side for h in cluster}
        mine_text = _apply(b, lo, hi, [h for h in cluster if h.side == 0])
        theirs_text = _apply(b, lo, hi, [h for h in cluster if h.side == 1])
        if len(sides) == 1:
            regions.append(mine_text if sides == {0} else theirs_text)
        elif _keys(blocks(mine_text)) == _keys(blocks(theirs_text)):
            regions.append(mine_text)
        else:
            regions.append(Conflict("".join(b[lo:hi]), mine_text, theirs_text))
        pos = hi
    regions.append("".join(b[pos:]))
    return Merged(tuple(r for r in regions if r != ""))


def merge_field(base: str, mine: str, theirs: str) -> tuple[str, bool]:
    """A one-line field (title, standfirst) merged whole: ``(value, conflicted)``; in a
    conflict ``mine`` is returned and the caller decides."""
    if mine == theirs or theirs == base:
        return mine, False
    if mine == base:
        return theirs, False
    return mine, True


# --- the merge view ---------------------------------------------------------------------------

Choice = Literal["left", "right", "both"]


@dataclass(frozen=True)
class Region:
    """A run of blocks: ``left == right`` where both texts share it, else a changed run."""

    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


def compare(left: str, right: str) -> list[Region]:
    """The two texts as alternating shared and changed runs of blocks."""
    lb, rb = blocks(left), blocks(right)
    matcher = SequenceMatcher(None, _keys(lb), _keys(rb), autojunk=False)
    out: list[Region] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Region("".join(lb[i1:i2]), "".join(lb[i1:i2])))
        else:
            out.append(Region("".join(lb[i1:i2]), "".join(rb[j1:j2])))
    return out


def _joined(first: str, second: str) -> str:
    if not first or not second:
        return first + second
    if not first.endswith("\n\n"):
        first = first.rstrip("\n") + "\n\n"
    return first + second


def compose(regions: list[Region], choices: dict[int, Choice]) -> str:
    """The text the merge view saves: each changed region as chosen (default "left")."""
    out = ""
    for index, region in enumerate(regions):
        if not region.changed:
            out = _joined(out, region.left)
            continue
        choice = choices.get(index, "left")
        if choice == "left":
            out = _joined(out, region.left)
        elif choice == "right":
            out = _joined(out, region.right)
        else:
            out = _joined(_joined(out, region.left), region.right)
    return out
