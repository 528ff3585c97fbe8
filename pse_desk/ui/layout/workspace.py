"""The Layout workspace: the page's regions with their panels (left), the selected panel's
settings, items, warnings and skipped articles (middle), and the site page as it will look
(right), the same ``render_page`` as the Write preview, swapped in place as panels change.

Every change is an undoable command (``commands``) run on the store's writer lane; the job that
writes also reads the layout back resolved (``services.layout.read.layout_view``), so the tree,
the editor and the preview follow in one hop. The layout shown, and the moment the page is shown
at ("Preview at…"), are the workspace's; the undo history is one stack for all layouts and stays
when you switch workspace.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.values import UNPLACED, Panel
from pse_desk.render.page import PageArticle, PageLayout
from pse_desk.services import page as page_service
from pse_desk.services.layout.edit import PanelFields
from pse_desk.services.layout.read import LayoutView, layout_view
from pse_desk.services.page import page_layout_of
from pse_desk.store.db import Store
from pse_desk.store.model import utcnow
from pse_desk.ui import scoped_actions
from pse_desk.ui.actions import ActionRegistry
from pse_desk.ui.layout import changes
from pse_desk.ui.layout.changes import Made
from pse_desk.ui.layout.panel_editor import PanelEditor
from pse_desk.ui.layout.region_model import PANEL_ID, REGION, RegionModel
from pse_desk.ui.undoable import Call, Change, ServiceCommand, drop_refused
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, plain_label
from pse_desk.ui.write.autosave import WriteQueue

log = logging.getLogger(__name__)
LAYOUT_SPECS = scoped_actions.scope_specs("layout")
Focus = tuple[str | None, str | None]


class LayoutWorkspace(Workspace):
    key = "layout"
    title = "Layout"
    site_layout_changed = Signal(object)  # PageLayout of the active layout, after a change

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.queue = WriteQueue(lambda: runner.store, self)
        self.queue.failed.connect(self._on_error)
        self.view_data: LayoutView | None = None
        self.layout_id: str | None = None
        self.at: datetime | None = None  # None: now
        self.article_id: str | None = None  # the article the preview shows (Write's)
        self._article: PageArticle | None = None
        self._focus: Focus = (None, None)
        self._changes_in_flight = 0
        self.preview: Any = None  # PreviewPane, made on first show (QtWebEngine is heavy)
        self._bridge: Any = None
        self._shot: QWidget | None = None  # a dialog the screenshot shows instead
        self._build()
        self.actions_by_id = scoped_actions.make_actions(self, LAYOUT_SPECS, self._slots())
        self._fill_toolbar()

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.model = RegionModel(self)
        style = self.style()  # Qt's own icons: qtawesome stays off the start-up path
        self.model.set_icons(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                             style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton))
        self.model.move_requested.connect(self.move_panel_to)
        self.tree = QTreeView()
        self.tree.setObjectName("layoutTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(False)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.editor = PanelEditor()
        self.editor.apply_requested.connect(self.apply_fields)
        self.editor.item_activated.connect(lambda _ident: self.pin_item())
        self.status = plain_label("layoutStatus")
        self.preview_box = QWidget()
        self.preview_box.setObjectName("layoutPreviewBox")
        QVBoxLayout(self.preview_box).setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(4, 0, 0, 4)
        lbox.addWidget(self.tree, 1)
        lbox.addWidget(self.status)
        for w in (left, self.editor, self.preview_box):
            self.splitter.addWidget(w)
        self.splitter.setSizes([330, 400, 570])
        self.remember_splitter("main", self.splitter)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.splitter)

    def _slots(self) -> dict[str, Callable[[], object]]:
        return {"layout.add_panel": self.add_panel, "layout.rename_panel": self.rename_panel,
                "layout.duplicate_panel": self.duplicate_panel,
                "layout.toggle_panel": self.toggle_panel,
                "layout.remove_panel": self.remove_panel,
                "layout.move_up": lambda: self.step_panel(-1),
                "layout.move_down": lambda: self.step_panel(1),
                "layout.move_left": lambda: self.step_region(-1),
                "layout.move_right": lambda: self.step_region(1),
                "layout.add_article": self.add_article, "layout.add_link": self.add_link,
                "layout.pin_item": self.pin_item,
                "layout.item_up": lambda: self.step_item(-1),
                "layout.item_down": lambda: self.step_item(1),
                "layout.remove_item": self.remove_item, "layout.preview_at": self.preview_at,
                "layout.compare": self.compare, "layout.history": self.history,
                "layout.new_layout": self.new_layout,
                "layout.duplicate_layout": self.duplicate_layout,
                "layout.rename_layout": self.rename_layout,
                "layout.activate_layout": self.activate_layout,
                "layout.remove_layout": self.remove_layout}

    def _fill_toolbar(self) -> None:
        self.layout_combo = QComboBox()
        self.layout_combo.setObjectName("layoutCombo")
        self.layout_combo.setMinimumContentsLength(18)
        self.layout_combo.activated.connect(self._layout_chosen)
        self.toolbar.addWidget(QLabel(" Layout "))
        self.toolbar.addWidget(self.layout_combo)
        self.at_label = QLabel()
        self.now_button = QPushButton("Back to now")
        self.now_button.clicked.connect(lambda: self.set_moment(None))
        for ident in ("layout.activate_layout", "layout.add_panel", "layout.remove_panel",
                      "layout.move_up", "layout.move_down", "layout.preview_at",
                      "layout.compare", "layout.history"):
            self.toolbar.addAction(self.actions_by_id[ident])
        self.toolbar.addWidget(self.at_label)
        self.now_action = self.toolbar.addWidget(self.now_button)
        self.now_action.setVisible(False)
        self._item_buttons: dict[str, QToolButton] = {}
        for ident, text in (("layout.add_article", "Article…"), ("layout.add_link", "Link…"),
                            ("layout.pin_item", "Pin…"), ("layout.item_up", "Up"),
                            ("layout.item_down", "Down"), ("layout.remove_item", "Remove")):
            button = QToolButton()
            button.setDefaultAction(self.actions_by_id[ident])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setText(text)
            self._item_buttons[ident] = button
            self.editor.add_item_button(button)


    def adopt_actions(self, registry: ActionRegistry) -> None:
        """Use the window's registry actions (menus, key sheet) with keys scoped to us."""
        # (their icons come with the window's, after the first paint: ActionRegistry)
        scoped_actions.adopt_registry(self.actions_by_id, registry, self._slots(),
                                      [self, self.toolbar], self.window())
        for ident, button in self._item_buttons.items():
            text = button.text()
            button.setDefaultAction(self.actions_by_id[ident])
            button.setText(text)

    # --- reading -----------------------------------------------------------------------------
    def refresh(self) -> None:
        layout_id, at, article_id = self.layout_id, self.at, self.article_id
        self.runner.submit("layout.view", lambda s: (layout_view(s, layout_id, at=at),
                                                     page_service.preview_article(s, article_id)),
                           self._read_arrived, self._on_error)

    def _read_arrived(self, payload: tuple[LayoutView, PageArticle | None]) -> None:
        view, article = payload
        self._article = article
        self._show(view)
        self._mark_loaded()

    def show_article(self, article_id: str | None) -> None:
        """Preview the layout around this article (the one open in Write), from now on."""
        if article_id != self.article_id:
            self.article_id = article_id
            if self.has_loaded:
                self.refresh()

    def _show(self, view: LayoutView) -> None:
        self.view_data = view
        self.layout_id = view.layout.id or None
        self._fill_combo(view)
        panel_id, item_id = self._focus if self._focus != (None, None) else (
            self.selected_panel_id(), self.editor.selected_item_id())
        self._focus = (None, None)
        self.model.fill(view.regions, list(view.resolved.panels()))
        self.tree.expandAll()
        if panel_id is None and view.resolved.panels():
            panel_id = view.resolved.panels()[0].panel.id  # something to edit at first
        if panel_id:
            self.select_panel(panel_id)
        self._update_editor()
        if item_id:
            self.editor.select_item(item_id)
        self._update_status(view)
        self._update_preview(view)

    def _fill_combo(self, view: LayoutView) -> None:
        self.layout_combo.blockSignals(True)
        self.layout_combo.clear()
        for row in view.layouts:
            mark = "  ★ active" if row.active else ""
            self.layout_combo.addItem(f"{row.name}{mark}", row.id)
        self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(view.layout.id)))
        self.layout_combo.blockSignals(False)

    def _update_status(self, view: LayoutView) -> None:
        panels = view.resolved.panels()
        warned = sum(1 for p in panels if p.warnings)
        active = next((r.active for r in view.layouts if r.id == view.layout.id), False)
        parts = [f"{len(view.layout.panels)} panels", f"{warned} with warnings" if warned
                 else "no warnings", "active: the site shows it" if active
                 else "not active (the site shows another)"]
        self.status.setText("; ".join(parts) + ".")
        when = self.at
        self.at_label.setText(f"  Previewing at {when:%d/%m/%Y %H:%M} UTC  " if when else "")
        self.now_action.setVisible(when is not None)

    # --- the preview -------------------------------------------------------------------------
    def set_render_bridge(self, bridge: object) -> None:
        """Share the Write preview's render worker (one process for both)."""
        self._bridge = bridge

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.preview is None:
            QTimer.singleShot(0, self._make_preview)

    def _make_preview(self) -> None:
        if self.preview is not None:
            return
        from pse_desk.ui.write.preview import PreviewPane

        self.preview = PreviewPane(self.preview_box, bridge=self._bridge)
        self.preview.setObjectName("layoutPreview")
        layout = self.preview_box.layout()
        assert layout is not None
        layout.addWidget(self.preview)
        if self.view_data is not None:
            self._update_preview(self.view_data)

    def page_layout(self) -> PageLayout | None:
        return page_layout_of(self.view_data.resolved) if self.view_data else None

    def _update_preview(self, view: LayoutView) -> None:
        layout = page_layout_of(view.resolved)
        if any(r.id == view.layout.id and r.active for r in view.layouts) and self.at is None:
            self.site_layout_changed.emit(layout)
        if self.preview is None:
            return
        article = self._article or PageArticle(
            title="No published article yet",
            body_md="Publish an article to see the page around it.")
        self.preview.set_page(article, layout)

    # --- selection ---------------------------------------------------------------------------
    def selected_panel_id(self) -> str | None:
        index = self.tree.currentIndex()
        ident = index.data(PANEL_ID) if index.isValid() else None
        return str(ident) if ident else None

    def selected_panel(self) -> Panel | None:
        ident = self.selected_panel_id()
        if ident is None or self.view_data is None:
            return None
        return next((p for p in self.view_data.layout.panels if p.id == ident), None)

    def selected_region(self) -> str:
        index = self.tree.currentIndex()
        region = index.data(REGION) if index.isValid() else None
        regions = self.view_data.regions if self.view_data else ("sidebar",)
        return str(region) if region and region != UNPLACED else regions[0]

    def select_panel(self, panel_id: str) -> None:
        index = self.model.index_of_panel(panel_id)
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollTo(index)

    def _tree_menu(self, at: QPoint) -> None:
        """Right-click on a panel (or a region): the Layout menu's panel commands."""
        index = self.tree.indexAt(at)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        on_panel = self.selected_panel_id() is not None
        menu = QMenu(self.tree)
        menu.setObjectName("layoutTreeMenu")
        panel_ids = ("layout.rename_panel", "layout.duplicate_panel", "layout.toggle_panel",
                     "layout.remove_panel", None, "layout.move_up", "layout.move_down",
                     "layout.move_left", "layout.move_right", None, "layout.add_article",
                     "layout.add_link")
        menu.addAction(self.actions_by_id["layout.add_panel"])
        if on_panel:
            menu.addSeparator()
            for ident in panel_ids:
                if ident is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions_by_id[ident])
        menu.popup(self.tree.viewport().mapToGlobal(at))

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_editor()

    def _update_editor(self) -> None:
        panel = self.selected_panel()
        view = self.view_data
        resolved = None
        if panel is not None and view is not None:
            resolved = next((p for p in view.resolved.panels() if p.panel.id == panel.id), None)
        self.editor.set_panel(panel, resolved, view.titles if view else {})

    # --- running changes ---------------------------------------------------------------------
    def push(self, change: Change) -> None:
        """Run a change as an undoable command (the stack calls its redo at once)."""
        self.undo_stack.push(ServiceCommand(change, self._run))

    def _run(self, command: ServiceCommand, call: Call, focus: Focus | None,
             undoing: bool) -> None:
        store = self.runner.store
        if store is None:
            self._on_error("No newsroom database is open.")
            return
        shown, at = self.layout_id, self.at
        first = focus is None and not undoing and not command.refused

        def job() -> LayoutView:
            call(store)
            return _read_back(store, command.layout_to_show(undoing, shown), at)

        def done(view: LayoutView) -> None:
            self._changes_in_flight -= 1
            wanted = focus if focus is not None else command.first_focus()
            self._focus = wanted or (None, None)
            self._show(view)
            self.data_changed.emit()

        def failed(sentence: str) -> None:
            self._changes_in_flight -= 1
            if first:
                drop_refused(self.undo_stack, command)
            self._on_error(sentence)
            self.refresh()

        self._changes_in_flight += 1
        self.queue.submit(job, done, failed, self)

    @property
    def settled(self) -> bool:
        return self._changes_in_flight == 0 and self.runner.pending == 0

    def _layout_chosen(self, index: int) -> None:
        ident = self.layout_combo.itemData(index)
        if ident and ident != self.layout_id:
            self.layout_id = str(ident)
            self.refresh()

    def set_moment(self, at: datetime | None) -> None:
        self.at = at
        self.refresh()

    # --- commands (each a Change from ``changes``) -------------------------------------------
    def _push_made(self, made: Made) -> None:
        if isinstance(made, str):
            self._on_error(made)
        elif made is not None:
            self.push(made)

    def _with_view(self, make: Callable[[LayoutView], Made]) -> None:
        view = self.view_data
        if view is None or not view.layout.id:
            self._on_error("There is no layout to change yet.")
            return
        self._push_made(make(view))

    def _with_panel(self, make: Callable[[LayoutView, Panel], Made]) -> None:
        panel = self.selected_panel()
        if panel is None:
            self._on_error("Select a panel first.")
            return
        self._with_view(lambda view: make(view, panel))

    def _with_item(self, make: Callable[[LayoutView, Panel, str], Made]) -> None:
        item_id = self.editor.selected_item_id()
        if item_id is None:
            self._on_error("Select an item of the panel first.")
            return
        self._with_panel(lambda view, panel: make(view, panel, item_id))

    def apply_fields(self, fields: PanelFields) -> None:
        self._with_panel(lambda _v, p: changes.update_panel(p, fields))

    def add_panel(self) -> None:
        region = self.selected_region()
        self._with_view(lambda v: changes.ask_new_panel(self, v.layout.id, v, region))

    def rename_panel(self) -> None:
        self._with_panel(lambda _v, p: changes.ask_rename_panel(self, p))

    def duplicate_panel(self) -> None:
        self._with_panel(lambda _v, p: changes.duplicate_panel(p))

    def toggle_panel(self) -> None:
        self._with_panel(lambda _v, p: changes.toggle_panel(p))

    def remove_panel(self) -> None:
        self._with_panel(lambda _v, p: changes.remove_panel(p))

    def step_panel(self, step: int) -> None:
        self._with_panel(lambda v, p: changes.step_panel(v, p, step))

    def step_region(self, step: int) -> None:
        self._with_panel(lambda v, p: changes.step_region(v, p, step))

    def move_panel_to(self, panel_id: str, region: str, index: int) -> None:
        def make(view: LayoutView) -> Made:
            panel = next((p for p in view.layout.panels if p.id == panel_id), None)
            return changes.move_panel(view, panel, region, index) if panel else None
        self._with_view(make)

    def add_article(self) -> None:
        self._with_panel(lambda _v, p: changes.ask_article(self, self.runner, p))

    def add_link(self) -> None:
        self._with_panel(lambda _v, p: changes.ask_link(self, p))

    def pin_item(self) -> None:
        now = self.at or utcnow()
        self._with_item(lambda v, p, i: changes.ask_pin(self, p, i, v, now))

    def step_item(self, step: int) -> None:
        self._with_item(lambda _v, p, i: changes.step_item(p, i, step))

    def remove_item(self) -> None:
        self._with_item(lambda _v, p, i: changes.remove_item(p, i))

    def preview_at(self) -> None:
        chosen = changes.ask_moment(self, self.at or utcnow())
        if chosen is not None:
            self.set_moment(chosen)

    def compare(self) -> None:
        from pse_desk.ui.layout.compare_dialog import CompareDialog

        if self.view_data is not None:
            CompareDialog(self.runner, self.view_data, self).open()

    def history(self) -> None:
        from pse_desk.ui.layout.history_dialog import HistoryDialog

        view = self.view_data
        if view is None or not view.layout.id:
            return
        ident = view.layout.id
        dialog = HistoryDialog(self.runner, view.layout, self)
        dialog.restore_requested.connect(
            lambda vid, label: self.push(changes.restore_version(ident, vid, label)))
        dialog.open()

    def new_layout(self) -> None:
        self._push_made(changes.ask_new_layout(self))

    def duplicate_layout(self) -> None:
        self._with_view(lambda v: changes.ask_duplicate_layout(self, v))

    def rename_layout(self) -> None:
        self._with_view(lambda v: changes.ask_rename_layout(self, v))

    def activate_layout(self) -> None:
        self._with_view(changes.activate_layout)

    def remove_layout(self) -> None:
        self._with_view(changes.remove_layout)

    # --- screenshots (``pse-desk --screenshot``) ----------------------------------------------
    def when_ready_for_screenshot(self, ready: Callable[[], None],
                                  timeout_ms: int = 20_000) -> None:
        """Call ``ready`` once the preview shows the page (or at timeout); with
        ``PSE_DESK_SCREENSHOT_DIALOG=compare`` the compare dialog is opened and grabbed, and
        ``PSE_DESK_SCREENSHOT_PANEL=<key>`` selects that panel first."""
        done = [False]

        def once(*_args: object) -> None:
            if not done[0]:
                done[0] = True
                QTimer.singleShot(300, ready)

        wanted = os.environ.get("PSE_DESK_SCREENSHOT_PANEL", "")  # a panel's key
        panel = next((p for p in self.view_data.layout.panels if p.key == wanted), None) \
            if self.view_data else None
        if panel is not None:
            self.select_panel(panel.id)
        if os.environ.get("PSE_DESK_SCREENSHOT_DIALOG") == "compare" and self.view_data:
            from pse_desk.ui.layout.compare_dialog import CompareDialog

            dialog = CompareDialog(self.runner, self.view_data, self)
            self._shot = dialog
            dialog.show()
            dialog.compared.connect(once)
        else:
            self._make_preview()
            self.preview.patched.connect(once)
            self.preview.render_failed.connect(once)
        QTimer.singleShot(timeout_ms, once)

    def screenshot_widget(self) -> QWidget | None:
        return self._shot

    def prepare_to_close(self) -> None:
        if self.preview is not None:
            self.preview.shutdown()


def _read_back(store: Store, layout_id: str | None, at: datetime | None) -> LayoutView:
    with store.read_session() as s:
        return layout_view(s, layout_id, at=at)
