"""What every workspace has: a toolbar, an undo stack, a refresh and a "loaded" signal.

Workspaces read through the window's ``ReadRunner`` and remember their splitter positions in
QSettings under ``splitters/<workspace>.<name>``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolBar,
    QWidget,
)

from pse_desk.ui.settings import SPLITTER_PREFIX
from pse_desk.ui.workers import ReadRunner


class Workspace(QWidget):
    key = ""
    title = ""
    loaded = Signal()  # the workspace's data arrived (first load and every refresh)
    error = Signal(str)  # one sentence for the status bar
    data_changed = Signal()  # a write changed what the window's counts show

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.toolbar = QToolBar(f"{self.title} toolbar", self)
        self.toolbar.setObjectName(f"toolbar.{self.key}")
        # a label beside each icon; the icons come a moment after the first paint, in space
        # kept for them (ActionRegistry.reserve_icons), so the toolbar never changes size
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.undo_stack = QUndoStack(self)
        self.has_loaded = False
        self._splitters: dict[str, QSplitter] = {}

    def refresh(self) -> None:
        """Read this workspace's data again (off the GUI thread)."""
        raise NotImplementedError

    def focus_search(self) -> None:
        """Put the cursor in the search box, if this workspace has one."""

    def _mark_loaded(self) -> None:
        self.has_loaded = True
        self.loaded.emit()

    def _on_error(self, sentence: str) -> None:
        self.error.emit(sentence)

    def remember_splitter(self, name: str, splitter: QSplitter) -> None:
        splitter.setObjectName(f"{self.key}.{name}")
        self._splitters[name] = splitter

    def save_state(self, settings: QSettings) -> None:
        for name, sp in self._splitters.items():
            settings.setValue(f"{SPLITTER_PREFIX}{self.key}.{name}", sp.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for name, sp in self._splitters.items():
            value = settings.value(f"{SPLITTER_PREFIX}{self.key}.{name}")
            if isinstance(value, QByteArray | bytes):
                sp.restoreState(QByteArray(value))


def configure_table(view: QTableView) -> None:
    """The look every list in the desk shares: whole rows, one selection, no grid."""
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)


def plain_label(name: str = "") -> QLabel:
    """A label that never interprets its text as HTML (stored text may be hostile)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def stretch_column(view: QTableView, column: int) -> None:
    """Let ``column`` (a title or text) take the spare width instead of the last column."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
