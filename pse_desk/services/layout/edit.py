"""Layout writes: named layouts, panels and items. Each call is one unit of work that also saves
a layout version (``history``), so every saved change is on the layout's timeline.

Moves write one row: the moved row gets a fractional-index key between its new neighbours
(``pse_desk.layout.ranks``); nothing is renumbered, so two desks that reorder at the same time
converge when they sync. Removing is a tombstone, undone by ``restore_panel`` /
``restore_item``. Calls that change something return what it was before (fields, placement),
which is what the Layout workspace's undo needs. Bad input is refused with a sentence
(``ValidationError``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.layout import values as v
from pse_desk.layout.ranks import rank_for_index
from pse_desk.layout.validate import item_refusal, panel_refusal, unique_key
from pse_desk.layout.wording import quoted
from pse_desk.render.page import region_label
from pse_desk.services.layout.history import ensure_baseline, record_version
from pse_desk.services.layout.read import active_layout_id, live_layout, panel_value
from pse_desk.store.db import Store
from pse_desk.store.model import Article, Layout, Panel, PanelItem

MAX_LAYOUT_NAME = 80


@contextmanager
def changing(store: Store, layout_id: str | None = None) -> Iterator[Session]:
    """A unit of work on one layout (its baseline saved first, if it has no version yet); the
    caller ends it with ``save(s, layout_id, label, actor)``."""
    with store.session() as s:
        if layout_id is not None:
            live_layout(s, layout_id)
            ensure_baseline(s, layout_id)
        yield s


def save(s: Session, layout_id: str, label: str, actor: str) -> None:
    """Flush, add the layout version this change makes, commit."""
    s.flush()
    record_version(s, layout_id, label, actor)
    s.commit()


# --- named layouts ---------------------------------------------------------------------------

def _layout_name(s: Session, name: str, *, ignore: str | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A layout needs a name.")
    if len(name) > MAX_LAYOUT_NAME:
        raise ValidationError(f"A layout name can be at most {MAX_LAYOUT_NAME} characters.")
    taken = s.scalar(select(Layout.id).where(Layout.deleted.is_(False),
                                             func.lower(Layout.name) == name.lower(),
                                             Layout.id != (ignore or "")))
    if taken is not None:
        raise ValidationError(f"There is already a layout called {quoted(name)}.")
    return name


def create_layout(store: Store, name: str, *, actor: str = "") -> str:
    """A new, empty layout (not active)."""
    with changing(store) as s:
        lay = Layout(name=_layout_name(s, name), active=False)
        s.add(lay)
        s.flush()
        save(s, lay.id, f"Created the layout {quoted(lay.name)}", actor)
        return lay.id


def duplicate_layout(store: Store, layout_id: str, name: str, *, actor: str = "") -> str:
    """A copy of the layout with every live panel and item (new rows, same keys and order)."""
    with changing(store, layout_id) as s:
        original = live_layout(s, layout_id)
        copy = Layout(name=_layout_name(s, name), active=False,
                      description=original.description)
        s.add(copy)
        s.flush()
        for panel in _live_panels(s, layout_id):
            _copy_panel(s, panel, copy.id, key=panel.key, title=panel.title, rank=panel.rank)
        save(s, copy.id, f"Copied from the layout {quoted(original.name)}", actor)
        return copy.id


def rename_layout(store: Store, layout_id: str, name: str, *, actor: str = "") -> str:
    """Rename; returns the old name."""
    with changing(store, layout_id) as s:
        lay = live_layout(s, layout_id)
        old, lay.name = lay.name, _layout_name(s, name, ignore=layout_id)
        if lay.name != old:
            save(s, layout_id, f"Renamed the layout {quoted(old)} to {quoted(lay.name)}", actor)
        return old


def activate_layout(store: Store, layout_id: str, *, actor: str = "") -> str | None:
    """Make this the layout the site shows; returns the one that was active before."""
    with changing(store, layout_id) as s:
        before = active_layout_id(s)
        for lay in s.scalars(select(Layout).where(Layout.deleted.is_(False))):
            should = lay.id == layout_id
            if lay.active != should:
                lay.active = should
            elif should and before != layout_id:
                # marked already, but another desk's mark is newer: mark it again, newest
                flag_modified(lay, "active")
        if before != layout_id:
            save(s, layout_id, "Made this the layout the site shows", actor)
        return before


def remove_layout(store: Store, layout_id: str, *, actor: str = "") -> None:
    """Tombstone a layout that is not the active one (its panels stay with it)."""
    with changing(store, layout_id) as s:
        if active_layout_id(s) == layout_id:
            raise ValidationError("This is the layout the site shows; make another layout "
                                  "active before removing it.")
        live_layout(s, layout_id).deleted = True
        s.commit()


def restore_layout(store: Store, layout_id: str, *, actor: str = "") -> None:
    with store.session() as s:
        lay = s.get(Layout, layout_id)
        if lay is None:
            raise NotFoundError("That layout no longer exists.")
        if lay.deleted:
            lay.deleted = False
            lay.name = _unique_layout_name(s, lay.name, layout_id)
            save(s, layout_id, f"Brought back the layout {quoted(lay.name)}", actor)


def _unique_layout_name(s: Session, name: str, layout_id: str) -> str:
    candidate, n = name, 2
    while s.scalar(select(Layout.id).where(Layout.deleted.is_(False), Layout.id != layout_id,
                                           func.lower(Layout.name) == candidate.lower())):
        candidate, n = f"{name} ({n})", n + 1
    return candidate


# --- panels ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PanelFields:
    """What a person edits on a panel (its place is ``Placement``)."""

    title: str
    item_count: int = 3
    source: v.Source = field(default_factory=v.Source)
    more_label: str = ""
    more_url: str = ""
    dedupe: bool = True
    enabled: bool = True


@dataclass(frozen=True)
class Placement:
    region: str
    rank: str


def _live_panels(s: Session, layout_id: str, region: str | None = None) -> list[Panel]:
    stmt = select(Panel).where(Panel.layout_id == layout_id, Panel.deleted.is_(False))
    if region is not None:
        stmt = stmt.where(Panel.region == region)
    return sorted(s.scalars(stmt), key=lambda p: (p.rank, p.id))


def live_panel(s: Session, panel_id: str, *, include_deleted: bool = False) -> Panel:
    panel = s.get(Panel, panel_id)
    if panel is None or (panel.deleted and not include_deleted):
        raise NotFoundError("That panel no longer exists (another desk may have removed it).")
    return panel


def fields_of(panel: Panel | v.Panel) -> PanelFields:
    """A panel's settings (a stored row or its plain value), as an edit takes them."""
    value = panel_value(panel, ()) if isinstance(panel, Panel) else panel
    return PanelFields(title=value.title, item_count=value.item_count, source=value.source,
                       more_label=value.more_label, more_url=value.more_url,
                       dedupe=value.dedupe, enabled=value.enabled)


