"""Layout reads: the named layouts, one layout as plain values, the articles its panels may
show, and the layout resolved at a moment (``resolve``), for the Layout workspace, the Write
preview and the HTML export.

A latest-articles panel asks for at most as many articles as it can show after skipping the
ones higher on the page (``pse_desk.layout.resolve`` says how many); the query walks the
``(status, published_at)`` index newest first and stops there, so resolving a layout costs a
few small queries however big the newsroom is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.layout import values as v
from pse_desk.layout.resolve import resolve_layout
from pse_desk.render.page import template_regions
from pse_desk.store.model import Article, ArticleStatus, Layout, Panel, PanelItem, utcnow


@dataclass(frozen=True)
class LayoutRow:
    id: str
    name: str
    active: bool
    panel_count: int
    description: str = ""


def _live_layouts() -> Select[Layout]:
    return select(Layout).where(Layout.deleted.is_(False))


def list_layouts(session: Session) -> list[LayoutRow]:
    """Live layouts by name; ``active`` marks the one the site shows (``active_layout_id``)."""
    counts = (select(Panel.layout_id, func.count().label("n"))
              .where(Panel.deleted.is_(False)).group_by(Panel.layout_id).subquery())
    active = active_layout_id(session)
    stmt = (select(Layout, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.layout_id == Layout.id)
            .where(Layout.deleted.is_(False)).order_by(func.lower(Layout.name), Layout.id))
    return [LayoutRow(id=lay.id, name=lay.name, active=lay.id == active, panel_count=int(n),
                      description=lay.description)
            for lay, n in session.execute(stmt)]


def active_layout_id(session: Session) -> str | None:
    """The layout the site shows: of the live layouts marked active, the one marked last (two
    desks may each have activated one before they synced); with none marked, the first by
    name; ``None`` when there is no layout at all."""
    marked = session.scalars(_live_layouts().where(Layout.active.is_(True))
                             .order_by(Layout.hlc.desc(), Layout.id).limit(1)).first()
    if marked is not None:
        return marked.id
    first = session.scalars(_live_layouts().order_by(func.lower(Layout.name), Layout.id)
                            .limit(1)).first()
    return first.id if first is not None else None


def live_layout(session: Session, layout_id: str) -> Layout:
    lay = session.get(Layout, layout_id)
    if lay is None or lay.deleted:
        raise NotFoundError("That layout no longer exists (another desk may have removed it).")
    return lay


def item_value(item: PanelItem) -> v.Item:
    return v.Item(id=item.id, rank=item.rank, article_id=item.article_id, title=item.title,
                  url=item.url, item_date=item.item_date, summary=item.summary,
                  pinned=item.pinned, pinned_from=item.pinned_from,
                  pinned_until=item.pinned_until)


def _texts(value: object) -> tuple[str, ...]:
    """A JSON list of names as a tuple of strings (anything else a synced row holds: empty)."""
    if not isinstance(value, list):
        return ()
    return tuple(str(x) for x in value if isinstance(x, str | int | float) and str(x).strip())


def panel_value(panel: Panel, items: Iterable[PanelItem]) -> v.Panel:
    source = v.Source(kind=panel.source, sections=_texts(panel.source_sections),
                      tags=_texts(panel.source_tags), author=panel.source_author)
    return v.Panel(id=panel.id, key=panel.key, title=panel.title, region=panel.region,
                   rank=panel.rank, enabled=panel.enabled, item_count=panel.item_count,
                   source=source, more_label=panel.more_label, more_url=panel.more_url,
                   dedupe=panel.dedupe, items=tuple(item_value(i) for i in items))


def load_layout(session: Session, layout_id: str) -> v.Layout:
    """One live layout with its live panels and items (``NotFoundError`` if it is gone)."""
    lay = live_layout(session, layout_id)
    panels = session.scalars(select(Panel).where(Panel.layout_id == layout_id,
                                                 Panel.deleted.is_(False))).all()
    items: dict[str, list[PanelItem]] = {p.id: [] for p in panels}
    if panels:
        for item in session.scalars(select(PanelItem).where(
                PanelItem.panel_id.in_(list(items)), PanelItem.deleted.is_(False))
                .order_by(PanelItem.rank, PanelItem.id)):
            items[item.panel_id].append(item)
    ordered = sorted(panels, key=lambda p: (p.rank, p.id))
    return v.Layout(id=lay.id, name=lay.name, active=lay.id == active_layout_id(session),
                    panels=tuple(panel_value(p, items[p.id]) for p in ordered))


# --- articles --------------------------------------------------------------------------------

_FACT_COLUMNS = (Article.id, Article.title, Article.slug, Article.standfirst, Article.section,
                 Article.author, Article.tags, Article.status, Article.published_at,
                 Article.deleted)


def _facts(row: Sequence[object]) -> v.ArticleFacts:
    (ident, title, slug, standfirst, section, author, tags, status, published_at,
     deleted) = row
    return v.ArticleFacts(
        id=str(ident), title=str(title), slug=str(slug), standfirst=str(standfirst),
        section=str(section), author=str(author), tags=_texts(tags),
        published=status is ArticleStatus.PUBLISHED,
        published_at=published_at if isinstance(published_at, datetime) else None,
        deleted=bool(deleted))


def article_facts(session: Session, ids: Collection[str]) -> dict[str, v.ArticleFacts]:
    """The facts of the given articles (deleted ones included, flagged; unknown ids absent)."""
    found: dict[str, v.ArticleFacts] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        stmt = select(*_FACT_COLUMNS).where(Article.id.in_(wanted[start:start + 500]))
        found.update((f.id, f) for f in map(_facts, session.execute(stmt)))
    return found


def _has_tag(tags: Sequence[str]) -> ColumnElement[bool]:
    # SQLite's json_each: the local database is always SQLite
    each = func.json_each(Article.tags).table_valued("value")
    return exists(select(1).select_from(each).where(each.c.value.in_(list(tags))))


def _matching(source: v.Source) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if source.sections:
        conditions.append(Article.section.in_(list(source.sections)))
    if source.author.strip():
        conditions.append(func.lower(Article.author) == source.author.strip().lower())
    if source.tags:
        conditions.append(_has_tag(source.tags))
    return conditions


def latest_fetcher(session: Session, at: datetime) -> Callable[[v.Source, int],
                                                              list[v.ArticleFacts]]:
    """The query a latest-articles panel runs: up to ``limit`` published, live articles that
    match ``source`` and were published by ``at``, newest first."""
    def fetch(source: v.Source, limit: int) -> list[v.ArticleFacts]:
        if limit <= 0:
            return []
        stmt = (select(*_FACT_COLUMNS)
                .where(Article.status == ArticleStatus.PUBLISHED, Article.deleted.is_(False),
                       Article.published_at.is_not(None), Article.published_at <= at,
                       *_matching(source))
                .order_by(Article.published_at.desc(), Article.id).limit(limit))
        return [_facts(row) for row in session.execute(stmt)]
    return fetch


def vocabulary(session: Session, layout: v.Layout) -> v.Vocabulary:
    """Which of the sections, tags and authors the layout's sources name exist in some live
    article (so a source that names something that does not exist can say so)."""
    sections = {s for p in layout.panels for s in p.source.sections}
    authors = {p.source.author.strip().lower() for p in layout.panels if p.source.author.strip()}
    tags = {t for p in layout.panels for t in p.source.tags}
    live = Article.deleted.is_(False)
    found_sections = set(session.scalars(select(Article.section).distinct().where(
        live, Article.section.in_(sorted(sections))))) if sections else set()
    found_authors = set(session.scalars(select(func.lower(Article.author)).distinct().where(
        live, func.lower(Article.author).in_(sorted(authors))))) if authors else set()
    found_tags = {t for t in sorted(tags)
                  if session.scalar(select(exists().where(live, _has_tag((t,)))))}
    return v.Vocabulary(sections=frozenset(found_sections), tags=frozenset(found_tags),
                        authors=frozenset(a for a in (p.source.author.strip()
                                                      for p in layout.panels)
                                          if a.lower() in found_authors))


def resolve(session: Session, layout_id: str | None = None, *, at: datetime | None = None,
            layout: v.Layout | None = None,
            regions: Sequence[str] | None = None) -> v.ResolvedLayout:
    """The layout (``layout_id``, the active one when ``None``, or the given values) as the page
    shows it at ``at`` (now when ``None``): every panel's items, skips and warnings."""
    when = at or utcnow()
    if layout is None:
        ident = layout_id or active_layout_id(session)
        layout = load_layout(session, ident) if ident else v.Layout(id="", name="")
    wanted = {i.article_id for p in layout.panels for i in p.items if i.article_id}
    return resolve_layout(layout, template_regions() if regions is None else regions, when,
                          article_facts(session, wanted), latest_fetcher(session, when),
                          vocabulary(session, layout))



