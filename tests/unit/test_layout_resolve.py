"""A layout as the page shows it at a moment: page order, pins and their windows, de-duplication,
and the warnings stored panels in any state carry (never an exception)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from pse_desk.layout.resolve import resolve_layout
from pse_desk.layout.values import (
    LATEST,
    LINKS,
    MAX_ITEMS,
    MAX_TITLE_CHARS,
    PICKED,
    ArticleFacts,
    Item,
    Layout,
    Panel,
    ResolvedLayout,
    ResolvedPanel,
    Source,
    Vocabulary,
)

AT = datetime(2024, 5, 1, 12, 0)
REGIONS = ("main", "sidebar", "footer")


def article(n: int, *, section: str = "Health", tags: tuple[str, ...] = (), author: str = "Ann",
            hours_ago: float | None = None, **kw: object) -> ArticleFacts:
    published_at = AT - timedelta(hours=n if hours_ago is None else hours_ago)
    values: dict[str, object] = dict(id=f"a{n}", title=f"Article {n}", slug=f"article-{n}",
                                     standfirst=f"Standfirst {n}", section=section,
                                     author=author, tags=tags, published_at=published_at)
    values.update(kw)
    return ArticleFacts(**values)  # type: ignore[arg-type]


# a1 is the newest; odd ones are Health, even ones Policy; every third is tagged "nhs"
STOCK = [article(n, section="Health" if n % 2 else "Policy",
                 tags=("nhs",) if n % 3 == 0 else (), author="Ann" if n < 6 else "Bob")
         for n in range(1, 21)]


@dataclass
class FakeStore:
    """The published articles, and ``fetch_latest`` as the service's query behaves."""

    articles: list[ArticleFacts]
    at: datetime = AT
    limits: list[int] = field(default_factory=list)

    def fetch_latest(self, source: Source, limit: int) -> list[ArticleFacts]:
        self.limits.append(limit)
        found = [a for a in self.articles
                 if a.published and not a.deleted and a.published_at is not None
                 and a.published_at <= self.at
                 and (not source.sections or a.section in source.sections)
                 and (not source.tags or set(a.tags) & set(source.tags))
                 and (not source.author.strip()
                      or a.author.casefold() == source.author.strip().casefold())]
        found.sort(key=lambda a: (-a.published_at.timestamp(), a.id))  # type: ignore[union-attr]
        return found[:max(limit, 0)]


def panel(pid: str, *, region: str = "main", rank: str = "a0", kind: str = LATEST,
          items: Sequence[Item] = (), **kw: object) -> Panel:
    source = kw.pop("source", None) or Source(kind=kind)
    values: dict[str, object] = dict(id=pid, key=pid, title=f"Panel {pid}", region=region,
                                     rank=rank, source=source, items=tuple(items))
    values.update(kw)
    return Panel(**values)  # type: ignore[arg-type]


def pick(iid: str, article_id: str, rank: str = "a0", **kw: object) -> Item:
    return Item(id=iid, rank=rank, article_id=article_id, **kw)  # type: ignore[arg-type]


def link(iid: str, rank: str = "a0", title: str = "A video", url: str = "https://tv.example/1",
         **kw: object) -> Item:
    return Item(id=iid, rank=rank, title=title, url=url, **kw)  # type: ignore[arg-type]


def resolve(*panels: Panel, at: datetime = AT, regions: Sequence[str] = REGIONS,
            stock: Sequence[ArticleFacts] = STOCK, articles: dict[str, ArticleFacts] | None = None,
            vocabulary: Vocabulary | None = None) -> ResolvedLayout:
    store = FakeStore(list(stock), at)
    known = {a.id: a for a in stock} if articles is None else articles
    return resolve_layout(Layout("L1", "Home", panels=panels), regions, at, known,
                          store.fetch_latest, vocabulary)


def only(resolved: ResolvedLayout, pid: str) -> ResolvedPanel:
    found = [p for p in resolved.panels() if p.panel.id == pid]
    assert len(found) == 1, [p.panel.id for p in resolved.panels()]
    return found[0]


