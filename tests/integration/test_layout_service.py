"""The layout service (``services.layout``: read, edit, history) against a real SQLite file: named
layouts, panels and items, the timeline of versions, the layout resolved at a moment, the
migration that made the first layout out of the old list of panels, and the models kept in
step with the migrations.

Most tests start from the demo newsroom (``build_demo``: a "web" layout of seven panels with a
live pin and a scheduled one, and a "print" layout); writes go through the service, and what
they wrote is read back from the tables, the outbox (``change_log``) included.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from pse_desk.demo import build_demo
from pse_desk.demo.build import demo_base
from pse_desk.demo.layout import WEB_LAYOUT_ID
from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.layout import values as v
from pse_desk.layout.compare import CHANGED, ONLY_A, SAME
from pse_desk.layout.ranks import initial_ranks, is_valid_rank
from pse_desk.layout.wording import quoted
from pse_desk.render.page import region_label, render_page
from pse_desk.services.layout import edit, history, read
from pse_desk.services.layout.edit import ItemFields, PanelFields, Placement
from pse_desk.services.page import load_page
from pse_desk.store import Store, open_store
from pse_desk.store.db import make_engine
from pse_desk.store.migrations import HEAD_REVISION, runner
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Base,
    ChangeLog,
    Layout,
    LayoutVersion,
    Panel,
    PanelItem,
)


@dataclass(frozen=True)
class Newsroom:
    store: Store
    base: datetime  # where the demo's dates end (the start of today)
    web: str
    print: str


@pytest.fixture
def demo(store: Store) -> Newsroom:
    base = demo_base()
    build_demo(store, articles=24, comments=0, base=base)
    with store.read_session() as s:
        ids = {row.name: row.id for row in read.list_layouts(s)}
    assert ids["web"] == WEB_LAYOUT_ID
    return Newsroom(store, base, ids["web"], ids["print"])


# --- helpers ---------------------------------------------------------------------------------

def layout_of(store: Store, layout_id: str) -> v.Layout:
    with store.read_session() as s:
        return read.load_layout(s, layout_id)


def panels_by_key(store: Store, layout_id: str) -> dict[str, v.Panel]:
    return {p.key: p for p in layout_of(store, layout_id).panels}


def region_keys(store: Store, layout_id: str, region: str) -> list[str]:
    return [p.key for p in layout_of(store, layout_id).panels if p.region == region]


def timeline(store: Store, layout_id: str) -> list[history.VersionRow]:
    with store.read_session() as s:
        return history.timeline(s, layout_id)


def last_seq(store: Store) -> int:
    with store.read_session() as s:
        return int(s.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0)


def outbox_since(store: Store, seq: int) -> list[tuple[str, str]]:
    """(table, row id) of every outbox entry written after ``seq``, oldest first."""
    with store.read_session() as s:
        return [(t, r) for t, r in s.execute(select(ChangeLog.table_name, ChangeLog.row_id)
                                             .where(ChangeLog.seq > seq)
                                             .order_by(ChangeLog.seq))]


def panel_rows(store: Store) -> dict[str, tuple[Any, ...]]:
    """Every panel row (tombstones too) as the table holds it."""
    with store.read_session() as s:
        return {p.id: (p.layout_id, p.key, p.title, p.region, p.rank, p.deleted, p.hlc,
                       p.updated_at) for p in s.scalars(select(Panel))}


def table_state(store: Store) -> tuple[Any, ...]:
    """What a refused call must leave exactly as it was."""
    with store.read_session() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(m))
                       for m in (Layout, Panel, PanelItem, LayoutVersion, ChangeLog))
        items = {i.id: (i.hlc, i.pinned, i.pinned_from, i.pinned_until, i.deleted)
                 for i in s.scalars(select(PanelItem))}
    return counts, panel_rows(store), items


def published(store: Store) -> list[Article]:
    """The demo's published articles, newest first."""
    with store.read_session() as s:
        return list(s.scalars(select(Article).where(Article.status == ArticleStatus.PUBLISHED)
                              .order_by(Article.published_at.desc(), Article.id)))


def resolved_panel(resolved: v.ResolvedLayout, key: str) -> v.ResolvedPanel:
    return next(p for p in resolved.panels() if p.panel.key == key)


def resolve(store: Store, layout_id: str | None = None, at: datetime | None = None
            ) -> v.ResolvedLayout:
    with store.read_session() as s:
        return read.resolve(s, layout_id, at=at)


def assert_sentence(err: pytest.ExceptionInfo[Exception], *words: str) -> None:
    message = str(err.value)
    assert message and "\n" not in message and message.endswith("."), message
    assert "Traceback" not in message and "Error" not in message, message
    for word in words:
        assert word in message, message


# --- named layouts ---------------------------------------------------------------------------

def test_a_new_layout_is_empty_inactive_and_starts_its_timeline(demo: Newsroom) -> None:
    new = edit.create_layout(demo.store, "  Mobile   app ", actor="ann")
    with demo.store.read_session() as s:
        rows = {r.name: r for r in read.list_layouts(s)}
        assert read.active_layout_id(s) == demo.web
    assert rows["Mobile app"].id == new  # spaces folded
    assert rows["Mobile app"].panel_count == 0 and not rows["Mobile app"].active
    assert [(t.kind, t.label, t.author) for t in timeline(demo.store, new)] == [
        ("change", "Created the layout “Mobile app”", "ann")]
    with pytest.raises(ValidationError) as err:
        edit.create_layout(demo.store, "WEB")
    assert_sentence(err, "There is already a layout called “WEB”")
    with pytest.raises(ValidationError):
        edit.create_layout(demo.store, "   ")


