"""A workspace's own commands on its own widgets, scoped so their keys never leak.

The commands are declared once, in the window's action registry (``ui.actions.SPECS`` with a
``scope`` naming the workspace), so they sit in the menus, the shortcut sheet and the shortcut
editor. Their keys (Moderate's single letters, Layout's Alt+arrows) must never fire while
someone types in the Write editor or works in another workspace, so each QAction is put on its
workspace with ``Qt.WidgetWithChildrenShortcut``: it works only while the focus is inside the
workspace, and text fields take printable keys before any shortcut.

A workspace made without a window (tests, benchmarks) makes its own QActions from the same
specs (``make_actions``); ``adopt_registry`` swaps in the window's actions when there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from pse_desk.ui.actions import SPECS, ActionRegistry, ActionSpec

Slots = dict[str, Callable[[], object]]


def scope_specs(scope: str) -> tuple[ActionSpec, ...]:
    """The registry's specs of one workspace, in their declared order."""
    return tuple(s for s in SPECS if s.scope == scope)


def _scoped(act: QAction, slot: Callable[[], object] | None) -> QAction:
    act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if slot is not None:
        act.triggered.connect(lambda _checked=False, f=slot: f())
    return act


def make_actions(owner: QWidget, specs: Sequence[ActionSpec], slots: Slots) -> dict[str, QAction]:
    """One QAction per spec on ``owner``, keys scoped to it and its children."""
    made: dict[str, QAction] = {}
    for s in specs:
        act = QAction(s.text, owner)
        act.setObjectName(s.id)
        act.setShortcut(s.default_shortcut())
        act.setToolTip(s.tooltip)
        act.setStatusTip(s.tooltip)
        act.setCheckable(s.checkable)
        owner.addAction(_scoped(act, slots.get(s.id)))
        made[s.id] = act
    return made


def adopt_registry(actions: dict[str, QAction], registry: ActionRegistry, slots: Slots,
                   holders: list[QWidget], window: QWidget) -> None:
    """Replace our own QActions by the registry's (same ids) wherever they were added.

    The window adds every registry action to itself so that its keys work with the menu bar
    hidden; a scoped action must not live there, or its keys would work in every workspace.
    """
    for spec_id, mine in list(actions.items()):
        try:
            theirs = registry[spec_id]
        except KeyError:
            continue
        _scoped(theirs, slots.get(spec_id))
        window.removeAction(theirs)
        for holder in holders:
            if mine in holder.actions():
                holder.insertAction(mine, theirs)
                holder.removeAction(mine)
        actions[spec_id] = theirs
        mine.deleteLater()
