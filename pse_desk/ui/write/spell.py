"""Spell checking as you type, off the GUI thread: red wavy underlines and right-click help.

``SpellChecker`` wraps ``pse_desk.writing.spelling.SpellChecker`` (British English through
pyenchant, plus a personal word list under the platform data folder) for any number of
editors. Lines are checked in a one-thread QThreadPool, a few at a time: only the lines in
view (and lines edited while in view) are checked, each job tagged with the editor's text
revision; a result whose line has changed since is dropped. Results are cached by line text,
so scrolling back or undoing costs nothing. The highlighter asks the cache while it styles a
line and underlines what it finds. Without a dictionary ``unavailable`` says so once, in one
sentence, and editors carry on without underlines.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QTextBlock, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu

from pse_desk import paths
from pse_desk.ui.workers import emit_if_alive
from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.writing import spelling
from pse_desk.writing.markdown_spans import FOOTNOTE, LONG_LINE, NORMAL, code_spans
from pse_desk.writing.utf16 import python_index, utf16_offsets

CACHE_LINES = 50_000
VISIBLE_MARGIN = 30  # lines above and below the view checked ahead of scrolling
BATCH_LINES = 60
FLUSH_DELAY_MS = 40
Spans = tuple[tuple[int, int], ...]  # (start, end) in characters of the line


def defused(line: str) -> str:
    """``line`` with code spans, footnote marks and stray backticks blanked (same length).

    The masking regular expressions of pse_desk.writing.prose take seconds on a line of
    thousands of backticks or ``[^``; a regular expression holds the GIL throughout, so the
    GUI thread would wait for it. The linear scans here leave them nothing slow to do."""
    if "`" not in line and "[^" not in line:
        return line
    chars = list(line)
    for start, end in code_spans(line):
        chars[start:end] = " " * (end - start)
    for m in FOOTNOTE.finditer(line):
        chars[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(chars).replace("`", " ").replace("[^", "  ")


def personal_word_list() -> Path:
    """The user's own words, kept in the platform's user data folder."""
    from platformdirs import user_data_path

    return user_data_path(paths.APP_SLUG, appauthor=False) / f"words-{spelling.LANGUAGE}.txt"


class _Backend:
    """The Enchant checker behind a lock: jobs and the context menu take turns."""

    def __init__(self, personal_path: Path | None, language: str) -> None:
        self.lock = threading.Lock()
        self.checker = spelling.SpellChecker(personal_path, language)


class _Bridge(QObject):
    loaded = Signal(object)  # _Backend
    checked = Signal(int, object)  # revision, [(block number, text, spans)]
    suggested = Signal(str, object)  # word, [suggestions]


class _SuggestJob(QRunnable):
    """Suggestions for one word (Hunspell takes 10-100 ms a word, longer behind a check)."""

    def __init__(self, backend: _Backend, bridge: _Bridge, word: str) -> None:
        super().__init__()
        self._backend, self._bridge, self._word = backend, bridge, word

    def run(self) -> None:
        with self._backend.lock:
            found = self._backend.checker.suggest(self._word)
        emit_if_alive(self._bridge, "suggested", self._word, found)


class _LoadJob(QRunnable):
    def __init__(self, bridge: _Bridge, personal_path: Path | None, language: str) -> None:
        super().__init__()
        self._bridge, self._path, self._language = bridge, personal_path, language

    def run(self) -> None:
        emit_if_alive(self._bridge, "loaded", _Backend(self._path, self._language))


class _CheckJob(QRunnable):
    def __init__(self, backend: _Backend, bridge: _Bridge, revision: int,
                 lines: list[tuple[int, str]]) -> None:
        super().__init__()
        self._backend, self._bridge = backend, bridge
        self._revision, self._lines = revision, lines

    def run(self) -> None:
        out = []
        with self._backend.lock:
            for number, text in self._lines:
                found = self._backend.checker.check_line(defused(text))
                out.append((number, text, tuple((m.start, m.end) for m in found)))
        emit_if_alive(self._bridge, "checked", self._revision, out)


class SpellChecker(QObject):
    """British English spelling for editors; attach each editor once."""

    unavailable = Signal(str)  # once, when there is no dictionary: one sentence
    ready = Signal()  # the dictionary is loaded (or known to be missing)
    lines_checked = Signal(int)  # results for this many lines arrived and were applied
    suggestions_ready = Signal(str, object)  # word, [suggestions]

    def __init__(self, personal_path: Path | None = None, language: str = spelling.LANGUAGE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.personal_path = personal_path if personal_path is not None \
            else personal_word_list()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # Enchant dictionaries are not thread-safe
        self._backend: _Backend | None = None
        self._loading = False
        self.status = ""
        self._cache: OrderedDict[str, Spans] = OrderedDict()
        self._editors: list[_EditorSpelling] = []
        self._bridge = _Bridge()
        self._bridge.loaded.connect(self._loaded)
        self._bridge.suggested.connect(self._suggested_arrived)
        self._suggested: dict[str, list[str]] = {}  # word -> suggestions, newest last
        self._language = language

    # --- the dictionary ---------------------------------------------------------------------

    def load(self) -> None:
        """Load the dictionary in the pool (attaching an editor does this too)."""
        if self._backend is None and not self._loading:
            self._loading = True
            self.pool.start(_LoadJob(self._bridge, self.personal_path, self._language))

    def _loaded(self, backend: _Backend) -> None:
        self._loading = False
        self._backend = backend
        self.status = backend.checker.status
        self.ready.emit()
        if not backend.checker.available:
            self.unavailable.emit(self.status)
            return
        for spelling_of in self._editors:
            spelling_of.check_visible()

    @property
    def available(self) -> bool:
        return self._backend is not None and self._backend.checker.available

    def wait(self) -> None:
        self.pool.waitForDone()

    def suggestions(self, word: str) -> list[str]:
        """Suggestions for ``word``, now (blocking: for tests and scripts, not the menu)."""
        if not self.available or self._backend is None:
            return []
        with self._backend.lock:
            return self._backend.checker.suggest(word)

    def cached_suggestions(self, word: str) -> list[str] | None:
        return self._suggested.get(word)

    def request_suggestions(self, word: str) -> None:
        """Find suggestions for ``word`` in the pool; ``suggestions_ready`` brings them."""
        if self._backend is None or not self.available:
            self.suggestions_ready.emit(word, [])
            return
        if word in self._suggested:
            self.suggestions_ready.emit(word, self._suggested[word])
            return
        self.pool.start(_SuggestJob(self._backend, self._bridge, word), 1)  # before checks

    def _suggested_arrived(self, word: str, found: list[str]) -> None:
        self._suggested[word] = found
        if len(self._suggested) > CACHE_LINES:
            self._suggested.pop(next(iter(self._suggested)))
        self.suggestions_ready.emit(word, found)

    def add_to_dictionary(self, word: str) -> None:
        """Keep ``word`` in the personal word list and take its underlines away everywhere."""
        self._accept(word, keep=True)

    def ignore(self, word: str) -> None:
        """Accept ``word`` until the desk closes."""
        self._accept(word, keep=False)

    def _accept(self, word: str, *, keep: bool) -> None:
        if self._backend is None:
            return
        with self._backend.lock:
            if keep:
                self._backend.checker.add_to_dictionary(word)
            else:
                self._backend.checker.ignore(word)
        for text, spans in list(self._cache.items()):
            if any(text[s:e] == word for s, e in spans):
                self._cache[text] = tuple((s, e) for s, e in spans if text[s:e] != word)
        for spelling_of in self._editors:
            spelling_of.rehighlight_word(word)

    # --- cache --------------------------------------------------------------------------------

    def cached(self, text: str) -> Spans | None:
        found = self._cache.get(text)
        if found is not None:
            self._cache.move_to_end(text)
        return found

    def remember(self, text: str, spans: Spans) -> None:
        self._cache[text] = spans
        self._cache.move_to_end(text)
        while len(self._cache) > CACHE_LINES:
            self._cache.popitem(last=False)

    def check_lines(self, bridge: _Bridge, revision: int, lines: list[tuple[int, str]]) -> bool:
        """Queue a job for ``lines``; False while the dictionary is not (yet) there."""
        if not self.available or self._backend is None:
            return False
        for start in range(0, len(lines), BATCH_LINES):
            self.pool.start(_CheckJob(self._backend, bridge, revision,
                                      lines[start:start + BATCH_LINES]))
        return True

    # --- editors ------------------------------------------------------------------------------

    def attach(self, editor: MarkdownEditor) -> None:
        """Check ``editor`` as it is typed in and scrolled, with suggestions on right-click."""
        spelling_of = _EditorSpelling(self, editor)
        self._editors.append(spelling_of)
        # a closed tab's editor goes away without telling us: forget it then
        editor.destroyed.connect(lambda _obj=None: self._forget(spelling_of))
        self.load()

    @property
    def editors(self) -> tuple[MarkdownEditor, ...]:
        """The editors attached and still open."""
        return tuple(e.editor for e in self._editors)

    def _forget(self, spelling_of: _EditorSpelling) -> None:
        if spelling_of in self._editors:
            self._editors.remove(spelling_of)

    def detach(self, editor: MarkdownEditor) -> None:
        for spelling_of in list(self._editors):
            if spelling_of.editor is editor:
                spelling_of.stop()
                self._editors.remove(spelling_of)


class _EditorSpelling(QObject):
    """The spelling of one editor: which lines to check, and applying what comes back."""

    def __init__(self, checker: SpellChecker, editor: MarkdownEditor) -> None:
        super().__init__(editor)
        self.checker, self.editor = checker, editor
        self._wanted: set[int] = set()
        self._in_flight: set[tuple[int, str]] = set()
        self._applied: dict[int, str] = {}  # block number -> the text underlined from cache
        self._bridge = _Bridge()
        self._bridge.checked.connect(self._checked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_DELAY_MS)
        self._timer.timeout.connect(self._flush)
        editor.highlighter.spelling = self._spans_for
        editor.verticalScrollBar().valueChanged.connect(lambda _v: self._timer.start())
        editor.context_menu_hooks.append(self._extend_menu)

    def stop(self) -> None:
        self.editor.highlighter.spelling = None
        self._timer.stop()
        if self._extend_menu in self.editor.context_menu_hooks:
            self.editor.context_menu_hooks.remove(self._extend_menu)

    def _spans_for(self, block: QTextBlock, text: str) -> Spans:
        """The highlighter's hook: cached underlines, or none yet and the line queued."""
        spans = self.checker.cached(text)
        if spans is None:
            self._wanted.add(block.blockNumber())
            self._timer.start()
            return ()
        self._applied[block.blockNumber()] = text
        return spans

    def _visible_range(self) -> tuple[int, int]:
        first = self.editor.firstVisibleBlock()
        top = first.blockNumber()
        height = self.editor.viewport().height()
        offset = self.editor.contentOffset()
        block, bottom = first, top
        while block.isValid():
            geometry = self.editor.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            bottom = block.blockNumber()
            block = block.next()
        return max(0, top - VISIBLE_MARGIN), bottom + VISIBLE_MARGIN

    def check_visible(self) -> None:
        self._timer.start()

    def _flush(self) -> None:
        """Check the queued and visible lines not yet known; re-style known ones not styled."""
        if not self.checker.available:
            return
        doc = self.editor.document()
        low, high = self._visible_range()
        wanted = {n for n in self._wanted if low <= n <= high} | set(range(low, high + 1))
        self._wanted.clear()
        lines: list[tuple[int, str]] = []
        for number in sorted(wanted):
            block = doc.findBlockByNumber(number)
            if not block.isValid() or block.userState() > NORMAL \
                    or block.previous().userState() > NORMAL:
                continue  # fenced code (fence lines included) is not prose
            text = block.text()
            if not text.strip() or len(text) > LONG_LINE:
                continue
            if self.checker.cached(text) is not None:
                if self._applied.get(number) != text:
                    self.editor.highlighter.rehighlightBlock(block)
                continue
            if (number, text) not in self._in_flight:
                self._in_flight.add((number, text))
                lines.append((number, text))
        if lines:
            self.checker.check_lines(self._bridge, self.editor.revision(), lines)

    def _checked(self, revision: int, results: list[tuple[int, str, Spans]]) -> None:
        doc = self.editor.document()
        applied = 0
        for number, text, spans in results:
            self._in_flight.discard((number, text))
            self.checker.remember(text, spans)
            block = doc.findBlockByNumber(number)
            # made for an older revision and the line has changed since: stale, dropped
            if revision == self.editor.revision() or (block.isValid() and block.text() == text):
                self.editor.highlighter.rehighlightBlock(block)
                applied += 1
        self.checker.lines_checked.emit(applied)

    def rehighlight_word(self, word: str) -> None:
        doc = self.editor.document()
        flags = QTextDocument.FindFlag.FindWholeWords | QTextDocument.FindFlag.FindCaseSensitively
        cursor = doc.find(word, 0, flags)
        seen: set[int] = set()
        while not cursor.isNull():
            block = cursor.block()
            if block.blockNumber() not in seen:
                seen.add(block.blockNumber())
                self.editor.highlighter.rehighlightBlock(block)
            cursor = doc.find(word, cursor, flags)

    # --- the context menu ---------------------------------------------------------------------

    def misspelt_at(self, cursor: QTextCursor) -> tuple[int, int, str] | None:
        """The misspelt word under ``cursor``: its document start, end and text."""
        block = cursor.block()
        text = block.text()
        spans = self.checker.cached(text)
        if not spans:
            return None
        column = python_index(text, cursor.positionInBlock())
        to16 = utf16_offsets(text)
        for start, end in spans:
            if start <= column <= end:
                return block.position() + to16(start), block.position() + to16(end), \
                    text[start:end]
        return None

    def _extend_menu(self, menu: QMenu, cursor: QTextCursor) -> None:
        found = self.misspelt_at(cursor)
        if found is None:
            return
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        added: list[QAction] = []
        suggestions = self.checker.cached_suggestions(word)
        if suggestions is None:  # the menu opens now; the suggestions join it when found
            waiting = QAction("Looking for suggestions…", menu)
            waiting.setObjectName("spellWaiting")
            waiting.setEnabled(False)
            added.append(waiting)
            self._fill_when_found(menu, waiting, word, start, end)
        else:
            added += self._suggestion_actions(menu, suggestions, start, end)
        add = QAction(f"Add “{word}” to dictionary", menu)
        add.setObjectName("spellAdd")
        add.triggered.connect(lambda _checked=False: self.checker.add_to_dictionary(word))
        ignore = QAction(f"Ignore “{word}”", menu)
        ignore.setObjectName("spellIgnore")
        ignore.triggered.connect(lambda _checked=False: self.checker.ignore(word))
        added += [add, ignore]
        menu.insertActions(first, added)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def _suggestion_actions(self, menu: QMenu, suggestions: list[str], start: int,
                            end: int) -> list[QAction]:
        made: list[QAction] = []
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            action.setObjectName("spellSuggestion")
            action.triggered.connect(self._replacer(start, end, suggestion))
            made.append(action)
        if not made:
            none = QAction("No suggestions", menu)
            none.setEnabled(False)
            made.append(none)
        return made

    def _fill_when_found(self, menu: QMenu, waiting: QAction, word: str, start: int,
                         end: int) -> None:
        def arrived(found_word: str, suggestions: object) -> None:
            if found_word != word:
                return
            self.checker.suggestions_ready.disconnect(arrived)
            if not shiboken6.isValid(menu) or not shiboken6.isValid(waiting):
                return  # the menu closed meanwhile
            assert isinstance(suggestions, list)
            menu.insertActions(waiting, self._suggestion_actions(menu, suggestions, start,
                                                                 end))
            menu.removeAction(waiting)

        self.checker.suggestions_ready.connect(arrived)
        self.checker.request_suggestions(word)

    def _replacer(self, start: int, end: int, replacement: str) -> Callable[..., None]:
        def replace(_checked: bool = False) -> None:
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.beginEditBlock()
            cursor.insertText(replacement)
            cursor.endEditBlock()
            self.editor.setTextCursor(cursor)
        return replace