def test_duplicate_copies_every_live_panel_and_item_and_keeps_the_keys(demo: Newsroom) -> None:
    blog = panels_by_key(demo.store, demo.web)["blog"]
    edit.remove_panel(demo.store, blog.id)  # a tombstone is not copied
    original = layout_of(demo.store, demo.web)
    copy_id = edit.duplicate_layout(demo.store, demo.web, "web (summer)")
    copy = layout_of(demo.store, copy_id)

    assert copy.name == "web (summer)" and not copy.active
    assert [p.key for p in copy.panels] == [p.key for p in original.panels]
    assert "blog" not in {p.key for p in copy.panels}
    assert not {p.id for p in copy.panels} & {p.id for p in original.panels}
    for a, b in zip(original.panels, copy.panels, strict=True):
        assert replace(b, id=a.id, items=()) == replace(a, items=())  # every field but the id
        assert [replace(i, id="") for i in b.items] == [replace(i, id="") for i in a.items]
        assert not {i.id for i in b.items} & {i.id for i in a.items}
    assert any(i.pinned and i.pinned_from for p in copy.panels for i in p.items)
    assert layout_of(demo.store, demo.web) == original  # the original is untouched
    with demo.store.read_session() as s:
        assert history.compare(s, demo.web, copy_id).identical


def test_rename_refuses_a_name_another_layout_has_and_returns_the_old_name(
        demo: Newsroom) -> None:
    before = table_state(demo.store)
    with pytest.raises(ValidationError) as err:
        edit.rename_layout(demo.store, demo.web, "Print")
    assert_sentence(err, "There is already a layout called “Print”")
    with pytest.raises(ValidationError) as err:
        edit.rename_layout(demo.store, demo.web, "w" * 81)
    assert_sentence(err, "80 characters")
    assert table_state(demo.store) == before

    assert edit.rename_layout(demo.store, demo.web, "Website") == "web"
    assert edit.rename_layout(demo.store, demo.web, "website") == "Website"  # its own name
    assert layout_of(demo.store, demo.web).name == "website"
    assert timeline(demo.store, demo.web)[0].label == (
        "Renamed the layout “Website” to “website”")


def test_activate_leaves_exactly_one_active_layout(demo: Newsroom) -> None:
    assert edit.activate_layout(demo.store, demo.print) == demo.web
    with demo.store.read_session() as s:
        assert read.active_layout_id(s) == demo.print
        assert list(s.scalars(select(Layout.id).where(Layout.active.is_(True)))) == [demo.print]
        assert {r.name: r.active for r in read.list_layouts(s)} == {"print": True, "web": False}
    # the site (a resolve with no layout named) shows the print layout's panels now
    assert [p.panel.key for p in resolve(demo.store).panels()] == [
        "editors_comment", "last_word", "latest_news"]
    seq = last_seq(demo.store)
    assert edit.activate_layout(demo.store, demo.print) == demo.print  # already: no write
    assert last_seq(demo.store) == seq
    assert edit.activate_layout(demo.store, demo.web) == demo.print


def test_remove_keeps_a_tombstone_and_restore_brings_it_back_under_a_free_name(
        demo: Newsroom) -> None:
    with pytest.raises(ValidationError) as err:
        edit.remove_layout(demo.store, demo.web)
    assert_sentence(err, "make another layout active")
    edit.remove_layout(demo.store, demo.print)
    with demo.store.read_session() as s:
        assert [r.name for r in read.list_layouts(s)] == ["web"]
        row = s.get(Layout, demo.print)
        assert row is not None and row.deleted
        assert s.scalar(select(func.count()).select_from(Panel)
                        .where(Panel.layout_id == demo.print)) == 3  # its panels stay
        with pytest.raises(NotFoundError):
            read.load_layout(s, demo.print)
    other = edit.create_layout(demo.store, "print")  # the name is free now
    edit.restore_layout(demo.store, demo.print)
    with demo.store.read_session() as s:
        names = {r.id: r.name for r in read.list_layouts(s)}
    assert names[demo.print] == "print (2)" and names[other] == "print"
    assert len(layout_of(demo.store, demo.print).panels) == 3


# --- panels ----------------------------------------------------------------------------------

def test_add_panel_places_it_gives_it_a_free_key_and_a_version(demo: Newsroom) -> None:
    versions = len(timeline(demo.store, demo.web))
    first = edit.add_panel(demo.store, demo.web, PanelFields(
        title="TV", item_count=2, source=v.Source(v.LINKS)), region="sidebar", index=0,
        actor="ann")
    last = edit.add_panel(demo.store, demo.web, PanelFields(
        title="Jobs board", source=v.Source(v.LATEST, sections=(" Health ", "Health", ""))),
        region="footer")
    panels = panels_by_key(demo.store, demo.web)
    assert panels["tv_2"].id == first and panels["tv_2"].title == "TV"  # "tv" is taken
    assert region_keys(demo.store, demo.web, "sidebar")[0] == "tv_2"
    assert region_keys(demo.store, demo.web, "footer") == ["jobs_board"]
    assert panels["jobs_board"].id == last
    assert panels["jobs_board"].source.sections == ("Health",)  # trimmed, once
    rows = timeline(demo.store, demo.web)
    assert len(rows) == versions + 3  # a baseline before the first change, then one each
    assert [r.label for r in rows[:2]] == ["Added the panel “Jobs board” to the Footer",
                                           "Added the panel “TV” to the Sidebar"]
    assert rows[2].kind == "baseline" and rows[1].author == "ann"


def test_update_panel_saves_the_fields_and_returns_the_old_ones(demo: Newsroom) -> None:
    latest = panels_by_key(demo.store, demo.web)["latest_news"]
    new = PanelFields(title="Latest news", item_count=5, source=v.Source(v.LATEST,
                      sections=("Finance",)), more_label="All news", more_url="/news",
                      dedupe=False, enabled=True)
    before = edit.update_panel(demo.store, latest.id, new)
    assert before.title == "latest public sector news" and before.item_count == 3
    after = panels_by_key(demo.store, demo.web)["latest_news"]
    assert (after.title, after.item_count, after.source.sections, after.more_url,
            after.dedupe) == ("Latest news", 5, ("Finance",), "/news", False)
    assert timeline(demo.store, demo.web)[0].label == (
        "Renamed the panel “latest public sector news” to “Latest news”")
    seq, versions = last_seq(demo.store), len(timeline(demo.store, demo.web))
    assert edit.update_panel(demo.store, latest.id, new) == new  # unchanged: nothing written
    assert (last_seq(demo.store), len(timeline(demo.store, demo.web))) == (seq, versions)


