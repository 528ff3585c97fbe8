"""Each Layout command as a ``Change``: the service calls that do, undo and redo it, and the
question it asks first (a dialog) when it needs one. A function returns the Change, a sentence
saying why it cannot be done ("It is already at the top of the Sidebar."), or None when the
user cancelled or nothing would change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from pse_desk.layout.ranks import sorted_by_rank
from pse_desk.layout.validate import panel_refusal
from pse_desk.layout.values import UNPLACED, Item, Panel, Source
from pse_desk.layout.wording import item_name, quoted
from pse_desk.render.page import region_label
from pse_desk.services.layout import edit, history
from pse_desk.services.layout.edit import ItemFields, PanelFields, fields_of, item_fields
from pse_desk.services.layout.read import LayoutView
from pse_desk.store.db import Store
from pse_desk.ui.layout.dialogs import (
    LinkDialog,
    MomentDialog,
    NameDialog,
    NewPanelDialog,
    PinDialog,
)
from pse_desk.ui.undoable import Change

if TYPE_CHECKING:
    from pse_desk.ui.workers import ReadRunner

Made = Change | str | None


def _here(panel_id: str) -> tuple[str | None, str | None]:
    return (panel_id, None)


# --- panels ----------------------------------------------------------------------------------

def update_panel(panel: Panel, fields: PanelFields, text: str = "") -> Made:
    refusal = panel_refusal(fields.title, fields.item_count, fields.source)
    if refusal is not None:
        return refusal
    if fields == fields_of(panel):
        return None
    ident = panel.id
    return Change(text or f"Change the panel {quoted(panel.title)}",
                  do=lambda st: edit.update_panel(st, ident, fields),
                  undo=lambda st, old: edit.update_panel(st, ident, old),
                  again=lambda st, _old: edit.update_panel(st, ident, fields),
                  focus=lambda _r: _here(ident), undo_focus=lambda _r: _here(ident))


def toggle_panel(panel: Panel) -> Made:
    verb = "Disable" if panel.enabled else "Enable"
    return update_panel(panel, replace(fields_of(panel), enabled=not panel.enabled),
                        f"{verb} the panel {quoted(panel.title)}")


def ask_rename_panel(parent: QWidget, panel: Panel) -> Made:
    dialog = NameDialog("Rename the panel", "&Title", panel.title, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return update_panel(panel, replace(fields_of(panel), title=dialog.value()),
                        f"Rename the panel {quoted(panel.title)}")


def remove_panel(panel: Panel) -> Made:
    ident = panel.id
    return Change(f"Remove the panel {quoted(panel.title)}",
                  do=lambda st: edit.remove_panel(st, ident),
                  undo=lambda st, _r: edit.restore_panel(st, ident),
                  again=lambda st, _r: edit.remove_panel(st, ident),
                  undo_focus=lambda _r: _here(ident))


def duplicate_panel(panel: Panel) -> Made:
    ident = panel.id
    return Change(f"Duplicate the panel {quoted(panel.title)}",
                  do=lambda st: edit.duplicate_panel(st, ident),
                  undo=lambda st, new: edit.remove_panel(st, new),
                  again=lambda st, new: edit.restore_panel(st, new),
                  focus=lambda new: _here(new), undo_focus=lambda _r: _here(ident))


def ask_new_panel(parent: QWidget, layout_id: str, view: LayoutView, region: str) -> Made:
    dialog = NewPanelDialog(view.regions, region, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    fields = PanelFields(title=dialog.title.text(), source=Source(kind=dialog.source.currentData()))
    where = str(dialog.region.currentData())
    return Change(f"Add the panel {quoted(fields.title)}",
                  do=lambda st: edit.add_panel(st, layout_id, fields, region=where),
                  undo=lambda st, new: edit.remove_panel(st, new),
                  again=lambda st, new: edit.restore_panel(st, new),
                  focus=lambda new: _here(new))


def _siblings(view: LayoutView, region: str, panel_id: str) -> list[Panel]:
    return [p for p in sorted_by_rank(view.layout.panels)
            if p.region == region and p.id != panel_id]


def _place(view: LayoutView, panel: Panel) -> int:
    return [p.id for p in sorted_by_rank(view.layout.panels)
            if p.region == panel.region].index(panel.id)


def move_panel(view: LayoutView, panel: Panel, region: str, index: int) -> Made:
    if region == panel.region and index == _place(view, panel):
        return None
    index = max(0, min(index, len(_siblings(view, region, panel.id))))
    ident = panel.id
    where = (f"up in the {region_label(region)}" if region == panel.region
             and index < _place(view, panel) else f"down in the {region_label(region)}"
             if region == panel.region else f"to the {region_label(region)}")
    return Change(f"Move the panel {quoted(panel.title)} {where}",
                  do=lambda st: edit.move_panel(st, ident, region, index),
                  undo=lambda st, old: edit.place_panel(st, ident, old),
                  again=lambda st, _old: edit.move_panel(st, ident, region, index),
                  focus=lambda _r: _here(ident), undo_focus=lambda _r: _here(ident))


def step_panel(view: LayoutView, panel: Panel, step: int) -> Made:
    if panel.region not in view.regions:
        return "This panel is in the Unplaced tray: move it to a region with Alt+Left or " \
               "Alt+Right first."
    index = _place(view, panel) + step
    if index < 0:
        return f"It is already at the top of the {region_label(panel.region)}."
    if index > len(_siblings(view, panel.region, panel.id)):
        return f"It is already at the bottom of the {region_label(panel.region)}."
    return move_panel(view, panel, panel.region, index)


def step_region(view: LayoutView, panel: Panel, step: int) -> Made:
    regions = list(view.regions)
    if not regions:
        return "The site template has no regions to put panels in."
    if panel.region not in regions or panel.region == UNPLACED:
        target = regions[0] if step > 0 else regions[-1]
    else:
        at = regions.index(panel.region) + step
        if not 0 <= at < len(regions):
            edge = "first" if step < 0 else "last"
            return f"The {region_label(panel.region)} is the page's {edge} region."
        target = regions[at]
    here = _place(view, panel) if panel.region in regions else 0
    return move_panel(view, panel, target, min(here, len(_siblings(view, target, panel.id))))


# --- items -----------------------------------------------------------------------------------

def _item(panel: Panel, item_id: str) -> Item | None:
    return next((i for i in panel.items if i.id == item_id), None)


def _update_item(panel: Panel, item: Item, fields: ItemFields, text: str) -> Made:
    ident, pid = item.id, panel.id
    return Change(text, do=lambda st: edit.update_item(st, ident, fields),
                  undo=lambda st, old: edit.update_item(st, ident, old),
                  again=lambda st, _old: edit.update_item(st, ident, fields),
                  focus=lambda _r: (pid, ident), undo_focus=lambda _r: (pid, ident))


def ask_pin(parent: QWidget, panel: Panel, item_id: str, view: LayoutView | None,
            now: datetime) -> Made:
    item = _item(panel, item_id)
    if item is None:
        return None
    name = item_name(item, (view.titles if view else {}).get(item.article_id or ""))
    dialog = PinDialog(name, item.pinned_from, item.pinned_until, now, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    pinned = dialog.pinned.isChecked()
    fields = replace(item_fields(item), pinned=pinned,
                     pinned_from=dialog.start.value() if pinned else None,
                     pinned_until=dialog.end.value() if pinned else None)
    if fields == item_fields(item):
        return None
    verb = "Pin" if pinned else "Unpin"
    return _update_item(panel, item, fields, f"{verb} {quoted(name)}")


def step_item(panel: Panel, item_id: str, step: int) -> Made:
    ordered = [i.id for i in sorted_by_rank(panel.items)]
    if item_id not in ordered:
        return None
    index = ordered.index(item_id) + step
    if not 0 <= index < len(ordered):
        return "It is already the " + ("first" if step < 0 else "last") + " item."
    pid = panel.id
    return Change("Move an item " + ("up" if step < 0 else "down"),
                  do=lambda st: edit.move_item(st, item_id, index),
                  undo=lambda st, old: edit.place_item(st, item_id, old),
                  again=lambda st, _old: edit.move_item(st, item_id, index),
                  focus=lambda _r: (pid, item_id), undo_focus=lambda _r: (pid, item_id))


def remove_item(panel: Panel, item_id: str) -> Made:
    pid = panel.id
    return Change("Remove an item from " + quoted(panel.title),
                  do=lambda st: edit.remove_item(st, item_id),
                  undo=lambda st, _r: edit.restore_item(st, item_id),
                  again=lambda st, _r: edit.remove_item(st, item_id),
                  focus=lambda _r: _here(pid), undo_focus=lambda _r: (pid, item_id))


def _added(panel: Panel, text: str, do: object) -> Change:
    pid = panel.id
    return Change(text, do=do,  # type: ignore[arg-type]
                  undo=lambda st, new: edit.remove_item(st, new),
                  again=lambda st, new: edit.restore_item(st, new),
                  focus=lambda new: (pid, new), undo_focus=lambda _r: _here(pid))


def ask_link(parent: QWidget, panel: Panel) -> Made:
    dialog = LinkDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    fields = ItemFields(title=dialog.title.text(), url=dialog.url.text(),
                        item_date=dialog.item_date(), summary=dialog.summary.toPlainText())
    pid = panel.id
    return _added(panel, f"Add the link {quoted(fields.title)}",
                  lambda st: edit.add_link_item(st, pid, fields))


def ask_article(parent: QWidget, runner: ReadRunner, panel: Panel) -> Made:
    from pse_desk.ui.layout.picker import ArticlePicker

    dialog = ArticlePicker(runner, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
        return None
    chosen, pid = dialog.chosen, panel.id
    return _added(panel, f"Add {quoted(chosen.title)} to {quoted(panel.title)}",
                  lambda st: edit.add_article_item(st, pid, chosen.id))


def ask_moment(parent: QWidget, now: datetime) -> datetime | None:
    dialog = MomentDialog(now, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


# --- layouts ---------------------------------------------------------------------------------

def _name(view: LayoutView) -> str:
    return view.layout.name


def ask_new_layout(parent: QWidget) -> Made:
    dialog = NameDialog("New layout", "&Name", "", parent, limit=edit.MAX_LAYOUT_NAME)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name = dialog.value()
    return Change(f"Create the layout {quoted(name)}",
                  do=lambda st: edit.create_layout(st, name),
                  undo=lambda st, new: edit.remove_layout(st, new),
                  again=lambda st, new: edit.restore_layout(st, new), shows=lambda new: new)


def ask_duplicate_layout(parent: QWidget, view: LayoutView) -> Made:
    dialog = NameDialog("Duplicate the layout", "&Name of the copy", f"{_name(view)} copy",
                        parent, limit=edit.MAX_LAYOUT_NAME)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    name, ident = dialog.value(), view.layout.id
    return Change(f"Duplicate the layout {quoted(_name(view))}",
                  do=lambda st: edit.duplicate_layout(st, ident, name),
                  undo=lambda st, new: edit.remove_layout(st, new),
                  again=lambda st, new: edit.restore_layout(st, new), shows=lambda new: new,
                  undo_shows=lambda _new: ident)


def ask_rename_layout(parent: QWidget, view: LayoutView) -> Made:
    dialog = NameDialog("Rename the layout", "&Name", _name(view), parent,
                        limit=edit.MAX_LAYOUT_NAME)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.value() == _name(view):
        return None
    name, ident = dialog.value(), view.layout.id
    return Change(f"Rename the layout {quoted(_name(view))}",
                  do=lambda st: edit.rename_layout(st, ident, name),
                  undo=lambda st, old: edit.rename_layout(st, ident, old),
                  again=lambda st, _old: edit.rename_layout(st, ident, name),
                  shows=lambda _r: ident, undo_shows=lambda _r: ident)


def activate_layout(view: LayoutView) -> Made:
    ident = view.layout.id
    if any(r.id == ident and r.active for r in view.layouts):
        return f"{quoted(_name(view))} is already the layout the site shows."

    def undo(st: Store, before: str | None) -> None:
        if before is not None:
            edit.activate_layout(st, before)
    return Change(f"Make {quoted(_name(view))} the active layout",
                  do=lambda st: edit.activate_layout(st, ident), undo=undo,
                  shows=lambda _r: ident, undo_shows=lambda _r: ident)


def remove_layout(view: LayoutView) -> Made:
    ident = view.layout.id
    if any(r.id == ident and r.active for r in view.layouts):
        return ("This is the layout the site shows; make another layout active before "
                "removing it.")
    return Change(f"Remove the layout {quoted(_name(view))}",
                  do=lambda st: edit.remove_layout(st, ident),
                  undo=lambda st, _r: edit.restore_layout(st, ident),
                  again=lambda st, _r: edit.remove_layout(st, ident),
                  shows=lambda _r: None, undo_shows=lambda _r: ident)


def restore_version(layout_id: str, version_id: str, label: str) -> Change:
    """Make the layout what a version saved (a new version; the later ones stay). Undo
    restores the version that was newest before."""
    def do(st: Store) -> str | None:
        with st.read_session() as s:
            newest = history.timeline(s, layout_id)
        history.restore_version(st, version_id)
        return newest[0].id if newest else None

    def undo(st: Store, before: str | None) -> None:
        if before is not None:
            history.restore_version(st, before)
    return Change(f"Restore the version {quoted(label)}", do=do, undo=undo,
                  again=lambda st, _r: history.restore_version(st, version_id),
                  shows=lambda _r: layout_id, undo_shows=lambda _r: layout_id)
