"""Articles as Markdown files with YAML front matter, as Hugo and Jekyll read them.

A file is ``---``, the front matter (PyYAML's ``safe_dump``: every value quoted or escaped as
YAML needs, so a title holding ``: ``, ``#``, quotes or new lines reads back the same), ``---``,
then the article's Markdown exactly as stored::

    ---
    title: 'Councils: the next five years'
    slug: councils-the-next-five-years
    date: '2026-11-24T09:00:00Z'
    lastmod: '2026-11-30T16:12:03Z'
    draft: false
    author: Jane Doe
    summary: The standfirst.
    categories:
    - Local government
    tags:
    - councils
    pse_desk_id: 6f1c…
    ---
    The body…

``date`` is when it was published, or created for an unpublished one (UTC, RFC 3339, which
both generators parse); ``draft: true`` unless it is published, so neither builds it into the
site by default. File names are ``YYYY-MM-DD-slug.md`` (the form Jekyll's ``_posts`` needs;
Hugo takes any name and uses ``slug``), in lower-case ASCII letters, digits and hyphens only
— a slug from an import cannot climb out of the folder — and unique within the export (so is
each ``slug``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import yaml

MAX_STEM = 80
FALLBACK = "article"
_NOT_SAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class ArticleFile:
    """What an article's file is made of: plain values read by the service."""

    id: str
    slug: str
    title: str
    standfirst: str
    body_md: str
    section: str
    author: str
    tags: Sequence[str]
    published: bool
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


def rfc3339(moment: datetime) -> str:
    """A naive UTC time as ``2026-11-24T09:00:00Z`` (whole seconds)."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def front_matter(article: ArticleFile, slug: str) -> dict[str, object]:
    """The front matter's fields, in the order they are written."""
    fields: dict[str, object] = {
        "title": article.title,
        "slug": slug,
        "date": rfc3339(article.published_at or article.created_at),
        "lastmod": rfc3339(article.updated_at),
        "draft": not article.published,
    }
    if article.author:
        fields["author"] = article.author
    if article.standfirst:
        fields["summary"] = article.standfirst
    if article.section:
        fields["categories"] = [article.section]
    if article.tags:
        fields["tags"] = [str(t) for t in article.tags]
    fields["pse_desk_id"] = article.id
    return fields


def markdown_file(article: ArticleFile, slug: str) -> str:
    """The whole file's text: front matter between ``---`` lines, then the body as stored."""
    head = yaml.safe_dump(front_matter(article, slug), sort_keys=False, allow_unicode=True,
                          default_flow_style=False, width=1_000_000)
    return f"---\n{head}---\n{article.body_md}"


def safe_stem(slug: str) -> str:
    """``slug`` reduced to lower-case ASCII letters, digits and single hyphens (never empty,
    never a path: ``../x`` becomes ``x``)."""
    stem = _NOT_SAFE.sub("-", slug.lower()).strip("-")
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rstrip("-")
    return stem or FALLBACK


def file_name(article: ArticleFile, taken: Collection[str]) -> tuple[str, str]:
    """The article's file name and the slug its front matter carries, that slug not among
    ``taken`` (the slugs already given: two files never share a name or a URL)."""
    day = (article.published_at or article.created_at).date().isoformat()
    base = safe_stem(article.slug or article.title)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return f"{day}-{slug}.md", slug
