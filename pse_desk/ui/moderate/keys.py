"""The Moderate workspace's commands: the registry's specs of scope "moderate" (single letters,
which ``ui.scoped_actions`` keeps inside the workspace so they never fire while someone types
elsewhere), made or adopted from the window.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from pse_desk.ui import scoped_actions
from pse_desk.ui.actions import ActionRegistry, ActionSpec
from pse_desk.ui.scoped_actions import Slots

MODERATE_SPECS: tuple[ActionSpec, ...] = scoped_actions.scope_specs("moderate")


def make_actions(owner: QWidget, slots: Slots) -> dict[str, QAction]:
    """One QAction per Moderate spec on ``owner``, keys scoped to it and its children."""
    return scoped_actions.make_actions(owner, MODERATE_SPECS, slots)


def adopt_registry(actions: dict[str, QAction], registry: ActionRegistry, slots: Slots,
                   holders: list[QWidget], window: QWidget) -> None:
    """``scoped_actions.adopt_registry`` for the Moderate workspace."""
    scoped_actions.adopt_registry(actions, registry, slots, holders, window)