def test_remove_panel_is_a_tombstone_and_restore_brings_it_back(demo: Newsroom) -> None:
    tv = panels_by_key(demo.store, demo.web)["tv"]
    edit.remove_panel(demo.store, tv.id)
    with demo.store.read_session() as s:
        row = s.get(Panel, tv.id)
        assert row is not None and row.deleted
        assert s.scalar(select(func.count()).select_from(PanelItem).where(
            PanelItem.panel_id == tv.id, PanelItem.deleted.is_(False))) == 3  # items stay
    assert "tv" not in panels_by_key(demo.store, demo.web)
    assert "tv" not in {p.panel.key for p in resolve(demo.store).panels()}
    with pytest.raises(NotFoundError):
        edit.move_panel(demo.store, tv.id, "main", 0)
    # another panel takes the key meanwhile: the restored one gets a free one
    edit.add_panel(demo.store, demo.web, PanelFields(title="TV"))
    edit.restore_panel(demo.store, tv.id)
    back = next(p for p in layout_of(demo.store, demo.web).panels if p.id == tv.id)
    assert back.key == "public_sector_executive_tv" and len(back.items) == 3
    assert (back.region, back.rank) == (tv.region, tv.rank)
    assert timeline(demo.store, demo.web)[0].label == (
        "Brought back the panel “public sector executive tv”")


def test_duplicate_panel_puts_a_copy_with_its_items_just_below(demo: Newsroom) -> None:
    editors = panels_by_key(demo.store, demo.web)["editors_comment"]
    copy_id = edit.duplicate_panel(demo.store, editors.id)
    keys = region_keys(demo.store, demo.web, "sidebar")
    assert keys[keys.index("editors_comment") + 1] == "editor_s_comment_copy"
    copy = panels_by_key(demo.store, demo.web)["editor_s_comment_copy"]
    assert copy.id == copy_id and copy.title == "editor's comment (copy)"
    assert [(i.article_id, i.pinned, i.pinned_from, i.rank) for i in copy.items] == [
        (i.article_id, i.pinned, i.pinned_from, i.rank) for i in editors.items]


@pytest.mark.parametrize(("key", "region", "index"), [
    ("tv", "main", 0), ("tv", "footer", 0), ("tv", "sidebar", 4), ("focus", "sidebar", 0),
    ("blog", "sidebar", 2)])
def test_a_move_writes_one_panel_row_and_one_outbox_entry_for_it(
        demo: Newsroom, key: str, region: str, index: int) -> None:
    edit.rename_layout(demo.store, demo.web, "web site")  # the baseline exists already
    panel = panels_by_key(demo.store, demo.web)[key]
    rows, seq = panel_rows(demo.store), last_seq(demo.store)

    before = edit.move_panel(demo.store, panel.id, region, index)

    assert before == Placement("sidebar", panel.rank)
    after = panel_rows(demo.store)
    assert [pid for pid in rows if rows[pid] != after[pid]] == [panel.id]  # one row changed
    entries = outbox_since(demo.store, seq)
    assert [e for e in entries if e[0] == "panel"] == [("panel", panel.id)]
    assert [t for t, _ in entries] == ["panel", "layout_version"]  # and its version
    keys = region_keys(demo.store, demo.web, region)
    assert keys.index(key) == index
    moved = panels_by_key(demo.store, demo.web)[key]
    assert moved.region == region and is_valid_rank(moved.rank)
    where = "within the Sidebar" if region == "sidebar" else f"to the {region_label(region)}"
    assert timeline(demo.store, demo.web)[0].label == (
        f"Moved the panel “{panel.title}” {where}")
    # the undo puts it back exactly, again one row
    seq = last_seq(demo.store)
    edit.place_panel(demo.store, panel.id, before)
    assert panels_by_key(demo.store, demo.web)[key] == panel
    assert [t for t, _ in outbox_since(demo.store, seq)] == ["panel", "layout_version"]


def test_a_move_to_where_the_panel_is_writes_nothing(demo: Newsroom) -> None:
    latest = panels_by_key(demo.store, demo.web)["latest_news"]
    edit.rename_layout(demo.store, demo.web, "web site")
    seq = last_seq(demo.store)
    edit.place_panel(demo.store, latest.id, Placement(latest.region, latest.rank))
    assert last_seq(demo.store) == seq


BAD_PANELS: list[tuple[PanelFields, str]] = [
    (PanelFields(title="Jobs", item_count=0), "1 to 50 items; 0 is out of range"),
    (PanelFields(title="Jobs", item_count=10_000), "10,000 is out of range"),
    (PanelFields(title="J" * 5000), "this one has 5,000"),
    (PanelFields(title="Jobs", source=v.Source(kind="rss")),
     "“rss” is not a source a panel can have"),
    (PanelFields(title="Jobs", more_label="more", more_url="javascript:alert(1)"),
     "cannot be linked"),
    (PanelFields(title="   "), "A panel needs a title"),
]


@pytest.mark.parametrize(("fields", "words"), BAD_PANELS,
                         ids=["count0", "count10000", "title5000", "source", "more_url",
                              "no_title"])
def test_bad_panel_input_is_refused_before_anything_is_written(
        demo: Newsroom, fields: PanelFields, words: str) -> None:
    latest = panels_by_key(demo.store, demo.web)["latest_news"]
    before = table_state(demo.store)
    with pytest.raises(ValidationError) as err:
        edit.add_panel(demo.store, demo.web, fields)
    assert_sentence(err, words)
    with pytest.raises(ValidationError) as err:
        edit.update_panel(demo.store, latest.id, fields)
    assert_sentence(err, words)
    assert table_state(demo.store) == before  # no row, no version, no outbox entry


def test_bad_item_input_is_refused_before_anything_is_written(demo: Newsroom) -> None:
    panels = panels_by_key(demo.store, demo.web)
    start = demo.base + timedelta(days=3)
    backwards = ItemFields(pinned=True, pinned_from=start, pinned_until=start - timedelta(hours=1))
    before = table_state(demo.store)
    with pytest.raises(ValidationError) as err:
        edit.add_link_item(demo.store, panels["tv"].id,
                           ItemFields(title="Watch", url="javascript:alert(1)"))
    assert_sentence(err, "cannot be linked")
    with pytest.raises(ValidationError) as err:
        edit.add_link_item(demo.store, panels["tv"].id,
                           replace(backwards, title="Watch", url="https://example.org/w"))
    assert_sentence(err, "The pin would end", "before it starts")
    with pytest.raises(ValidationError) as err:  # an article item's pin, too
        edit.update_item(demo.store, panels["last_word"].items[0].id, backwards)
    assert_sentence(err, "The pin would end")
    with pytest.raises(ValidationError) as err:
        edit.add_link_item(demo.store, panels["tv"].id, ItemFields(url="https://example.org"))
    assert_sentence(err, "A link needs a title")
    assert table_state(demo.store) == before