def shown_ids(rp: ResolvedPanel) -> list[str | None]:
    return [s.article_id for s in rp.items]


def codes(rp: ResolvedPanel) -> list[str]:
    return [w.code for w in rp.warnings]


# --- page order ---------------------------------------------------------------------------------

def test_regions_come_in_the_given_order_and_panels_in_rank_order() -> None:
    resolved = resolve(
        panel("s2", region="sidebar", rank="a2"), panel("m1", region="main", rank="a1"),
        panel("s0", region="sidebar", rank="a0"), panel("m0", region="main", rank="Zz"),
        panel("s1", region="sidebar", rank="a1"), panel("f0", region="footer", rank="a5"),
        regions=("sidebar", "footer", "main"))
    assert [r for r, _p in resolved.regions] == ["sidebar", "footer", "main"]
    assert [p.panel.id for p in resolved.region("sidebar")] == ["s0", "s1", "s2"]
    assert [p.panel.id for p in resolved.region("main")] == ["m0", "m1"]
    assert [p.panel.id for p in resolved.panels()] == ["s0", "s1", "s2", "f0", "m0", "m1"]
    assert resolved.at == AT


def test_a_region_with_no_panels_is_on_the_page_empty() -> None:
    resolved = resolve(panel("m"), regions=("main", "sidebar"))
    assert resolved.regions[1] == ("sidebar", ())
    assert resolved.region("nowhere") == ()


def test_tied_ranks_are_ordered_by_id() -> None:
    resolved = resolve(panel("b", rank="a0"), panel("a", rank="a0"), panel("c", rank="a0"))
    assert [p.panel.id for p in resolved.region("main")] == ["a", "b", "c"]


def test_articles_go_down_the_page_in_order() -> None:
    resolved = resolve(panel("second", region="sidebar", item_count=2),
                       panel("first", region="main", item_count=2))
    assert shown_ids(only(resolved, "first")) == ["a1", "a2"]
    assert shown_ids(only(resolved, "second")) == ["a3", "a4"]


# --- disabled and unplaced ------------------------------------------------------------------------

def test_a_disabled_panel_is_not_on_the_page_and_takes_no_articles() -> None:
    resolved = resolve(panel("off", rank="a0", enabled=False, item_count=2),
                       panel("on", rank="a1", item_count=2))
    assert [p.panel.id for p in resolved.region("main")] == ["on"]
    assert [p.panel.id for p in resolved.disabled] == ["off"]
    assert shown_ids(only(resolved, "on")) == ["a1", "a2"]  # not left to the disabled panel
    off = only(resolved, "off")
    assert [s.article_id for s in off.skipped] == ["a1", "a2"]  # what it would show: taken
    assert shown_ids(off) == ["a3", "a4"]
    assert "empty" not in codes(off)


def test_a_disabled_panel_that_shows_nothing_is_not_warned_empty() -> None:
    resolved = resolve(panel("off", kind=PICKED, enabled=False))
    assert "empty" not in codes(only(resolved, "off"))


def test_a_panel_in_an_unknown_region_waits_in_the_unplaced_tray() -> None:
    resolved = resolve(panel("gone", region="left_rail", item_count=2),
                       panel("gone_off", region="left_rail", rank="a1", enabled=False),
                       panel("here", region="main", item_count=2))
    assert [p.panel.id for p in resolved.unplaced] == ["gone", "gone_off"]
    assert [p.panel.id for p in resolved.region("main")] == ["here"]
    gone = only(resolved, "gone")
    assert "unplaced" in codes(gone)
    assert "left_rail" in next(w.message for w in gone.warnings if w.code == "unplaced")
    assert "unplaced" in codes(only(resolved, "gone_off"))
    assert shown_ids(only(resolved, "here")) == ["a1", "a2"]  # the tray takes no articles
    assert "unplaced" not in codes(only(resolved, "here"))


