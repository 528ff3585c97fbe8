"""A layout as JSON and back: what a layout version keeps.

The JSON is a plain dict (``"v": 1``, the layout's name and every panel with its items), so a
version saved by this desk restores exactly, and a version that is damaged or written by a newer
desk fails with one sentence (``SnapshotError``) instead of restoring half a layout.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from typing import Any

from pse_desk.layout.values import Item, Layout, Panel, Source

VERSION = 1


class SnapshotError(ValueError):
    """A saved layout version that cannot be read."""


def _item_json(item: Item) -> dict[str, Any]:
    return {"id": item.id, "rank": item.rank, "article_id": item.article_id,
            "title": item.title, "url": item.url,
            "item_date": item.item_date.isoformat() if item.item_date else None,
            "summary": item.summary, "pinned": item.pinned,
            "pinned_from": item.pinned_from.isoformat() if item.pinned_from else None,
            "pinned_until": item.pinned_until.isoformat() if item.pinned_until else None}


def _panel_json(panel: Panel) -> dict[str, Any]:
    return {"id": panel.id, "key": panel.key, "title": panel.title, "region": panel.region,
            "rank": panel.rank, "enabled": panel.enabled, "item_count": panel.item_count,
            "source": {"kind": panel.source.kind, "sections": list(panel.source.sections),
                       "tags": list(panel.source.tags), "author": panel.source.author},
            "more_label": panel.more_label, "more_url": panel.more_url,
            "dedupe": panel.dedupe, "items": [_item_json(i) for i in panel.items]}


def layout_to_json(layout: Layout) -> dict[str, Any]:
    return {"v": VERSION, "id": layout.id, "name": layout.name,
            "panels": [_panel_json(p) for p in layout.panels]}


def _fail(why: str) -> SnapshotError:
    return SnapshotError(f"This saved layout version cannot be read: {why}.")


def _get(obj: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(f"{where} has no valid “{name}”")
    return value


def _moment(value: object, where: str, kind: type[date] = datetime) -> Any:
    if value is None:
        return None
    try:
        parsed = (datetime.fromisoformat(value) if kind is datetime
                  else date.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise _fail(f"{where} has a date that is not a date ({str(value)[:40]!r})")
    return parsed


def _item(obj: object, where: str) -> Item:
    if not isinstance(obj, dict):
        raise _fail(f"{where} is not an item")
    article = obj.get("article_id")
    if article is not None and not isinstance(article, str):
        raise _fail(f"{where} names its article wrongly")
    return Item(id=_get(obj, "id", str, where), rank=_get(obj, "rank", str, where),
                article_id=article, title=_get(obj, "title", str, where),
                url=_get(obj, "url", str, where),
                item_date=_moment(obj.get("item_date"), where, date),
                summary=_get(obj, "summary", str, where),
                pinned=_get(obj, "pinned", bool, where),
                pinned_from=_moment(obj.get("pinned_from"), where),
                pinned_until=_moment(obj.get("pinned_until"), where))


def _texts(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise _fail(f"{where} has a source whose names are not text")
    return tuple(value)


def _panel(obj: object, n: int) -> Panel:
    where = f"panel {n + 1}"
    if not isinstance(obj, dict):
        raise _fail(f"{where} is not a panel")
    src = _get(obj, "source", dict, where)
    source = Source(kind=_get(src, "kind", str, where),
                    sections=_texts(src.get("sections"), where),
                    tags=_texts(src.get("tags"), where), author=_get(src, "author", str, where))
    items = _get(obj, "items", list, where)
    return Panel(id=_get(obj, "id", str, where), key=_get(obj, "key", str, where),
                 title=_get(obj, "title", str, where), region=_get(obj, "region", str, where),
                 rank=_get(obj, "rank", str, where), enabled=_get(obj, "enabled", bool, where),
                 item_count=_get(obj, "item_count", int, where), source=source,
                 more_label=_get(obj, "more_label", str, where),
                 more_url=_get(obj, "more_url", str, where),
                 dedupe=_get(obj, "dedupe", bool, where),
                 items=tuple(_item(i, f"item {k + 1} of {where}") for k, i in enumerate(items)))


def layout_from_json(data: object) -> Layout:
    """The layout a version saved; ``SnapshotError`` with a sentence if it cannot be read."""
    if not isinstance(data, dict):
        raise _fail("it is not a saved layout")
    if data.get("v") != VERSION:
        raise _fail(f"it was saved in format {str(data.get('v'))[:20]!r}, which this desk does "
                    "not read (a newer desk may have written it)")
    panels = _get(data, "panels", list, "the layout")
    return Layout(id=_get(data, "id", str, "the layout"),
                  name=_get(data, "name", str, "the layout"),
                  panels=tuple(_panel(p, n) for n, p in enumerate(panels)))


assert {f.name for f in fields(Item)} == set(_item_json(Item("", "")))  # every field is kept
