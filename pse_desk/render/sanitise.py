"""Make HTML safe to show: articles (what Markdown produces) and reader comments.

Both functions are nh3 (ammonia) allow-lists: nh3 parses the HTML like a browser does and keeps
only the tags, attributes, classes and URL schemes listed here, so nothing is matched with
regular expressions. What survives neither: scripts, event handlers, styles, ``javascript:`` /
``vbscript:`` / ``data:`` URLs, frames, objects, forms, SVG or MathML.

``sanitise_article`` keeps what Python-Markdown output needs (tables, code highlighting classes,
footnotes, heading ids, ``data-line``, figures) and images only from our own ``pse-asset:``
scheme (images stored in the database) or, when the article allows remote images, ``https:``.

``sanitise_comment`` is the only way comment HTML is made safe (issue 5): a small allow-list of
text formatting and links (http, https, mailto) marked ``nofollow noopener noreferrer ugc``; no
images, no classes, no ids.
"""

from __future__ import annotations

from collections.abc import Callable

import nh3
from pygments.token import STANDARD_TYPES

from pse_desk.render.text import normalise_text

ASSET_SCHEME = "pse-asset"
_ASSET_PREFIX = ASSET_SCHEME + ":"
# ids of the page itself: an article may not take them (a heading "PSE awards" keeps its
# "pse-awards" id; only these exact ones are refused)
PAGE_IDS = frozenset({"pse-body", "pse-comments"})

_DROP_WITH_CONTENT = frozenset({
    "script", "style", "svg", "math", "template", "iframe", "object", "noscript", "textarea",
    "select", "title", "xmp", "noembed", "noframes", "frameset", "applet",
})

_ARTICLE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var",
})
_ARTICLE_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "data-line", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
}
_PYGMENTS_CLASSES = {name for name in STANDARD_TYPES.values() if name}
_ARTICLE_CLASSES: dict[str, set[str]] = {
    "span": _PYGMENTS_CLASSES,
    "div": {"codehilite", "footnote", "toc", "pse-unrendered"},
    "a": {"footnote-ref", "footnote-backref"},
    "p": {"pse-note"},
    "figure": {"pse-figure"},
}
_ARTICLE_SCHEMES = {"http", "https", "mailto", ASSET_SCHEME}

_COMMENT_TAGS = frozenset({
    "p", "br", "a", "em", "strong", "i", "b", "blockquote", "code", "pre", "ul", "ol", "li",
})
_COMMENT_REL = "nofollow noopener noreferrer ugc"

AttributeFilter = Callable[[str, str, str], str | None]


def _article_filter(allow_remote_images: bool,
                    image_source: Callable[[str], str | None] | None = None,
                    dropped: list[str] | None = None) -> AttributeFilter:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            kept: str | None = None
            if value.startswith(_ASSET_PREFIX):
                kept = image_source(value) if image_source is not None else value
            elif allow_remote_images and value.lower().startswith("https://"):
                kept = value
            if kept is None and dropped is not None:
                dropped.append(value)
            return kept
        if attribute == "id" and value.strip().lower() in PAGE_IDS:
            return None
        if attribute == "data-line" and not value.isdigit():
            return None
        return value

    return keep


def sanitise_article(html: str, *, allow_remote_images: bool = False,
                     image_source: Callable[[str], str | None] | None = None,
                     dropped_images: list[str] | None = None) -> str:
    """Article HTML made safe for the preview and every export.

    ``image_source`` may rewrite a ``pse-asset:`` image URL (the standalone export turns it into
    a ``data:`` URI of our own stored image); returning ``None`` drops the image source. The
    source of every image left out (remote ones not allowed, stored ones missing) is appended
    to ``dropped_images``, so an export can say what it left out.
    """
    return str(nh3.clean(
        normalise_text(html),
        tags=set(_ARTICLE_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes=_ARTICLE_ATTRIBUTES,
        attribute_filter=_article_filter(allow_remote_images, image_source, dropped_images),
        url_schemes=set(_ARTICLE_SCHEMES),
        allowed_classes=_ARTICLE_CLASSES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    ))


def sanitise_comment(html: str) -> str:
    """Reader comment HTML made safe: the only function that does this (issue 5)."""
    return str(nh3.clean(
        normalise_text(html),
        tags=set(_COMMENT_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"*": set(), "a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        strip_comments=True,
        link_rel=_COMMENT_REL,
    ))