def test_unplaced_panels_are_ordered_by_region_then_rank() -> None:
    resolved = resolve(panel("z1", region="zeta", rank="a0"),
                       panel("b2", region="beta", rank="a2"),
                       panel("b1", region="beta", rank="a1"))
    assert [p.panel.id for p in resolved.unplaced] == ["b1", "b2", "z1"]


def test_a_template_with_no_regions_puts_every_panel_in_the_tray() -> None:
    resolved = resolve(panel("a"), panel("b", enabled=False), regions=())
    assert resolved.regions == ()
    assert {p.panel.id for p in resolved.unplaced} == {"a", "b"}
    assert resolved.disabled == ()


# --- pins -----------------------------------------------------------------------------------------

def test_live_pins_come_first_in_rank_order() -> None:
    items = [pick("i1", "a1", "a0"), pick("i5", "a5", "a3", pinned=True),
             pick("i2", "a2", "a1"), pick("i7", "a7", "a2", pinned=True)]
    rp = only(resolve(panel("p", kind=PICKED, item_count=5, items=items)), "p")
    assert shown_ids(rp) == ["a7", "a5", "a1", "a2"]
    assert [s.pinned for s in rp.items] == [True, True, False, False]
    assert [s.item_id for s in rp.items] == ["i7", "i5", "i1", "i2"]


def test_pins_come_before_a_latest_source_and_it_does_not_repeat_them() -> None:
    rp = only(resolve(panel("p", item_count=3, items=[pick("pin", "a9", pinned=True),
                                                      pick("pin2", "a1", "a1", pinned=True)])),
              "p")
    assert shown_ids(rp) == ["a9", "a1", "a2"]
    assert rp.skipped == ()


@pytest.mark.parametrize(("at", "shown"), [
    (AT - timedelta(days=2), False),  # before the window
    (AT - timedelta(days=1), True),  # the window starts: shown
    (AT, True),
    (AT + timedelta(days=1) - timedelta(seconds=1), True),
    (AT + timedelta(days=1), False),  # the window ends: gone
    (AT + timedelta(days=3), False),
])
def test_a_pin_shows_only_inside_its_window(at: datetime, shown: bool) -> None:
    pin = pick("pin", "a15", pinned=True, pinned_from=AT - timedelta(days=1),
               pinned_until=AT + timedelta(days=1))
    stock = [article(n, hours_ago=50 + n) for n in range(1, 21)]  # all older than "at"
    rp = only(resolve(panel("p", item_count=3, items=[pin]), at=at, stock=stock), "p")
    assert ("a15" in shown_ids(rp)) is shown
    assert (shown_ids(rp)[0] == "a15") is shown
    assert len(rp.items) == 3


def test_a_pin_open_at_one_end() -> None:
    starts = pick("s", "a11", pinned=True, pinned_from=AT)
    ends = pick("e", "a12", "a1", pinned=True, pinned_until=AT)
    before = only(resolve(panel("p", kind=PICKED, items=[starts, ends]),
                          at=AT - timedelta(minutes=1)), "p")
    after = only(resolve(panel("p", kind=PICKED, items=[starts, ends]), at=AT), "p")
    assert shown_ids(before) == ["a12"]
    assert shown_ids(after) == ["a11"]


def test_an_aware_pin_window_is_read_as_utc() -> None:
    pin = pick("pin", "a11", pinned=True, pinned_from=(AT + timedelta(hours=1)).replace(
        tzinfo=UTC))
    assert shown_ids(only(resolve(panel("p", kind=PICKED, items=[pin])), "p")) == []
    assert shown_ids(only(resolve(panel("p", kind=PICKED, items=[pin]),
                                  at=AT + timedelta(hours=1)), "p")) == ["a11"]


def test_a_pin_that_ends_before_it_starts_is_never_shown_and_warned() -> None:
    pin = pick("pin", "a11", pinned=True, pinned_from=AT + timedelta(days=1),
               pinned_until=AT - timedelta(days=1))
    stock = [*STOCK, article(99, hours_ago=24 * 10)]
    for at in (AT - timedelta(days=2), AT, AT + timedelta(days=2)):
        rp = only(resolve(panel("p", kind=PICKED, items=[pin, pick("x", "a99", "a1")]), at=at,
                          stock=stock), "p")
        assert shown_ids(rp) == ["a99"]
        backwards = [w for w in rp.warnings if w.code == "pin_backwards"]
        assert len(backwards) == 1
        assert backwards[0].item_id == "pin"
        assert "Article 11" in backwards[0].message


