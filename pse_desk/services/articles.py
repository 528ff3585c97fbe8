"""Articles: the list (filtered, searched), one article, and the use cases that change them —
create, duplicate, delete and undelete, save metadata, save the text.

Reads take the caller's read session (the Write workspace reads in its pool); each change is
one unit of work on the store. Search uses the FTS5 index ``article_fts`` (title, standfirst,
body); what the user types is turned into quoted terms so no input can produce an FTS syntax
error. Soft-deleted articles never appear. Deleting is a tombstone (``deleted = True``)
because articles are synced; ``undelete_article`` brings it back (the Write workspace's Ctrl+Z).
Invalid input raises ``ValidationError`` with a sentence the editor can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, column, literal_column, select, table, text
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.store.db import Store
from pse_desk.store.model import Article, ArticleStatus, utcnow
from pse_desk.writing.slugs import MAX_SLUG, slugify, unique_slug

MAX_TITLE = 300
MAX_SECTION = 80
MAX_AUTHOR = 120
MAX_TAG = 60
MAX_TAGS = 30
COPY_PREFIX = "Copy of "


LIST_LIMIT = 5000
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class ArticleRow:
    """One line of the article list."""

    id: str
    title: str
    section: str
    status: str
    author: str
    updated_at: datetime


@dataclass(frozen=True)
class ArticleDetail:
    """What the Write pane shows of one article."""

    id: str
    slug: str
    title: str
    standfirst: str
    body_md: str
    section: str
    author: str
    status: str
    source_line: str
    tags: tuple[str, ...]
    published_at: datetime | None
    updated_at: datetime
    has_conflict: bool


def fts_query(search: str) -> str | None:
    """An FTS5 MATCH expression for free text: every word must occur, the last as a prefix.

    Words are double-quoted, so operators typed by the user (``AND``, ``NEAR(``, ``*``, ``"``)
    are searched as plain words. ``None`` when the text holds no word at all.
    """
    words = _WORD.findall(search)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _article_fts_rowids(match: str) -> Select[tuple[int]]:
    fts = table("article_fts", column("rowid"))
    return select(fts.c.rowid).where(text("article_fts MATCH :match").bindparams(match=match))


def list_articles(session: Session, status: ArticleStatus | str | None = None,
                  section: str | None = None, search: str | None = None,
                  limit: int = LIST_LIMIT) -> list[ArticleRow]:
    """Live articles, most recently updated first, optionally filtered and searched."""
    stmt = (select(Article.id, Article.title, Article.section, Article.status, Article.author,
                   Article.updated_at)
            .where(Article.deleted.is_(False))
            .order_by(Article.updated_at.desc(), Article.id)
            .limit(limit))
    if status is not None:
        stmt = stmt.where(Article.status == ArticleStatus(status))
    if section:
        stmt = stmt.where(Article.section == section)
    if search:
        match = fts_query(search)
        if match is None:
            return []
        # article_fts is external-content, keyed by the article table's rowid
        stmt = stmt.where(literal_column("article.rowid").in_(_article_fts_rowids(match)))
    return [ArticleRow(id=r[0], title=r[1], section=r[2], status=r[3].value, author=r[4],
                       updated_at=r[5]) for r in session.execute(stmt)]


def list_sections(session: Session) -> list[str]:
    """The sections in use by live articles, alphabetically."""
    stmt = (select(Article.section).where(Article.deleted.is_(False), Article.section != "")
            .distinct().order_by(Article.section))
    return list(session.scalars(stmt))


def get_article(session: Session, article_id: str) -> ArticleDetail:
    """One live article; ``NotFoundError`` if it does not exist or was deleted."""
    art = live_article(session, article_id)
    return ArticleDetail(
        id=art.id, slug=art.slug, title=art.title, standfirst=art.standfirst,
        body_md=art.body_md, section=art.section, author=art.author, status=art.status.value,
        source_line=art.source_line, tags=tuple(str(t) for t in art.tags or ()),
        published_at=art.published_at, updated_at=art.updated_at,
        has_conflict=art.has_conflict)


# --- changes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArticleRef:
    id: str
    slug: str
    title: str


@dataclass(frozen=True)
class ArticleMetadata:
    """What the metadata panel beside the text edits."""

    title: str
    standfirst: str = ""
    section: str = ""
    author: str = ""
    status: ArticleStatus | str = ArticleStatus.DRAFT
    tags: Sequence[str] = field(default_factory=tuple)
    slug: str | None = None  # None keeps the slug the article has


def live_article(session: Session, article_id: str, *, include_deleted: bool = False) -> Article:
    article = session.get(Article, article_id)
    if article is None or (article.deleted and not include_deleted):
        raise NotFoundError("This article no longer exists; it may have been deleted.")
    return article


def _taken_slugs(session: Session, base: str) -> set[str]:
    # deleted articles keep their slug (the column is unique), so they count as taken
    like = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return set(session.scalars(select(Article.slug).where(Article.slug.like(like, escape="\\"))))


def _new_slug(session: Session, title: str) -> str:
    base = slugify(title)
    return unique_slug(base, _taken_slugs(session, base))


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ValidationError("An article needs a title.")
    if len(cleaned) > MAX_TITLE:
        raise ValidationError(f"The title has {len(cleaned)} characters; keep it under "
                              f"{MAX_TITLE}.")
    return cleaned


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags trimmed, without empties or case-insensitive repeats, in the order given."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in tags:
        tag = " ".join(str(raw).split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > MAX_TAG:
            raise ValidationError(f"The tag \"{tag[:20]}…\" is too long; keep tags under "
                                  f"{MAX_TAG} characters.")
        seen.add(tag.casefold())
        out.append(tag)
    if len(out) > MAX_TAGS:
        raise ValidationError(f"An article can have at most {MAX_TAGS} tags; it has {len(out)}.")
    return out


def _status(value: ArticleStatus | str) -> ArticleStatus:
    if isinstance(value, ArticleStatus):
        return value
    try:
        return ArticleStatus(value)
    except ValueError:
        raise ValidationError(f"\"{value}\" is not a status; choose draft, ready or "
                              "published.") from None


def _checked_length(value: str, limit: int, what: str) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) > limit:
        raise ValidationError(f"The {what} is too long; keep it under {limit} characters.")
    return cleaned


def create_article(store: Store, title: str, *, section: str = "", author: str = "",
                   standfirst: str = "", body_md: str = "") -> ArticleRef:
    """A new draft with a unique slug made from its title."""
    title = _clean_title(title)
    section = _checked_length(section, MAX_SECTION, "section name")
    author = _checked_length(author, MAX_AUTHOR, "author's name")
    with store.session() as s:
        article = Article(slug=_new_slug(s, title), title=title, section=section,
                          author=author, standfirst=standfirst, body_md=body_md,
                          status=ArticleStatus.DRAFT, tags=[])
        s.add(article)
        s.commit()
        return ArticleRef(article.id, article.slug, article.title)


def duplicate_article(store: Store, article_id: str) -> ArticleRef:
    """A draft "Copy of …" with the same text and metadata and a slug of its own."""
    with store.session() as s:
        original = live_article(s, article_id)
        title = (COPY_PREFIX + original.title)[:MAX_TITLE]
        copy = Article(slug=_new_slug(s, title), title=title, standfirst=original.standfirst,
                       body_md=original.body_md, section=original.section,
                       author=original.author, source_line=original.source_line,
                       tags=list(original.tags or []), status=ArticleStatus.DRAFT,
                       published_at=None, imported_html=original.imported_html,
                       allow_remote_images=original.allow_remote_images)
        s.add(copy)
        s.commit()
        return ArticleRef(copy.id, copy.slug, copy.title)


def delete_article(store: Store, article_id: str) -> None:
    """Tombstone the article (synced rows are never removed); undone by ``undelete_article``."""
    with store.session() as s:
        live_article(s, article_id).deleted = True
        s.commit()


def undelete_article(store: Store, article_id: str) -> None:
    with store.session() as s:
        article = live_article(s, article_id, include_deleted=True)
        if article.deleted:
            article.deleted = False
            s.commit()


def set_remote_images(store: Store, article_id: str, allowed: bool) -> None:
    """Remember whether this article's preview and exports may load remote (https) images."""
    with store.session() as s:
        article = live_article(s, article_id)
        if article.allow_remote_images != allowed:
            article.allow_remote_images = allowed
            s.commit()


def save_metadata(store: Store, article_id: str, meta: ArticleMetadata) -> ArticleRef:
    """Save the metadata panel; publishing stamps ``published_at``, unpublishing clears it."""
    title = _clean_title(meta.title)
    section = _checked_length(meta.section, MAX_SECTION, "section name")
    author = _checked_length(meta.author, MAX_AUTHOR, "author's name")
    status = _status(meta.status)
    tags = clean_tags(meta.tags)
    with store.session() as s:
        article = live_article(s, article_id)
        if status is ArticleStatus.PUBLISHED and not article.body_md.strip():
            raise ValidationError("An article needs some text before it can be published.")
        if meta.slug is not None and meta.slug != article.slug:
            article.slug = _checked_slug(s, meta.slug)
        article.title = title
        article.standfirst = meta.standfirst.strip()
        article.section = section
        article.author = author
        article.tags = tags
        if status is ArticleStatus.PUBLISHED and article.published_at is None:
            article.published_at = utcnow()
        elif status is not ArticleStatus.PUBLISHED:
            article.published_at = None
        article.status = status
        s.commit()
        return ArticleRef(article.id, article.slug, article.title)


def _checked_slug(session: Session, slug: str) -> str:
    wanted = slug.strip()
    if not wanted or wanted != slugify(wanted) or len(wanted) > MAX_SLUG:
        raise ValidationError("A slug is lower-case letters, digits and hyphens, such as "
                              f"\"{slugify(slug) if slug.strip() else 'local-news'}\".")
    if session.scalar(select(Article.id).where(Article.slug == wanted)) is not None:
        raise ValidationError(f"Another article already uses the slug \"{wanted}\".")
    return wanted


def save_body(store: Store, article_id: str, body_md: str) -> None:
    """Replace the article's Markdown text (no revision: see ``services.revisions``)."""
    with store.session() as s:
        article = live_article(s, article_id)
        if article.body_md != body_md:
            article.body_md = body_md
            s.commit()
