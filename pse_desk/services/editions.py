"""Edition reads for the Editions workspace: the editions and the ordered items of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.store.model import Article, Edition, EditionItem, Layout, Panel


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
    placement: str = "inline"  # for a panel: front, inline or back
    ref_id: str = ""  # the article's or panel's id


@dataclass(frozen=True)
class PanelChoice:
    id: str
    title: str
    layout: str


def printable_panels(session: Session, edition_id: str) -> list[PanelChoice]:
    """The live panels an edition can print: those of its layout (every layout's when it has
    none), by layout then title."""
    edition = session.get(Edition, edition_id)
    stmt = (select(Panel.id, Panel.title, Layout.name).join(Layout, Layout.id == Panel.layout_id)
            .where(Panel.deleted.is_(False), Layout.deleted.is_(False)))
    if edition is not None and edition.layout_id:
        stmt = stmt.where(Panel.layout_id == edition.layout_id)
    stmt = stmt.order_by(Layout.name, Panel.title, Panel.id)
    return [PanelChoice(str(i), str(t), str(n)) for i, t, n in session.execute(stmt)]


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
                                   page_break_before=item.page_break_before,
                                   placement=item.placement,
                                   ref_id=item.article_id or item.panel_id or ""))
    return rows