def test_overlapping_pins_are_warned() -> None:
    first = pick("p1", "a11", "a0", pinned=True, pinned_from=AT - timedelta(days=2),
                 pinned_until=AT + timedelta(days=2))
    second = pick("p2", "a12", "a1", pinned=True, pinned_from=AT - timedelta(days=1),
                  pinned_until=AT + timedelta(days=5))
    third = pick("p3", "a13", "a2", pinned=True, pinned_from=AT + timedelta(days=10))
    rp = only(resolve(panel("p", kind=PICKED, items=[third, second, first])), "p")
    overlaps = [w for w in rp.warnings if w.code == "pin_overlap"]
    assert len(overlaps) == 1
    assert overlaps[0].item_id == "p2"
    assert "Article 11" in overlaps[0].message and "Article 12" in overlaps[0].message
    assert shown_ids(rp) == ["a11", "a12"]


def test_pins_that_only_touch_do_not_overlap() -> None:
    first = pick("p1", "a11", "a0", pinned=True, pinned_until=AT + timedelta(days=1))
    second = pick("p2", "a12", "a1", pinned=True, pinned_from=AT + timedelta(days=1))
    rp = only(resolve(panel("p", kind=PICKED, items=[first, second])), "p")
    assert "pin_overlap" not in codes(rp)


# --- de-duplication -------------------------------------------------------------------------------

def test_an_article_shown_higher_up_is_skipped_with_the_reason() -> None:
    top = panel("top", kind=PICKED, items=[pick("i", "a1")], title="Latest public sector news")
    below = panel("below", region="sidebar", item_count=3)
    resolved = resolve(top, below)
    rp = only(resolved, "below")
    assert shown_ids(rp) == ["a2", "a3", "a4"]  # still fills to its count
    assert len(rp.skipped) == 1
    skipped = rp.skipped[0]
    assert skipped.article_id == "a1"
    assert skipped.title == "Article 1"
    assert skipped.shown_in_panel_id == "top"
    assert skipped.reason == "skipped: already in Latest public sector news"


def test_a_picked_article_shown_higher_up_is_skipped_too() -> None:
    resolved = resolve(panel("top", item_count=2),
                       panel("below", rank="a1", kind=PICKED,
                             items=[pick("x", "a2"), pick("y", "a7", "a1")]))
    rp = only(resolved, "below")
    assert shown_ids(rp) == ["a7"]
    assert [s.reason for s in rp.skipped] == ["skipped: already in Panel top"]


def test_a_panel_without_de_duplication_shows_it() -> None:
    resolved = resolve(panel("top", item_count=2),
                       panel("below", rank="a1", item_count=2, dedupe=False))
    rp = only(resolved, "below")
    assert shown_ids(rp) == ["a1", "a2"]
    assert rp.skipped == ()


def test_the_skip_names_the_first_panel_that_showed_it() -> None:
    resolved = resolve(panel("one", item_count=1),
                       panel("two", rank="a1", item_count=1, dedupe=False),
                       panel("three", rank="a2", item_count=1))
    assert shown_ids(only(resolved, "two")) == ["a1"]
    three = only(resolved, "three")
    assert shown_ids(three) == ["a2"]
    assert [s.shown_in_panel_id for s in three.skipped] == ["one"]


def test_a_latest_panel_fills_to_its_count_after_many_skips() -> None:
    taken = [pick(f"i{n}", f"a{n}", f"a{n}") for n in range(1, 10)]  # a1 … a9 shown higher up
    resolved = resolve(panel("top", kind=PICKED, item_count=9, items=taken),
                       panel("below", region="sidebar", item_count=5))
    rp = only(resolved, "below")
    assert shown_ids(rp) == ["a10", "a11", "a12", "a13", "a14"]
    assert [s.article_id for s in rp.skipped] == [f"a{n}" for n in range(1, 10)]


