"""The Moderate workspace's commands and their keys, declared once.

The single-letter keys must never fire while someone types in the Write editor or a search
box, so these QActions live on the Moderate workspace with ``Qt.WidgetWithChildrenShortcut``:
they work only while the focus is inside the workspace, and text fields take printable keys
before any shortcut. ``MODERATE_SPECS`` feeds the toolbar, the context menu and the shortcut
sheet (``?``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class ModerateSpec:
    id: str
    text: str
    keys: str
    tooltip: str
    icon: str = ""


MODERATE_SPECS: tuple[ModerateSpec, ...] = (
    ModerateSpec("moderate.next", "Next comment", "J", "Show the next comment"),
    ModerateSpec("moderate.previous", "Previous comment", "K", "Show the previous comment"),
    ModerateSpec("moderate.approve", "Approve", "A", "Approve this comment and move on",
                 "mdi6.check"),
    ModerateSpec("moderate.reject", "Reject", "R", "Reject this comment and move on",
                 "mdi6.close"),
    ModerateSpec("moderate.spam", "Spam", "S", "Mark this comment as spam and move on",
                 "mdi6.email-alert-outline"),
    ModerateSpec("moderate.select", "Select", "Space", "Add this comment to the selection, or "
                 "take it out"),
    ModerateSpec("moderate.select_next", "Select and move on", "X",
                 "Add this comment to the selection and show the next"),
    ModerateSpec("moderate.approve_selection", "Approve selection", "Shift+A",
                 "Approve every selected comment", "mdi6.check-all"),
    ModerateSpec("moderate.reject_selection", "Reject selection", "Shift+R",
                 "Reject every selected comment", "mdi6.close-box-multiple-outline"),
    ModerateSpec("moderate.select_all", "Select the whole listing", "Ctrl+Shift+A",
                 "Select every comment of this queue or search (up to 100,000)"),
    ModerateSpec("moderate.clear_selection", "Clear selection", "Shift+X",
                 "Select nothing"),
    ModerateSpec("moderate.ban", "Ban commenter…", "B",
                 "Ban this comment's author and reject their pending comments",
                 "mdi6.account-cancel-outline"),
    ModerateSpec("moderate.next_queue", "Next queue", "T", "Go to the next queue"),
    ModerateSpec("moderate.search", "Search comments", "/",
                 "Search: words, user:, article:, status:, rule:, before:, after:"),
    ModerateSpec("moderate.rules", "Rules…", "Ctrl+Alt+U", "Add, edit and try moderation rules",
                 "mdi6.gavel"),
    ModerateSpec("moderate.audit", "Audit log…", "Ctrl+Alt+L",
                 "Every moderation decision, with filters and CSV export",
                 "mdi6.clipboard-text-clock-outline"),
    ModerateSpec("moderate.shortcuts", "Moderation keys", "?", "The keys of the Moderate "
                 "workspace"),
)


def make_actions(owner: QWidget, slots: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """One QAction per spec on ``owner``, shortcuts scoped to it and its children."""
    made: dict[str, QAction] = {}
    for s in MODERATE_SPECS:
        act = QAction(s.text, owner)
        act.setObjectName(s.id)
        act.setShortcut(QKeySequence(s.keys))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        act.setToolTip(f"{s.tooltip} ({QKeySequence(s.keys).toString()})")
        act.setStatusTip(s.tooltip)
        slot = slots.get(s.id)
        if slot is not None:
            act.triggered.connect(lambda _checked=False, f=slot: f())
        owner.addAction(act)
        made[s.id] = act
    return made
