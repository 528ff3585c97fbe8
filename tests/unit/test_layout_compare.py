"""Two layouts side by side: panels matched by key then title, what only one has, field and item
changes, and the one-sentence summary."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pse_desk.layout.compare import (
    CHANGED,
    ONLY_A,
    ONLY_B,
    SAME,
    LayoutDiff,
    PanelDiff,
    compare_layouts,
)
from pse_desk.layout.values import LINKS, PICKED, Item, Layout, Panel, Source


def panel(pid: str, key: str, title: str, region: str = "main", rank: str = "a0",
          **kw: object) -> Panel:
    return Panel(id=pid, key=key, title=title, region=region, rank=rank,
                 **kw)  # type: ignore[arg-type]


HOME = Layout("L1", "Home", panels=(
    panel("p1", "latest_news", "Latest news", "main", "a0", item_count=5),
    panel("p2", "features", "Features", "main", "a1",
          source=Source(sections=("Health",), tags=("nhs",))),
    panel("p3", "tv", "TV", "sidebar", "a0", source=Source(kind=LINKS),
          items=(Item("i1", "a0", title="Interview", url="https://tv.example/1"),)),
))


def diff_of(a: Layout, b: Layout, titles: dict[str, str] | None = None) -> LayoutDiff:
    return compare_layouts(a, b, titles)


def by_title(diff: LayoutDiff, title: str) -> PanelDiff:
    found = [p for p in diff.panels if p.title == title]
    assert len(found) == 1, [p.title for p in diff.panels]
    return found[0]


def with_panel(layout: Layout, pid: str, **changes: object) -> Layout:
    return replace(layout, panels=tuple(replace(p, **changes) if p.id == pid else p
                                        for p in layout.panels))  # type: ignore[arg-type]


# --- identical ----------------------------------------------------------------------------------

def test_identical_layouts_are_identical() -> None:
    copy = replace(HOME, id="L2", name="Home (copy)",
                   panels=tuple(replace(p, id=p.id + "_copy") for p in HOME.panels))
    diff = diff_of(HOME, copy)
    assert diff.identical
    assert [p.status for p in diff.panels] == [SAME, SAME, SAME]
    assert all(p.changes == () and p.items_only_a == () and p.items_only_b == ()
               for p in diff.panels)
    assert diff.summary() == "“Home” and “Home (copy)” have the same panels."


def test_two_empty_layouts_are_identical() -> None:
    diff = diff_of(Layout("a", "A"), Layout("b", "B"))
    assert diff.identical
    assert diff.panels == ()


def test_only_a_rank_renumbering_is_no_change() -> None:
    renumbered = replace(HOME, panels=tuple(replace(p, rank=p.rank + "V") for p in HOME.panels))
    assert diff_of(HOME, renumbered).identical


# --- matching -----------------------------------------------------------------------------------

def test_panels_are_matched_by_key_even_when_renamed() -> None:
    renamed = with_panel(HOME, "p2", title="Long reads")
    diff = diff_of(HOME, renamed)
    features = by_title(diff, "Features")
    assert features.status == CHANGED
    assert features.title_b == "Long reads"
    assert features.changes == ("Title: Features → Long reads",)
    assert not diff.identical


def test_panels_with_a_new_key_are_matched_by_title_ignoring_case() -> None:
    rekeyed = with_panel(HOME, "p1", key="news_2024", title="LATEST NEWS")
    diff = diff_of(HOME, rekeyed)
    latest = by_title(diff, "Latest news")
    assert latest.status == CHANGED
    assert latest.key == "latest_news"
    assert latest.changes == ("Title: Latest news → LATEST NEWS",)
    assert len(diff.panels) == 3


def test_a_key_match_wins_over_a_title_match() -> None:
    a = Layout("a", "A", panels=(panel("x", "one", "Alpha"), panel("y", "two", "Beta", rank="a1")))
    b = Layout("b", "B", panels=(panel("z", "two", "Alpha"),))
    diff = diff_of(a, b)
    assert [(p.title_a, p.title_b, p.status) for p in diff.panels] == [
        ("Beta", "Alpha", CHANGED), ("Alpha", "", ONLY_A)]


def test_panels_only_one_side_has() -> None:
    b = Layout("L2", "Home v2", panels=(
        *HOME.panels[:2], panel("p9", "podcasts", "Podcasts", "footer")))
    diff = diff_of(HOME, b)
    assert sorted((p.title, p.status) for p in diff.panels) == [
        ("Features", SAME), ("Latest news", SAME), ("Podcasts", ONLY_B), ("TV", ONLY_A)]
    podcasts, tv = by_title(diff, "Podcasts"), diff.panels[-1]  # only in a: last
    assert (podcasts.title_a, podcasts.region_a, podcasts.region_b) == ("", "", "footer")
    assert (tv.title_b, tv.region_a, tv.region_b) == ("", "sidebar", "")
    assert diff.summary() == "0 changed, 1 only in “Home”, 1 only in “Home v2”."


def test_panels_come_in_b_rank_order_then_those_only_a_has() -> None:
    a = Layout("a", "A", panels=(panel("1", "k1", "One", rank="a2"),
                                 panel("2", "k2", "Two", rank="a1"),
                                 panel("3", "k3", "Three", rank="a0")))
    b = Layout("b", "B", panels=(panel("z", "new", "New", rank="a2"),
                                 panel("y", "k2", "Two", rank="a0"),
                                 panel("x", "k1", "One", rank="a1")))
    assert [p.title for p in diff_of(a, b).panels] == ["Two", "One", "New", "Three"]


# --- field changes ------------------------------------------------------------------------------

def test_every_changed_field_is_listed() -> None:
    changed = with_panel(HOME, "p2", region="sidebar", rank="a5", item_count=8, enabled=False,
                         source=Source(kind=PICKED), more_label="more >", more_url="/features",
                         dedupe=False)
    features = by_title(diff_of(HOME, changed), "Features")
    assert features.status == CHANGED
    assert features.changes == (  # second in main, second in sidebar: the same place
        "Region: main → sidebar",
        "Shown: on → off",
        "Items: 3 → 8",
        "Source: latest articles in “Health”, tagged “nhs” → picked articles",
        "“More” link: (none) → more > /features",
        "De-duplication: on → off",
    )
    assert (features.region_a, features.region_b) == ("main", "sidebar")


def test_a_region_change_keeping_the_place_lists_only_the_region() -> None:
    moved = with_panel(HOME, "p1", region="footer")
    latest = by_title(diff_of(HOME, moved), "Latest news")
    assert latest.changes == ("Region: main → footer",)  # first in main, first in footer


def test_a_count_and_a_source_change() -> None:
    changed = with_panel(HOME, "p1", item_count=10, source=Source(author="Ann"))
    latest = by_title(diff_of(HOME, changed), "Latest news")
    assert latest.changes == ("Items: 5 → 10",
                              "Source: latest articles → latest articles by “Ann”")


def test_a_change_of_order_in_a_region_is_listed_for_both_panels() -> None:
    swapped = replace(HOME, panels=(replace(HOME.panels[0], rank="a1"),
                                    replace(HOME.panels[1], rank="a0"), HOME.panels[2]))
    diff = diff_of(HOME, swapped)
    assert by_title(diff, "Latest news").changes == ("Place in region: 1 → 2",)
    assert by_title(diff, "Features").changes == ("Place in region: 2 → 1",)
    assert by_title(diff, "TV").status == SAME
    assert diff.summary() == "2 changed, 0 only in “Home”, 0 only in “Home”."


def test_enabling_a_panel_is_listed() -> None:
    off = with_panel(HOME, "p3", enabled=False)
    assert by_title(diff_of(off, HOME), "TV").changes == ("Shown: off → on",)


# --- items --------------------------------------------------------------------------------------

def test_items_only_in_a_and_only_in_b() -> None:
    a = with_panel(HOME, "p3", items=(
        Item("i1", "a0", title="Interview", url="https://tv.example/1"),
        Item("i2", "a1", article_id="art7"),
    ))
    b = with_panel(HOME, "p3", items=(
        Item("j1", "a0", title="Interview", url="https://tv.example/1"),  # same link, new id
        Item("j3", "a1", title="Explainer", url="https://tv.example/3"),
        Item("j4", "a2", article_id="gone"),
    ))
    tv = by_title(diff_of(a, b, {"art7": "Budget day"}), "TV")
    assert tv.status == CHANGED
    assert tv.items_only_a == ("Budget day",)
    assert tv.items_only_b == ("Explainer", "(deleted article)")
    assert tv.changes == ()


def test_pinning_an_item_is_an_item_change_with_its_window() -> None:
    start, end = datetime(2024, 5, 1, 9, 0), datetime(2024, 5, 3, 18, 30)
    a = with_panel(HOME, "p3", items=(Item("i1", "a0", title="Interview",
                                           url="https://tv.example/1"),))
    b = with_panel(HOME, "p3", items=(Item("i1", "a0", title="Interview",
                                           url="https://tv.example/1", pinned=True,
                                           pinned_from=start, pinned_until=end),))
    tv = by_title(diff_of(a, b), "TV")
    assert tv.items_only_a == ("Interview",)
    assert tv.items_only_b == ("Interview (pinned 01/05/2024 09:00 to 03/05/2024 18:30)",)


def test_reordered_items_are_a_change() -> None:
    first = Item("i1", "a0", article_id="x")
    second = Item("i2", "a1", article_id="y")
    a = with_panel(HOME, "p2", source=Source(kind=PICKED), items=(first, second))
    b = with_panel(HOME, "p2", source=Source(kind=PICKED),
                   items=(replace(first, rank="a2"), second))
    features = by_title(diff_of(a, b), "Features")
    assert features.status == CHANGED
    assert features.changes == ("Order of items differs",)
    assert features.items_only_a == features.items_only_b == ()


def test_summary_counts_changed_and_one_sided_panels() -> None:
    b = Layout("L2", "Winter", panels=(
        replace(HOME.panels[0], item_count=7),
        replace(HOME.panels[1], title="Long reads"),
        panel("p8", "extra", "Extra", "footer"),
        panel("p9", "more", "More", "footer", "a1"),
    ))
    diff = diff_of(HOME, b)
    assert diff.summary() == "2 changed, 1 only in “Home”, 2 only in “Winter”."
    assert diff.summary().endswith(".")
    assert not diff.identical
