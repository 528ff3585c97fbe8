"""A comment's untrusted body made safe to show: sanitised HTML with its line breaks, whether
sanitising removed markup, and bidirectional controls defused.

``render.sanitise_comment`` is the only way comment HTML is made safe. What it removed is
measured here — and whether anything readable is left, since the text around a removed tag
stays (``"><script …>`` leaves ``">``, which the pane must not show as if it were the
comment: issue 8). Plain functions, no session: the detail view and the tests call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from pse_desk.render import sanitise_comment
from pse_desk.render.text import normalise_text

# what an injection leaves outside the tags it tried to break out of: alone, not a comment
DEBRIS = frozenset("\"'`<>/\\=;")


def defuse_bidi(text: str) -> str:
    """Bidirectional embedding, override and isolate controls shown as U+FFFD: a comment must
    not be able to turn the text after it around (an RTL override hides what a link says)."""
    return text.translate(_BIDI_CONTROLS)


_BIDI_CONTROLS = {cp: 0xFFFD for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def comment_html(body: str) -> str:
    """The body as safe HTML: line breaks kept, then ``sanitise_comment`` (nothing else)."""
    return sanitise_comment(_with_breaks(body))


def _with_breaks(body: str) -> str:
    return defuse_bidi(body).replace("\r\n", "\n").replace("\n", "<br>\n")


class _Shape(HTMLParser):
    """How many tags (and comments, declarations) some HTML has, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = 0
        self._text: list[str] = []
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return "".join(self._text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1

    def handle_comment(self, data: str) -> None:
        self.tags += 1

    def handle_decl(self, decl: str) -> None:
        self.tags += 1

    def handle_pi(self, data: str) -> None:
        self.tags += 1

    def unknown_decl(self, data: str) -> None:
        self.tags += 1

    def handle_data(self, data: str) -> None:
        self._text.append(data)


@dataclass(frozen=True)
class SafeBody:
    html: str            # sanitised; empty when nothing readable was left
    markup_removed: bool
    nothing_left: bool


def safe_body(body: str) -> SafeBody:
    """``comment_html(body)``, and what sanitising it took away.

    Markup was removed when the sanitised HTML has fewer tags, or less text (a script's or a
    style's content), than what went in. Nothing is left when, besides, its text is only
    whitespace and the quotes and brackets an injection leaves around a removed tag.
    """
    given = _with_breaks(body)
    html = sanitise_comment(given)
    before, after = _Shape(normalise_text(given)), _Shape(html)
    left = after.text
    removed = after.tags < before.tags or left != before.text
    nothing = removed and all(ch.isspace() or ch in DEBRIS for ch in left)
    return SafeBody("" if nothing else html, removed, nothing)