def test_the_fetch_limit_leaves_room_for_pins_and_skips() -> None:
    store = FakeStore(list(STOCK))
    layout = Layout("L", "Home", panels=(
        panel("top", kind=PICKED, item_count=4, items=[pick(f"i{n}", f"a{n}", f"a{n}")
                                                       for n in range(1, 5)]),
        panel("below", rank="a1", item_count=3, items=[pick("pin", "a6", pinned=True)])))
    resolved = resolve_layout(layout, REGIONS, AT, {a.id: a for a in STOCK},
                              store.fetch_latest)
    assert store.limits[0] >= 3 + 1 + 4  # its count, its own pin, the four shown above
    assert shown_ids(only(resolved, "below")) == ["a6", "a5", "a7"]


def test_an_article_appears_once_in_a_panel_that_pins_and_picks_it() -> None:
    rp = only(resolve(panel("p", kind=PICKED, items=[pick("pin", "a3", "a1", pinned=True),
                                                     pick("again", "a3", "a0")])), "p")
    assert shown_ids(rp) == ["a3"]
    assert rp.items[0].pinned


# --- what items carry ---------------------------------------------------------------------------

def test_latest_items_carry_address_date_and_standfirst() -> None:
    rp = only(resolve(panel("p", item_count=2)), "p")
    first = rp.items[0]
    assert first.title == "Article 1"
    assert first.url == "/news/article-1"
    assert first.item_date == (AT - timedelta(hours=1)).date()
    assert first.summary == "Standfirst 1"
    assert first.item_id is None
    assert not first.pinned


def test_a_latest_source_matches_sections_tags_and_author() -> None:
    source = Source(kind=LATEST, sections=("Policy",), tags=("nhs",), author="bob")
    rp = only(resolve(panel("p", item_count=10, source=source)), "p")
    assert shown_ids(rp) == ["a6", "a12", "a18"]
    assert codes(rp) == []


def test_articles_published_after_the_moment_are_not_shown() -> None:
    stock = [article(1, hours_ago=-1), article(2, hours_ago=1)]
    assert shown_ids(only(resolve(panel("p"), stock=stock), "p")) == ["a2"]
    later = only(resolve(panel("p"), stock=stock, at=AT + timedelta(hours=2)), "p")
    assert shown_ids(later) == ["a1", "a2"]


def test_a_picked_article_not_yet_published_at_the_moment_is_not_shown() -> None:
    future = article(30, hours_ago=-5)
    rp = only(resolve(panel("p", kind=PICKED, items=[pick("x", "a30"), pick("y", "a1", "a1")]),
                      stock=[*STOCK, future]), "p")
    assert shown_ids(rp) == ["a1"]


# --- picked articles that are gone or unpublished ---------------------------------------------

def test_a_deleted_picked_article_is_left_out_and_warned() -> None:
    known = {a.id: a for a in STOCK}
    known["a2"] = article(2, deleted=True)
    del known["a3"]
    items = [pick("i1", "a1", "a0"), pick("i2", "a2", "a1"), pick("i3", "a3", "a2",
                                                                  title="Old title"),
             pick("i4", "a4", "a3")]
    rp = only(resolve(panel("p", kind=PICKED, item_count=5, items=items), articles=known), "p")
    assert shown_ids(rp) == ["a1", "a4"]
    gone = [w for w in rp.warnings if w.code == "article_gone"]
    assert [w.item_id for w in gone] == ["i2", "i3"]
    assert "Article 2" in gone[0].message
    assert "Old title" in gone[1].message
    assert all(w.panel_id == "p" for w in gone)


def test_an_unpublished_picked_article_is_left_out_and_warned() -> None:
    known = {a.id: a for a in STOCK}
    known["a2"] = article(2, published=False)
    rp = only(resolve(panel("p", kind=PICKED, items=[pick("i1", "a1"), pick("i2", "a2", "a1")]),
                      articles=known), "p")
    assert shown_ids(rp) == ["a1"]
    warned = [w for w in rp.warnings if w.code == "article_unpublished"]
    assert [w.item_id for w in warned] == ["i2"]
    assert "Article 2" in warned[0].message