# --- what the Layout workspace shows ---------------------------------------------------------

@dataclass(frozen=True)
class LayoutView:
    """One read for the Layout workspace: the named layouts, the one shown (its panels and
    items as stored, and resolved at ``resolved.at``), the regions the template has, and the
    titles of the articles its items name."""

    layouts: list[LayoutRow]
    layout: v.Layout
    resolved: v.ResolvedLayout
    regions: tuple[str, ...]
    titles: dict[str, str]


def layout_view(session: Session, layout_id: str | None = None, *,
                at: datetime | None = None) -> LayoutView:
    """The Layout workspace's data: ``layout_id`` (the active layout when ``None`` or gone)."""
    layouts = list_layouts(session)
    known = {row.id for row in layouts}
    ident = layout_id if layout_id in known else active_layout_id(session)
    layout = load_layout(session, ident) if ident else v.Layout(id="", name="")
    regions = template_regions()
    resolved = resolve(session, at=at, layout=layout, regions=regions)
    wanted = {i.article_id for p in layout.panels for i in p.items if i.article_id}
    titles = {ident: facts.title for ident, facts in article_facts(session, wanted).items()}
    return LayoutView(layouts, layout, resolved, regions, titles)


@dataclass(frozen=True)
class ArticleChoice:
    id: str
    title: str
    section: str
    published_at: datetime | None


def published_articles(session: Session, search: str = "", limit: int = 200
                       ) -> list[ArticleChoice]:
    """Published, live articles newest first whose title contains ``search`` (for picking)."""
    stmt = (select(Article.id, Article.title, Article.section, Article.published_at)
            .where(Article.status == ArticleStatus.PUBLISHED, Article.deleted.is_(False)))
    words = search.split()
    for word in words:
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(Article.title.ilike(like, escape="\\"))
    stmt = stmt.order_by(Article.published_at.desc(), Article.id).limit(limit)
    return [ArticleChoice(str(i), str(t), str(s), p) for i, t, s, p in session.execute(stmt)]