# --- items -----------------------------------------------------------------------------------

def test_article_items_are_added_in_place_once_and_only_while_the_article_lives(
        demo: Newsroom) -> None:
    last_word = panels_by_key(demo.store, demo.web)["last_word"]
    chosen = [a for a in published(demo.store)
              if a.id not in {i.article_id for i in last_word.items}][:2]
    first = edit.add_article_item(demo.store, last_word.id, chosen[0].id, index=0)
    edit.add_article_item(demo.store, last_word.id, chosen[1].id)
    items = panels_by_key(demo.store, demo.web)["last_word"].items
    assert [i.article_id for i in items] == [chosen[0].id,
                                             *(i.article_id for i in last_word.items),
                                             chosen[1].id]
    assert items[0].id == first
    assert timeline(demo.store, demo.web)[0].label == (
        f"Put {quoted(chosen[1].title)} in the panel “last word”")
    with pytest.raises(ValidationError) as err:
        edit.add_article_item(demo.store, last_word.id, chosen[0].id)
    assert_sentence(err, "is already in this panel")
    with demo.store.session() as s:
        gone = s.get(Article, chosen[1].id)
        assert gone is not None
        gone.deleted = True
        s.commit()
    with pytest.raises(NotFoundError):
        edit.add_article_item(demo.store, panels_by_key(demo.store, demo.web)["blog"].id,
                              chosen[1].id)


def test_links_are_edited_pinned_with_windows_removed_restored_and_moved(
        demo: Newsroom) -> None:
    tv = panels_by_key(demo.store, demo.web)["tv"]
    link = edit.add_link_item(demo.store, tv.id, ItemFields(
        title="  Council budgets   explained ", url=" https://example.org/tv/budgets ",
        item_date=date(2026, 11, 30), summary="A walk through the numbers."))
    stored = panels_by_key(demo.store, demo.web)["tv"].items[-1]
    assert (stored.id, stored.title, stored.url) == (
        link, "Council budgets explained", "https://example.org/tv/budgets")

    start, end = demo.base + timedelta(days=1), demo.base + timedelta(days=4)
    pinned = ItemFields(title="Budgets explained", url=stored.url, item_date=stored.item_date,
                        summary=stored.summary, pinned=True, pinned_from=start,
                        pinned_until=end)
    before = edit.update_item(demo.store, link, pinned)
    assert before == ItemFields(title="Council budgets explained", url=stored.url,
                                item_date=date(2026, 11, 30),
                                summary="A walk through the numbers.")
    assert timeline(demo.store, demo.web)[0].label == (
        "Pinned “Budgets explained” in the panel “public sector executive tv”")
    item = next(i for i in panels_by_key(demo.store, demo.web)["tv"].items if i.id == link)
    assert (item.pinned, item.pinned_from, item.pinned_until) == (True, start, end)
    # the window decides: on top inside it, not shown at all outside it
    assert resolved_panel(resolve(demo.store, at=start + timedelta(hours=1)),
                          "tv").items[0].title == "Budgets explained"
    assert "Budgets explained" not in {s.title for s in resolved_panel(
        resolve(demo.store, at=end), "tv").items}

    # unpinning drops the window
    edit.update_item(demo.store, link, replace(pinned, pinned=False))
    item = next(i for i in panels_by_key(demo.store, demo.web)["tv"].items if i.id == link)
    assert (item.pinned, item.pinned_from, item.pinned_until) == (False, None, None)

    edit.move_item(demo.store, link, 0)
    assert panels_by_key(demo.store, demo.web)["tv"].items[0].id == link
    seq = last_seq(demo.store)
    edit.remove_item(demo.store, link)
    assert [t for t, _ in outbox_since(demo.store, seq)] == ["panel_item", "layout_version"]
    with demo.store.read_session() as s:
        row = s.get(PanelItem, link)
        assert row is not None and row.deleted
    assert link not in {i.id for i in panels_by_key(demo.store, demo.web)["tv"].items}
    with pytest.raises(NotFoundError):
        edit.move_item(demo.store, link, 1)
    edit.restore_item(demo.store, link)
    assert panels_by_key(demo.store, demo.web)["tv"].items[0].id == link


def test_a_move_of_an_item_writes_that_item_only(demo: Newsroom) -> None:
    tv = panels_by_key(demo.store, demo.web)["tv"]
    edit.rename_layout(demo.store, demo.web, "web site")
    seq = last_seq(demo.store)
    old = edit.move_item(demo.store, tv.items[2].id, 0)
    assert old == tv.items[2].rank
    assert outbox_since(demo.store, seq)[0] == ("panel_item", tv.items[2].id)
    assert [t for t, _ in outbox_since(demo.store, seq)] == ["panel_item", "layout_version"]
    after = panels_by_key(demo.store, demo.web)["tv"].items
    assert [i.id for i in after] == [tv.items[2].id, tv.items[0].id, tv.items[1].id]
    assert [i.rank for i in after[1:]] == [tv.items[0].rank, tv.items[1].rank]
    edit.place_item(demo.store, tv.items[2].id, old)
    assert panels_by_key(demo.store, demo.web)["tv"].items == tv.items


# --- history ---------------------------------------------------------------------------------

