"""The demo's six sidebar panels (those of the reference page) and its one print edition.

Returned as unsaved ORM objects with seeded ids; ``build`` adds them to the unit of work,
where the outbox stamps them like any other change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pse_desk.demo.articles import ArticleDraft, issue_name, seeded_uuid, slugify
from pse_desk.store.model import (
    ArticleStatus,
    Edition,
    EditionItem,
    Panel,
    PanelItem,
    PanelRegion,
    PanelSource,
)


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str
    source: PanelSource
    item_count: int
    more_label: str


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("tv", "public sector executive tv", PanelSource.MANUAL, 3, "more videos >"),
    PanelSpec("latest_news", "latest public sector news", PanelSource.SECTION, 3,
              "View all News"),
    PanelSpec("editors_comment", "editor's comment", PanelSource.MANUAL, 3, "read more >"),
    PanelSpec("last_word", "last word", PanelSource.MANUAL, 3, "more last word articles >"),
    PanelSpec("blog", "the raven's daily blog", PanelSource.MANUAL, 4,
              "read more blog posts from 'the raven' >"),
    PanelSpec("focus", "public sector focus", PanelSource.MANUAL, 8, "View all News"),
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


def _item(rng: random.Random, position: int, draft: ArticleDraft) -> PanelItem:
    return PanelItem(id=seeded_uuid(rng), article_id=draft.id, position=position,
                     pinned=position == 0)


def make_panels(rng: random.Random, drafts: list[ArticleDraft], base: datetime) -> list[Panel]:
    """The six sidebar panels in order, each with its items."""
    pool = _pool(drafts)
    panels = []
    cursor = 3  # latest news shows the three newest; the manual panels take the next ones
    for position, spec in enumerate(PANELS):
        panel = Panel(id=seeded_uuid(rng), key=spec.key, title=spec.title,
                      region=PanelRegion.SIDEBAR, position=position, item_count=spec.item_count,
                      source=spec.source, source_query="", more_label=spec.more_label,
                      enabled=True)
        if spec.key == "tv":
            videos = rng.sample(TV_VIDEOS, min(spec.item_count, len(TV_VIDEOS)))
            for i, (title, summary) in enumerate(videos):  # no video shown twice
                panel.items.append(PanelItem(
                    id=seeded_uuid(rng), title=title, summary=summary, position=i,
                    url=f"https://example.org/tv/{slugify(title)}",
                    item_date=(base - timedelta(days=3 + 9 * i)).date()))
        elif spec.key == "latest_news":
            panel.items.extend(_item(rng, i, d) for i, d in enumerate(pool[:spec.item_count]))
        else:
            for i in range(min(spec.item_count, len(pool))):
                panel.items.append(_item(rng, i, pool[(cursor + i) % len(pool)]))
            cursor += spec.item_count
        panels.append(panel)
    return panels


def make_edition(rng: random.Random, drafts: list[ArticleDraft], panels: list[Panel],
                 issue: date) -> Edition:
    """The print edition: about eight articles with page breaks, then the last-word panel."""
    pool = _pool(drafts)
    ready = [d for d in drafts if d.status is ArticleStatus.READY]
    chosen = (pool + [d for d in ready if d not in pool])[:8]
    edition = Edition(id=seeded_uuid(rng), title=issue_name(issue), issue_date=issue,
                      page_size="A4", bleed_mm=3.0, status="draft")
    for i, draft in enumerate(chosen):
        edition.items.append(EditionItem(id=seeded_uuid(rng), position=i, article_id=draft.id,
                                         page_break_before=i > 0 and i % 2 == 0))
    last_word = next(p for p in panels if p.key == "last_word")
    edition.items.append(EditionItem(id=seeded_uuid(rng), position=len(chosen),
                                     panel_id=last_word.id, page_break_before=True))
    return edition
