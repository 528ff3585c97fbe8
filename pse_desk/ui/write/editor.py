"""The Markdown text widget of the Write workspace: typing aids, revisions, whole-text analysis.

``MarkdownEditor`` is a QPlainTextEdit with Markdown highlighting, Ctrl+B / Ctrl+I (wrap or
unwrap), Ctrl+K (link with the address selected), Enter continuing lists and quotes, Tab /
Shift+Tab indenting lines (list-aware), and line-based navigation for the outline, the checks
and the preview. Every change raises the text revision and ``text_changed_rev`` reports it
(coalesced per event-loop turn). Whatever needs the whole text — outline, checks, word count —
is left to ``analysis.TextAnalyser``, off the GUI thread, whose results arrive as
``analysis_ready``; so a 100,000-word article never stalls a keystroke. A paste (or drop) with
a line too long for the editor is split first (``writing.long_lines``: only line breaks are
inserted) and ``paste_split`` says so in a sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from pse_desk.ui.actions import default_editor_keys
from pse_desk.ui.write.analysis import TextAnalyser, TextAnalysis
from pse_desk.ui.write.highlighter import MarkdownHighlighter
from pse_desk.ui.write.sliced_insert import SlicedInsert
from pse_desk.writing.long_lines import (
    LINE_LIMIT,
    LOAD_STEP_CHARS,
    longest_line,
    paste_sentence,
    split_long_lines,
)
from pse_desk.writing.typing_rules import (
    INDENT,
    ITEM,
    RENUMBER_LOOKAHEAD,
    continuation,
    is_list_item,
    looks_like_url,
    outdented,
    renumbered_siblings,
    stars_hold,
    wrapped_in_stars,
)
from pse_desk.writing.utf16 import python_index, utf16_len, utf16_offsets
from pse_desk.writing.worker import AnalysisWorker

LAZY_STYLE_CHARS = 50_000  # a longer text is styled screen by screen after it shows
LINK_PLACEHOLDER = "link text"
URL_PLACEHOLDER = "url"


def _combo(event: QKeyEvent) -> int:
    """The key and its modifiers as one int (keypad left out), for looking up shortcuts."""
    combined: int = event.keyCombination().toCombined()
    return combined & ~Qt.KeyboardModifier.KeypadModifier.value


class MarkdownEditor(QPlainTextEdit):
    """Markdown source editor; line numbers in its signals and methods are 1-based."""

    text_changed_rev = Signal(int)
    top_line_changed = Signal(int)
    cursor_line_changed = Signal(int)
    find_requested = Signal()  # Ctrl+F inside the editor: the find bar opens
    replace_requested = Signal()  # Ctrl+H
    find_next_requested = Signal()  # F3
    find_previous_requested = Signal()  # Shift+F3
    analysis_ready = Signal(object)  # TextAnalysis of the current revision
    paste_split = Signal(str)  # a pasted over-long line was split: the sentence says so
    context_menu_shown = Signal(object)  # the QMenu, just before it opens (tests look at it)

    # the registry's editor commands (``ui.actions``, scope "editor") and what runs them here
    COMMANDS = {"editor.bold": "toggle_bold", "editor.italic": "toggle_italic",
                "editor.link": "make_link", "editor.find": "find_requested",
                "editor.replace": "replace_requested", "editor.find_next": "find_next_requested",
                "editor.find_previous": "find_previous_requested"}

    def __init__(self, parent: QWidget | None = None, *,
                 analysis_pool: QThreadPool | None = None,
                 analysis_worker: AnalysisWorker | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownEditor")
        self.setAccessibleName("Article text (Markdown)")
        self.setPlaceholderText("Write the article in Markdown: ## for a heading, **bold**, "
                                "*italic*, [text](address) for a link.")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self.setTabChangesFocus(False)
        self.keys = default_editor_keys()  # key combination -> command; ``set_keys`` changes
        self.highlighter = MarkdownHighlighter(self.document(), self.palette())
        # called with (menu, cursor under the mouse) to add entries: spelling suggestions
        self.context_menu_hooks: list[Callable[[QMenu, QTextCursor], None]] = []
        self._revision = 0
        self._top_line = 1
        self._cursor_line = 1
        self._quiet_scroll = False
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(0)
        self._emit_timer.timeout.connect(lambda: self.text_changed_rev.emit(self._revision))
        self.analyser = TextAnalyser(self.toPlainText, self.revision, self, pool=analysis_pool,
                                     worker=analysis_worker)
        self.analyser.ready.connect(self.analysis_ready)
        self._restyle_above = 0
        self._restyle_timer = QTimer(self)
        self._restyle_timer.setSingleShot(True)
        self._restyle_timer.setInterval(0)
        self._restyle_timer.timeout.connect(self._restyle_line_above)
        self.document().contentsChange.connect(self._contents_change)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.cursorPositionChanged.connect(self._cursor_moved)

    # --- revisions, lines, navigation -------------------------------------------------------

    def revision(self) -> int:
        return self._revision

    def _contents_change(self, position: int, removed: int, added: int) -> None:
        if removed == 0 and added == 0:
            return
        self._revision += 1
        self._emit_timer.start()
        self.analyser.text_changed()
        # typing or removing a setext underline (=== / ---) changes how the line above looks
        changed = self.document().findBlock(position)
        stripped = changed.text().lstrip(" ")
        if (not stripped or stripped[0] in "=-") and changed.previous().isValid():
            self._restyle_above = changed.blockNumber()
            self._restyle_timer.start()

    def announce_change(self) -> None:
        """Report the current revision at the next event-loop turn (once, however often
        asked): after changes made while the editor's signals were blocked."""
        self._emit_timer.start()

    def _restyle_line_above(self) -> None:
        block = self.document().findBlockByNumber(self._restyle_above - 1)
        if block.isValid() and block.text().strip():
            self.highlighter.rehighlightBlock(block)

    def _scrolled(self, _value: int) -> None:
        if not self.highlighter.fully_styled:  # a jump ahead of the lazy styling
            top = self.firstVisibleBlock().blockNumber()
            self.highlighter.style_lines(top, top + 2 * self._lines_on_screen())
        line = self.firstVisibleBlock().blockNumber() + 1
        if line != self._top_line:
            self._top_line = line
            if not self._quiet_scroll:
                self.top_line_changed.emit(line)

    def _cursor_moved(self) -> None:
        line = self.textCursor().blockNumber() + 1
        if line != self._cursor_line:
            self._cursor_line = line
            self.cursor_line_changed.emit(line)

    def top_line(self) -> int:
        return self.firstVisibleBlock().blockNumber() + 1

    def _block(self, line: int) -> QTextBlock:
        count = self.document().blockCount()
        return self.document().findBlockByNumber(min(max(line, 1), count) - 1)

    def go_to_line(self, line: int, column: int = 0) -> None:
        """Put the cursor at ``line`` (1-based) and ``column`` (0-based, in characters)."""
        block = self._block(line)
        text = block.text()
        offset = utf16_offsets(text)(min(max(column, 0), len(text)))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + offset)
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def scroll_to_line(self, line: int) -> None:
        """Show ``line`` at the top of the view without moving the cursor or echoing
        ``top_line_changed`` (the caller already knows where it scrolled to)."""
        block = self._block(line)
        self._quiet_scroll = True
        try:
            self.verticalScrollBar().setValue(block.firstLineNumber())
        finally:
            self._quiet_scroll = False
            self._top_line = self.firstVisibleBlock().blockNumber() + 1

    def insert_markdown(self, snippet: str) -> None:
        """Insert ``snippet`` at the cursor (replacing any selection) as one undo step;
        nothing while the editor is read-only (a text shown cut, say)."""
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(snippet)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste or drop: a text with a line too long to edit is split into lines first."""
        text = source.text() if source.hasText() else ""
        longest = longest_line(text) if len(text) > LINE_LIMIT else 0
        if longest <= LINE_LIMIT:
            super().insertFromMimeData(source)
            return
        split = split_long_lines(text, self._room_at_cursor())
        self.paste_split.emit(paste_sentence(longest))  # (the sliced insert blocks signals)
        if len(split) > LOAD_STEP_CHARS:
            SlicedInsert(self, split, self.announce_change)  # a slice per turn: no stall
        else:
            self.insert_markdown(split)
            self.ensureCursorVisible()

    def _room_at_cursor(self) -> int:
        """How long a pasted line may be so that, joined to the text before and after the
        cursor (or selection) on its line, it stays within ``LINE_LIMIT``."""
        cursor = self.textCursor()
        doc = self.document()
        first, last = doc.findBlock(cursor.selectionStart()), doc.findBlock(cursor.selectionEnd())
        before = cursor.selectionStart() - first.position()
        after = last.position() + last.length() - 1 - cursor.selectionEnd()
        return max(LINE_LIMIT - max(before, after), LINE_LIMIT // 10)

    def set_markdown(self, text: str) -> None:
        """Load a text: fresh undo history, cursor at the start. A long text shows its first
        screens styled at once and the rest is styled in the next moments."""
        if len(text) > LAZY_STYLE_CHARS:
            self.highlighter.style_lazily(self._lines_on_screen() * 3)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def _lines_on_screen(self) -> int:
        return max(1, self.viewport().height() // max(1, self.fontMetrics().lineSpacing()))

    # --- whole-text analysis ----------------------------------------------------------------

    @property
    def last_analysis(self) -> TextAnalysis | None:
        return self.analyser.last

    def analyse_text_of(self, text: Callable[[], str]) -> None:
        """Analyse ``text()`` rather than what the editor shows (the whole of a text that is
        shown cut: its line numbers are the same)."""
        self.analyser._text = text  # the analyser reads the text through this callable

    def analyse_now(self) -> None:
        """Start the analysis at once (a newly loaded text, say) instead of after the pause."""
        self.analyser.analyse_now()

    # --- keys ---------------------------------------------------------------------------------

    # Key, palette and context-menu events are handled in ``event`` rather than in
    # ``keyPressEvent`` and friends: with PySide6 6.12 on Python 3.11 every call of a Python
    # override of a void event handler drops a reference to None, and a few thousand
    # keystrokes later the interpreter aborts ("none_dealloc"). ``event`` returns a bool.
    def event(self, e: QEvent) -> bool:
        kind = e.type()
        if kind == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent) \
                and _combo(e) in self.keys:
            e.accept()  # claim our keys before window-wide actions (Ctrl+F, say)
            return True
        if kind == QEvent.Type.KeyPress and isinstance(e, QKeyEvent) and self._key_pressed(e):
            e.accept()
            return True
        if kind == QEvent.Type.ContextMenu and isinstance(e, QContextMenuEvent):
            self._show_context_menu(e)  # from the keyboard (the Menu key, Shift+F10)
            return True
        handled = super().event(e)
        if kind == QEvent.Type.PaletteChange:
            self.highlighter.set_palette(self.palette())
        return handled

    def set_keys(self, keys: dict[int, str]) -> None:
        """The keys of the editor commands, as the user chose them (``editor_keys``)."""
        self.keys = dict(keys)

    def command_for(self, e: QKeyEvent) -> str | None:
        """The editor command these keys run, if any (the find bar asks too)."""
        return self.keys.get(_combo(e))

    def run_command(self, command: str) -> None:
        """Run an editor command by its registry id (from a key or from the menu)."""
        name = self.COMMANDS[command]
        target = getattr(self, name)
        if name.endswith("_requested"):
            target.emit()
        elif not self.isReadOnly():  # a protected (read-only) text is not formatted
            target()

    def viewportEvent(self, e: QEvent) -> bool:
        # A right-click lands on the viewport, and QAbstractScrollArea hands it to
        # contextMenuEvent without passing through ``event``: catch it here.
        if e.type() == QEvent.Type.ContextMenu and isinstance(e, QContextMenuEvent):
            self._show_context_menu(e)
            return True
        return super().viewportEvent(e)

    def _show_context_menu(self, e: QContextMenuEvent) -> None:
        menu = self.build_context_menu(e.pos())
        self.context_menu_shown.emit(menu)
        menu.exec(e.globalPos())
        menu.deleteLater()

    def _key_pressed(self, e: QKeyEvent) -> bool:
        """Our keys; False leaves the key to QPlainTextEdit."""
        command = self.keys.get(_combo(e))
        if command is not None:
            self.run_command(command)
            return True
        if self.isReadOnly():
            return False
        mods = e.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = e.key()
        plain = mods == Qt.KeyboardModifier.NoModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            if self.continue_block():
                self.ensureCursorVisible()
                return True
        elif key == Qt.Key.Key_Tab and plain:
            self.indent_lines()
            return True
        elif key == Qt.Key.Key_Backtab:
            self.outdent_lines()
            return True
        return False

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu, with what the hooks (spelling suggestions) put at the top."""
        menu = self.createStandardContextMenu(pos)
        cursor = self.cursorForPosition(pos)
        for hook in self.context_menu_hooks:
            hook(menu, cursor)
        return menu

    # --- formatting commands ------------------------------------------------------------------

    def toggle_bold(self) -> None:
        self._toggle_stars(2)

    def toggle_italic(self) -> None:
        self._toggle_stars(1)

    def _char(self, position: int) -> str:
        doc = self.document()
        return doc.characterAt(position) if 0 <= position < doc.characterCount() else ""

    def _stars_before(self, position: int) -> int:
        n = 0
        while self._char(position - 1 - n) == "*":
            n += 1
        return n

    def _stars_after(self, position: int) -> int:
        n = 0
        while self._char(position + n) == "*":
            n += 1
        return n

    def _toggle_stars(self, width: int) -> None:
        """Wrap the selection in ``*`` × width, or unwrap it when it is already wrapped."""
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        marker = "*" * width
        selected = cursor.selectedText()
        around = min(self._stars_before(start), self._stars_after(end))
        cursor.beginEditBlock()
        if selected and wrapped_in_stars(selected, width):
            # the markers are inside the selection: take them off its ends
            cursor.insertText(selected[width:len(selected) - width])
            cursor.setPosition(start)
            cursor.setPosition(end - 2 * width, QTextCursor.MoveMode.KeepAnchor)
        elif stars_hold(around, width):
            edit = QTextCursor(self.document())
            edit.setPosition(end)
            edit.setPosition(end + width, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            edit.setPosition(start - width)
            edit.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            cursor.setPosition(start - width)
            cursor.setPosition(end - width, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.insertText(marker + selected + marker)
            cursor.setPosition(start + width)
            cursor.setPosition(end + width, QTextCursor.MoveMode.KeepAnchor)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def make_link(self) -> None:
        """``[selection](url)`` with "url" selected, ready to type over; a selected address
        becomes the target and the cursor waits in the empty link text."""
        cursor = self.textCursor()
        selected = cursor.selectedText().strip()
        start = cursor.selectionStart()
        cursor.beginEditBlock()
        if selected and looks_like_url(selected):
            cursor.insertText(f"[]({selected})")
            cursor.setPosition(start + 1)
        else:
            label = selected or LINK_PLACEHOLDER
            cursor.insertText(f"[{label}]({URL_PLACEHOLDER})")
            url_start = start + utf16_len(f"[{label}](")
            cursor.setPosition(url_start)
            cursor.setPosition(url_start + len(URL_PLACEHOLDER), QTextCursor.MoveMode.KeepAnchor)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def continue_block(self) -> bool:
        """Enter inside a list item or quote: continue it, or end it when the item is empty.
        Returns False when Enter should do what it always does."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        block = cursor.block()
        text = block.text()
        column = python_index(text, cursor.positionInBlock())
        step = continuation(text, column)
        if step is None:
            return False
        cursor.beginEditBlock()
        if step.end_block:
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(step.replacement)
        else:
            cursor.insertText("\n" + step.prefix)
            self._renumber_after(cursor.block())
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def _renumber_after(self, item: QTextBlock) -> None:
        """Continue the count of a numbered list below a new item (inside the caller's edit
        block, so Enter and the renumbering undo together)."""
        if ITEM.match(item.text()) is None:
            return
        following: list[QTextBlock] = []
        block = item.next()
        while block.isValid() and len(following) < RENUMBER_LOOKAHEAD:
            following.append(block)
            block = block.next()
        changes = renumbered_siblings(item.text(), [b.text() for b in following])
        edit = QTextCursor(self.document())
        for index, new in changes:
            target = following[index]
            edit.setPosition(target.position())
            edit.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                              QTextCursor.MoveMode.KeepAnchor)
            edit.insertText(new)

    def _selected_blocks(self) -> tuple[QTextBlock, QTextBlock]:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line start leaves that line alone
        return first, last

    def _edit_lines(self, edit: Callable[[str], str]) -> None:
        """Apply ``edit(line) -> new line`` to every selected line, as one undo step, keeping
        the lines selected (or the cursor where it was, relative to its text)."""
        cursor = self.textCursor()
        first, last = self._selected_blocks()
        had_selection = cursor.hasSelection()
        anchor_block = first.blockNumber()
        column_from_end = cursor.block().length() - cursor.positionInBlock()
        work = QTextCursor(self.document())
        work.beginEditBlock()
        block = first
        while block.isValid():
            text = block.text()
            new = edit(text)
            if new != text:
                work.setPosition(block.position())
                work.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                  QTextCursor.MoveMode.KeepAnchor)
                work.insertText(new)
            if block == last:
                break
            block = block.next()
        work.endEditBlock()
        doc = self.document()
        if had_selection:
            last_number = last.blockNumber()
            end_block = doc.findBlockByNumber(last_number)
            cursor.setPosition(doc.findBlockByNumber(anchor_block).position())
            cursor.setPosition(end_block.position() + end_block.length() - 1,
                               QTextCursor.MoveMode.KeepAnchor)
        else:
            block = doc.findBlockByNumber(anchor_block)
            cursor.setPosition(block.position() + max(0, block.length() - column_from_end))
        self.setTextCursor(cursor)

    def indent_lines(self) -> None:
        """Tab: indent the selected lines (or the list item) by one level; elsewhere, with
        nothing selected, insert spaces up to the next tab stop."""
        cursor = self.textCursor()
        first, last = self._selected_blocks()
        if first == last and not cursor.hasSelection() and not is_list_item(first.text()):
            column = cursor.positionInBlock()
            cursor.insertText(" " * (len(INDENT) - column % len(INDENT)))
            return
        self._edit_lines(lambda line: INDENT + line if line.strip() else line)

    def outdent_lines(self) -> None:
        """Shift+Tab: take one level of indentation off the selected lines."""
        self._edit_lines(outdented)
