"""The Moderate workspace: queues with live counts, a search, the queue's comments over the whole
queue, one comment in context, and the keys that clear a queue without the mouse.

Widgets translate: reads go through the window's ``ReadRunner``; the table shows a decision
in place and the cursor moves on at once, before the decision is saved. This module lays the
parts out, reads the listing and moves through it; beside it are the decisions (``deciding``:
the keys' pace, the undo stack, the counts), the bar over the table (``listing_bar``), the
views read ahead for the pane (``comment_views``), the toolbar (``toolbar``) and the dialogs
(``dialogs``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QSplitter, QTableView, QVBoxLayout, QWidget

from pse_desk.moderation import wording
from pse_desk.moderation.burst import BurstGuard
from pse_desk.services.moderation.body import defuse_bidi
from pse_desk.services.moderation.decisions import DecisionResult
from pse_desk.services.moderation.detail import CommentView
from pse_desk.services.moderation.queue import (
    Listing,
    Queue,
    QueueFilter,
    QueueRow,
    listing_ids,
    queue_counts,
)
from pse_desk.ui.actions import ActionRegistry
from pse_desk.ui.moderate import toolbar
from pse_desk.ui.moderate.burst_bar import BurstBar
from pse_desk.ui.moderate.comment_pane import CommentPane
from pse_desk.ui.moderate.comment_views import CommentViews
from pse_desk.ui.moderate.deciding import Decider
from pse_desk.ui.moderate.decisions import DecisionRunner
from pse_desk.ui.moderate.dialogs import ModerateDialogs
from pse_desk.ui.moderate.keys import adopt_registry, make_actions
from pse_desk.ui.moderate.listing_bar import ListingBar
from pse_desk.ui.moderate.queue_list import QueueList
from pse_desk.ui.moderate.queue_model import QueueModel
from pse_desk.ui.moderate.toolbar import DecisionProgress
from pse_desk.ui.preferences import Preferences, default_actor
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column

if TYPE_CHECKING:
    from pse_desk.ui.moderate.audit_dialog import AuditDialog
    from pse_desk.ui.moderate.rules_dialog import RulesDialog
    from pse_desk.ui.moderate.shortcut_sheet import ShortcutSheet

PREFETCH = (1, 2, 3, -1)  # rows around the current one whose views are read ahead
# counting a million comments is slow: the exact recount once decisions pause
COUNTS_DELAY_MS = 5000
SELECT_ALL_LIMIT = 100_000
COLUMN_WIDTHS = (28, 125, 130, 190, 340, 60, 110, 80)


class ModerateWorkspace(Workspace):
    key = "moderate"
    title = "Moderate"
    detail_shown = Signal(str)       # comment id now in the detail pane
    decision_saved = Signal(object)  # DecisionResult (also for undo and redo)

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.actor = default_actor()  # the name the audit trail records (Preferences)
        self._make_parts(runner)
        self._layout()
        self.commands = make_actions(self, self._slots())
        toolbar.place_commands(self.commands, self.toolbar, self.table, self.progress)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._connect()

    # --- construction -------------------------------------------------------------------------
    def _make_parts(self, runner: ReadRunner) -> None:
        self.queues = QueueList()
        self.model = QueueModel(runner, self)
        self.table = self._make_table()
        self.pane = CommentPane()
        self.decider = Decider(runner, self.model, self.queues, self.undo_stack,
                               self.current_row, lambda: self.step(1), lambda: self.actor, self)
        self.views = CommentViews(runner, self._present, self._on_error)
        self.listing_bar = ListingBar()
        self.search = self.listing_bar.search
        self.search_error = self.listing_bar.search_error
        self.queue_title = self.listing_bar.title
        self.clear_filter_button = self.listing_bar.clear_filter_button
        self.dialogs = ModerateDialogs(self, runner, self.data_changed.emit)
        self._shown_id: str | None = None
        self.filter: QueueFilter | None = None
        self._filter_text = ""
        self._icons = False

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("commentTable")
        table.setModel(self.model)
        configure_table(table)
        for col, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(col, width)
        stretch_column(table, 4)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return table

    def _layout(self) -> None:
        listing = QWidget()
        top = QVBoxLayout(listing)
        top.setContentsMargins(0, 4, 0, 0)
        top.setSpacing(2)
        top.addWidget(self.listing_bar)
        top.addWidget(self.burst_bar)
        top.addWidget(self.table, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(listing)
        right.addWidget(self.pane)
        right.setSizes([360, 340])
        self.remember_splitter("comments", right)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(self.queues)
        outer.addWidget(right)
        outer.setStretchFactor(1, 1)
        outer.setSizes([190, 1000])
        self.remember_splitter("main", outer)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(outer)

    def _connect(self) -> None:
        self.queues.queue_chosen.connect(self._queue_chosen)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.count_known.connect(self._count_known)
        self.model.failed.connect(self._on_error)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.search.returnPressed.connect(self.apply_search)
        self.listing_bar.search_cleared.connect(self._search_cleared)
        self.clear_filter_button.clicked.connect(lambda: self.set_filter(None, ""))
        self.pane.only_commenter.connect(
            lambda cid, name: self.set_filter(QueueFilter(commenter_id=cid),
                                              wording.only_commenter(defuse_bidi(name))))
        self.pane.only_article.connect(
            lambda aid, title: self.set_filter(QueueFilter(article_id=aid),
                                               wording.only_article(defuse_bidi(title))))
        self.decider.decided.connect(self._decided)
        self.decider.told.connect(self._on_error)
        self.decider.carried_on.connect(
            lambda: self.table.setFocus(Qt.FocusReason.OtherFocusReason))

    def _slots(self) -> dict[str, Callable[[], object]]:
        return {
            "moderate.next": lambda: self.step(1),
            "moderate.previous": lambda: self.step(-1),
            "moderate.approve": lambda: self.decider.decide_current("approve"),
            "moderate.reject": lambda: self.decider.decide_current("reject"),
            "moderate.spam": lambda: self.decider.decide_current("spam"),
            "moderate.select": lambda: self.toggle_mark(move_on=False),
            "moderate.select_next": lambda: self.toggle_mark(move_on=True, only_add=True),
            "moderate.approve_selection": lambda: self.decider.decide_selection("approve"),
            "moderate.reject_selection": lambda: self.decider.decide_selection("reject"),
            "moderate.select_all": self.select_whole_listing,
            "moderate.clear_selection": self.model.clear_marks,
            "moderate.ban": self.decider.ban_current,
            "moderate.next_queue": self.next_queue,
            "moderate.search": self.focus_search,
            "moderate.rules": self.show_rules,
            "moderate.audit": self.show_audit_log,
            "moderate.shortcuts": self.show_shortcut_sheet,
        }

    def apply_preferences(self, prefs: Preferences) -> None:
        """Edit > Preferences: the name decisions are recorded under from now on."""
        self.actor = prefs.actor or default_actor()

    def adopt_actions(self, registry: ActionRegistry) -> None:
        """Use the window's registry actions (menus, user shortcuts) instead of our own."""
        adopt_registry(self.commands, registry, self._slots(), [self, self.table, self.toolbar],
                       self.window())

    def apply_icons(self) -> None:
        """Icons for the toolbar's actions; after the first paint (qtawesome is slow to load)."""
        toolbar.apply_icons(self.commands, self.toolbar)

    # --- screenshots (``pse-desk --screenshot``) ------------------------------------------------
    def when_ready_for_screenshot(self, ready: Callable[[], None]) -> None:
        """Called by the launcher before the grab: the dialog ``PSE_DESK_SCREENSHOT_DIALOG``
        names (``dialogs``), or else the pane showing a comment."""
        wanted = os.environ.get("PSE_DESK_SCREENSHOT_DIALOG", "")
        if self.dialogs.open_for_screenshot(wanted, ready):
            return
        if self.pane.comment_id is not None or not self.model.rowCount():
            QTimer.singleShot(50, ready)
        else:
            self.detail_shown.connect(lambda _id: QTimer.singleShot(50, ready))

    def screenshot_widget(self) -> QWidget | None:
        """The open dialog, when a screenshot should show it instead of the window."""
        return self.dialogs.shown()

    # --- loading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._icons:
            self._icons = True
            QTimer.singleShot(0, self.apply_icons)
        self.refresh_counts()
        if self.queues.current_queue() is None:
            self.queues.choose(Queue.PENDING)  # reads the first page
        else:
            self._load()

    def refresh_counts(self) -> None:
        self.runner.submit("moderate.counts", queue_counts, self.queues.set_counts,
                           self._on_error)

    def current_queue(self) -> Queue:
        return self.queues.current_queue() or Queue.PENDING

    def _queue_chosen(self, queue: Queue) -> None:
        self._load()

    def _load(self) -> None:
        self.pane.clear()
        self._shown_id = None
        self.views.clear()
        self.queue_title.setText(self._title(None))
        self.clear_filter_button.setVisible(self.filter is not None)
        self.model.set_listing(Listing(self.current_queue(), self.listing_bar.query,
                                       self.filter))

    def _title(self, total: int | None) -> str:
        return wording.queue_title(self.current_queue(), total, self._filter_text,
                                   self.listing_bar.query)

    def set_filter(self, queue_filter: QueueFilter | None, description: str) -> None:
        """Narrow the current queue (and any search) to one commenter or article, or not."""
        self.filter, self._filter_text = queue_filter, description
        self._load()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_loaded(self, page: int) -> None:
        if page == 0 and not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 1))
        if not self.model.rowCount():
            self.pane.clear(wording.empty_listing(bool(self.listing_bar.query)))
        current = self.table.currentIndex()
        if current.isValid() and self._shown_id is None:
            self._show_row(current.row())
        self._mark_loaded()

    def _count_known(self, total: int) -> None:
        self.queue_title.setText(self._title(total))
        if not total:
            self.pane.clear(wording.empty_listing(bool(self.listing_bar.query)
                                                  or self.filter is not None))

    # --- moving and showing -------------------------------------------------------------------
    def current_row(self) -> QueueRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def step(self, delta: int) -> None:
        rows = self.model.rowCount()
        if not rows:
            return
        index = self.table.currentIndex()
        row = 0 if not index.isValid() else max(0, min(rows - 1, index.row() + delta))
        self.table.setCurrentIndex(self.model.index(row, max(1, index.column())))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._shown_id = None
        if current.isValid():
            self.table.selectRow(current.row())
            self._show_row(current.row())

    def _show_row(self, row_number: int) -> None:
        row = self.model.ensure_row(row_number)
        if row is None:
            return  # its page is on its way; _page_loaded shows it
        self._shown_id = row.id
        self.show_comment(row.id)

    def show_comment(self, comment_id: str, fresh: bool = False) -> None:
        """Show a comment in the pane: from the views read ahead at once, else from a read."""
        self.views.show(comment_id, fresh)

    def _present(self, view: CommentView) -> None:
        self.pane.show_comment(view)
        self.detail_shown.emit(view.detail.id)
        index = self.table.currentIndex()
        if index.isValid():  # the next comments (and the one before), so j and k show at once
            rows = (self.model.row_at(index.row() + delta) for delta in PREFETCH)
            self.views.read_ahead(row.id for row in rows if row is not None)

    def next_queue(self) -> None:
        if self.pace.tripped:
            return  # stray typing: the question above the table is open
        row = self.queues.currentRow()
        self.queues.setCurrentRow((row + 1) % self.queues.count())

    # --- search -------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.listing_bar.focus_search()

    def apply_search(self) -> None:
        if self.listing_bar.search_is_understood():  # else the sentence shows under the box
            self._load()
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_cleared(self) -> None:
        if self.model.listing is not None and self.model.listing.query:
            self.apply_search()  # the clear button shows the whole queue again

    # --- decisions (``deciding``) --------------------------------------------------------------
    def _decided(self, result: DecisionResult) -> None:
        """A decision saved (or undone, or redone): the pane and the counts follow."""
        ids = result.comment_ids
        if result.action == "ban":
            self.views.clear()  # the commenter's trust shows in every view of theirs
        self.views.forget(ids)
        if self.pane.comment_id in ids:
            self.show_comment(self.pane.comment_id or "", fresh=True)
        self._counts_timer.start()
        self.decision_saved.emit(result)
        self.data_changed.emit()  # the window's "pending comments" count

    @property
    def decisions(self) -> DecisionRunner:
        return self.decider.decisions

    @property
    def pace(self) -> BurstGuard:
        return self.decider.pace

    @pace.setter
    def pace(self, guard: BurstGuard) -> None:
        self.decider.pace = guard

    @property
    def burst_bar(self) -> BurstBar:
        return self.decider.burst_bar

    @property
    def progress(self) -> DecisionProgress:
        return self.decider.progress

    @property
    def ban_box(self) -> QMessageBox | None:
        return self.decider.ban_box

    # --- selection ----------------------------------------------------------------------------
    def toggle_mark(self, move_on: bool, only_add: bool = False) -> None:
        row = self.current_row()
        if row is None:
            return
        on = only_add or row.id not in self.model.marked
        self.model.set_marked([row.id], on)
        if move_on:
            self.step(1)

    def select_whole_listing(self) -> None:
        listing = self.model.listing
        if listing is None:
            return
        self.runner.submit("moderate.select_all",
                           lambda s: listing_ids(s, listing, SELECT_ALL_LIMIT),
                           lambda ids: self.model.set_marked(ids, True), self._on_error)

    # --- dialogs (``dialogs``) ------------------------------------------------------------------
    def show_rules(self) -> None:
        self.dialogs.open_rules()

    def show_audit_log(self) -> None:
        self.dialogs.open_audit()

    def show_shortcut_sheet(self) -> None:
        self.dialogs.open_key_sheet(self.commands)

    @property
    def rules_dialog(self) -> RulesDialog | None:
        return self.dialogs.rules

    @property
    def audit_dialog(self) -> AuditDialog | None:
        return self.dialogs.audit

    @property
    def shortcut_sheet(self) -> ShortcutSheet | None:
        return self.dialogs.key_sheet
