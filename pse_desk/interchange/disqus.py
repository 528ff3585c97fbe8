"""A Disqus XML export read as a stream of threads and comments.

The export (``<disqus xmlns="http://disqus.com">``) lists categories, then every thread (the
page a discussion was on: link, title, date), then every post, each naming its thread and,
for a reply, its parent by ``dsq:id``. Disqus keeps deleted and spam posts in the export; they
come out with the desk's statuses (rejected, spam). Posts have no "pending" in Disqus unless
the export has ``<isApproved>false</isApproved>``. A thread the site deleted
(``<isDeleted>true</isDeleted>``) is left out with its posts, counted: it would otherwise turn
into a stub article for a page that no longer exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from pse_desk.errors import ImportFileError
from pse_desk.interchange.records import Record, Skipped, Source, SourceComment, SourceThread
from pse_desk.interchange.xmlstream import (
    CleanReader,
    iter_elements,
    parse_date,
    raw_text_of,
    text_of,
)

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
TRUE = frozenset({"true", "1"})


def _check_root(name: str) -> Callable[[etree._Element], None]:
    def check(root: etree._Element) -> None:
        if root.tag != NS + "disqus":
            shown = str(root.tag).rpartition("}")[2]
            raise ImportFileError(f"{name} is not a Disqus export: its root element is "
                                  f"<{shown}>, not <disqus xmlns=\"http://disqus.com\">; "
                                  "nothing was imported.")
    return check


class _DisqusReader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.forum = ""
        self.announced = False
        self.deleted_threads: set[str] = set()

    def announce(self, elem: etree._Element) -> Iterator[Record]:
        if not self.announced:
            self.forum = self.forum or text_of(elem.find(NS + "forum"))
            self.announced = True
            yield Source("disqus", self.forum)

    def thread(self, elem: etree._Element) -> SourceThread:
        created = elem.find(NS + "createdAt")
        return SourceThread(
            source_id=elem.get(DSQ_ID, ""),
            link=text_of(elem.find(NS + "link")),
            title=text_of(elem.find(NS + "title")),
            created_at=parse_date(text_of(created), name=self.name, elem=created,
                                  what="createdAt"))

    def post(self, elem: etree._Element) -> SourceComment:
        fields = {child.tag: child for child in elem}
        created = fields.get(NS + "createdAt")
        author = fields.get(NS + "author")
        thread = fields.get(NS + "thread")
        parent = fields.get(NS + "parent")
        approved = fields.get(NS + "isApproved")
        if text_of(fields.get(NS + "isSpam")).lower() in TRUE:
            status = "spam"
        elif text_of(fields.get(NS + "isDeleted")).lower() in TRUE:
            status = "rejected"
        elif approved is not None and text_of(approved).lower() not in TRUE:
            status = "pending"
        else:
            status = "approved"
        name = text_of(author.find(NS + "name")) if author is not None else ""
        username = text_of(author.find(NS + "username")) if author is not None else ""
        email = text_of(author.find(NS + "email")) if author is not None else ""
        return SourceComment(
            source_id=elem.get(DSQ_ID, ""),
            parent_source_id=(parent.get(DSQ_ID) or None) if parent is not None else None,
            author_name=name or username,
            author_email=email,
            posted_at=parse_date(text_of(created), name=self.name, elem=created,
                                 what="createdAt"),
            body=raw_text_of(fields.get(NS + "message")),
            status=status,
            line=elem.sourceline or 0,
            thread_source_id=thread.get(DSQ_ID, "") if thread is not None else "")


def read_disqus(source: CleanReader, name: str) -> Iterator[Record]:
    """The records of a Disqus export: its ``Source`` first, then threads and comments in
    file order (categories only name the forum)."""
    reader = _DisqusReader(name)
    tags = [NS + "category", NS + "thread", NS + "post"]
    check = _check_root(name)
    for elem in iter_elements(source, name, tags, depth=1, roots=[NS + "disqus"],
                              root_check=check):
        tag = elem.tag
        if tag == NS + "category":
            reader.forum = reader.forum or text_of(elem.find(NS + "forum"))
            continue
        yield from reader.announce(elem)
        if tag == NS + "thread":
            if text_of(elem.find(NS + "isDeleted")).lower() in TRUE:
                reader.deleted_threads.add(elem.get(DSQ_ID, ""))
                yield Skipped("deleted Disqus threads")
                continue
            yield reader.thread(elem)
        else:
            if elem.get(DSQ_ID) is None:
                yield Skipped("posts without a dsq:id")
                continue
            post = reader.post(elem)
            if post.thread_source_id in reader.deleted_threads:
                yield Skipped("posts of deleted Disqus threads")
                continue
            yield post
    if not reader.announced:
        yield Source("disqus", reader.forum)
