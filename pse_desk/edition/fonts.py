"""Which characters the shipped fonts lack (fontTools' character maps), per role: headings in
the sans, text in the serif, code in the mono. A character they lack prints in some other font
of the system, or as a box: preflight says which, and where."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from fontTools.ttLib import TTFont

from pse_desk.edition.compose import FONTS_DIR

SERIF = "LiberationSerif-Regular.ttf"
SANS = "LiberationSans-Regular.ttf"
MONO = "LiberationMono-Regular.ttf"
_CODE_TAGS = frozenset({"code", "pre", "kbd", "samp"})


@lru_cache(maxsize=8)
def coverage(font_file: str, fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    font = TTFont(fonts_dir / font_file, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _printable(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def missing_in(text: str, font_file: str) -> list[str]:
    """The distinct characters of ``text`` that ``font_file`` has no glyph for, in order."""
    have = coverage(font_file)
    return list(dict.fromkeys(ch for ch in text if _printable(ch) and ord(ch) not in have))


class _TextSplitter(HTMLParser):
    """The text of an HTML body in two parts: prose (serif) and code (mono)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.prose: list[str] = []
        self.code: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CODE_TAGS:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _CODE_TAGS and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        (self.code if self._depth else self.prose).append(data)


def body_text(body_html: str) -> tuple[str, str]:
    """(prose, code) of a rendered body."""
    splitter = _TextSplitter()
    splitter.feed(body_html)
    splitter.close()
    return "".join(splitter.prose), "".join(splitter.code)


def describe(chars: list[str], limit: int = 5) -> str:
    """"U+4E2D 中, U+1F600 😀" for a sentence."""
    shown = [f"U+{ord(c):04X} {c}" for c in chars[:limit]]
    more = f" and {len(chars) - limit} more" if len(chars) > limit else ""
    return ", ".join(shown) + more
