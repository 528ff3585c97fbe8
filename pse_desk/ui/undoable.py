"""Undoable changes of the Layout and Editions workspaces: one QUndoCommand per change, whose
redo and undo are service calls run on the store's writer lane (in order with every other
write of the desk).

A change is three service calls: ``do`` the first time (its result — a new panel's
id, the fields or place it had before — is kept), ``undo`` with that result, and ``again``
(redo after an undo) with it too. The calls run off the GUI thread, so the command keeps the
result in a holder the lane fills before any later call of the same command can run.

When ``do`` is refused (another desk removed the panel meanwhile, say), the command takes
itself off the stack, so undo never tries to reverse what never happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from pse_desk.store.db import Store

Call = Callable[[Store], Any]
WithResult = Callable[[Store, Any], Any]


@dataclass
class Change:
    """What one command does. ``focus``: the panel (and item) to select after it ran, given the
    command's result (or None to keep the selection)."""

    text: str
    do: Call
    undo: WithResult
    again: WithResult | None = None
    focus: Callable[[Any], tuple[str | None, str | None]] | None = None
    undo_focus: Callable[[Any], tuple[str | None, str | None]] | None = None
    # the layout to show after it ran, given its result (None: the active one); not given:
    # the layout shown
    shows: Callable[[Any], str | None] | None = None
    undo_shows: Callable[[Any], str | None] | None = None


# run(command, call, focus or None for the command's own, undoing)
Runner = Callable[["ServiceCommand", Call, tuple[str | None, str | None] | None, bool], None]


class ServiceCommand(QUndoCommand):
    def __init__(self, change: Change, run: Runner) -> None:
        super().__init__(change.text)
        self.change = change
        self._run = run
        self._first = True
        self.refused = False
        self.result: Any = None

    def _keep(self, store: Store) -> Any:
        self.result = self.change.do(store)  # on the lane: before any later call of ours
        return self.result

    def redo(self) -> None:
        if self.refused:
            self.setObsolete(True)
            return
        change = self.change
        if self._first:
            self._first = False
            self._run(self, self._keep, None, False)
            return
        again = change.again or (lambda store, _result: change.do(store))
        self._run(self, lambda store: again(store, self.result),
                  change.focus(self.result) if change.focus else None, False)

    def undo(self) -> None:
        if self.refused:
            self.setObsolete(True)
            return
        focus = self.change.undo_focus(self.result) if self.change.undo_focus else None
        self._run(self, lambda store: self.change.undo(store, self.result), focus, True)

    def layout_to_show(self, undoing: bool, shown: str | None) -> str | None:
        """Which layout to show after a call (run on the lane, after the call)."""
        chooser = self.change.undo_shows if undoing else self.change.shows
        return chooser(self.result) if chooser is not None else shown

    def first_focus(self) -> tuple[str | None, str | None] | None:
        return self.change.focus(self.result) if self.change.focus else None


def drop_refused(stack: QUndoStack, command: ServiceCommand) -> None:
    """The first ``do`` of ``command`` was refused: take it off the stack (it is the newest
    command unless the user was quicker than the lane, in which case it stays a no-op)."""
    command.refused = True
    if stack.index() > 0 and stack.command(stack.index() - 1) is command:
        stack.undo()  # its undo sees ``refused`` and makes it obsolete: Qt deletes it
