"""What the export readers yield: plain records of posts, threads, comments and skips."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Source:
    """The export itself: its kind ("wxr", "disqus"), the site or forum it came from (part
    of every imported row's id) and the format version."""

    kind: str
    identity: str
    version: str = ""


@dataclass(slots=True)
class SourceComment:
    """One comment; ``status`` is the desk's word (approved / pending / spam / rejected)."""

    source_id: str
    parent_source_id: str | None
    author_name: str
    author_email: str
    posted_at: datetime | None
    body: str
    status: str
    line: int = 0
    thread_source_id: str = ""  # Disqus: the thread it belongs to


@dataclass(slots=True)
class SourcePost:
    """A WordPress post with its comments; ``status`` is draft / ready / published."""

    source_id: str
    title: str
    slug: str
    author: str
    section: str
    tags: list[str]
    published_at: datetime | None
    status: str
    html: str
    link: str = ""
    comments: list[SourceComment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SourceThread:
    """A Disqus thread: the page its comments were left on."""

    source_id: str
    link: str
    title: str
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something in the export that is not imported, and why (a short phrase)."""

    reason: str
    count: int = 1


Record = Source | SourcePost | SourceThread | SourceComment | Skipped
