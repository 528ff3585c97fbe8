"""The demo's two named layouts and its one print edition.

"web" (the active one, the layout the migration made) holds the six sidebar panels of the
reference page plus a strip of articles below the comments that skips what the sidebar shows,
with a pin that is live now and one scheduled for later this week, so "Preview at…" has something
to show; "print" is the smaller set the printed edition carries. Returned as unsaved ORM objects
with seeded ids; ``build`` adds them to the unit of work, where the outbox stamps them like any
other change.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pse_desk.demo.articles import ArticleDraft, issue_name, seeded_uuid, slugify
from pse_desk.layout.ranks import initial_ranks, rank_between
from pse_desk.store.model import (
    ArticleStatus,
    Edition,
    EditionItem,
    Layout,
    Panel,
    PanelItem,
)

# the layout every database starts with (migration 0002 makes it with this id)
WEB_LAYOUT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "pse-desk:layout/web"))


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    source: str  # latest / picked / links
    item_count: int
    more_label: str
    region: str = "sidebar"
    tags: tuple[str, ...] = ()
    dedupe: bool = True


WEB_PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("tv", "public sector executive tv", "links", 3, "more videos >"),
    PanelSpec("latest_news", "latest public sector news", "latest", 3, "View all News"),
    PanelSpec("editors_comment", "editor's comment", "picked", 1, "read more >"),
    PanelSpec("last_word", "last word", "picked", 1, "more last word articles >"),
    PanelSpec("blog", "the raven's daily blog", "picked", 1,
              "read more blog posts from 'the raven' >"),
    PanelSpec("focus", "public sector focus", "latest", 4, "View all News",
              tags=("devolution", "social care", "digital", "housing")),
    PanelSpec("more_news", "more public sector news", "latest", 4, "View all News",
              region="main"),
)
PRINT_PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("editors_comment", "editor's comment", "picked", 1, ""),
    PanelSpec("last_word", "last word", "picked", 1, ""),
    PanelSpec("latest_news", "latest public sector news", "latest", 5, ""),
)


TV_VIDEOS = (
    ("Inside a council control room on the coldest night of the year",
     "Duty officers, gritters and a homelessness outreach team show how one county keeps "
     "going when the temperature drops below zero."),
    ("Five minutes with a combined authority's first transport commissioner",
     "What changed when the buses came back under local control, and what the commuters "
     "noticed first."),
    ("How a hospital discharge hub got patients home before the weekend",
     "Nurses, social workers and a care provider explain the morning meeting that ended "
     "Friday bed-blocking."),
    ("Building council homes again: a site visit",
     "A housing director walks through the first social-rent homes her authority has built "
     "in thirty years."),
    ("The digital team that rewrote every letter the council sends",
     "User researchers and residents on replacing jargon with plain words, one template at "
     "a time."),
)


def _pool(drafts: list[ArticleDraft]) -> list[ArticleDraft]:
    published = [d for d in drafts if d.status is ArticleStatus.PUBLISHED]
    published.sort(key=lambda d: d.published_at or datetime.min, reverse=True)
    return published or list(drafts)


def _panel(rng: random.Random, layout_id: str, spec: PanelSpec, rank: str) -> Panel:
    return Panel(id=seeded_uuid(rng), layout_id=layout_id, key=spec.key, title=spec.title,
                 region=spec.region, rank=rank, item_count=spec.item_count,
                 source=spec.source, source_sections=[], source_tags=list(spec.tags),
                 source_author="", more_label=spec.more_label, more_url="",
                 dedupe=spec.dedupe, enabled=True)


def _article_items(rng: random.Random, chosen: list[ArticleDraft]) -> list[PanelItem]:
    ranks = initial_ranks(len(chosen))
    return [PanelItem(id=seeded_uuid(rng), article_id=d.id, rank=r, pinned=False)
            for d, r in zip(chosen, ranks, strict=True)]


def _tv_items(rng: random.Random, count: int, base: datetime) -> list[PanelItem]:
    videos = rng.sample(TV_VIDEOS, min(count, len(TV_VIDEOS)))  # no video shown twice
    ranks = initial_ranks(len(videos))
    return [PanelItem(id=seeded_uuid(rng), title=title, summary=summary, rank=rank,
                      url=f"https://example.org/tv/{slugify(title)}",
                      item_date=(base - timedelta(days=3 + 9 * i)).date())
            for i, ((title, summary), rank) in enumerate(zip(videos, ranks, strict=True))]


def _fill(rng: random.Random, panel: Panel, spec: PanelSpec, pool: list[ArticleDraft],
          cursor: int, base: datetime) -> int:
    """Give a panel its stored items; returns where the next picked panel starts in ``pool``."""
    if spec.source == "links":
        panel.items.extend(_tv_items(rng, spec.item_count, base))
    elif spec.source == "picked":
        chosen = [pool[(cursor + i) % len(pool)] for i in range(min(2, len(pool)))]
        panel.items.extend(_article_items(rng, chosen))
        cursor += len(chosen)
    return cursor


def _pins(rng: random.Random, panels: list[Panel], pool: list[ArticleDraft],
          base: datetime) -> None:
    """A pin on the latest news that is live now (for three days), and an editor's comment
    scheduled to take the top from the day after tomorrow, for a week."""
    latest = next(p for p in panels if p.key == "latest_news")
    editors = next(p for p in panels if p.key == "editors_comment")
    if len(pool) > 8:
        latest.items.append(PanelItem(
            id=seeded_uuid(rng), article_id=pool[8].id, rank=_after(latest), pinned=True,
            pinned_from=base - timedelta(days=1), pinned_until=base + timedelta(days=2)))
        editors.items.append(PanelItem(
            id=seeded_uuid(rng), article_id=pool[-1].id, rank=_after(editors), pinned=True,
            pinned_from=base + timedelta(days=2, hours=7),
            pinned_until=base + timedelta(days=9)))


def _after(panel: Panel) -> str:
    return rank_between(max((i.rank for i in panel.items), default=None), None)


def _layout_panels(rng: random.Random, layout_id: str, specs: tuple[PanelSpec, ...],
                   pool: list[ArticleDraft], base: datetime) -> list[Panel]:
    panels, cursor = [], 3  # latest news shows the three newest; picked panels take the next
    ranks = initial_ranks(len(specs))
    for spec, rank in zip(specs, ranks, strict=True):
        panel = _panel(rng, layout_id, spec, rank)
        cursor = _fill(rng, panel, spec, pool, cursor, base)
        panels.append(panel)
    return panels


def make_layouts(rng: random.Random, drafts: list[ArticleDraft], base: datetime,
                 web: Layout) -> tuple[list[Layout], list[Panel]]:
    """The panels of ``web`` (the layout the database starts with) and a "print" layout
    with its own; returns the new layouts and every panel."""
    pool = _pool(drafts)
    web.description = "The site as readers see it."
    printed = Layout(id=seeded_uuid(rng), name="print", active=False,
                     description="The panels the printed edition carries.")
    web_panels = _layout_panels(rng, web.id, WEB_PANELS, pool, base)
    _pins(rng, web_panels, pool, base)
    print_panels = _layout_panels(rng, printed.id, PRINT_PANELS, pool, base)
    return [printed], web_panels + print_panels


def issue_number(issue: date) -> int:
    """The bimonthly issue's running number: issue 1 was Jan/Feb 2010."""
    return (issue.year - 2010) * 6 + (issue.month - 1) // 2 + 1


def make_edition(rng: random.Random, drafts: list[ArticleDraft], panels: list[Panel],
                 issue: date) -> Edition:
    """The print edition on the "print" layout: about eight articles with page breaks, then
    the last-word panel at the back."""
    pool = _pool(drafts)
    ready = [d for d in drafts if d.status is ArticleStatus.READY]
    chosen = (pool + [d for d in ready if d not in pool])[:8]
    last_word = next(p for p in panels if p.key == "last_word" and p.layout_id != WEB_LAYOUT_ID)
    edition = Edition(id=seeded_uuid(rng), title=issue_name(issue), issue_date=issue,
                      issue_number=issue_number(issue), page_size="A4", bleed_mm=3.0,
                      crop_marks=True, cross_marks=True, toc=True,
                      layout_id=last_word.layout_id, status="draft")
    for i, draft in enumerate(chosen):
        edition.items.append(EditionItem(id=seeded_uuid(rng), position=i, article_id=draft.id,
                                         page_break_before=i > 0 and i % 2 == 0,
                                         placement="inline"))
    edition.items.append(EditionItem(id=seeded_uuid(rng), position=len(chosen),
                                     panel_id=last_word.id, page_break_before=True,
                                     placement="back"))
    return edition
