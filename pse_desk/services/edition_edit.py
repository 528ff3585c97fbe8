"""Edition writes: create, change, duplicate and remove editions (a tombstone), and put their
contents in order — articles, panels (printed up front, at the back or where they stand), page
breaks. Each call is one unit of work and returns what it replaced, which is what the Editions
workspace's undo needs; bad input is refused with one sentence before anything is written.

Items keep whole-number positions: an edition holds tens of items, and a move renumbers the
ones between its old and new place in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.edition import values as ev
from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.layout.wording import quoted
from pse_desk.services.edition_read import live_edition
from pse_desk.store.db import Store
from pse_desk.store.model import Article, Edition, EditionItem, Layout, Panel

PAGE_SIZES = tuple(ev.PAGE_SIZES_MM)
PLACEMENTS = (ev.FRONT, ev.INLINE, ev.BACK)  # the order Ctrl+Alt+G steps through
MAX_TITLE = 200
MAX_BLEED_MM = 20.0


@dataclass(frozen=True)
class EditionFields(ev.Settings):
    """An edition's print settings and the named layout whose panels it prints."""

    layout_id: str | None = None


def refusal(fields: EditionFields) -> str | None:
    """Why an edition with these settings cannot be saved, or None."""
    title = " ".join(fields.title.split())
    if not title:
        return "An edition needs a title, which its running heads print."
    if len(title) > MAX_TITLE:
        return f"An edition's title can be at most {MAX_TITLE} characters; this one has " \
               f"{len(title):,}."
    if fields.page_size not in PAGE_SIZES:
        return f"{quoted(fields.page_size)} is not a page size an edition can have (A4 or A5)."
    if not 0 <= fields.bleed_mm <= MAX_BLEED_MM:
        return f"The bleed must be 0 to {MAX_BLEED_MM:g} mm; {fields.bleed_mm:g} mm is not."
    if fields.issue_number is not None and fields.issue_number < 1:
        return "An issue number starts at 1."
    return None


def _checked(fields: EditionFields) -> EditionFields:
    why = refusal(fields)
    if why is not None:
        raise ValidationError(why)
    return EditionFields(**{**fields.__dict__, "title": " ".join(fields.title.split())})


def fields_of(edition: Edition) -> EditionFields:
    return EditionFields(title=edition.title, issue_number=edition.issue_number,
                         issue_date=edition.issue_date, page_size=edition.page_size,
                         bleed_mm=edition.bleed_mm, crop_marks=edition.crop_marks,
                         cross_marks=edition.cross_marks, toc=edition.toc,
                         layout_id=edition.layout_id)


def _write(edition: Edition, fields: EditionFields) -> None:
    for name, value in fields.__dict__.items():
        if getattr(edition, name) != value:
            setattr(edition, name, value)


def _check_layout(s: Session, layout_id: str | None) -> None:
    if layout_id is not None:
        lay = s.get(Layout, layout_id)
        if lay is None or lay.deleted:
            raise ValidationError("That layout no longer exists; choose another for the "
                                  "panels this edition prints.")


# --- editions --------------------------------------------------------------------------------

def create_edition(store: Store, fields: EditionFields) -> str:
    fields = _checked(fields)
    with store.session() as s:
        _check_layout(s, fields.layout_id)
        edition = Edition(title=fields.title, status="draft")
        _write(edition, fields)
        s.add(edition)
        s.commit()
        return edition.id


def update_edition(store: Store, edition_id: str, fields: EditionFields) -> EditionFields:
    """Change the settings; returns the ones it had."""
    fields = _checked(fields)
    with store.session() as s:
        edition = live_edition(s, edition_id)
        _check_layout(s, fields.layout_id)
        before = fields_of(edition)
        _write(edition, fields)
        s.commit()
        return before


def duplicate_edition(store: Store, edition_id: str, title: str) -> str:
    """A copy with its contents in the same order, as a new draft."""
    with store.session() as s:
        original = live_edition(s, edition_id)
        fields = _checked(EditionFields(**{**fields_of(original).__dict__, "title": title}))
        copy = Edition(title=fields.title, status="draft")
        _write(copy, fields)
        s.add(copy)
        s.flush()
        for item in _items(s, edition_id):
            s.add(EditionItem(edition_id=copy.id, position=item.position,
                              article_id=item.article_id, panel_id=item.panel_id,
                              page_break_before=item.page_break_before,
                              placement=item.placement))
        s.commit()
        return copy.id


