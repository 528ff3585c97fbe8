"""Layout reads for the Layout workspace: the site's panels and the items of one panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.store.model import Article, Panel, PanelItem


@dataclass(frozen=True)
class PanelRow:
    id: str
    key: str
    title: str
    region: str
    position: int
    source: str
    source_query: str
    item_count: int
    enabled: bool
    items_stored: int  # live panel_item rows (manual panels); section panels fill at render time


@dataclass(frozen=True)
class PanelItemRow:
    id: str
    position: int
    title: str  # the article's title for an article item, else the external title
    article_id: str | None
    url: str
    item_date: date | None
    summary: str
    pinned: bool


def list_panels(session: Session) -> list[PanelRow]:
    """Live panels in page order: by region, then position."""
    counts = (select(PanelItem.panel_id, func.count().label("n"))
              .where(PanelItem.deleted.is_(False)).group_by(PanelItem.panel_id).subquery())
    stmt = (select(Panel, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.panel_id == Panel.id)
            .where(Panel.deleted.is_(False))
            .order_by(Panel.region, Panel.position, Panel.title))
    return [PanelRow(id=p.id, key=p.key, title=p.title, region=p.region.value,
                     position=p.position, source=p.source.value, source_query=p.source_query,
                     item_count=p.item_count, enabled=p.enabled, items_stored=int(n))
            for p, n in session.execute(stmt)]


def panel_items(session: Session, panel_id: str) -> list[PanelItemRow]:
    """The live items of one panel in position order; deleted articles are left out."""
    stmt = (select(PanelItem, Article.title, Article.deleted)
            .outerjoin(Article, Article.id == PanelItem.article_id)
            .where(PanelItem.panel_id == panel_id, PanelItem.deleted.is_(False))
            .order_by(PanelItem.position, PanelItem.id))
    rows: list[PanelItemRow] = []
    for item, article_title, article_deleted in session.execute(stmt):
        if item.article_id is not None and article_deleted:
            continue
        rows.append(PanelItemRow(
            id=item.id, position=item.position, title=article_title or item.title,
            article_id=item.article_id, url=item.url, item_date=item.item_date,
            summary=item.summary, pinned=item.pinned))
    return rows