def _checked(fields: PanelFields) -> PanelFields:
    source = v.Source(kind=fields.source.kind,
                      sections=tuple(dict.fromkeys(x.strip() for x in fields.source.sections
                                                   if x.strip())),
                      tags=tuple(dict.fromkeys(x.strip() for x in fields.source.tags
                                               if x.strip())),
                      author=" ".join(fields.source.author.split()))
    fields = replace(fields, title=" ".join(fields.title.split()), source=source,
                     more_label=fields.more_label.strip(), more_url=fields.more_url.strip())
    refusal = panel_refusal(fields.title, fields.item_count, fields.source)
    if refusal is None and len(fields.more_label) > 120:
        refusal = "A “more” link text can be at most 120 characters."
    if refusal is None and fields.more_url:
        refusal = item_refusal("more", fields.more_url, "", False, None, None, True)
    if refusal is not None:
        raise ValidationError(refusal)
    return fields


def _write_fields(panel: Panel, fields: PanelFields) -> None:
    panel.title = fields.title
    panel.item_count = fields.item_count
    panel.source = fields.source.kind
    panel.source_sections = list(fields.source.sections)
    panel.source_tags = list(fields.source.tags)
    panel.source_author = fields.source.author
    panel.more_label = fields.more_label
    panel.more_url = fields.more_url
    panel.dedupe = fields.dedupe
    panel.enabled = fields.enabled


def _rank_at(s: Session, layout_id: str, region: str, index: int | None,
             moving: str | None = None) -> str:
    siblings = [p.rank for p in _live_panels(s, layout_id, region) if p.id != moving]
    return rank_for_index(siblings, len(siblings) if index is None else index)


