"""Find and replace in the Markdown editor: a bar under the text (Ctrl+F, Ctrl+H).

Patterns are Python regular expressions (``re``, multi-line, so ``^`` and ``$`` are line
ends) or plain text; "Match case" decides case-sensitivity. A pattern or replacement that is
not valid gives one sentence in the bar, never an exception. Replace all is one undo step.
Qt counts positions in UTF-16 units and Python in characters: ``writing.utf16`` converts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.writing.utf16 import Positions

COUNT_LIMIT = 100_000  # beyond this many matches the bar says "more than"
PER_MATCH_EDITS = 500  # more matches than this are replaced as one stretch of text
TYPE_DELAY_MS = 150
MIN_FIELD_WIDTH = 160


class FindError(ValueError):
    """A pattern or replacement that cannot be used; str() is one sentence."""


def compile_pattern(text: str, *, regex: bool, match_case: bool) -> re.Pattern[str]:
    flags = re.MULTILINE | (0 if match_case else re.IGNORECASE)
    try:
        return re.compile(text if regex else re.escape(text), flags)
    except re.error as exc:
        where = f" at position {exc.pos + 1}" if exc.pos is not None else ""
        raise FindError(f"This is not a valid regular expression: {exc.msg}{where}.") from exc


def replacement_for(match: re.Match[str], template: str, *, regex: bool) -> str:
    if not regex:
        return template
    try:
        return match.expand(template)
    except (re.error, IndexError) as exc:
        raise FindError(f"The replacement cannot be used: {exc}.") from exc


class FindBar(QWidget):
    """Find (and replace) for one editor at a time; ``attach`` points it at an editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.editor: MarkdownEditor | None = None
        self._connected: tuple[tuple[Any, Callable[[], None]], ...] = ()
        self.find_edit = QLineEdit()
        self.find_edit.setObjectName("findText")
        self.find_edit.setPlaceholderText("Find")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setAccessibleName("Find")
        self.replace_edit = QLineEdit()
        self.replace_edit.setObjectName("replaceText")
        self.replace_edit.setPlaceholderText("Replace with (\\1 or \\g<name> for groups)")
        self.replace_edit.setAccessibleName("Replace with")
        for edit in (self.find_edit, self.replace_edit):
            edit.setMinimumWidth(MIN_FIELD_WIDTH)
        self._build_controls()
        self._lay_out()
        # Whatever its contents ask for, the bar takes the width it is given: a wide bar
        # must never push the splitter above it (it once squeezed the preview to 100 px).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._replace_widgets: tuple[QWidget, ...] = (self.replace_edit, self.replace_button,
                                                      self.replace_all_button)
        self._connect()
        self.hide()

    def _build_controls(self) -> None:
        self.regex_box = QCheckBox("Regular e&xpression")
        self.regex_box.setObjectName("findRegex")
        self.case_box = QCheckBox("Match &case")
        self.case_box.setObjectName("findMatchCase")
        self.previous_button = QPushButton("&Previous")
        self.next_button = QPushButton("&Next")
        self.replace_button = QPushButton("&Replace")
        self.replace_all_button = QPushButton("Replace &all")
        self.close_button = close = QToolButton()
        close.setText("×")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        self.status = QLabel()
        self.status.setObjectName("findStatus")

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 3, 6, 3)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addLayout(self._row(self.previous_button, self.next_button, self.regex_box,
                                 self.case_box, self.status), 0, 1)
        grid.addWidget(self.close_button, 0, 2)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addLayout(self._row(self.replace_button, self.replace_all_button), 1, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)

    def _connect(self) -> None:
        self._type_timer = QTimer(self)
        self._type_timer.setSingleShot(True)
        self._type_timer.setInterval(TYPE_DELAY_MS)
        self._type_timer.timeout.connect(lambda: self.find_next(forward=True, from_start=True))
        self.find_edit.textEdited.connect(lambda _t: self._type_timer.start())
        self.find_edit.returnPressed.connect(lambda: self.find_next(forward=True))
        self.replace_edit.returnPressed.connect(self.replace)
        self.next_button.clicked.connect(lambda: self.find_next(forward=True))
        self.previous_button.clicked.connect(lambda: self.find_next(forward=False))
        self.replace_button.clicked.connect(self.replace)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.close_button.clicked.connect(self.close_bar)
        for keys, slot in (("Shift+Return", lambda: self.find_next(forward=False)),
                           ("Escape", self.close_bar)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        for edit in (self.find_edit, self.replace_edit):
            edit.installEventFilter(self)

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _signals(self, editor: MarkdownEditor) -> tuple[tuple[Any, Callable[[], None]], ...]:
        return ((editor.find_requested, self.show_find),
                (editor.replace_requested, self.show_replace),
                (editor.find_next_requested, lambda: self._again(forward=True)),
                (editor.find_previous_requested, lambda: self._again(forward=False)))

    def attach(self, editor: MarkdownEditor) -> None:
        """Work on ``editor`` from now on; its find keys (Ctrl+F, Ctrl+H, F3 …) reach this bar."""
        if self.editor is not None:
            for signal, _slot in self._connected:
                signal.disconnect(_slot)
        self.editor = editor
        self._connected = self._signals(editor)
        for signal, slot in self._connected:
            signal.connect(slot)

    def _again(self, *, forward: bool) -> None:
        """F3 / Shift+F3: the next or previous match; the bar opens when nothing is sought."""
        if not self.find_edit.text():
            self.show_find()
            return
        self.show()
        self.find_next(forward=forward)

    _BAR_COMMANDS = ("editor.find", "editor.replace", "editor.find_next", "editor.find_previous")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the editor's find keys typed in the bar stay with the bar (Ctrl+F is the window's
        # search box elsewhere); they are the keys the user chose for the editor
        if self.editor is not None and isinstance(event, QKeyEvent) and event.type() in (
                QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            command = self.editor.command_for(event)
            if command in self._BAR_COMMANDS:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.editor.run_command(command)
                return True
        return super().eventFilter(watched, event)

    # --- showing ------------------------------------------------------------------------------

    def show_find(self) -> None:
        self._open(replace=False)

    def show_replace(self) -> None:
        self._open(replace=True)

    def _open(self, *, replace: bool) -> None:
        if self.editor is not None:
            selected = self.editor.textCursor().selectedText()
            if selected and "\u2029" not in selected:  # one line of selection seeds the search
                self.find_edit.setText(re.escape(selected) if self.regex_box.isChecked()
                                       else selected)
        for w in self._replace_widgets:
            w.setVisible(replace)
        self.show()
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar, the cursor and both panes staying where they are.

        The editor takes the focus before the bar hides: hiding the focused field would hand
        the focus to the next widget in the chain, the preview, whose page scrolls to the top
        when it gains the focus — and the editor follows the preview's scroll.
        """
        if self.editor is not None:
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.hide()

    def _say(self, sentence: str, *, problem: bool = False) -> None:
        self.status.setText(sentence)
        self.status.setProperty("problem", problem)
        colour = "#c0392b" if problem else ""
        self.status.setStyleSheet(f"color: {colour};" if colour else "")

    def _pattern(self) -> re.Pattern[str] | None:
        text = self.find_edit.text()
        if not text:
            self._say("")
            return None
        try:
            return compile_pattern(text, regex=self.regex_box.isChecked(),
                                   match_case=self.case_box.isChecked())
        except FindError as exc:
            self._say(str(exc), problem=True)
            return None

    # --- finding ------------------------------------------------------------------------------

    def find_next(self, *, forward: bool = True, from_start: bool = False) -> bool:
        """Select the next (or previous) match, wrapping round; False when there is none."""
        editor, pattern = self.editor, self._pattern()
        if editor is None or pattern is None:
            return False
        text = editor.toPlainText()
        where = Positions(text)
        cursor = editor.textCursor()
        if forward:
            start = where.to_python(cursor.selectionStart() if from_start
                                    else cursor.selectionEnd())
            match = self._next(pattern, text, start, cursor.hasSelection() or from_start)
            wrapped = match is None
            if match is None:
                match = pattern.search(text)
        else:
            match = self._previous(pattern, text, where.to_python(cursor.selectionStart()))
            wrapped = match is None
            if match is None:
                match = self._previous(pattern, text, len(text) + 1)
        if match is None:
            self._say("No match.", problem=True)
            return False
        self._select(editor, where, match.start(), match.end())
        self._say(self._count(pattern, text, match) + (" Wrapped round." if wrapped else ""))
        return True

    @staticmethod
    def _next(pattern: re.Pattern[str], text: str, start: int,
              allow_at_start: bool) -> re.Match[str] | None:
        match = pattern.search(text, start)
        if match is not None and match.start() == match.end() == start and not allow_at_start:
            match = pattern.search(text, start + 1) if start < len(text) else None
        return match

    @staticmethod
    def _previous(pattern: re.Pattern[str], text: str, before: int) -> re.Match[str] | None:
        found = None
        for match in pattern.finditer(text):
            if match.start() >= before:
                break
            found = match
        return found

    @staticmethod
    def _count(pattern: re.Pattern[str], text: str, current: re.Match[str]) -> str:
        total = index = 0
        for match in pattern.finditer(text):
            total += 1
            if match.start() <= current.start():
                index = total
            if total >= COUNT_LIMIT:
                return f"Match {index:,} of more than {COUNT_LIMIT:,}."
        return f"Match {index:,} of {total:,}."

    @staticmethod
    def _select(editor: MarkdownEditor, where: Positions, start: int, end: int) -> None:
        cursor = editor.textCursor()
        cursor.setPosition(where.to_qt(start))
        cursor.setPosition(where.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()

    # --- replacing ----------------------------------------------------------------------------

    def replace(self) -> None:
        """Replace the selected match (if the selection is one) and find the next."""
        editor, pattern = self.editor, self._pattern()
        if editor is None or pattern is None:
            return
        text = editor.toPlainText()
        where = Positions(text)
        cursor = editor.textCursor()
        if cursor.hasSelection():
            start = where.to_python(cursor.selectionStart())
            end = where.to_python(cursor.selectionEnd())
            match = pattern.match(text, start)
            if match is not None and match.end() == end:
                try:
                    new = replacement_for(match, self.replace_edit.text(),
                                          regex=self.regex_box.isChecked())
                except FindError as exc:
                    self._say(str(exc), problem=True)
                    return
                cursor.beginEditBlock()
                cursor.insertText(new)
                cursor.endEditBlock()
                editor.setTextCursor(cursor)
        self.find_next(forward=True)

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        editor, pattern = self.editor, self._pattern()
        if editor is None or pattern is None:
            return 0
        text = editor.toPlainText()
        regex = self.regex_box.isChecked()
        template = self.replace_edit.text()
        try:
            edits = [(m.start(), m.end(), replacement_for(m, template, regex=regex))
                     for m in pattern.finditer(text)]
        except FindError as exc:
            self._say(str(exc), problem=True)
            return 0
        if not edits:
            self._say("No match.", problem=True)
            return 0
        self._apply(editor, text, edits)
        n = len(edits)
        self._say(f"Replaced {n:,} match{'es' if n != 1 else ''}.")
        return n

    @staticmethod
    def _apply(editor: MarkdownEditor, text: str, edits: list[tuple[int, int, str]]) -> None:
        where = Positions(text)
        scroll = editor.verticalScrollBar().value()
        cursor = QTextCursor(editor.document())
        cursor.beginEditBlock()
        if len(edits) <= PER_MATCH_EDITS:
            for start, end, new in reversed(edits):
                cursor.setPosition(where.to_qt(start))
                cursor.setPosition(where.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(new)
        else:  # one stretch from the first match to the last: far fewer edits for Qt
            first, last = edits[0][0], edits[-1][1]
            pieces: list[str] = []
            position = first
            for start, end, new in edits:
                pieces += [text[position:start], new]
                position = end
            cursor.setPosition(where.to_qt(first))
            cursor.setPosition(where.to_qt(last), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText("".join(pieces))
        cursor.endEditBlock()
        editor.verticalScrollBar().setValue(scroll)

