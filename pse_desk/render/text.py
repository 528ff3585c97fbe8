"""Text hygiene shared by the renderer and the sanitiser: what may reach a parser at all.

NUL and the other C0 control characters (except tab and line feed), DEL and lone surrogates
are replaced by U+FFFD, and line ends become ``\\n``: Python-Markdown uses some control
characters as its own placeholders, and a lone surrogate cannot even be encoded for nh3.
"""

from __future__ import annotations

import re

_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])


def _has_bad_characters(text: str) -> bool:
    # Checking bytes is several times faster than the regular expression on long texts, and
    # this runs on every keystroke of the preview.
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def normalise_text(text: str) -> str:
    """Line ends become ``\\n``; control characters and lone surrogates become U+FFFD."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _has_bad_characters(text):
        text = _BAD_CHARACTERS.sub("\ufffd", text)
    return text