def remove_edition(store: Store, edition_id: str) -> None:
    with store.session() as s:
        live_edition(s, edition_id).deleted = True
        s.commit()


def restore_edition(store: Store, edition_id: str) -> None:
    with store.session() as s:
        live_edition(s, edition_id, include_deleted=True).deleted = False
        s.commit()


# --- contents --------------------------------------------------------------------------------

def _items(s: Session, edition_id: str) -> list[EditionItem]:
    return list(s.scalars(select(EditionItem).where(EditionItem.edition_id == edition_id,
                                                    EditionItem.deleted.is_(False))
                          .order_by(EditionItem.position, EditionItem.id)))


def _live_item(s: Session, item_id: str, *, include_deleted: bool = False) -> EditionItem:
    item = s.get(EditionItem, item_id)
    if item is None or (item.deleted and not include_deleted):
        raise NotFoundError("That item is no longer in the edition.")
    return item


def _renumber(items: list[EditionItem]) -> None:
    for n, item in enumerate(items):
        if item.position != n:
            item.position = n


def _insert(s: Session, edition_id: str, item: EditionItem, index: int | None) -> str:
    live_edition(s, edition_id)
    items = _items(s, edition_id)
    at = len(items) if index is None else max(0, min(index, len(items)))
    s.add(item)
    items.insert(at, item)
    _renumber(items)
    s.commit()
    return item.id


def add_article(store: Store, edition_id: str, article_id: str, *,
                index: int | None = None) -> str:
    with store.session() as s:
        article = s.get(Article, article_id)
        if article is None or article.deleted:
            raise NotFoundError("That article no longer exists.")
        if s.scalar(select(func.count()).select_from(EditionItem).where(
                EditionItem.edition_id == edition_id, EditionItem.article_id == article_id,
                EditionItem.deleted.is_(False))):
            raise ValidationError(f"{quoted(article.title)} is already in this edition.")
        return _insert(s, edition_id, EditionItem(edition_id=edition_id, article_id=article_id,
                                                  position=0), index)


def add_panel(store: Store, edition_id: str, panel_id: str, *, placement: str = "back",
              index: int | None = None) -> str:
    if placement not in PLACEMENTS:
        raise ValidationError(f"A panel prints up front, inline or at the back, not "
                              f"{quoted(placement)}.")
    with store.session() as s:
        panel = s.get(Panel, panel_id)
        if panel is None or panel.deleted:
            raise NotFoundError("That panel no longer exists.")
        return _insert(s, edition_id, EditionItem(edition_id=edition_id, panel_id=panel_id,
                                                  placement=placement, position=0), index)


def remove_item(store: Store, item_id: str) -> int:
    """Take an item out (a tombstone); returns the place it had."""
    with store.session() as s:
        item = _live_item(s, item_id)
        items = _items(s, item.edition_id)
        place = items.index(item)
        item.deleted = True
        items.remove(item)
        _renumber(items)
        s.commit()
        return place


def restore_item(store: Store, item_id: str, index: int) -> None:
    with store.session() as s:
        item = _live_item(s, item_id, include_deleted=True)
        item.deleted = False
        items = [i for i in _items(s, item.edition_id) if i.id != item.id]
        items.insert(max(0, min(index, len(items))), item)
        _renumber(items)
        s.commit()


def move_item(store: Store, item_id: str, index: int) -> int:
    """Put an item at ``index`` in print order; returns the place it had."""
    with store.session() as s:
        item = _live_item(s, item_id)
        items = _items(s, item.edition_id)
        place = items.index(item)
        items.remove(item)
        items.insert(max(0, min(index, len(items))), item)
        _renumber(items)
        s.commit()
        return place


def set_page_break(store: Store, item_id: str, page_break: bool) -> bool:
    """Start the item on a new page (or not); returns what it was."""
    with store.session() as s:
        item = _live_item(s, item_id)
        before = item.page_break_before
        item.page_break_before = page_break
        s.commit()
        return before


def set_placement(store: Store, item_id: str, placement: str) -> str:
    """Where a panel prints (front, inline, back); returns where it printed."""
    if placement not in PLACEMENTS:
        raise ValidationError(f"A panel prints up front, inline or at the back, not "
                              f"{quoted(placement)}.")
    with store.session() as s:
        item = _live_item(s, item_id)
        if item.panel_id is None:
            raise ValidationError("Articles print where they stand; only panels go up front "
                                  "or at the back.")
        before = item.placement
        item.placement = placement
        s.commit()
        return before
