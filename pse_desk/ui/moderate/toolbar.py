"""Where the Moderate commands show: the toolbar (with the progress of a big decision) and the
comment table's context menu; and their icons, once qtawesome has loaded after the first paint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QProgressBar, QToolBar, QToolButton, QWidget

from pse_desk.ui.moderate.keys import MODERATE_SPECS

# None: a separator
TOOLBAR: tuple[str | None, ...] = (
    "moderate.approve", "moderate.reject", "moderate.spam", "moderate.ban", None,
    "moderate.approve_selection", "moderate.reject_selection", None,
    "moderate.rules", "moderate.audit")
NOT_ON_THE_TABLE = frozenset({"moderate.rules", "moderate.audit", "moderate.shortcuts"})
ICON_ONLY = ("moderate.approve_selection", "moderate.reject_selection", "moderate.rules",
             "moderate.audit")  # their tooltips name them


class DecisionProgress(QProgressBar):
    """How far a big decision has got ("2,500 of 10,000"); shown only while one runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionProgress")
        self.setMaximumWidth(180)
        self.hide()

    def advance(self, done: int, total: int) -> None:
        self.setMaximum(max(1, total))
        self.setValue(done)
        self.setFormat(f"{done:,} of {total:,}")

    def set_busy(self, busy: bool) -> None:
        self.setVisible(busy and self.maximum() > 1)
        if not busy:
            self.setMaximum(1)
            self.setValue(0)


def place_commands(commands: dict[str, QAction], toolbar: QToolBar, table: QWidget,
                   progress: QProgressBar) -> None:
    """The decision commands on the toolbar, then the progress bar; and on the table's menu."""
    for spec_id in TOOLBAR:
        if spec_id is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(commands[spec_id])
    toolbar.addWidget(progress)
    for spec in MODERATE_SPECS:
        if spec.id not in NOT_ON_THE_TABLE:
            table.addAction(commands[spec.id])


def apply_icons(commands: dict[str, QAction], toolbar: QToolBar) -> None:
    """Icons for the commands, in the theme's colour; after the first paint (qtawesome is slow
    to load)."""
    import qtawesome

    from pse_desk.ui.theme import current_theme, icon_colour

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    colour = icon_colour(current_theme(app))
    for spec in MODERATE_SPECS:
        if spec.icon:
            commands[spec.id].setIcon(qtawesome.icon(spec.icon, color=colour))
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for spec_id in ICON_ONLY:
        button = toolbar.widgetForAction(commands[spec_id])
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
