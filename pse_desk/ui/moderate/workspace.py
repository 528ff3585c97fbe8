"""The Moderate workspace: queues with live counts, a search, the queue's comments over the whole
queue, one comment in context, and the keys that clear a queue without the mouse.

Widgets translate: reads go through the window's ``ReadRunner``; decisions through a
``DecisionRunner`` (in the pool, one unit of work each) and onto the undo stack; the table
shows a decision in place and the cursor moves on at once, before the decision is saved.
Decision keys pass a ``moderation.burst.BurstGuard`` first: keys that come faster than anyone
reads are refused and the ``BurstBar`` above the table asks what to do with that burst.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.moderation import wording
from pse_desk.moderation.burst import BurstGuard
from pse_desk.moderation.counts import counts_after
from pse_desk.moderation.search import parse_query
from pse_desk.services.moderation import decisions as actions
from pse_desk.services.moderation.body import defuse_bidi
from pse_desk.services.moderation.decisions import BanPreview, DecisionResult
from pse_desk.services.moderation.detail import CommentView, comment_view
from pse_desk.services.moderation.queue import (
    Listing,
    Queue,
    QueueFilter,
    QueueRow,
    listing_ids,
    queue_counts,
)
from pse_desk.ui.actions import ActionRegistry
from pse_desk.ui.moderate.burst_bar import BurstBar
from pse_desk.ui.moderate.comment_pane import CommentPane
from pse_desk.ui.moderate.decisions import (
    DecisionCommand,
    DecisionRunner,
    fold_wal_soon,
)
from pse_desk.ui.moderate.keys import MODERATE_SPECS, adopt_registry, make_actions
from pse_desk.ui.moderate.queue_list import QueueList
from pse_desk.ui.moderate.queue_model import HEADERS, QueueModel
from pse_desk.ui.preferences import Preferences, default_actor
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column

VIEW_CACHE = 64
PREFETCH = (1, 2, 3, -1)
COUNTS_DELAY_MS = 5000  # the exact recount (slow on a million comments) after decisions pause
if TYPE_CHECKING:
    from pse_desk.ui.moderate.rules_dialog import (
        RulesDialog,  # counting a million comments is slow: once after a burst of decisions
    )
SELECT_ALL_LIMIT = 100_000


class ModerateWorkspace(Workspace):
    key = "moderate"
    title = "Moderate"
    detail_shown = Signal(str)       # comment id now in the detail pane
    decision_saved = Signal(object)  # DecisionResult (also for undo and redo)

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.actor = default_actor()  # the name the audit trail records (Preferences)
        self.decisions = DecisionRunner(runner.pool, self)
        self.queues = QueueList()
        self.model = QueueModel(runner, self)
        self.table = self._make_table()
        self.pane = CommentPane()
        self.search = QLineEdit()
        self.search.setObjectName("moderateSearch")
        self.search.setPlaceholderText("Search comments — e.g. user:ana rule:shouting after:"
                                       "2026-11-01   (press / to come here)")
        self.search.setClearButtonEnabled(True)
        self.search_error = QLabel()
        self.search_error.setObjectName("searchError")
        self.search_error.setTextFormat(Qt.TextFormat.PlainText)
        self.search_error.setWordWrap(True)
        self.search_error.hide()
        self.queue_title = QLabel()
        self.queue_title.setObjectName("queueTitle")
        self.queue_title.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_filter_button = QPushButton("Show the whole queue")
        self.clear_filter_button.setObjectName("clearFilter")
        self.clear_filter_button.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("decisionProgress")
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.pace = BurstGuard()
        self.burst_bar = BurstBar()
        self._undo_burst_when_idle = False
        self._layout()
        self.commands = make_actions(self, self._slots())
        self._build_toolbar()
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._shown_id: str | None = None
        self.filter: QueueFilter | None = None
        self._filter_text = ""
        self._icons = False
        self._views: OrderedDict[str, CommentView] = OrderedDict()

        self.queues.queue_chosen.connect(self._queue_chosen)
        self.model.page_loaded.connect(self._page_loaded)
        self.model.count_known.connect(self._count_known)
        self.model.failed.connect(self._on_error)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.search.returnPressed.connect(self.apply_search)
        self.pane.only_commenter.connect(
            lambda cid, name: self.set_filter(QueueFilter(commenter_id=cid),
                                              wording.only_commenter(defuse_bidi(name))))
        self.pane.only_article.connect(
            lambda aid, title: self.set_filter(QueueFilter(article_id=aid),
                                               wording.only_article(defuse_bidi(title))))
        self.clear_filter_button.clicked.connect(lambda: self.set_filter(None, ""))
        self.search.textChanged.connect(self._search_edited)
        self.decisions.progress.connect(self._progress)
        self.decisions.busy_changed.connect(self._busy)
        self.burst_bar.undo_requested.connect(self.undo_burst)
        self.burst_bar.carry_on_requested.connect(self.carry_on)

    # --- construction -------------------------------------------------------------------------
    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("commentTable")
        table.setModel(self.model)
        configure_table(table)
        for col, width in enumerate((28, 125, 130, 190, 340, 60, 110, 80)):
            table.setColumnWidth(col, width)
        stretch_column(table, 4)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return table

    def _layout(self) -> None:
        listing = QWidget()
        top = QVBoxLayout(listing)
        top.setContentsMargins(0, 4, 0, 0)
        top.setSpacing(2)
        title_row = QHBoxLayout()
        title_row.addWidget(self.queue_title, 1)
        title_row.addWidget(self.clear_filter_button)
        top.addLayout(title_row)
        top.addWidget(self.search)
        top.addWidget(self.search_error)
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

    def _slots(self) -> dict[str, Callable[[], object]]:
        return {
            "moderate.next": lambda: self.step(1),
            "moderate.previous": lambda: self.step(-1),
            "moderate.approve": lambda: self.decide_current("approve"),
            "moderate.reject": lambda: self.decide_current("reject"),
            "moderate.spam": lambda: self.decide_current("spam"),
            "moderate.select": lambda: self.toggle_mark(move_on=False),
            "moderate.select_next": lambda: self.toggle_mark(move_on=True, only_add=True),
            "moderate.approve_selection": lambda: self.decide_selection("approve"),
            "moderate.reject_selection": lambda: self.decide_selection("reject"),
            "moderate.select_all": self.select_whole_listing,
            "moderate.clear_selection": self.model.clear_marks,
            "moderate.ban": self.ban_current,
            "moderate.next_queue": self.next_queue,
            "moderate.search": self.focus_search,
            "moderate.rules": self.show_rules,
            "moderate.audit": self.show_audit_log,
            "moderate.shortcuts": self.show_shortcut_sheet,
        }

    def _build_toolbar(self) -> None:
        for spec_id in ("moderate.approve", "moderate.reject", "moderate.spam", "moderate.ban",
                        None, "moderate.approve_selection", "moderate.reject_selection", None,
                        "moderate.rules", "moderate.audit"):
            if spec_id is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.commands[spec_id])
        self.toolbar.addWidget(self.progress)
        for spec in MODERATE_SPECS:
            if spec.id not in ("moderate.rules", "moderate.audit", "moderate.shortcuts"):
                self.table.addAction(self.commands[spec.id])

    def apply_preferences(self, prefs: Preferences) -> None:
        """Edit > Preferences: the name decisions are recorded under from now on."""
        self.actor = prefs.actor or default_actor()

    def adopt_actions(self, registry: ActionRegistry) -> None:
        """Use the window's registry actions (menus, user shortcuts) instead of our own."""
        adopt_registry(self.commands, registry, self._slots(), [self, self.table, self.toolbar],
                       self.window())

    def apply_icons(self) -> None:
        """Icons for the toolbar's actions; after the first paint (qtawesome is slow to load)."""
        import qtawesome

        from pse_desk.ui.theme import current_theme, icon_colour

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        colour = icon_colour(current_theme(app))
        for spec in MODERATE_SPECS:
            if spec.icon:
                self.commands[spec.id].setIcon(qtawesome.icon(spec.icon, color=colour))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for spec_id in ("moderate.approve_selection", "moderate.reject_selection",
                        "moderate.rules", "moderate.audit"):  # their tooltips name them
            button = self.toolbar.widgetForAction(self.commands[spec_id])
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    # --- screenshots (``pse-desk --screenshot``) ------------------------------------------------
    def when_ready_for_screenshot(self, ready: Callable[[], None]) -> None:
        """Called by the launcher before the grab: ``PSE_DESK_SCREENSHOT_DIALOG=rules`` opens the
        rules editor with a draft tried on past comments, ``audit`` the audit log."""
        wanted = os.environ.get("PSE_DESK_SCREENSHOT_DIALOG", "")
        if wanted == "rules":
            self.show_rules()
            dialog = self.rules_dialog
            dialog.trial_finished.connect(lambda _r: QTimer.singleShot(100, ready))
            dialog.rules_loaded.connect(lambda: self._screenshot_trial(dialog))
        elif wanted == "audit":
            self.show_audit_log()
            self.audit_dialog.page_loaded.connect(lambda _n: QTimer.singleShot(100, ready))
        else:
            self._ensure_shown(ready)

    def _ensure_shown(self, ready: Callable[[], None]) -> None:
        if self.pane.comment_id is not None or not self.model.rowCount():
            QTimer.singleShot(50, ready)
        else:
            self.detail_shown.connect(lambda _id: QTimer.singleShot(50, ready))

    @staticmethod
    def _screenshot_trial(dialog: RulesDialog) -> None:
        dialog.new_rule()
        dialog.kind.setCurrentIndex(dialog.kind.findData("suspect_words"))
        dialog.set_field("words", ["rubbish", "cheap", "scandal", "disgrace"])
        dialog.description.setText("Words that often start a row")
        dialog.days.setValue(120)
        dialog.try_draft()

    def screenshot_widget(self) -> QWidget | None:
        """The open dialog, when a screenshot should show it instead of the window."""
        for name in ("rules_dialog", "audit_dialog"):
            dialog = getattr(self, name, None)
            if dialog is not None and dialog.isVisible():
                return dialog
        return None

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
        queue = self.current_queue()
        self.pane.clear()
        self._shown_id = None
        self._views.clear()
        self.queue_title.setText(self._title(None))
        self.clear_filter_button.setVisible(self.filter is not None)
        self.model.set_listing(Listing(queue, self.search.text().strip(), self.filter))

    def _title(self, total: int | None) -> str:
        return wording.queue_title(self.current_queue(), total, self._filter_text,
                                   self.search.text().strip())

    def set_filter(self, queue_filter: QueueFilter | None, description: str) -> None:
        """Narrow the current queue (and any search) to one commenter or article, or not."""
        self.filter, self._filter_text = queue_filter, description
        self._load()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_loaded(self, page: int) -> None:
        if page == 0 and not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 1))
        if not self.model.rowCount():
            self.pane.clear(wording.empty_listing(bool(self.search.text().strip())))
        current = self.table.currentIndex()
        if current.isValid() and self._shown_id is None:
            self._show_row(current.row())
        self._mark_loaded()

    def _count_known(self, total: int) -> None:
        self.queue_title.setText(self._title(total))
        if not total:
            self.pane.clear(wording.empty_listing(bool(self.search.text().strip())
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
        """Show a comment in the pane: from the prefetched views at once, else from a read."""
        view = None if fresh else self._views.get(comment_id)
        if view is not None:
            self.runner.forget("moderate.comment")  # an older read must not replace it
            self._present(view)
            return
        self.runner.submit("moderate.comment", lambda s: comment_view(s, comment_id),
                           self._comment_arrived, self._on_error)

    def _comment_arrived(self, view: CommentView) -> None:
        self._remember(view)
        self._present(view)

    def _present(self, view: CommentView) -> None:
        self.pane.show_comment(view)
        self.detail_shown.emit(view.detail.id)
        self._prefetch()

    def _remember(self, view: CommentView) -> None:
        self._views[view.detail.id] = view
        self._views.move_to_end(view.detail.id)
        while len(self._views) > VIEW_CACHE:
            self._views.popitem(last=False)

    def _prefetch(self) -> None:
        """Read the next comments (and the one before) ahead, so j and k show at once."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        for delta in PREFETCH:
            row = self.model.row_at(index.row() + delta)
            if row is None or row.id in self._views:
                continue
            cid = row.id
            self.runner.submit(f"moderate.prefetch.{cid}", lambda s, c=cid: comment_view(s, c),
                               self._remember, lambda _sentence: None)

    def next_queue(self) -> None:
        if self.pace.tripped:
            return  # stray typing: the question above the table is open
        row = self.queues.currentRow()
        self.queues.setCurrentRow((row + 1) % self.queues.count())

    # --- search -------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_search(self) -> None:
        text = self.search.text().strip()
        if text:
            try:
                parse_query(text)
            except Exception as exc:  # SearchError: one sentence under the box
                self.search_error.setText(str(exc))
                self.search_error.show()
                return
        self.search_error.hide()
        self._load()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_edited(self, text: str) -> None:
        if not text and self.model.listing is not None and self.model.listing.query:
            self.apply_search()  # the clear button shows the whole queue again

    # --- decisions ----------------------------------------------------------------------------
    def _admit(self) -> int | None:
        """A ticket for a decision key, or None (and the question) when it came in a burst."""
        ticket = self.pace.admit()
        if ticket is None and not self.burst_bar.isVisible():
            self.burst_bar.ask(len(self.pace.burst), self.pace.limit,
                               round(self.pace.window_s * 1000))
        return ticket

    def decide_current(self, action: str) -> None:
        ticket = self._admit()
        row = self.current_row()
        if ticket is None or row is None:
            return
        self.step(1)
        self.run_decision([row.id], action, ticket)

    def decide_selection(self, action: str) -> None:
        ticket = self._admit()
        ids = list(self.model.marked)
        if not ids:
            row = self.current_row()
            ids = [row.id] if row is not None else []
        if ticket is not None and ids:
            self.model.clear_marks()
            self.run_decision(ids, action, ticket)

    def run_decision(self, ids: list[str], action: str, ticket: int = 0) -> None:
        store = self.runner.store
        if store is None:
            return
        actor, big = self.actor, len(ids) >= actions.BIG
        self.decisions.run(lambda progress: actions.decide_many(store, ids, action, actor,
                                                                progress, fold_later=big),
                           lambda result: self._decision_done(result, ticket=ticket),
                           self._on_error)

    # --- a burst of keys ----------------------------------------------------------------------
    def undo_burst(self) -> None:
        """Undo the decisions the burst made (once they are all saved), then carry on."""
        if self.decisions.busy:
            self._undo_burst_when_idle = True  # some are still being saved: see _busy
            return
        self._undo_burst_when_idle = False
        tickets = set(self.pace.burst)
        undone = 0
        while self.undo_stack.canUndo():
            top = self.undo_stack.command(self.undo_stack.index() - 1)
            if getattr(top, "ticket", 0) not in tickets:
                break
            self.undo_stack.undo()
            undone += 1
        self.carry_on()
        self._on_error(wording.burst_undone(undone))

    def carry_on(self) -> None:
        self.pace.carry_on()
        self.burst_bar.hide()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _decision_done(self, result: object, undone: bool = False, push: bool = True,
                       ticket: int = 0) -> None:
        assert isinstance(result, DecisionResult)
        ids = result.comment_ids
        if undone:
            self.model.set_decided(dict.fromkeys(ids))
        else:
            self.model.set_decided(result.new_statuses())  # type: ignore[arg-type]
        store = self.runner.store
        if push and store is not None and (result.count or result.banned_commenter_id):
            command = DecisionCommand(
                result, store, self.decisions,
                lambda r, was_undo: self._decision_done(r, was_undo, push=False),
                self._on_error, ticket, actor=lambda: self.actor)
            self.undo_stack.push(command)
        elif push and not result.count:
            self._on_error(wording.nothing_changed(actions.ACTION_STATUS[result.action].value))
        if result.action == "ban":
            self._views.clear()  # the commenter's trust shows in every view of theirs
        for cid in ids:
            self._views.pop(cid, None)
        if self.pane.comment_id in ids:
            self.show_comment(self.pane.comment_id or "", fresh=True)
        self._adjust_counts(result)
        self._counts_timer.start()
        if store is not None and result.count >= actions.BIG:
            fold_wal_soon(store, self.runner.pool)  # its commits left the WAL for later
        self.decision_saved.emit(result)
        self.data_changed.emit()  # the window's "pending comments" count

    def _adjust_counts(self, result: DecisionResult) -> None:
        """Move the queue counts at once by what changed (``moderation.counts``); the recount
        that follows corrects what a row not in view could not tell (was it held? reported?)."""
        if not self.queues.counts:
            return
        listing = self.model.listing
        self.queues.set_counts(counts_after(self.queues.counts, result.changes,
                                            self.model.cached_by_id(),
                                            listing.queue if listing else None))

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done:,} of {total:,}")

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy and self.progress.maximum() > 1)
        if not busy:
            self.progress.setMaximum(1)
            self.progress.setValue(0)
            if self._undo_burst_when_idle:
                self.undo_burst()

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

    # --- ban ----------------------------------------------------------------------------------
    def ban_current(self) -> None:
        ticket = self._admit()
        row, store = self.current_row(), self.runner.store
        if ticket is None or row is None or store is None:
            return
        comment_id = row.id
        self.decisions.run(lambda _p: actions.ban_preview(store, comment_id),
                           lambda preview: self._confirm_ban(preview, comment_id),
                           self._on_error)

    def _confirm_ban(self, preview: object, comment_id: str) -> None:
        assert isinstance(preview, BanPreview)
        box = QMessageBox(QMessageBox.Icon.Question, "Ban commenter", preview.question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("banConfirm")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the display name is untrusted
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._ban(preview, comment_id))
        box.open()
        self.ban_box = box

    def _ban(self, preview: BanPreview, comment_id: str) -> None:
        store = self.runner.store
        if store is None:
            return
        actor = self.actor
        self.decisions.run(lambda _p: actions.ban_commenter(store, preview.commenter_id,
                                                            actor=actor,
                                                            via_comment_id=comment_id),
                           self._decision_done, self._on_error)

    # --- dialogs ------------------------------------------------------------------------------
    def show_rules(self) -> None:
        from pse_desk.ui.moderate.rules_dialog import RulesDialog

        if self.runner.store is None:
            return
        dialog = RulesDialog(self.runner.store, self.runner.pool, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rules_saved.connect(self.data_changed)  # the window reads its counts again
        dialog.open()
        self.rules_dialog = dialog

    def show_audit_log(self) -> None:
        from pse_desk.ui.moderate.audit_dialog import AuditDialog

        if self.runner.store is None:
            return
        dialog = AuditDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.audit_dialog = dialog

    def show_shortcut_sheet(self) -> None:
        from pse_desk.ui.moderate.shortcut_sheet import ShortcutSheet

        sheet = ShortcutSheet(self.commands, self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.open()
        self.shortcut_sheet = sheet


__all__ = ["HEADERS", "ModerateWorkspace"]
