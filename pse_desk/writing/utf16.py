"""Positions in a line as Python counts them (code points) and as Qt does (UTF-16 units).

They differ only after a character outside the Basic Multilingual Plane (most emoji), which Qt
counts twice. Every conversion between the two goes through here.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

NON_BMP = re.compile("[\U00010000-\U0010ffff]")


def utf16_len(text: str) -> int:
    """How many UTF-16 units ``text`` is (Qt's length of it)."""
    return len(text) + sum(1 for _ in NON_BMP.finditer(text))


class Positions:
    """Converts between code-point indices and UTF-16 positions in one text."""

    def __init__(self, text: str) -> None:
        self._wide = [m.start() for m in NON_BMP.finditer(text)]
        self._wide16 = [w + i for i, w in enumerate(self._wide)]

    def to_qt(self, index: int) -> int:
        return index + bisect.bisect_left(self._wide, index)

    def to_python(self, position: int) -> int:
        return position - bisect.bisect_left(self._wide16, position)


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Maps a code-point index of ``text`` to Qt's UTF-16 position (the identity when the
    text has no wide character, the common case: no table is built)."""
    if NON_BMP.search(text) is None:
        return lambda i: i
    return Positions(text).to_qt


def python_index(text: str, position: int) -> int:
    """The code-point index of ``text`` at Qt's UTF-16 ``position``."""
    if NON_BMP.search(text) is None:
        return position
    return Positions(text).to_python(position)