def test_every_saved_change_adds_one_version_newest_first(demo: Newsroom) -> None:
    p = panels_by_key(demo.store, demo.web)
    article = next(a for a in published(demo.store)
                   if a.id not in {i.article_id for i in p["blog"].items})
    made: dict[str, str] = {}
    steps: list[tuple[Callable[[], object], str]] = [
        (lambda: made.setdefault("jobs", edit.add_panel(
            demo.store, demo.web, PanelFields(title="Jobs"), actor="ann")),
         "Added the panel “Jobs” to the Sidebar"),
        (lambda: edit.update_panel(demo.store, made["jobs"], PanelFields(
            title="Jobs", item_count=5)), "The panel “Jobs” shows 5 items (was 3)"),
        (lambda: edit.move_panel(demo.store, made["jobs"], "footer", 0),
         "Moved the panel “Jobs” to the Footer"),
        (lambda: edit.duplicate_panel(demo.store, made["jobs"]),
         "Duplicated the panel “Jobs”"),
        (lambda: edit.remove_panel(demo.store, made["jobs"]), "Removed the panel “Jobs”"),
        (lambda: edit.restore_panel(demo.store, made["jobs"]),
         "Brought back the panel “Jobs”"),
        (lambda: made.setdefault("item", edit.add_article_item(
            demo.store, p["blog"].id, article.id)),
         f"Put {quoted(article.title)} in the panel “the raven's daily blog”"),
        (lambda: edit.move_item(demo.store, made["item"], 0), "Moved “"),
        (lambda: edit.update_item(demo.store, made["item"], ItemFields(pinned=True)),
         "Pinned “"),
        (lambda: edit.remove_item(demo.store, made["item"]), "Took “"),
        (lambda: edit.restore_item(demo.store, made["item"]), "Put “"),
        (lambda: edit.rename_layout(demo.store, demo.web, "website"),
         "Renamed the layout “web” to “website”"),
    ]
    assert timeline(demo.store, demo.web) == []  # the demo saved no version
    for n, (step, label) in enumerate(steps, 1):
        step()
        rows = timeline(demo.store, demo.web)
        assert len(rows) == n + 1, label  # the baseline, then one per change
        assert rows[0].label.startswith(label) and rows[0].kind == "change"
    rows = timeline(demo.store, demo.web)
    assert rows[-1].kind == "baseline" and rows[-2].author == "ann"
    assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
    with demo.store.read_session() as s:  # each version holds the layout as that change left it
        newest = history.version_layout(s, rows[0].id)
    assert newest.panels == layout_of(demo.store, demo.web).panels


def test_restoring_an_older_version_brings_back_its_panels_and_keeps_the_later_ones(
        demo: Newsroom) -> None:
    p = panels_by_key(demo.store, demo.web)
    edit.update_panel(demo.store, p["tv"].id, replace(_fields(p["tv"]), title="tv news"))
    wanted = layout_of(demo.store, demo.web)
    version = timeline(demo.store, demo.web)[0]
    edit.move_panel(demo.store, p["latest_news"].id, "footer", 0)
    edit.remove_panel(demo.store, p["blog"].id)
    jobs = edit.add_panel(demo.store, demo.web, PanelFields(title="Jobs"))
    edit.remove_item(demo.store, p["tv"].items[0].id)
    edit.add_link_item(demo.store, p["tv"].id, ItemFields(title="New video",
                                                          url="https://example.org/new"))
    later = timeline(demo.store, demo.web)
    assert layout_of(demo.store, demo.web).panels != wanted.panels

    row = history.restore_version(demo.store, version.id, actor="bo")

    assert layout_of(demo.store, demo.web).panels == wanted.panels
    rows = timeline(demo.store, demo.web)
    assert len(rows) == len(later) + 1
    assert rows[0] == row and row.kind == "restore" and row.author == "bo"
    assert row.label.startswith("Restored the version of ") and "(Renamed the panel" in row.label
    assert [r.id for r in rows[1:]] == [r.id for r in later]  # the later versions stay
    with demo.store.read_session() as s:
        job_row = s.get(Panel, jobs)
        assert job_row is not None and job_row.deleted  # a tombstone, not a deletion
        assert history.compare_with_version(s, version.id).identical
        # and the version that was newest before the restore can be restored in its turn
        assert not history.compare_with_version(s, later[0].id).identical
    history.restore_version(demo.store, later[0].id)
    assert "jobs" in panels_by_key(demo.store, demo.web)
    assert region_keys(demo.store, demo.web, "footer") == ["latest_news"]


def _fields(panel: v.Panel) -> PanelFields:
    return PanelFields(title=panel.title, item_count=panel.item_count, source=panel.source,
                       more_label=panel.more_label, more_url=panel.more_url,
                       dedupe=panel.dedupe, enabled=panel.enabled)


def test_compare_two_layouts_and_a_layout_with_a_version(demo: Newsroom) -> None:
    with demo.store.read_session() as s:
        diff = history.compare(s, demo.web, demo.print)
    by_key = {d.key: d for d in diff.panels}
    assert by_key["tv"].status == ONLY_A and by_key["focus"].status == ONLY_A
    latest = by_key["latest_news"]
    assert latest.status == CHANGED
    assert "Items: 3 → 5" in latest.changes
    assert "Place in region: 2 → 3" in latest.changes
    assert "“More” link: View all News → (none)" in latest.changes
    assert not diff.identical and diff.summary() == "3 changed, 4 only in “web”, 0 only in “print”."

    p = panels_by_key(demo.store, demo.web)
    edit.update_panel(demo.store, p["tv"].id, replace(_fields(p["tv"]), title="tv news"))
    baseline = timeline(demo.store, demo.web)[-1]
    edit.move_panel(demo.store, p["latest_news"].id, "footer", 0)
    edit.remove_item(demo.store, p["tv"].items[0].id)
    with demo.store.read_session() as s:
        diff = history.compare_with_version(s, baseline.id)
    by_key = {d.key: d for d in diff.panels}
    assert "Title: public sector executive tv → tv news" in by_key["tv"].changes
    assert by_key["tv"].items_only_a and not by_key["tv"].items_only_b
    assert "Region: sidebar → footer" in by_key["latest_news"].changes
    assert by_key["more_news"].status == SAME
    assert (diff.name_a, diff.name_b) == ("web", "web")


DAMAGED = [
    ("{not json", "not JSON"),
    ('{"v": 1, "id": "x", "name": "web", "panels": [{"id": 7}]}', "panel 1"),
    ('{"v": 99, "id": "x", "name": "web", "panels": []}', "format"),
    ("[1, 2]", "it is not a saved layout"),
    ("null", "it is not a saved layout"),
]


@pytest.mark.parametrize(("snapshot", "words"), DAMAGED,
                         ids=["not_json", "bad_panel", "newer", "list", "null"])
