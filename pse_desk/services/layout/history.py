"""A layout's timeline: every saved change adds a version (a snapshot of the whole layout, in
``pse_desk.layout.snapshot``'s JSON); restoring a version adds one more, so the later ones stay,
as article revisions do. Also the comparison of two layouts, or of a layout and a version.

The first change to a layout that has no version yet first saves how it was (a "baseline"), so
even the state before the first recorded change can be restored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.layout import values as v
from pse_desk.layout.compare import LayoutDiff, compare_layouts
from pse_desk.layout.snapshot import SnapshotError, layout_from_json, layout_to_json
from pse_desk.services.layout.read import article_facts, live_layout, load_layout
from pse_desk.store.db import Store
from pse_desk.store.model import Layout, LayoutVersion, Panel, PanelItem

BASELINE = "baseline"
CHANGE = "change"
RESTORE = "restore"


@dataclass(frozen=True)
class VersionRow:
    """A line of the timeline (no snapshot: the timeline of a big layout stays small)."""

    id: str
    layout_id: str
    label: str
    kind: str
    author: str
    created_at: datetime


def _row(version: LayoutVersion) -> VersionRow:
    return VersionRow(id=version.id, layout_id=version.layout_id, label=version.label,
                      kind=version.kind, author=version.author, created_at=version.created_at)


def _has_versions(s: Session, layout_id: str) -> bool:
    return s.scalar(select(LayoutVersion.id).where(LayoutVersion.layout_id == layout_id,
                                                   LayoutVersion.deleted.is_(False))
                    .limit(1)) is not None


def ensure_baseline(s: Session, layout_id: str) -> None:
    """Save how the layout is now if it has no version yet (before its first change is made:
    call it before changing anything)."""
    if not _has_versions(s, layout_id):
        s.add(LayoutVersion(layout_id=layout_id, kind=BASELINE, author="",
                            label="The layout before its first saved change",
                            snapshot=layout_to_json(load_layout(s, layout_id))))
        s.flush()


def record_version(s: Session, layout_id: str, label: str, actor: str, *,
                   kind: str = CHANGE) -> None:
    """Add the version the unit of work's change makes (call after the change is flushed)."""
    s.add(LayoutVersion(layout_id=layout_id, kind=kind, author=actor, label=label[:500],
                        snapshot=layout_to_json(load_layout(s, layout_id))))


def timeline(s: Session, layout_id: str) -> list[VersionRow]:
    """Every version of the layout, newest first."""
    stmt = (select(LayoutVersion).options(defer(LayoutVersion.snapshot))
            .where(LayoutVersion.layout_id == layout_id, LayoutVersion.deleted.is_(False))
            .order_by(LayoutVersion.created_at.desc(), LayoutVersion.hlc.desc()))
    return [_row(ver) for ver in s.scalars(stmt)]


def _version(s: Session, version_id: str) -> LayoutVersion:
    # the snapshot is read only when it is wanted (``version_layout``), so a version whose
    # snapshot is not even JSON can still be named, listed and refused with a sentence
    version = s.get(LayoutVersion, version_id, options=[defer(LayoutVersion.snapshot)])
    if version is None or version.deleted:
        raise NotFoundError("That layout version no longer exists.")
    return version


def version_layout(s: Session, version_id: str) -> v.Layout:
    """The layout as that version saved it; a version that cannot be read is refused with a
    sentence (``ValidationError``), never half-applied."""
    version = _version(s, version_id)
    try:
        return layout_from_json(version.snapshot)
    except SnapshotError as exc:
        raise ValidationError(str(exc)) from None
    except ValueError:  # the stored text is not JSON (json.JSONDecodeError)
        raise ValidationError("This saved layout version cannot be read: its text is not "
                              "JSON.") from None


