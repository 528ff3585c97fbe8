"""A layout as the page shows it at a moment: each panel's items, what it skipped and why, and
its warnings.

The page is read top to bottom: the regions in the template's order, each region's enabled
panels by rank. A panel shows its live pins first (in their order), then what its source gives:
its picked articles or links in their order, or the newest published articles that match.
An article already shown by a panel higher on the page is skipped by a later one, and listed
as "skipped: already in …", unless the later panel opts out of de-duplication. Disabled panels
and the unplaced tray are resolved too (the workspace shows them), after the page and without
taking articles from it.

``resolve_layout`` never raises on stored values: a count out of range is clamped, an unknown
source shows only its pins, an article that is gone is left out; each says so in a warning.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pse_desk.layout.pins import is_live, naive
from pse_desk.layout.ranks import sorted_by_rank
from pse_desk.layout.validate import panel_warnings, safe_url
from pse_desk.layout.values import (
    LATEST,
    LINKS,
    MAX_ITEMS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    MIN_ITEMS,
    PICKED,
    ArticleFacts,
    Item,
    Layout,
    Panel,
    ResolvedLayout,
    ResolvedPanel,
    Shown,
    Skipped,
    Source,
    Vocabulary,
)
from pse_desk.layout.wording import cut

FetchLatest = Callable[[Source, int], Sequence[ArticleFacts]]


def clamped_count(panel: Panel) -> int:
    """How many items the panel shows at most: its count, held to 1 … 50."""
    return max(MIN_ITEMS, min(MAX_ITEMS, panel.item_count))


def panels_in_page_order(layout: Layout, regions: Sequence[str]
                         ) -> tuple[list[tuple[str, list[Panel]]], list[Panel]]:
    """The template's regions in order, each with its panels by rank (enabled or not), and the
    panels whose region the template does not have (the unplaced tray), by region then rank."""
    placed: dict[str, list[Panel]] = {name: [] for name in regions}
    unplaced: list[Panel] = []
    for panel in sorted_by_rank(layout.panels):
        (placed.get(panel.region, unplaced)).append(panel)
    unplaced.sort(key=lambda p: (p.region, p.rank, p.id))
    return [(name, placed[name]) for name in placed], unplaced


def is_showable(facts: ArticleFacts | None, at: datetime) -> bool:
    """Whether a page at ``at`` may show the article: it exists, is published and was by then."""
    if facts is None or facts.deleted or not facts.published:
        return False
    return facts.published_at is None or naive(facts.published_at) <= naive(at)


def article_url(slug: str) -> str:
    """The site-relative address of an article."""
    return f"/news/{slug}" if slug else ""


def article_shown(facts: ArticleFacts, *, item_id: str | None = None,
                  pinned: bool = False) -> Shown:
    return Shown(title=cut(facts.title, MAX_TITLE_CHARS), url=article_url(facts.slug),
                 item_date=facts.published_at.date() if facts.published_at else None,
                 summary=cut(facts.standfirst, MAX_SUMMARY_CHARS), article_id=facts.id,
                 item_id=item_id, pinned=pinned)


def link_shown(item: Item) -> Shown:
    """A link as the page shows it: an address that cannot be linked safely is left out."""
    title = item.title.strip() or item.url.strip()
    return Shown(title=cut(title, MAX_TITLE_CHARS),
                 url=item.url.strip() if safe_url(item.url) else "",
                 item_date=item.item_date, summary=cut(item.summary, MAX_SUMMARY_CHARS),
                 item_id=item.id, pinned=item.pinned)


@dataclass
class _Page:
    """What the page shows so far: which panel first showed each article."""

    shown_in: dict[str, Panel] = field(default_factory=dict)


@dataclass
class _Filling:
    """One panel being filled."""

    panel: Panel
    page: _Page
    at: datetime
    articles: Mapping[str, ArticleFacts]
    count: int
    items: list[Shown] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # articles this panel shows or skipped

    @property
    def full(self) -> bool:
        return len(self.items) >= self.count

    def add_article(self, facts: ArticleFacts, item: Item | None = None) -> None:
        if self.full or facts.id in self.ids:
            return
        self.ids.add(facts.id)
        earlier = self.page.shown_in.get(facts.id)
        if earlier is not None and self.panel.dedupe:
            self.skipped.append(Skipped(facts.id, facts.title, earlier.title, earlier.id))
            return
        self.items.append(article_shown(facts, item_id=item.id if item else None,
                                        pinned=item.pinned if item else False))

    def add_item(self, item: Item) -> None:
        if item.article_id is None:
            if not self.full:
                self.items.append(link_shown(item))
            return
        facts = self.articles.get(item.article_id)
        if facts is not None and is_showable(facts, self.at):
            self.add_article(facts, item)


def _fill(panel: Panel, page: _Page, at: datetime, articles: Mapping[str, ArticleFacts],
          fetch_latest: FetchLatest) -> tuple[_Filling, int | None]:
    """The panel's items; with the number of articles its latest source matched (None for
    other sources), for the "matches nothing" warning."""
    filling = _Filling(panel, page, at, articles, clamped_count(panel))
    live = [i for i in sorted_by_rank(panel.items) if is_live(i, at)]
    for item in (i for i in live if i.pinned):
        filling.add_item(item)
    kind = panel.source.kind
    if kind in (PICKED, LINKS):
        for item in (i for i in live if not i.pinned):
            filling.add_item(item)
        return filling, None
    if kind != LATEST:
        return filling, None  # an unknown source shows only its pins (and says so)
    # enough for the panel even after skipping its own pins and every article shown higher up
    limit = filling.count + len(filling.ids) + (len(page.shown_in) if panel.dedupe else 0)
    fetched = fetch_latest(panel.source, limit)
    for facts in fetched:
        if filling.full:
            break
        filling.add_article(facts)
    return filling, len(fetched)


def _resolve_panel(panel: Panel, regions: Sequence[str], page: _Page, at: datetime,
                   articles: Mapping[str, ArticleFacts], fetch_latest: FetchLatest,
                   vocabulary: Vocabulary | None) -> tuple[ResolvedPanel, list[Shown]]:
    filling, matched = _fill(panel, page, at, articles, fetch_latest)
    warnings = panel_warnings(panel, regions, articles, at, vocabulary,
                              shown=len(filling.items), matched=matched,
                              skipped=len(filling.skipped))
    resolved = ResolvedPanel(panel, tuple(filling.items), tuple(filling.skipped),
                             tuple(warnings))
    return resolved, filling.items


def _take(page: _Page, panel: Panel, shown: Iterable[Shown]) -> None:
    for item in shown:
        if item.article_id is not None:
            page.shown_in.setdefault(item.article_id, panel)


def resolve_layout(layout: Layout, regions: Sequence[str], at: datetime,
                   articles: Mapping[str, ArticleFacts], fetch_latest: FetchLatest,
                   vocabulary: Vocabulary | None = None) -> ResolvedLayout:
    """The layout at ``at``. ``articles`` holds the facts of the articles its items name (one
    missing is a deleted article); ``fetch_latest(source, limit)`` gives up to ``limit``
    published articles matching a latest source, newest first, published by ``at``;
    ``vocabulary`` (optional) tells a source that names no existing section, tag or author."""
    placed, unplaced = panels_in_page_order(layout, regions)
    page = _Page()
    shown_regions: list[tuple[str, tuple[ResolvedPanel, ...]]] = []
    disabled: list[ResolvedPanel] = []
    for region, panels in placed:
        resolved_here: list[ResolvedPanel] = []
        for panel in panels:
            if not panel.enabled:
                continue
            resolved, shown = _resolve_panel(panel, regions, page, at, articles, fetch_latest,
                                             vocabulary)
            _take(page, panel, shown)
            resolved_here.append(resolved)
        shown_regions.append((region, tuple(resolved_here)))
    for panel in (p for _region, panels in placed for p in panels if not p.enabled):
        disabled.append(_resolve_panel(panel, regions, page, at, articles, fetch_latest,
                                       vocabulary)[0])
    tray = [_resolve_panel(panel, regions, page, at, articles, fetch_latest, vocabulary)[0]
            for panel in unplaced]
    return ResolvedLayout(at=at, regions=tuple(shown_regions), disabled=tuple(disabled),
                          unplaced=tuple(tray))