def test_a_damaged_version_is_refused_with_a_sentence_and_changes_nothing(
        demo: Newsroom, snapshot: str, words: str) -> None:
    p = panels_by_key(demo.store, demo.web)
    edit.move_panel(demo.store, p["tv"].id, "footer", 0)
    edit.remove_panel(demo.store, p["blog"].id)
    baseline = timeline(demo.store, demo.web)[-1]
    with sqlite3.connect(demo.store.path) as con:
        con.execute("UPDATE layout_version SET snapshot = ? WHERE id = ?",
                    (snapshot, baseline.id))
    before, rows = table_state(demo.store), timeline(demo.store, demo.web)
    assert len(rows) == 3  # the timeline still reads (it never loads a snapshot)

    with pytest.raises(ValidationError) as err:
        history.restore_version(demo.store, baseline.id)
    assert_sentence(err, "This saved layout version cannot be read", words)
    with demo.store.read_session() as s, pytest.raises(ValidationError):
        history.compare_with_version(s, baseline.id)
    assert table_state(demo.store) == before and timeline(demo.store, demo.web) == rows
    history.restore_version(demo.store, rows[1].id)  # the others still restore


# --- resolving -------------------------------------------------------------------------------

def test_the_demo_web_layout_resolves_with_every_enabled_panel_showing_items(
        demo: Newsroom) -> None:
    resolved = resolve(demo.store)
    assert [name for name, _ in resolved.regions] == ["sidebar", "main", "footer"]
    assert [p.panel.key for p in resolved.region("sidebar")] == [
        "tv", "latest_news", "editors_comment", "last_word", "blog", "focus"]
    assert [p.panel.key for p in resolved.region("main")] == ["more_news"]
    assert not resolved.disabled and not resolved.unplaced
    for panel in resolved.panels():
        assert 1 <= len(panel.items) <= panel.panel.item_count, panel.panel.key
        assert panel.warnings == (), (panel.panel.key, panel.warnings)
    latest = resolved_panel(resolved, "latest_news")
    assert latest.items[0].pinned  # the demo's live pin is on top
    assert all(i.url.startswith("/news/") for i in latest.items)
    tv = resolved_panel(resolved, "tv")
    assert all(i.url.startswith("https://example.org/tv/") and i.summary for i in tv.items)


def test_an_article_shown_higher_up_is_skipped_and_says_where_it_is(demo: Newsroom) -> None:
    resolved = resolve(demo.store)
    shown_by: dict[str, str] = {}
    skips = 0
    for panel in resolved.panels():
        for skipped in panel.skipped:
            skips += 1
            assert skipped.reason == f"skipped: already in {skipped.shown_in}"
            assert shown_by[skipped.article_id] == skipped.shown_in  # shown above, there
            assert skipped.article_id not in {i.article_id for i in panel.items}
        for item in panel.items:
            if item.article_id:
                assert item.article_id not in shown_by, "an article shown twice"
                shown_by[item.article_id] = panel.panel.title
    assert skips >= 3
    more = resolved_panel(resolved, "more_news")
    assert "skipped: already in latest public sector news" in {s.reason for s in more.skipped}

    # a panel that opts out of de-duplication shows them again
    p = panels_by_key(demo.store, demo.web)["more_news"]
    edit.update_panel(demo.store, p.id, replace(_fields(p), dedupe=False))
    again = resolve(demo.store)
    latest_ids = {i.article_id for i in resolved_panel(again, "latest_news").items}
    more = resolved_panel(again, "more_news")
    assert more.skipped == () and latest_ids & {i.article_id for i in more.items}


@pytest.mark.parametrize(("change", "code"), [
    ({"deleted": True}, "article_gone"),
    ({"status": ArticleStatus.DRAFT}, "article_unpublished"),
])
def test_a_pinned_article_that_goes_away_is_a_warning_and_the_page_still_renders(
        demo: Newsroom, change: dict[str, Any], code: str) -> None:
    last_word = panels_by_key(demo.store, demo.web)["last_word"]
    articles = published(demo.store)
    on_page = {i.article_id for p in resolve(demo.store).panels() for i in p.items}
    pinned = next(a for a in articles if a.id not in on_page)
    item = edit.add_article_item(demo.store, last_word.id, pinned.id, index=0, pinned=True)
    first = resolved_panel(resolve(demo.store), "last_word").items[0]
    assert (first.article_id, first.pinned) == (pinned.id, True)

    with demo.store.session() as s:
        row = s.get(Article, pinned.id)
        assert row is not None
        for name, value in change.items():
            setattr(row, name, value)
        s.commit()

    resolved = resolve(demo.store)
    panel = resolved_panel(resolved, "last_word")
    assert [(w.code, w.item_id) for w in panel.warnings] == [(code, item)]
    assert "is not shown" in panel.warnings[0].message
    assert pinned.id not in {i.article_id for p in resolved.panels() for i in p.items}
    assert panel.items  # the panel shows its other items
    reader = next(a for a in articles if a.id != pinned.id)
    page = load_page(demo.store, reader.id)
    html = render_page(page.article, page.layout)
    assert 'data-panel="last_word"' in html and 'data-panel="more_news"' in html
    assert pinned.slug not in html


def test_a_scheduled_pin_shows_only_inside_its_window(demo: Newsroom) -> None:
    editors = panels_by_key(demo.store, demo.web)["editors_comment"]
    pin = next(i for i in editors.items if i.pinned)
    assert pin.pinned_from is not None and pin.pinned_from > demo.base + timedelta(days=1)
    now = resolved_panel(resolve(demo.store), "editors_comment")
    assert pin.article_id not in {i.article_id for i in now.items}
    later = resolved_panel(resolve(demo.store, at=pin.pinned_from + timedelta(hours=1)),
                           "editors_comment")
    assert (later.items[0].article_id, later.items[0].pinned) == (pin.article_id, True)
    after = resolved_panel(resolve(demo.store, at=demo.base + timedelta(days=10)),
                           "editors_comment")
    assert pin.article_id not in {i.article_id for i in after.items}
    # the live pin on the latest news is over by then, too
    gone = resolved_panel(resolve(demo.store, at=demo.base + timedelta(days=10)), "latest_news")
    assert not any(i.pinned for i in gone.items)