def restore_version(store: Store, version_id: str, *, actor: str = "") -> VersionRow:
    """Make the layout's panels and items what the version saved: rows it holds are updated
    (brought back if removed), rows it does not hold are removed (tombstones). A new version
    records the restore; the later versions stay."""
    with store.session() as s:
        version = _version(s, version_id)
        saved = version_layout(s, version_id)
        lay = live_layout(s, version.layout_id)
        ensure_baseline(s, lay.id)
        _apply(s, lay, saved)
        s.flush()
        when = version.created_at.strftime("%d/%m/%Y %H:%M")
        record_version(s, lay.id, f"Restored the version of {when} ({version.label})", actor,
                       kind=RESTORE)
        s.commit()
        return _row(s.scalars(select(LayoutVersion).where(LayoutVersion.layout_id == lay.id)
                              .order_by(LayoutVersion.created_at.desc(),
                                        LayoutVersion.hlc.desc()).limit(1)).one())


def _apply(s: Session, lay: Layout, saved: v.Layout) -> None:
    kept = {p.id for p in saved.panels}
    for panel in s.scalars(select(Panel).where(Panel.layout_id == lay.id,
                                               Panel.deleted.is_(False))):
        if panel.id not in kept:
            panel.deleted = True
    for value in saved.panels:
        found = s.get(Panel, value.id)
        panel = found if found is not None and found.layout_id == lay.id else (
            Panel(id=value.id, layout_id=lay.id) if found is None  # (another layout's id:
            else Panel(layout_id=lay.id))                          # a new row)
        if panel is not found:
            s.add(panel)
        _write_panel(panel, value)
        s.flush()
        _apply_items(s, panel, value.items)


def _set(obj: object, **values: object) -> None:
    """Assign only what differs, so an unchanged row is not written (nor sent to the hub)."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def _write_panel(panel: Panel, value: v.Panel) -> None:
    _set(panel, deleted=False, key=value.key, title=value.title, region=value.region,
         rank=value.rank, enabled=value.enabled, item_count=value.item_count,
         source=value.source.kind, source_sections=list(value.source.sections),
         source_tags=list(value.source.tags), source_author=value.source.author,
         more_label=value.more_label, more_url=value.more_url, dedupe=value.dedupe)


def _apply_items(s: Session, panel: Panel, items: tuple[v.Item, ...]) -> None:
    kept = {i.id for i in items}
    for item in s.scalars(select(PanelItem).where(PanelItem.panel_id == panel.id,
                                                  PanelItem.deleted.is_(False))):
        if item.id not in kept:
            item.deleted = True
    for value in items:
        found = s.get(PanelItem, value.id)
        item = found if found is not None and found.panel_id == panel.id else (
            PanelItem(id=value.id, panel_id=panel.id) if found is None
            else PanelItem(panel_id=panel.id))
        if item is not found:
            s.add(item)
        known = value.article_id is None or article_facts(s, [value.article_id])
        _set(item, deleted=False, article_id=value.article_id if known else None,
             title=value.title, url=value.url, item_date=value.item_date,
             summary=value.summary, rank=value.rank, pinned=value.pinned,
             pinned_from=value.pinned_from, pinned_until=value.pinned_until)


# --- compare ---------------------------------------------------------------------------------

def _titles(s: Session, *layouts: v.Layout) -> dict[str, str]:
    ids = {i.article_id for lay in layouts for p in lay.panels for i in p.items if i.article_id}
    return {ident: facts.title for ident, facts in article_facts(s, ids).items()}


def compare(s: Session, a_layout_id: str, b_layout_id: str) -> LayoutDiff:
    """Which panels and items differ between two layouts."""
    a, b = load_layout(s, a_layout_id), load_layout(s, b_layout_id)
    return compare_layouts(a, b, _titles(s, a, b))


def compare_with_version(s: Session, version_id: str) -> LayoutDiff:
    """What changed since a version: the version on the left, the layout as it is now right."""
    saved = version_layout(s, version_id)
    now = load_layout(s, _version(s, version_id).layout_id)
    return compare_layouts(saved, now, _titles(s, saved, now))
