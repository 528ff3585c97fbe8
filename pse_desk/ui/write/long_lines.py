"""An article with a line too long to edit: shown cut and read-only, explained, and split on
request.

Qt lays out a single 10 MB line for many seconds and a keystroke in a 40,000-character line
costs ~90 ms (see ``pse_desk.writing.long_lines``), so ``LongLineGuard.load`` never puts such a
text into the editor whole. It shows each over-long line cut, with a marker, makes the editor
read-only and puts a banner above it saying why in one sentence, with "Split long lines". The
text for saving, the preview and exports stays the original (``body``): the cut display text
is never autosaved or snapshotted (nothing can be typed, so nothing changes). "Split long
lines" splits the text in the write queue (off the GUI thread), saves it as a named revision
("split long lines") and then opens it for editing — a big text a slice of lines per
event-loop turn (``LOAD_STEP_CHARS``), because the highlighter styles every inserted line and a
10 MB text put in at once stalls the GUI for seconds; meanwhile ``body`` is the whole text.
(``ui.write.sliced_insert`` does the same for a big paste that the editor split.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from pse_desk.services import revisions
from pse_desk.services.revisions import ArticleText
from pse_desk.store.model import RevisionKind
from pse_desk.ui.write.banner import NoticeBanner
from pse_desk.writing.long_lines import (
    LOAD_STEP_CHARS,
    line_slices,
    long_lines,
    protection_sentence,
    shown_text,
    split_long_lines,
)

if TYPE_CHECKING:
    from pse_desk.store import Store
    from pse_desk.ui.write.autosave import WriteQueue
    from pse_desk.ui.write.editor import MarkdownEditor

SPLIT_LABEL = "split long lines"
SPLIT_BUTTON = "Split long lines"
OPENING_SENTENCE = "Opening the split text for editing…"


class LongLineBanner(NoticeBanner):
    """The sentence above a protected text and its "Split long lines" button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("longLineBanner", SPLIT_BUTTON, parent=parent)
        self.button.setToolTip("Break the long lines at sentence ends or spaces, save that as "
                               "a revision and open the text for editing")

    def show_sentence(self, sentence: str) -> None:
        self.set_busy(False)
        super().show_sentence(sentence)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.button.setText("Splitting…" if busy else SPLIT_BUTTON)


class LongLineGuard(QObject):
    """Loads texts into one tab's editor, protecting it from over-long lines; see the module
    docstring. ``opened`` reports that the editor took a new text (the tab marks it saved)."""

    opened = Signal()
    message = Signal(str)  # one sentence for the status bar

    def __init__(self, editor: MarkdownEditor, queue: WriteQueue, store: Store,
                 article_id: str, text: Callable[[], ArticleText],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.editor, self.queue, self.store, self.article_id = editor, queue, store, article_id
        self._text = text
        self.banner = LongLineBanner()
        self.banner.action_requested.connect(self.split)
        self.original: str | None = None  # the whole text while it is shown cut
        self._splitting = False
        self._slices: Iterator[str] = iter(())
        self._step_timer = QTimer(self)
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._load_step)

    @property
    def protected(self) -> bool:
        return self.original is not None

    def body(self) -> str:
        """The article's Markdown: the original while protected, else the editor's text."""
        return self.original if self.original is not None else self.editor.toPlainText()

    def load(self, body: str) -> None:
        """Put ``body`` into the editor (fresh undo history), cut and read-only if need be."""
        self.stop()
        self.editor.document().setUndoRedoEnabled(True)
        found = long_lines(body)
        if found:
            self.original = body
            self.editor.setReadOnly(True)
            self.editor.set_markdown(shown_text(body))
            self.banner.show_sentence(protection_sentence(found))
        else:
            self.original = None
            self.editor.setReadOnly(False)
            self.editor.set_markdown(body)
            self.banner.hide()
        self.opened.emit()

    def load_in_steps(self, body: str) -> None:
        """Like ``load`` for a text without over-long lines, but a slice of lines per
        event-loop turn, the editor read-only until the last one is in."""
        if len(body) <= LOAD_STEP_CHARS or long_lines(body):
            self.load(body)
            return
        self.original = body  # what is saved and previewed while the editor fills
        self.editor.setReadOnly(True)
        self.editor.set_markdown("")
        self.editor.document().setUndoRedoEnabled(False)
        # the partly filled editor tells nobody (preview, autosave, snapshots): each of them
        # would copy the 10 MB text again at every turn
        self.editor.blockSignals(True)
        self.banner.show_sentence(OPENING_SENTENCE)
        self.banner.button.setEnabled(False)
        self._slices = line_slices(body, LOAD_STEP_CHARS)
        self._step_timer.start()

    def _load_step(self) -> None:
        piece = next(self._slices, None)
        if piece is None:
            self.stop()
            self.editor.document().setUndoRedoEnabled(True)  # and a fresh undo history
            self.editor.moveCursor(QTextCursor.MoveOperation.Start)
            self.original = None
            self.editor.setReadOnly(False)
            self.banner.hide()
            self.opened.emit()
            self.editor.announce_change()  # now the preview, once
            return
        cursor = QTextCursor(self.editor.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(piece)

    def stop(self) -> None:
        """Stop filling the editor (the tab closes; ``body`` stays the whole text)."""
        self._step_timer.stop()
        self.editor.blockSignals(False)

    def split(self) -> None:
        """Split the long lines and save that as a revision (in the write queue), then open
        the split text for editing."""
        if self.original is None or self._splitting:
            return
        self._splitting = True
        self.banner.set_busy(True)
        original, fields = self.original, self._text()
        store, article_id = self.store, self.article_id

        def job() -> str:
            text = split_long_lines(original)
            revisions.save_revision(store, article_id, replace(fields, body_md=text),
                                    kind=RevisionKind.MANUAL, label=SPLIT_LABEL)
            return text

        self.queue.submit(job, self._split_saved, self._split_failed, self)

    def _split_saved(self, text: object) -> None:
        self._splitting = False
        if not isinstance(text, str) or self.original is None:
            return
        added = text.count("\n") - self.original.count("\n")
        self.load_in_steps(text)
        self.message.emit(f"Split the long lines ({added:,} line breaks added, nothing else "
                          f"changed) and saved the text as the revision “{SPLIT_LABEL}”.")

    def _split_failed(self, sentence: str) -> None:
        self._splitting = False
        self.banner.set_busy(False)
        self.message.emit(sentence)
