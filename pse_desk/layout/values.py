"""The plain values the layout logic works on: a layout, its panels and items, the facts it needs
of articles, and what resolving a layout gives back.

Nothing here knows the database or Qt: the service (``services.layout``) reads rows into these
values, calls the logic (``resolve``, ``validate``, ``compare``, ``ranks``, ``snapshot``) and
writes back. Times are naive UTC ``datetime`` values, as the store keeps them.

Regions are plain strings ("sidebar", "main", "footer" …): the site template says which exist
(``render.page.template_regions``); a panel whose region the template no longer has is kept
in the "unplaced" tray, never dropped. Source kinds are strings too, so a row written by a
newer desk (an unknown kind) is a warning, not a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# --- what a panel shows ----------------------------------------------------------------------

LATEST = "latest"  # the newest published articles matching sections / tags / author
PICKED = "picked"  # articles chosen by hand, in their order
LINKS = "links"  # external links with title, date and summary (the TV panel's videos)
SOURCE_KINDS = (LATEST, PICKED, LINKS)

MIN_ITEMS = 1
MAX_ITEMS = 50  # a panel shows 1 to 50 items; outside that it is a warning and clamped
MAX_TITLE_CHARS = 300  # an item's or panel's title; longer is refused on save, cut if synced in
MAX_SUMMARY_CHARS = 2000
UNPLACED = "unplaced"  # the tray of panels whose region the template does not have


@dataclass(frozen=True)
class Source:
    """Where a panel's items come from. For ``LATEST`` an article matches when it is in any of
    ``sections`` (none: every section), carries any of ``tags`` (none: any) and, if ``author``
    is set, is by that author (case-insensitive, whole name)."""

    kind: str = LATEST
    sections: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    author: str = ""


@dataclass(frozen=True)
class Item:
    """A stored panel item: an article (``article_id``) or an external link (title, url, date,
    summary). A pinned item stays on top of its panel while its window is open:
    ``pinned_from`` ≤ moment < ``pinned_until`` (``None``: open on that side); outside its
    window a pinned item is not shown at all (it is a scheduled placement)."""

    id: str
    rank: str
    article_id: str | None = None
    title: str = ""
    url: str = ""
    item_date: date | None = None
    summary: str = ""
    pinned: bool = False
    pinned_from: datetime | None = None
    pinned_until: datetime | None = None


@dataclass(frozen=True)
class Panel:
    id: str
    key: str  # a stable name for the page's CSS ("latest_news"); unique among a layout's panels
    title: str
    region: str
    rank: str  # fractional-index key: the panel's place in its region
    enabled: bool = True
    item_count: int = 3
    source: Source = field(default_factory=Source)
    more_label: str = ""  # "more videos >"
    more_url: str = ""
    dedupe: bool = True  # skip articles already shown higher on the page
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Layout:
    id: str
    name: str
    active: bool = False
    panels: tuple[Panel, ...] = ()


# --- what the logic needs to know of articles ------------------------------------------------

@dataclass(frozen=True)
class ArticleFacts:
    """An article as a panel shows it, and what decides whether it may be shown."""

    id: str
    title: str
    slug: str = ""
    standfirst: str = ""
    section: str = ""
    author: str = ""
    tags: tuple[str, ...] = ()
    published: bool = True  # status is "published"
    published_at: datetime | None = None
    deleted: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The sections, tags and authors the newsroom's articles use (to tell a source that matches
    nothing because it names something that does not exist)."""

    sections: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    authors: frozenset[str] = frozenset()


# --- what resolving gives back ---------------------------------------------------------------

@dataclass(frozen=True)
class Warning:
    """A sentence for the user about one panel (or one of its items). ``code`` is stable for
    tests and icons: empty, count_range, no_match, unknown_source, article_gone,
    article_unpublished, pin_backwards, pin_overlap, unplaced, unsafe_link, long_text,
    duplicate_key."""

    code: str
    message: str
    panel_id: str | None = None
    item_id: str | None = None


@dataclass(frozen=True)
class Shown:
    """One item as the page shows it."""

    title: str
    url: str = ""  # "/news/<slug>" for an article, the link's own address otherwise
    item_date: date | None = None
    summary: str = ""
    article_id: str | None = None
    item_id: str | None = None  # the stored item it came from (None: filled by a LATEST source)
    pinned: bool = False


@dataclass(frozen=True)
class Skipped:
    """An article a panel would have shown but left out: it is already on the page higher up."""

    article_id: str
    title: str
    shown_in: str  # the title of the panel that shows it ("Latest public sector news")
    shown_in_panel_id: str = ""

    @property
    def reason(self) -> str:
        return f"skipped: already in {self.shown_in}"


@dataclass(frozen=True)
class ResolvedPanel:
    panel: Panel
    items: tuple[Shown, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[Warning, ...] = ()


@dataclass(frozen=True)
class ResolvedLayout:
    """Every panel of a layout as the page shows it at ``at``: ``regions`` in page order, each
    with its enabled panels in rank order (disabled ones are in ``disabled``, panels of regions
    the template lacks in ``unplaced``); each panel carries its warnings."""

    at: datetime
    regions: tuple[tuple[str, tuple[ResolvedPanel, ...]], ...] = ()
    disabled: tuple[ResolvedPanel, ...] = ()
    unplaced: tuple[ResolvedPanel, ...] = ()

    def panels(self) -> Sequence[ResolvedPanel]:
        """Every resolved panel: shown ones in page order, then disabled, then unplaced."""
        shown = [p for _region, panels in self.regions for p in panels]
        return [*shown, *self.disabled, *self.unplaced]

    def region(self, name: str) -> tuple[ResolvedPanel, ...]:
        return next((panels for region, panels in self.regions if region == name), ())