def _taken_keys(s: Session, layout_id: str, ignore: str | None = None) -> set[str]:
    return {p.key for p in _live_panels(s, layout_id) if p.id != ignore}


def add_panel(store: Store, layout_id: str, fields: PanelFields, *, region: str = "sidebar",
              index: int | None = None, actor: str = "") -> str:
    """A new panel in ``region`` at ``index`` (the end when ``None``); returns its id."""
    fields = _checked(fields)
    with changing(store, layout_id) as s:
        panel = Panel(layout_id=layout_id, region=region,
                      key=unique_key(fields.title, _taken_keys(s, layout_id)),
                      rank=_rank_at(s, layout_id, region, index))
        _write_fields(panel, fields)
        s.add(panel)
        save(s, layout_id, f"Added the panel {quoted(panel.title)} to the "
                           f"{region_label(region)}", actor)
        return panel.id


def update_panel(store: Store, panel_id: str, fields: PanelFields, *,
                 actor: str = "") -> PanelFields:
    """Save the panel's fields; returns the fields it had (unchanged fields write nothing)."""
    fields = _checked(fields)
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        before = fields_of(panel)
        if before == fields:
            return before
        _write_fields(panel, fields)
        save(s, panel.layout_id, _describe_edit(before, fields), actor)
        return before


def _describe_edit(before: PanelFields, after: PanelFields) -> str:
    name = quoted(before.title)
    if before.title != after.title:
        return f"Renamed the panel {name} to {quoted(after.title)}"
    if before.enabled != after.enabled:
        return f"{'Enabled' if after.enabled else 'Disabled'} the panel {name}"
    if before.item_count != after.item_count:
        return f"The panel {name} shows {after.item_count} items (was {before.item_count})"
    if before.source != after.source:
        return f"Changed what the panel {name} shows"
    if before.dedupe != after.dedupe:
        return (f"The panel {name} "
                f"{'skips' if after.dedupe else 'no longer skips'} articles shown above it")
    return f"Edited the panel {name}"


def remove_panel(store: Store, panel_id: str, *, actor: str = "") -> None:
    """Tombstone the panel (its items stay with it); ``restore_panel`` brings it back."""
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        panel.deleted = True
        save(s, panel.layout_id, f"Removed the panel {quoted(panel.title)}", actor)


def restore_panel(store: Store, panel_id: str, *, actor: str = "") -> None:
    with store.session() as s:
        panel = live_panel(s, panel_id, include_deleted=True)
        if not panel.deleted:
            return
        ensure_baseline(s, panel.layout_id)
        panel.deleted = False
        if panel.key in _taken_keys(s, panel.layout_id, ignore=panel.id):
            panel.key = unique_key(panel.title, _taken_keys(s, panel.layout_id, ignore=panel.id))
        save(s, panel.layout_id, f"Brought back the panel {quoted(panel.title)}", actor)


def _copy_panel(s: Session, panel: Panel, layout_id: str, *, key: str, title: str,
                rank: str) -> Panel:
    copy = Panel(layout_id=layout_id, key=key, region=panel.region, rank=rank)
    _write_fields(copy, replace(fields_of(panel), title=title))
    s.add(copy)
    s.flush()
    for item in s.scalars(select(PanelItem).where(PanelItem.panel_id == panel.id,
                                                  PanelItem.deleted.is_(False))):
        s.add(PanelItem(panel_id=copy.id, article_id=item.article_id, title=item.title,
                        url=item.url, item_date=item.item_date, summary=item.summary,
                        rank=item.rank, pinned=item.pinned, pinned_from=item.pinned_from,
                        pinned_until=item.pinned_until))
    return copy


def duplicate_panel(store: Store, panel_id: str, *, actor: str = "") -> str:
    """A copy of the panel and its items just below it; returns the copy's id."""
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        siblings = _live_panels(s, panel.layout_id, panel.region)
        index = next(i for i, p in enumerate(siblings) if p.id == panel.id) + 1
        title = f"{panel.title} (copy)"[:v.MAX_TITLE_CHARS]
        copy = _copy_panel(s, panel, panel.layout_id,
                           key=unique_key(title, _taken_keys(s, panel.layout_id)), title=title,
                           rank=rank_for_index([p.rank for p in siblings], index))
        save(s, panel.layout_id, f"Duplicated the panel {quoted(panel.title)}", actor)
        return copy.id