# --- counts and sources -------------------------------------------------------------------------

@pytest.mark.parametrize(("count", "shows"), [(0, 1), (-5, 1), (10_000, MAX_ITEMS), (51, 50)])
def test_a_count_out_of_range_is_clamped_and_warned(count: int, shows: int) -> None:
    stock = [article(n) for n in range(1, 80)]
    rp = only(resolve(panel("p", item_count=count), stock=stock), "p")
    assert len(rp.items) == shows
    assert codes(rp) == ["count_range"]
    assert f"at most {shows}" in rp.warnings[0].message


@pytest.mark.parametrize("count", [1, 50])
def test_a_count_at_the_edges_is_not_warned(count: int) -> None:
    stock = [article(n) for n in range(1, 80)]
    rp = only(resolve(panel("p", item_count=count), stock=stock), "p")
    assert len(rp.items) == count
    assert codes(rp) == []


def test_a_picked_panel_shows_at_most_its_count() -> None:
    items = [pick(f"i{n}", f"a{n}", f"a{n}") for n in range(1, 8)]
    rp = only(resolve(panel("p", kind=PICKED, item_count=3, items=items)), "p")
    assert shown_ids(rp) == ["a1", "a2", "a3"]


def test_an_unknown_source_shows_only_its_pins() -> None:
    items = [pick("pin", "a4", "a1", pinned=True), pick("plain", "a5", "a0"),
             link("lnk", "a2")]
    rp = only(resolve(panel("p", kind="podcast_feed", item_count=5, items=items)), "p")
    assert shown_ids(rp) == ["a4"]
    assert codes(rp) == ["unknown_source"]
    assert "podcast_feed" in rp.warnings[0].message


def test_an_unknown_source_with_no_live_pins_is_empty() -> None:
    rp = only(resolve(panel("p", kind="podcast_feed")), "p")
    assert rp.items == ()
    assert codes(rp) == ["unknown_source", "empty"]


def test_a_latest_source_naming_an_unknown_section_matches_nothing() -> None:
    vocabulary = Vocabulary(sections=frozenset({"Health", "Policy"}), tags=frozenset({"nhs"}),
                            authors=frozenset({"Ann", "Bob"}))
    rp = only(resolve(panel("p", source=Source(sections=("Helth",))), vocabulary=vocabulary),
              "p")
    assert rp.items == ()
    assert "no_match" in codes(rp)
    assert "Helth" in next(w.message for w in rp.warnings if w.code == "no_match")
    assert "empty" in codes(rp)


def test_a_source_with_one_unknown_name_says_that_part_matches_nothing() -> None:
    vocabulary = Vocabulary(sections=frozenset({"Health", "Policy"}))
    rp = only(resolve(panel("p", source=Source(sections=("Health", "Helth"))),
                      vocabulary=vocabulary), "p")
    assert shown_ids(rp) == ["a1", "a3", "a5"]
    assert codes(rp) == ["no_match"]
    assert "that part" in rp.warnings[0].message


def test_an_author_is_matched_without_regard_to_case() -> None:
    vocabulary = Vocabulary(authors=frozenset({"Ann"}))
    rp = only(resolve(panel("p", source=Source(author=" ANN ")), vocabulary=vocabulary), "p")
    assert codes(rp) == []
    assert len(rp.items) == 3


def test_a_latest_source_that_matches_nothing_now_is_warned() -> None:
    rp = only(resolve(panel("p", source=Source(tags=("brexit",)))), "p")
    assert rp.items == ()
    assert codes(rp) == ["no_match", "empty"]


