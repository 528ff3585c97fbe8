"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) read as a stream of posts with their comments.

WordPress writes one ``<item>`` per post, page or attachment, its comments inside it as
``<wp:comment>``; authors (``<wp:author>``) and the site's address come first in the
``<channel>``. Only posts are imported: pages, attachments, menu items and the trash come out
as ``Skipped`` records, as do pingbacks and trackbacks. Dates are the GMT ones when WordPress
wrote them (``0000-00-00 00:00:00`` means none: a draft never scheduled), else local time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from pse_desk.errors import ImportFileError
from pse_desk.interchange.records import Record, Skipped, Source, SourceComment, SourcePost
from pse_desk.interchange.xmlstream import (
    CleanReader,
    iter_elements,
    parse_date,
    raw_text_of,
    text_of,
)

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
VERSIONS = ("1.0", "1.1", "1.2")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
CREATOR = "{http://purl.org/dc/elements/1.1/}creator"

POST_STATUS = {"publish": "published", "future": "ready", "pending": "ready",
               "draft": "draft", "private": "draft", "auto-draft": "draft", "inherit": "draft"}
COMMENT_STATUS = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending",
                  "spam": "spam", "trash": "rejected", "post-trashed": "rejected"}
ITEM_KINDS = {"page": "pages (only posts are imported)", "attachment": "attachments",
              "nav_menu_item": "menu items", "revision": "WordPress revisions"}
PING_TYPES = frozenset({"pingback", "trackback"})
COMMENT_TYPES = frozenset({"", "comment"})


def _wp_namespace(root: etree._Element, name: str) -> tuple[str, str]:
    """The WXR namespace the root declares and its version; ImportFileError otherwise."""
    if root.tag != "rss":
        raise ImportFileError(f"{name} is not a WordPress export: its root element is "
                              f"<{_local(root.tag)}>, not <rss>; nothing was imported.")
    for uri in root.nsmap.values():
        match = WXR_NAMESPACE.match(uri or "")
        if match:
            if match.group(1) not in VERSIONS:
                raise ImportFileError(
                    f"{name} is a WordPress export of version {match.group(1)}, which PSE "
                    f"Desk cannot read (it reads {', '.join(VERSIONS)}); nothing was "
                    "imported.")
            return uri, match.group(1)
    raise ImportFileError(f"{name} is an RSS feed, not a WordPress export (no WXR namespace "
                          "on its root element); nothing was imported.")


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


class _WxrReader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.wp = ""
        self.version = ""
        self.site = ""
        self.link = ""
        self.authors: dict[str, str] = {}
        self.announced = False

    def check_root(self, root: etree._Element) -> None:
        uri, self.version = _wp_namespace(root, self.name)
        self.wp = "{" + uri + "}"

    def source(self) -> Source:
        self.announced = True
        return Source("wxr", (self.site or self.link).rstrip("/"), self.version)

    def channel_element(self, elem: etree._Element) -> None:
        wp, tag = self.wp, elem.tag
        if tag in (wp + "base_site_url", wp + "base_blog_url") and not self.site:
            self.site = text_of(elem)
        elif tag == "link" and not self.link:
            self.link = text_of(elem)
        elif tag == wp + "author":
            login = text_of(elem.find(wp + "author_login"))
            shown = text_of(elem.find(wp + "author_display_name"))
            if login:
                self.authors[login] = shown or login

    def item(self, elem: etree._Element) -> Iterator[Record]:
        wp = self.wp
        kind = text_of(elem.find(wp + "post_type")) or "post"
        status = text_of(elem.find(wp + "status"))
        comments = elem.findall(wp + "comment")
        if kind != "post" or status == "trash":
            reason = "posts in WordPress's trash" if kind == "post" else \
                ITEM_KINDS.get(kind, f"items of type {kind}")
            yield Skipped(reason)
            if comments:
                yield Skipped("comments on items not imported", len(comments))
            return
        post = self.post(elem, status)
        skipped: dict[str, int] = {}
        for c in comments:
            comment = self.comment(c, skipped)
            if comment is not None:
                post.comments.append(comment)
        yield post
        for reason, count in skipped.items():
            yield Skipped(reason, count)

    def post(self, elem: etree._Element, status: str) -> SourcePost:
        wp, name = self.wp, self.name
        date_elem = elem.find(wp + "post_date_gmt")
        published = parse_date(text_of(date_elem), name=name, elem=date_elem,
                               what="wp:post_date_gmt")
        if published is None:
            date_elem = elem.find(wp + "post_date")
            published = parse_date(text_of(date_elem), name=name, elem=date_elem,
                                   what="wp:post_date")
        sections, tags = [], []
        for cat in elem.iterfind("category"):
            domain, label = cat.get("domain", "category"), text_of(cat)
            if not label:
                continue
            if domain == "category":
                sections.append(label)
            elif domain == "post_tag":
                tags.append(label)
        creator = text_of(elem.find(CREATOR))
        return SourcePost(
            source_id=text_of(elem.find(wp + "post_id")),
            title=text_of(elem.find("title")),
            slug=text_of(elem.find(wp + "post_name")),
            author=self.authors.get(creator, creator),
            section=sections[0] if sections else "",
            tags=list(dict.fromkeys(tags)),
            published_at=published,
            status=POST_STATUS.get(status, "draft"),
            html=raw_text_of(elem.find(CONTENT)),
            link=text_of(elem.find("link")))

    def comment(self, elem: etree._Element, skipped: dict[str, int]) -> SourceComment | None:
        wp = self.wp
        fields = {child.tag: child for child in elem}
        kind = text_of(fields.get(wp + "comment_type"))
        if kind not in COMMENT_TYPES:
            reason = f"{kind}s" if kind in PING_TYPES else f"comments of type {kind}"
            skipped[reason] = skipped.get(reason, 0) + 1
            return None
        date_elem = fields.get(wp + "comment_date_gmt")
        posted = parse_date(text_of(date_elem), name=self.name, elem=date_elem,
                            what="wp:comment_date_gmt")
        if posted is None:
            date_elem = fields.get(wp + "comment_date")
            posted = parse_date(text_of(date_elem), name=self.name, elem=date_elem,
                                what="wp:comment_date")
        parent = text_of(fields.get(wp + "comment_parent"))
        approved = text_of(fields.get(wp + "comment_approved"))
        return SourceComment(
            source_id=text_of(fields.get(wp + "comment_id")),
            parent_source_id=parent if parent not in ("", "0") else None,
            author_name=text_of(fields.get(wp + "comment_author")),
            author_email=text_of(fields.get(wp + "comment_author_email")),
            posted_at=posted,
            body=raw_text_of(fields.get(wp + "comment_content")),
            status=COMMENT_STATUS.get(approved, "pending"),
            line=elem.sourceline or 0)


def read_wxr(source: CleanReader, name: str) -> Iterator[Record]:
    """The records of a WXR file: its ``Source`` first, then posts and skips in file order.

    ``source`` wraps the open file (``CleanReader``); ``name`` names it in error messages.
    """
    reader = _WxrReader(name)
    tags = ["item", "link", "{*}author", "{*}base_site_url", "{*}base_blog_url"]
    for elem in iter_elements(source, name, tags, depth=2, roots=["rss"],
                              root_check=reader.check_root):
        if elem.tag == "item":
            if not reader.announced:
                yield reader.source()
            yield from reader.item(elem)
        else:
            reader.channel_element(elem)
    if not reader.announced:
        yield reader.source()