def move_panel(store: Store, panel_id: str, region: str, index: int, *,
               actor: str = "") -> Placement:
    """Put the panel at ``index`` among the other panels of ``region`` (one row written);
    returns where it was."""
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        before = Placement(panel.region, panel.rank)
        rank = _rank_at(s, panel.layout_id, region, index, moving=panel.id)
        _place(s, panel, Placement(region, rank), actor)
        return before


def place_panel(store: Store, panel_id: str, placement: Placement, *,
                actor: str = "") -> Placement:
    """Put the panel exactly at ``placement`` (an undo or redo of a move); returns where it was."""
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        before = Placement(panel.region, panel.rank)
        _place(s, panel, placement, actor)
        return before


def _place(s: Session, panel: Panel, placement: Placement, actor: str) -> None:
    if (panel.region, panel.rank) == (placement.region, placement.rank):
        return
    moved_region = panel.region != placement.region
    panel.region, panel.rank = placement.region, placement.rank
    where = (f"to the {region_label(placement.region)}" if moved_region
             else f"within the {region_label(placement.region)}")
    save(s, panel.layout_id, f"Moved the panel {quoted(panel.title)} {where}", actor)


# --- items -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemFields:
    """An item's own text (links only: an article item shows its article's) and its pin."""

    title: str = ""
    url: str = ""
    item_date: date | None = None
    summary: str = ""
    pinned: bool = False
    pinned_from: datetime | None = None
    pinned_until: datetime | None = None


def _live_items(s: Session, panel_id: str) -> list[PanelItem]:
    return sorted(s.scalars(select(PanelItem).where(PanelItem.panel_id == panel_id,
                                                    PanelItem.deleted.is_(False))),
                  key=lambda i: (i.rank, i.id))


def live_item(s: Session, item_id: str, *, include_deleted: bool = False) -> PanelItem:
    item = s.get(PanelItem, item_id)
    if item is None or (item.deleted and not include_deleted):
        raise NotFoundError("That item is no longer in the panel.")
    return item


def item_fields(item: PanelItem | v.Item) -> ItemFields:
    """An item's fields (a stored row or its plain value), as an edit takes them."""
    return ItemFields(title=item.title, url=item.url, item_date=item.item_date,
                      summary=item.summary, pinned=item.pinned, pinned_from=item.pinned_from,
                      pinned_until=item.pinned_until)


def _checked_item(fields: ItemFields, *, is_link: bool) -> ItemFields:
    fields = replace(fields, title=" ".join(fields.title.split()), url=fields.url.strip(),
                     summary=fields.summary.strip())
    refusal = item_refusal(fields.title, fields.url, fields.summary, fields.pinned,
                           fields.pinned_from, fields.pinned_until, is_link)
    if refusal is not None:
        raise ValidationError(refusal)
    return fields


def _item_name(s: Session, item: PanelItem) -> str:
    if item.article_id is not None:
        title = s.scalar(select(Article.title).where(Article.id == item.article_id))
        return quoted(title or "(deleted article)")
    return quoted(item.title)


def _add_item(s: Session, panel: Panel, item: PanelItem, index: int | None) -> None:
    ranks = [i.rank for i in _live_items(s, panel.id)]
    item.rank = rank_for_index(ranks, len(ranks) if index is None else index)
    s.add(item)


def add_article_item(store: Store, panel_id: str, article_id: str, *, index: int | None = None,
                     pinned: bool = False, actor: str = "") -> str:
    """An article picked by hand into the panel; returns the item's id."""
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        article = s.get(Article, article_id)
        if article is None or article.deleted:
            raise NotFoundError("That article no longer exists, so it cannot go in a panel.")
        if any(i.article_id == article_id for i in _live_items(s, panel_id)):
            raise ValidationError(f"{quoted(article.title)} is already in this panel.")
        item = PanelItem(panel_id=panel_id, article_id=article_id, pinned=pinned)
        _add_item(s, panel, item, index)
        save(s, panel.layout_id,
             f"Put {quoted(article.title)} in the panel {quoted(panel.title)}", actor)
        return item.id


