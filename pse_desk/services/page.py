"""The site page of one article as the preview shows it: ORM rows mapped to ``render.page``.

``page_article`` reads the article and its approved comments (oldest first, as the site lists
them) into a ``PageArticle``; ``page_layout`` reads the live, enabled panels of the current
layout in page order into a ``PageLayout``. A manual panel shows its stored items; a section
panel shows the newest published articles (of its section when it names one), as the site fills
it at render time. ``load_page`` does both in one read for the Write workspace's worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pse_desk.render.page import (
    DEFAULT_SECTIONS,
    PageArticle,
    PageComment,
    PageLayout,
    PagePanel,
    PagePanelItem,
)
from pse_desk.services.articles import live_article
from pse_desk.store.db import Store
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Comment,
    Commenter,
    CommentStatus,
    Panel,
    PanelItem,
    PanelRegion,
    PanelSource,
)

MAX_COMMENTS = 200  # the preview shows the first page of comments, as the site does


@dataclass(frozen=True)
class PageData:
    article: PageArticle
    layout: PageLayout


def article_url(slug: str) -> str:
    """The site-relative address of an article."""
    return f"/news/{slug}" if slug else ""


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


def _article_item(art: Article) -> PagePanelItem:
    return PagePanelItem(title=art.title, url=article_url(art.slug),
                         item_date=_day(art.published_at or art.updated_at),
                         summary=art.standfirst)


def _manual_items(session: Session, panel: Panel) -> list[PagePanelItem]:
    stmt = (select(PanelItem, Article)
            .outerjoin(Article, Article.id == PanelItem.article_id)
            .where(PanelItem.panel_id == panel.id, PanelItem.deleted.is_(False))
            .order_by(PanelItem.position, PanelItem.id))
    items: list[PagePanelItem] = []
    for item, art in session.execute(stmt):
        if item.article_id is not None:
            if art is None or art.deleted:
                continue
            items.append(_article_item(art))
        else:
            items.append(PagePanelItem(title=item.title, url=item.url,
                                       item_date=item.item_date, summary=item.summary))
        if len(items) >= panel.item_count:
            break
    return items


def _section_items(session: Session, panel: Panel) -> list[PagePanelItem]:
    stmt = (select(Article)
            .where(Article.deleted.is_(False), Article.status == ArticleStatus.PUBLISHED)
            .order_by(Article.published_at.desc(), Article.id)
            .limit(max(panel.item_count, 0)))
    if panel.source_query:
        stmt = stmt.where(Article.section == panel.source_query)
    return [_article_item(art) for art in session.scalars(stmt)]


def page_panel(session: Session, panel: Panel) -> PagePanel:
    items = (_section_items(session, panel) if panel.source is PanelSource.SECTION
             else _manual_items(session, panel))
    return PagePanel(key=panel.key, title=panel.title, items=tuple(items),
                     more_label=panel.more_label)


def page_layout(session: Session) -> PageLayout:
    """The current layout: live, enabled sidebar and main panels in their order."""
    stmt = (select(Panel)
            .where(Panel.deleted.is_(False), Panel.enabled.is_(True),
                   Panel.region.in_((PanelRegion.SIDEBAR, PanelRegion.MAIN)))
            .order_by(Panel.position, Panel.title, Panel.id))
    sidebar: list[PagePanel] = []
    main: list[PagePanel] = []
    for panel in session.scalars(stmt):
        (sidebar if panel.region is PanelRegion.SIDEBAR else main).append(
            page_panel(session, panel))
    return PageLayout(sections=DEFAULT_SECTIONS, sidebar=tuple(sidebar), main=tuple(main))


def page_data(session: Session, article_id: str) -> PageData:
    """The article and the layout it is shown in (one read)."""
    return PageData(page_article(session, article_id), page_layout(session))


def load_page(store: Store, article_id: str) -> PageData:
    """``page_data`` in its own read session."""
    with store.read_session() as session:
        return page_data(session, article_id)
