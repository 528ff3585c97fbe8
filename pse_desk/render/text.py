"""Text hygiene shared by the renderer and the sanitiser: what may reach a parser at all.

NUL and the other C0 control characters (except tab and line feed), DEL and lone surrogates
are replaced by U+FFFD, and line ends become ``\\n``: Python-Markdown uses some control
characters as its own placeholders, and a lone surrogate cannot even be encoded for nh3.
"""

from __future__ import annotations

import re

_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def normalise_text(text: str) -> str:
    """Line ends become ``\\n``; control characters and lone surrogates become U+FFFD."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BAD_CHARACTERS.search(text):
        text = _BAD_CHARACTERS.sub("\ufffd", text)
    return text