def add_link_item(store: Store, panel_id: str, fields: ItemFields, *,
                  index: int | None = None, actor: str = "") -> str:
    """An external link (title, address, date, summary); returns the item's id."""
    fields = _checked_item(fields, is_link=True)
    with store.session() as s:
        panel = live_panel(s, panel_id)
        ensure_baseline(s, panel.layout_id)
        item = PanelItem(panel_id=panel_id, article_id=None)
        _write_item(item, fields, is_link=True)
        _add_item(s, panel, item, index)
        save(s, panel.layout_id,
             f"Added the link {quoted(fields.title)} to the panel {quoted(panel.title)}", actor)
        return item.id


def _write_item(item: PanelItem, fields: ItemFields, *, is_link: bool) -> None:
    if is_link:
        item.title, item.url, item.item_date, item.summary = (
            fields.title, fields.url, fields.item_date, fields.summary)
    item.pinned, item.pinned_from, item.pinned_until = (
        fields.pinned, fields.pinned_from if fields.pinned else None,
        fields.pinned_until if fields.pinned else None)


def update_item(store: Store, item_id: str, fields: ItemFields, *,
                actor: str = "") -> ItemFields:
    """Save a link's text and any item's pin; returns what it had."""
    with store.session() as s:
        item = live_item(s, item_id)
        ensure_baseline(s, live_panel(s, item.panel_id, include_deleted=True).layout_id)
        is_link = item.article_id is None
        checked = _checked_item(fields if is_link else replace(
            fields, title="", url="", summary=""), is_link=is_link)
        before = item_fields(item)
        _write_item(item, checked, is_link=is_link)
        if item_fields(item) == before:
            return before
        panel = live_panel(s, item.panel_id, include_deleted=True)
        verb = ("Pinned" if item.pinned and not before.pinned else
                "Unpinned" if before.pinned and not item.pinned else "Edited")
        save(s, panel.layout_id,
             f"{verb} {_item_name(s, item)} in the panel {quoted(panel.title)}", actor)
        return before


def remove_item(store: Store, item_id: str, *, actor: str = "") -> None:
    with store.session() as s:
        item = live_item(s, item_id)
        ensure_baseline(s, live_panel(s, item.panel_id, include_deleted=True).layout_id)
        item.deleted = True
        panel = live_panel(s, item.panel_id, include_deleted=True)
        save(s, panel.layout_id,
             f"Took {_item_name(s, item)} out of the panel {quoted(panel.title)}", actor)


def restore_item(store: Store, item_id: str, *, actor: str = "") -> None:
    with store.session() as s:
        item = live_item(s, item_id, include_deleted=True)
        if not item.deleted:
            return
        ensure_baseline(s, live_panel(s, item.panel_id, include_deleted=True).layout_id)
        item.deleted = False
        panel = live_panel(s, item.panel_id, include_deleted=True)
        save(s, panel.layout_id,
             f"Put {_item_name(s, item)} back in the panel {quoted(panel.title)}", actor)


def move_item(store: Store, item_id: str, index: int, *, actor: str = "") -> str:
    """Put the item at ``index`` among its panel's other items; returns its old key."""
    with store.session() as s:
        item = live_item(s, item_id)
        ensure_baseline(s, live_panel(s, item.panel_id, include_deleted=True).layout_id)
        before = item.rank
        ranks = [i.rank for i in _live_items(s, item.panel_id) if i.id != item.id]
        _rank_item(s, item, rank_for_index(ranks, index), actor)
        return before


def place_item(store: Store, item_id: str, rank: str, *, actor: str = "") -> str:
    """Give the item exactly this key (undo or redo of a move); returns its old key."""
    with store.session() as s:
        item = live_item(s, item_id)
        ensure_baseline(s, live_panel(s, item.panel_id, include_deleted=True).layout_id)
        before = item.rank
        _rank_item(s, item, rank, actor)
        return before


def _rank_item(s: Session, item: PanelItem, rank: str, actor: str) -> None:
    if item.rank == rank:
        return
    item.rank = rank
    panel = live_panel(s, item.panel_id, include_deleted=True)
    save(s, panel.layout_id,
         f"Moved {_item_name(s, item)} within the panel {quoted(panel.title)}", actor)
