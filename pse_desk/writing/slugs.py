"""URL slugs from titles: lower-case ASCII words and hyphens, transliterated, de-duplicated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

MAX_SLUG = 80
FALLBACK = "untitled"
# letters that NFKD does not decompose into an ASCII base letter
SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                         "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th",
                         "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i", "&": " and ", "%": " per cent "})


def slugify(title: str) -> str:
    """``"Café culture: Ærø & the 5% rise"`` → ``"cafe-culture-aero-and-the-5-per-cent-rise"``."""
    text = unicodedata.normalize("NFKD", title.translate(SPECIAL))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut else slug[:MAX_SLUG]
    return slug or FALLBACK


def unique_slug(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not in ``taken``."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"
