"""Decisions from the Moderate keys: admitted at reading pace, saved in the pool, shown in the
table at once, put on the undo stack, and the queue counts moved.

A decision key first passes a ``moderation.burst.BurstGuard``: keys that come faster than
anyone reads are refused and the ``BurstBar`` asks whether to undo the decisions that burst
made. A decision runs through a ``DecisionRunner`` (one unit of work each, in order); its
result marks the rows in the table (``QueueModel.set_decided``), joins the undo stack as a
``DecisionCommand`` and moves the counts (``moderation.counts``) before the exact recount.
A ban asks first, naming how many pending comments it will reject.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from pse_desk.moderation import wording
from pse_desk.moderation.burst import BurstGuard
from pse_desk.moderation.counts import counts_after
from pse_desk.services.moderation import decisions as actions
from pse_desk.services.moderation.decisions import BanPreview, DecisionResult
from pse_desk.services.moderation.queue import QueueRow
from pse_desk.ui.moderate.burst_bar import BurstBar
from pse_desk.ui.moderate.decisions import (
    DecisionCommand,
    DecisionRunner,
    fold_wal_soon,
    store_lane,
)
from pse_desk.ui.moderate.queue_list import QueueList
from pse_desk.ui.moderate.queue_model import QueueModel
from pse_desk.ui.moderate.toolbar import DecisionProgress
from pse_desk.ui.workers import ReadRunner


class Decider(QObject):
    """Turns decision keys into saved decisions for the workspace that owns the widgets given.

    ``current()`` is the row under the cursor and ``move_on()`` steps the cursor to the next;
    ``actor()`` is the name the audit trail records.
    """

    decided = Signal(object)  # DecisionResult, once saved (also for undo and redo)
    told = Signal(str)        # one sentence for the status bar
    carried_on = Signal()     # keys are admitted again after a burst

    def __init__(self, runner: ReadRunner, model: QueueModel, queues: QueueList,
                 undo_stack: QUndoStack, current: Callable[[], QueueRow | None],
                 move_on: Callable[[], None], actor: Callable[[], str],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.runner, self.model, self.queues, self.undo_stack = runner, model, queues, undo_stack
        self._current, self._move_on, self._actor, self._parent = current, move_on, actor, parent
        self.decisions = DecisionRunner(store_lane(lambda: runner.store), self)
        self.pace = BurstGuard()
        self.burst_bar = BurstBar()
        self.progress = DecisionProgress()
        self.ban_box: QMessageBox | None = None
        self._undo_burst_when_idle = False
        self.decisions.progress.connect(self.progress.advance)
        self.decisions.busy_changed.connect(self._busy)
        self.burst_bar.undo_requested.connect(self.undo_burst)
        self.burst_bar.carry_on_requested.connect(self.carry_on)

    # --- deciding -----------------------------------------------------------------------------
    def _admit(self) -> int | None:
        """A ticket for a decision key, or None (and the question) when it came in a burst."""
        ticket = self.pace.admit()
        if ticket is None and not self.burst_bar.isVisible():
            self.burst_bar.ask(len(self.pace.burst), self.pace.limit,
                               round(self.pace.window_s * 1000))
        return ticket

    def decide_current(self, action: str) -> None:
        ticket = self._admit()
        row = self._current()
        if ticket is None or row is None:
            return
        self._move_on()
        self.run_decision([row.id], action, ticket)

    def decide_selection(self, action: str) -> None:
        ticket = self._admit()
        ids = list(self.model.marked)
        if not ids:
            row = self._current()
            ids = [row.id] if row is not None else []
        if ticket is not None and ids:
            self.model.clear_marks()
            self.run_decision(ids, action, ticket)

    def run_decision(self, ids: list[str], action: str, ticket: int = 0) -> None:
        store = self.runner.store
        if store is None:
            return
        actor, big = self._actor(), len(ids) >= actions.BIG
        self.decisions.run(
            lambda progress: actions.decide_many(store, ids, action, actor, progress,
                                                 fold_later=big),
            lambda result: self._done(result, ticket=ticket), self.told.emit)

    # --- a decision saved ---------------------------------------------------------------------
    def _done(self, result: object, undone: bool = False, push: bool = True,
              ticket: int = 0) -> None:
        assert isinstance(result, DecisionResult)
        if undone:
            self.model.set_decided(dict.fromkeys(result.comment_ids))
        else:
            self.model.set_decided(result.new_statuses())  # type: ignore[arg-type]
        if push:
            self._put_on_record(result, ticket)
        self._adjust_counts(result)
        store = self.runner.store
        if store is not None and result.count >= actions.BIG:
            fold_wal_soon(store, self.runner.pool)  # its commits left the WAL for later
        self.decided.emit(result)

    def _put_on_record(self, result: DecisionResult, ticket: int) -> None:
        """A new decision on the undo stack; one that changed nothing says so instead."""
        store = self.runner.store
        if store is not None and (result.count or result.banned_commenter_id):
            self.undo_stack.push(DecisionCommand(
                result, store, self.decisions,
                lambda r, was_undo: self._done(r, was_undo, push=False),
                self.told.emit, ticket, actor=self._actor))
        elif not result.count:
            self.told.emit(wording.nothing_changed(actions.ACTION_STATUS[result.action].value))

    def _adjust_counts(self, result: DecisionResult) -> None:
        """Move the queue counts at once by what changed; the recount that follows corrects
        what a row not in view could not tell (was it held? reported?)."""
        if not self.queues.counts:
            return
        listing = self.model.listing
        self.queues.set_counts(counts_after(self.queues.counts, result.changes,
                                            self.model.cached_by_id(),
                                            listing.queue if listing else None))

    def _busy(self, busy: bool) -> None:
        self.progress.set_busy(busy)
        if not busy and self._undo_burst_when_idle:
            self.undo_burst()

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
        self.told.emit(wording.burst_undone(undone))

    def carry_on(self) -> None:
        """The moderator meant those keys (or has undone them): admit keys again."""
        self.pace.carry_on()
        self.burst_bar.hide()
        self.carried_on.emit()

    # --- ban ----------------------------------------------------------------------------------
    def ban_current(self) -> None:
        ticket = self._admit()
        row, store = self._current(), self.runner.store
        if ticket is None or row is None or store is None:
            return
        comment_id = row.id
        self.decisions.run(lambda _p: actions.ban_preview(store, comment_id),
                                     lambda preview: self._confirm_ban(preview, comment_id),
                                     self.told.emit)

    def _confirm_ban(self, preview: object, comment_id: str) -> None:
        assert isinstance(preview, BanPreview)
        box = QMessageBox(QMessageBox.Icon.Question, "Ban commenter", preview.question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self._parent)
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
        actor = self._actor()
        self.decisions.run(
            lambda _p: actions.ban_commenter(store, preview.commenter_id, actor=actor,
                                             via_comment_id=comment_id),
            self._done, self.told.emit)
