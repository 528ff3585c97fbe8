"""The site page of one article as the preview shows it: ORM rows mapped to ``render.page``.

``page_article`` reads the article and its approved comments (oldest first, as the site lists
them) into a ``PageArticle``; ``page_layout`` resolves the active layout at a moment (its
panels' sources, pins and de-duplication: ``services.layout.read.resolve``) into a
``PageLayout``. ``load_page`` does both in one read for the Write workspace's worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pse_desk.layout.validate import safe_url
from pse_desk.layout.values import MAX_TITLE_CHARS, ResolvedLayout, ResolvedPanel
from pse_desk.layout.wording import cut
from pse_desk.render.page import (
    DEFAULT_SECTIONS,
    PageArticle,
    PageComment,
    PageLayout,
    PagePanel,
    PagePanelItem,
)
from pse_desk.services.articles import live_article
from pse_desk.services.layout.read import resolve
from pse_desk.store.db import Store
from pse_desk.store.model import Article, ArticleStatus, Comment, Commenter, CommentStatus

MAX_COMMENTS = 200  # the preview shows the first page of comments, as the site does


@dataclass(frozen=True)
class PageData:
    article: PageArticle
    layout: PageLayout


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def _approved_comments(session: Session, article_id: str) -> list[PageComment]:
    stmt = (select(Comment.body, Comment.posted_at, Commenter.display_name)
            .join(Commenter, Commenter.id == Comment.commenter_id)
            .where(Comment.article_id == article_id, Comment.deleted.is_(False),
                   Comment.status == CommentStatus.APPROVED)
            .order_by(Comment.posted_at, Comment.id)
            .limit(MAX_COMMENTS))
    return [PageComment(author=name, body_html=body, posted_at=posted)
            for body, posted, name in session.execute(stmt)]


def page_article(session: Session, article_id: str) -> PageArticle:
    """One live article with its approved comments; ``NotFoundError`` if it is gone."""
    art = live_article(session, article_id)
    return PageArticle(
        title=art.title, body_md=art.body_md, standfirst=art.standfirst, section=art.section,
        source_line=art.source_line, author=art.author, published_at=_day(art.published_at),
        comments=tuple(_approved_comments(session, art.id)),
        allow_remote_images=art.allow_remote_images)


def page_panel(resolved: ResolvedPanel) -> PagePanel:
    """A resolved panel as the page template shows it."""
    panel = resolved.panel
    return PagePanel(key=panel.key, title=cut(panel.title, MAX_TITLE_CHARS),
                     more_label=cut(panel.more_label, MAX_TITLE_CHARS),
                     more_url=panel.more_url if safe_url(panel.more_url) else "",
                     items=tuple(PagePanelItem(title=i.title, url=i.url, item_date=i.item_date,
                                               summary=i.summary) for i in resolved.items))


def page_layout_of(resolved: ResolvedLayout) -> PageLayout:
    """The page's regions filled with the resolved panels (placed, enabled ones)."""
    def region(name: str) -> tuple[PagePanel, ...]:
        return tuple(page_panel(p) for p in resolved.region(name))
    return PageLayout(sections=DEFAULT_SECTIONS, sidebar=region("sidebar"),
                      main=region("main"), footer_panels=region("footer"))


def page_layout(session: Session, *, at: datetime | None = None,
                layout_id: str | None = None) -> PageLayout:
    """The site's panels as the page shows them at ``at`` (now): the active layout (or
    ``layout_id``), resolved (sources, pins, de-duplication)."""
    return page_layout_of(resolve(session, layout_id, at=at))


def page_data(session: Session, article_id: str) -> PageData:
    """The article and the layout it is shown in (one read)."""
    return PageData(page_article(session, article_id), page_layout(session))


def load_page(store: Store, article_id: str) -> PageData:
    """``page_data`` in its own read session."""
    with store.read_session() as session:
        return page_data(session, article_id)


def preview_article(session: Session, article_id: str | None = None) -> PageArticle | None:
    """The article a layout preview shows: ``article_id`` if it is live, else the newest
    published one (``None`` in an empty newsroom)."""
    if article_id is not None and (found := session.get(Article, article_id)) is not None \
            and not found.deleted:
        return page_article(session, article_id)
    newest = session.scalars(select(Article.id).where(
        Article.status == ArticleStatus.PUBLISHED, Article.deleted.is_(False))
        .order_by(Article.published_at.desc(), Article.id).limit(1)).first()
    return page_article(session, newest) if newest is not None else None
