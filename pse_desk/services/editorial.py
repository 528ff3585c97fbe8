"""Editorial reads for the Write workspace: the article list (filtered, searched) and one article.

Search uses the FTS5 index ``article_fts`` (title, standfirst, body); what the user types is
turned into quoted terms so no input can produce an FTS syntax error. Soft-deleted articles
never appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, column, literal_column, select, table, text
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.store.model import Article, ArticleStatus

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
    art = session.get(Article, article_id)
    if art is None or art.deleted:
        raise NotFoundError("That article no longer exists; it may have been deleted.")
    return ArticleDetail(
        id=art.id, slug=art.slug, title=art.title, standfirst=art.standfirst,
        body_md=art.body_md, section=art.section, author=art.author, status=art.status.value,
        source_line=art.source_line, tags=tuple(str(t) for t in art.tags or ()),
        published_at=art.published_at, updated_at=art.updated_at,
        has_conflict=art.has_conflict)