def test_an_enabled_panel_showing_nothing_is_warned_empty() -> None:
    pending = pick("later", "a1", pinned=True, pinned_from=AT + timedelta(days=1))
    rp = only(resolve(panel("p", kind=PICKED, items=[pending])), "p")
    assert rp.items == ()
    assert codes(rp) == ["empty"]
    assert "1 pin will show later" in rp.warnings[0].message
    links = only(resolve(panel("q", kind=LINKS)), "q")
    assert codes(links) == ["empty"]
    assert "add links" in links.warnings[0].message


def test_an_empty_layout_resolves_to_empty_regions() -> None:
    resolved = resolve()
    assert [r for r, panels in resolved.regions if not panels] == list(REGIONS)
    assert resolved.panels() == []


# --- links ------------------------------------------------------------------------------------

def test_links_show_their_own_title_address_date_and_summary() -> None:
    item = link("v1", title="  Interview  ", url=" https://tv.example/v1 ",
                item_date=date(2024, 4, 30), summary="Ten minutes")
    rp = only(resolve(panel("tv", kind=LINKS, items=[item])), "tv")
    assert len(rp.items) == 1
    shown = rp.items[0]
    assert (shown.title, shown.url, shown.item_date, shown.summary) == (
        "Interview", "https://tv.example/v1", date(2024, 4, 30), "Ten minutes")
    assert shown.article_id is None and shown.item_id == "v1"
    assert codes(rp) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "data:text/html,<b>x</b>", "//evil.example/x"])
def test_a_link_with_an_unsafe_address_is_shown_without_it_and_warned(url: str) -> None:
    rp = only(resolve(panel("tv", kind=LINKS, items=[link("bad", url=url),
                                                     link("ok", "a1")])), "tv")
    assert [s.url for s in rp.items] == ["", "https://tv.example/1"]
    assert rp.items[0].title == "A video"
    unsafe = [w for w in rp.warnings if w.code == "unsafe_link"]
    assert [w.item_id for w in unsafe] == ["bad"]


def test_an_unsafe_more_address_is_warned() -> None:
    rp = only(resolve(panel("p", more_label="more >", more_url="javascript:alert(1)")), "p")
    assert codes(rp) == ["unsafe_link"]


def test_a_long_title_is_cut_and_warned() -> None:
    rp = only(resolve(panel("tv", kind=LINKS, items=[link("long", title="x" * 5000)])), "tv")
    title = rp.items[0].title
    assert len(title) == MAX_TITLE_CHARS
    assert title.endswith("…")
    assert title[:-1] == "x" * (MAX_TITLE_CHARS - 1)
    long_text = [w for w in rp.warnings if w.code == "long_text"]
    assert [w.item_id for w in long_text] == ["long"]


def test_a_long_article_title_and_a_long_panel_title_are_cut() -> None:
    stock = [article(1, title="y" * 5000)]
    rp = only(resolve(panel("p", title="P" * 5000), stock=stock), "p")
    assert len(rp.items[0].title) == MAX_TITLE_CHARS
    assert rp.items[0].title.endswith("…")
    assert "long_text" in codes(rp)


# --- scale --------------------------------------------------------------------------------------

def test_five_hundred_panels_each_resolve_once() -> None:
    panels = [panel(f"p{n:03d}", region=("main", "sidebar", "footer", "old")[n % 4],
                    rank=f"a{n % 10}", enabled=n % 7 != 0, item_count=1 + n % 5,
                    kind=(LATEST, PICKED, LINKS)[n % 3],
                    items=[pick(f"i{n}", f"a{1 + n % 20}"), link(f"l{n}", "a1")])
              for n in range(500)]
    resolved = resolve(*panels)
    ids = [p.panel.id for p in resolved.panels()]
    assert len(ids) == 500
    assert set(ids) == {p.id for p in panels}
    assert all(p.panel.region == "old" for p in resolved.unplaced)
    assert all(not p.panel.enabled for p in resolved.disabled)
    on_page = [p for _r, ps in resolved.regions for p in ps]
    assert all(p.panel.enabled and p.panel.region != "old" for p in on_page)
    shown = [s.article_id for p in on_page if p.panel.dedupe for s in p.items if s.article_id]
    assert len(shown) == len(set(shown))  # de-duplicated across the whole page
