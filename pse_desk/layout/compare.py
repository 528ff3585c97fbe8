"""Two layouts side by side: which panels only one has, which differ and how, and which items
differ.

Panels are matched by key (duplicated layouts keep their panels' keys), then by title for the
ones left; a panel's position is its place among the panels of its region. Items are matched
by what they show: an article by its id, a link by its address and title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pse_desk.layout.ranks import sorted_by_rank
from pse_desk.layout.values import Item, Layout, Panel
from pse_desk.layout.wording import item_name, moment, quoted, source_text

SAME, CHANGED, ONLY_A, ONLY_B = "same", "changed", "only_in_a", "only_in_b"


@dataclass(frozen=True)
class PanelDiff:
    key: str
    title_a: str  # "" for a panel only in b
    title_b: str
    status: str  # same, changed, only_in_a, only_in_b
    changes: tuple[str, ...] = ()  # "Region: sidebar → footer"
    items_only_a: tuple[str, ...] = ()  # names of items only the left panel has
    items_only_b: tuple[str, ...] = ()
    region_a: str = ""
    region_b: str = ""

    @property
    def title(self) -> str:
        return self.title_a or self.title_b


@dataclass(frozen=True)
class LayoutDiff:
    name_a: str
    name_b: str
    panels: tuple[PanelDiff, ...] = ()

    @property
    def identical(self) -> bool:
        return all(p.status == SAME for p in self.panels)

    def summary(self) -> str:
        counts = {s: sum(p.status == s for p in self.panels) for s in (CHANGED, ONLY_A, ONLY_B)}
        if self.identical:
            return f"{quoted(self.name_a)} and {quoted(self.name_b)} have the same panels."
        return (f"{counts[CHANGED]} changed, {counts[ONLY_A]} only in {quoted(self.name_a)}, "
                f"{counts[ONLY_B]} only in {quoted(self.name_b)}.")


def _positions(layout: Layout) -> dict[str, int]:
    places: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for panel in sorted_by_rank(layout.panels):
        places[panel.id] = by_region.get(panel.region, 0)
        by_region[panel.region] = places[panel.id] + 1
    return places


def _match(a: Sequence[Panel], b: Sequence[Panel]) -> list[tuple[Panel | None, Panel | None]]:
    left = list(a)
    pairs: list[tuple[Panel | None, Panel | None]] = []
    rest_b: list[Panel] = []
    for panel in b:
        found = next((p for p in left if p.key == panel.key), None)
        if found is None:
            rest_b.append(panel)
            continue
        left.remove(found)
        pairs.append((found, panel))
    for panel in rest_b:
        found = next((p for p in left if p.title.casefold() == panel.title.casefold()), None)
        if found is not None:
            left.remove(found)
        pairs.append((found, panel))
    pairs.extend((p, None) for p in left)
    return pairs


def _item_key(item: Item) -> tuple[object, ...]:
    return ((item.article_id,) if item.article_id else (item.url.strip(), item.title.strip()))


def _item_text(item: Item, titles: Mapping[str, str]) -> str:
    name = item_name(item, titles.get(item.article_id or ""))
    if not item.pinned:
        return name
    window = (f"{moment(item.pinned_from) if item.pinned_from else '…'} to "
              f"{moment(item.pinned_until) if item.pinned_until else '…'}")
    return f"{name} (pinned {window})"


def _yes(flag: bool) -> str:
    return "on" if flag else "off"


def _field_changes(a: Panel, b: Panel, pos_a: int, pos_b: int) -> list[str]:
    pairs = [("Title", a.title, b.title), ("Region", a.region, b.region),
             ("Place in region", str(pos_a + 1), str(pos_b + 1)),
             ("Shown", _yes(a.enabled), _yes(b.enabled)),
             ("Items", str(a.item_count), str(b.item_count)),
             ("Source", source_text(a.source), source_text(b.source)),
             ("“More” link", f"{a.more_label} {a.more_url}".strip(),
              f"{b.more_label} {b.more_url}".strip()),
             ("De-duplication", _yes(a.dedupe), _yes(b.dedupe))]
    return [f"{name}: {left or '(none)'} → {right or '(none)'}"
            for name, left, right in pairs if left != right]


def _panel_diff(a: Panel | None, b: Panel | None, pos: tuple[dict[str, int], dict[str, int]],
                titles: Mapping[str, str]) -> PanelDiff:
    if a is None or b is None:
        only = a or b
        assert only is not None
        return PanelDiff(only.key, a.title if a else "", b.title if b else "",
                         ONLY_A if a else ONLY_B, region_a=a.region if a else "",
                         region_b=b.region if b else "")
    changes = _field_changes(a, b, pos[0][a.id], pos[1][b.id])
    items_a = {(*_item_key(i), i.pinned, i.pinned_from, i.pinned_until): i for i in a.items}
    items_b = {(*_item_key(i), i.pinned, i.pinned_from, i.pinned_until): i for i in b.items}
    only_a = tuple(_item_text(i, titles) for k, i in items_a.items() if k not in items_b)
    only_b = tuple(_item_text(i, titles) for k, i in items_b.items() if k not in items_a)
    order_a = [_item_key(i) for i in sorted_by_rank(a.items) if _item_key(i) in
               {_item_key(j) for j in b.items}]
    order_b = [_item_key(i) for i in sorted_by_rank(b.items) if _item_key(i) in
               {_item_key(j) for j in a.items}]
    if order_a != order_b:
        changes.append("Order of items differs")
    status = CHANGED if changes or only_a or only_b else SAME
    return PanelDiff(a.key, a.title, b.title, status, tuple(changes), only_a, only_b,
                     a.region, b.region)


def compare_layouts(a: Layout, b: Layout, titles: Mapping[str, str] | None = None) -> LayoutDiff:
    """What differs between ``a`` (left) and ``b`` (right); ``titles`` names articles by id.
    Panels come in ``b``'s page order, then those only ``a`` has."""
    titles = titles or {}
    pos = (_positions(a), _positions(b))
    pairs = _match(sorted_by_rank(a.panels), sorted_by_rank(b.panels))
    return LayoutDiff(a.name, b.name, tuple(_panel_diff(x, y, pos, titles) for x, y in pairs))