def test_five_hundred_panels_and_one_in_a_region_the_page_lacks(demo: Newsroom) -> None:
    big = edit.create_layout(demo.store, "big")
    regions = ("sidebar", "main", "footer")
    with demo.store.session() as s:
        for n, rank in enumerate(initial_ranks(500)):
            panel = Panel(layout_id=big, key=f"p{n}", title=f"Panel {n}", region=regions[n % 3],
                          rank=rank, source="links", item_count=1)
            panel.items.append(PanelItem(title=f"Link {n}", url=f"https://example.org/{n}",
                                         rank="a0"))
            s.add(panel)
        s.add(Panel(layout_id=big, key="lost", title="Lost panel", region="nowhere",
                    rank="a0", source="latest", item_count=2))
        s.commit()

    resolved = resolve(demo.store, big)
    for n, region in enumerate(regions):
        panels = resolved.region(region)
        assert [p.panel.key for p in panels] == [f"p{i}" for i in range(n, 500, 3)]
        assert all(len(p.items) == 1 and p.items[0].title == f"Link {p.panel.key[1:]}"
                   for p in panels)
    assert [p.panel.key for p in resolved.unplaced] == ["lost"]
    lost = resolved.unplaced[0]
    assert "unplaced" in {w.code for w in lost.warnings} and len(lost.items) == 2
    assert len(resolved.panels()) == 501

    # kept through a saved change, and placed again by a move
    lost_id = lost.panel.id
    edit.move_panel(demo.store, resolved.region("main")[0].panel.id, "footer", 0)
    assert "lost" in panels_by_key(demo.store, big)
    with demo.store.read_session() as s:
        saved = history.version_layout(s, history.timeline(s, big)[0].id)
    assert "nowhere" in {p.region for p in saved.panels} and len(saved.panels) == 501
    edit.move_panel(demo.store, lost_id, "sidebar", 0)
    assert resolve(demo.store, big).region("sidebar")[0].panel.key == "lost"
    assert resolve(demo.store, big).unplaced == ()


# --- the migration from one list of panels ---------------------------------------------------

OLD_STAMP = "2026-10-01 09:00:00.000000"
OLD_ARTICLES = [("a1", "Finance"), ("a2", "Health"), ("a3", "Finance")]
# id, key, title, region, position, source, source_query, deleted
OLD_PANELS = [
    ("p-tv", "tv", "public sector executive tv", "sidebar", 0, "manual", "", 0),
    ("p-latest", "latest_news", "latest public sector news", "sidebar", 1, "section",
     "Finance", 0),
    ("p-editor", "editors_comment", "editor's comment", "sidebar", 2, "manual", "", 0),
    ("p-focus", "focus", "public sector focus", "sidebar", 3, "section", "", 0),
    ("p-last", "last_word", "last word", "sidebar", 3, "manual", "", 0),  # same place: by title
    ("p-old", "old_promo", "an old promotion", "sidebar", 4, "manual", "", 1),
    ("p-more", "more_news", "more public sector news", "main", 0, "section", "Health", 0),
    ("p-foot", "footer_links", "footer links", "footer", 0, "manual", "", 0),
]
# id, panel, position, article, title, url, deleted
OLD_ITEMS = [
    ("i-tv3", "p-tv", 2, None, "Third video", "https://example.org/3", 0),
    ("i-tv1", "p-tv", 0, None, "First video", "https://example.org/1", 0),
    ("i-tv2", "p-tv", 1, None, "Second video", "https://example.org/2", 0),
    ("i-tvx", "p-tv", 3, "a1", "", "", 1),  # a removed article: the tv panel holds only links
    ("i-ed1", "p-editor", 0, "a2", "", "", 0),
    ("i-edx", "p-editor", 1, None, "Removed link", "https://example.org/x", 1),
    ("i-lw2", "p-last", 1, None, "A link", "https://example.org/l", 0),
    ("i-lw1", "p-last", 0, "a3", "", "", 0),
    ("i-old", "p-old", 0, None, "Old promo", "https://example.org/o", 0),
]
EXPECTED_SOURCES = {"tv": ("links", []), "latest_news": ("latest", ["Finance"]),
                    "editors_comment": ("picked", []), "focus": ("latest", []),
                    "last_word": ("picked", []), "old_promo": ("links", []),
                    "more_news": ("latest", ["Health"]), "footer_links": ("picked", [])}


def _synced(row_id: str, deleted: int = 0) -> dict[str, Any]:
    return {"id": row_id, "hlc": "", "origin": "old", "deleted": deleted,
            "created_at": OLD_STAMP, "updated_at": OLD_STAMP}


def _insert(con: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    con.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()))


@pytest.fixture
def old_database(db_path: Path) -> Path:
    """A database at revision 0001 holding panels as they were then: one list, positions."""
    engine = make_engine(db_path)
    try:
        runner.upgrade(engine, "0001")
    finally:
        engine.dispose()
    with sqlite3.connect(db_path) as con:
        for n, (ident, section) in enumerate(OLD_ARTICLES):
            _insert(con, "article", {
                **_synced(ident), "slug": f"story-{n}", "title": f"Story {n}",
                "standfirst": "", "body_md": "Text.", "section": section, "author": "Ann",
                "source_line": "", "tags": "[]", "status": "published",
                "published_at": f"2026-09-{10 + n} 09:00:00.000000", "imported_html": 0,
                "allow_remote_images": 0, "has_conflict": 0})
        for ident, key, title, region, position, source, query, deleted in OLD_PANELS:
            _insert(con, "panel", {
                **_synced(ident, deleted), "key": key, "title": title, "region": region,
                "position": position, "item_count": 3, "source": source,
                "source_query": query, "more_label": "more >", "enabled": 1})
        for ident, panel, position, article, title, url, deleted in OLD_ITEMS:
            _insert(con, "panel_item", {
                **_synced(ident, deleted), "panel_id": panel, "article_id": article,
                "title": title, "url": url, "item_date": None, "summary": "",
                "position": position, "pinned": 0})
    return db_path


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as con:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def old_order(con: sqlite3.Connection) -> dict[str, list[str]]:
    """Panel keys per region in their stored order, after the migration or before it."""
    column = "rank" if "rank" in {r[1] for r in con.execute("PRAGMA table_info(panel)")} \
        else "position"
    order: dict[str, list[str]] = {}
    for region, key in con.execute(f"SELECT region, key FROM panel ORDER BY {column}, title"):
        order.setdefault(region, []).append(key)
    return order


