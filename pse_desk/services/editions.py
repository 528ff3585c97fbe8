"""Edition reads for the Editions workspace: the editions and the ordered items of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.store.model import Article, Edition, EditionItem, Panel


@dataclass(frozen=True)
class EditionRow:
    id: str
    title: str
    issue_date: date | None
    page_size: str
    bleed_mm: float
    status: str
    item_count: int


@dataclass(frozen=True)
class EditionItemRow:
    id: str
    position: int
    kind: str  # "article" | "panel"
    title: str
    page_break_before: bool


def list_editions(session: Session) -> list[EditionRow]:
    """Live editions, newest issue first."""
    counts = (select(EditionItem.edition_id, func.count().label("n"))
              .where(EditionItem.deleted.is_(False)).group_by(EditionItem.edition_id).subquery())
    stmt = (select(Edition, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.edition_id == Edition.id)
            .where(Edition.deleted.is_(False))
            .order_by(Edition.issue_date.desc().nulls_last(), Edition.title))
    return [EditionRow(id=e.id, title=e.title, issue_date=e.issue_date, page_size=e.page_size,
                       bleed_mm=e.bleed_mm, status=e.status, item_count=int(n))
            for e, n in session.execute(stmt)]


def edition_items(session: Session, edition_id: str) -> list[EditionItemRow]:
    """The live items of one edition in order; items whose article or panel was deleted are
    left out."""
    stmt = (select(EditionItem, Article.title, Article.deleted, Panel.title, Panel.deleted)
            .outerjoin(Article, Article.id == EditionItem.article_id)
            .outerjoin(Panel, Panel.id == EditionItem.panel_id)
            .where(EditionItem.edition_id == edition_id, EditionItem.deleted.is_(False))
            .order_by(EditionItem.position, EditionItem.id))
    rows: list[EditionItemRow] = []
    for item, a_title, a_deleted, p_title, p_deleted in session.execute(stmt):
        if item.article_id is not None:
            if a_deleted:
                continue
            kind, title = "article", a_title or ""
        elif item.panel_id is not None:
            if p_deleted:
                continue
            kind, title = "panel", p_title or ""
        else:
            continue
        rows.append(EditionItemRow(id=item.id, position=item.position, kind=kind, title=title,
                                   page_break_before=item.page_break_before))
    return rows