def test_the_migration_puts_every_old_panel_in_the_web_layout_in_order(
        old_database: Path) -> None:
    with sqlite3.connect(old_database) as con:
        before = old_order(con)
    store = open_store(old_database)  # migrates on open, as the desk does
    try:
        assert revision_of(old_database) == HEAD_REVISION
        with sqlite3.connect(old_database) as con:
            assert old_order(con) == before == {
                "sidebar": ["tv", "latest_news", "editors_comment", "last_word", "focus",
                            "old_promo"],
                "main": ["more_news"], "footer": ["footer_links"]}
            assert {r[0] for r in con.execute("SELECT layout_id FROM panel")} == {WEB_LAYOUT_ID}
            sources = {k: (s, json_list(q)) for k, s, q in con.execute(
                "SELECT key, source, source_sections FROM panel")}
            deleted = {k for (k,) in con.execute("SELECT key FROM panel WHERE deleted = 1")}
        assert sources == EXPECTED_SOURCES
        assert deleted == {"old_promo"}  # kept, still a tombstone
        with store.read_session() as s:
            assert [(r.name, r.active, r.panel_count) for r in read.list_layouts(s)] == [
                ("web", True, 7)]
            layout = read.load_layout(s, WEB_LAYOUT_ID)
            resolved = read.resolve(s, at=datetime(2026, 10, 2))
        by_key = {p.key: p for p in layout.panels}
        assert [i.title for i in by_key["tv"].items] == ["First video", "Second video",
                                                         "Third video"]
        assert [i.article_id or i.title for i in by_key["last_word"].items] == ["a3", "A link"]
        assert [i.article_id for i in by_key["editors_comment"].items] == ["a2"]
        assert all(is_valid_rank(p.rank) for p in layout.panels)
        assert [i.article_id for i in resolved_panel(resolved, "latest_news").items] == [
            "a3", "a1"]  # the newest of its section
        more = resolved_panel(resolved, "more_news")  # its one article is higher up
        assert (more.items, [s.reason for s in more.skipped]) == (
            (), ["skipped: already in editor's comment"])
    finally:
        store.close()


def json_list(text: str) -> list[Any]:
    value = json.loads(text)
    assert isinstance(value, list)
    return value


def test_a_downgrade_back_to_0001_keeps_the_panels_in_order(old_database: Path) -> None:
    with sqlite3.connect(old_database) as con:
        before = old_order(con)
        old_items = con.execute("SELECT id, panel_id, article_id, title, deleted FROM "
                                "panel_item ORDER BY panel_id, position").fetchall()
        old_panels = con.execute("SELECT id, key, region, source, source_query, deleted "
                                 "FROM panel ORDER BY id").fetchall()
    open_store(old_database).close()
    engine = make_engine(old_database)
    try:
        runner.downgrade(engine, "0001")
    finally:
        engine.dispose()
    assert revision_of(old_database) == "0001"
    with sqlite3.connect(old_database) as con:
        assert old_order(con) == before
        assert con.execute("SELECT id, key, region, source, source_query, deleted FROM panel "
                           "ORDER BY id").fetchall() == old_panels
        assert con.execute("SELECT id, panel_id, article_id, title, deleted FROM panel_item "
                           "ORDER BY panel_id, position").fetchall() == old_items
        tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not tables & {"layout", "layout_version"}
    open_store(old_database).close()  # and it upgrades again
    assert revision_of(old_database) == HEAD_REVISION


def downgrade_to_0001(path: Path) -> None:
    engine = make_engine(path)
    try:
        runner.downgrade(engine, "0001")
    finally:
        engine.dispose()


def test_a_downgrade_keeps_a_removed_panel_whose_key_a_new_one_took(demo: Newsroom) -> None:
    tv = panels_by_key(demo.store, demo.web)["tv"]
    edit.remove_panel(demo.store, tv.id)
    new = edit.add_panel(demo.store, demo.web, PanelFields(title="TV"), index=0)
    assert panels_by_key(demo.store, demo.web)["tv"].id == new  # the key is free again
    with demo.store.read_session() as s:
        web_panels = set(s.scalars(select(Panel.id).where(Panel.layout_id == demo.web)))
    demo.store.close()

    downgrade_to_0001(demo.store.path)  # 0001 holds a key once (uq_panel_key)

    assert revision_of(demo.store.path) == "0001"
    with sqlite3.connect(demo.store.path) as con:
        rows = {i: (k, d) for i, k, d in con.execute("SELECT id, key, deleted FROM panel")}
    assert set(rows) == web_panels  # the active layout's panels, tombstone too
    assert rows[new] == ("tv", 0) and rows[tv.id] == (f"tv_{tv.id}", 1)
    assert len({k for k, _ in rows.values()}) == len(rows)


def test_a_downgrade_with_no_layout_marked_active_keeps_the_one_the_site_shows(
        demo: Newsroom) -> None:
    with demo.store.session() as s:
        for lay in s.scalars(select(Layout)):
            lay.active = False
        s.commit()
    with demo.store.read_session() as s:
        shown = read.active_layout_id(s)  # the first by name: "print"
        expected = set(s.scalars(select(Panel.key).where(Panel.layout_id == shown)))
    assert shown == demo.print
    demo.store.close()
    downgrade_to_0001(demo.store.path)
    with sqlite3.connect(demo.store.path) as con:
        assert {k for (k,) in con.execute("SELECT key FROM panel")} == expected


# --- the models and the migrations -----------------------------------------------------------

FTS_NAMES = ("article_fts", "comment_fts", "commenter_fts")


def test_the_orm_models_match_the_migrated_schema(db_path: Path) -> None:
    """Autogenerate finds nothing to do on a database migrated to the head revision. The one
    thing it reports is the full-text search tables (FTS5 virtual tables and their shadow
    tables) that 0001 makes with raw SQL and the models do not describe: expected, ignored."""
    engine = make_engine(db_path)
    try:
        runner.upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                             "compare_server_default": True})
            diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    fts = [d for d in diffs if d[0] == "remove_table" and d[1].name.startswith(FTS_NAMES)]
    assert {d[1].name for d in fts} >= set(FTS_NAMES)
    assert [d for d in diffs if d not in fts] == []
