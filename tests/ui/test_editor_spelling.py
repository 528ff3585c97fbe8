"""Spelling in the editor: checked off the GUI thread, red wavy underlines, suggestions and
"Add to dictionary" on right-click, code and URLs left alone, and one sentence (then quiet)
when there is no dictionary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.spell import SpellChecker
from pse_desk.writing import spelling

HAS_EN_GB = spelling.SpellChecker().available
needs_dictionary = pytest.mark.skipif(not HAS_EN_GB, reason="no en_GB dictionary for Enchant "
                                      "(install hunspell-en-gb)")


@pytest.fixture
def checker(tmp_path: Path) -> Iterator[SpellChecker]:
    spell = SpellChecker(personal_path=tmp_path / "words.txt")
    yield spell
    spell.wait()


@pytest.fixture
def editor(qtbot, checker: SpellChecker) -> Iterator[MarkdownEditor]:  # type: ignore[no-untyped-def]
    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    checker.detach(widget)
    QThreadPool.globalInstance().waitForDone()


def underlined(editor: MarkdownEditor, line: int) -> list[str]:
    """The words of ``line`` (1-based) that carry the wavy spelling underline."""
    block = editor.document().findBlockByNumber(line - 1)
    text = block.text()
    wavy = QTextCharFormat.UnderlineStyle.WaveUnderline
    return [text[r.start:r.start + r.length] for r in block.layout().formats()
            if QTextCharFormat(r.format).underlineStyle() == wavy]


def wait_checked(qtbot, editor: MarkdownEditor, line: int, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: underlined(editor, line) == words, timeout=15000)


@needs_dictionary
def test_misspelt_words_get_a_wavy_underline_and_code_and_links_do_not(qtbot, editor, checker):
    checker.attach(editor)
    editor.set_markdown("The councl met on Tuesdy.\n\n`recieve` and https://exmple.org/teh\n"
                        "```\nspeling in code\n```\nColour and organisation are British.")
    wait_checked(qtbot, editor, 1, ["councl", "Tuesdy"])
    assert underlined(editor, 3) == []
    assert underlined(editor, 5) == []
    assert underlined(editor, 7) == []


@needs_dictionary
def test_typing_a_misspelling_underlines_it_and_fixing_it_clears_it(qtbot, editor, checker):
    checker.attach(editor)
    editor.set_markdown("Good words here.")
    qtbot.waitUntil(lambda: checker.available, timeout=15000)
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " Recieve")
    wait_checked(qtbot, editor, 1, ["Recieve"])
    for _ in range(6):
        qtbot.keyClick(editor, "\b")
    qtbot.keyClicks(editor, "eceive")
    wait_checked(qtbot, editor, 1, [])


@needs_dictionary
def test_right_click_offers_suggestions_that_replace_the_word_in_one_undo_step(qtbot, editor,
                                                                                 checker):
    checker.attach(editor)
    editor.set_markdown("The governmnet said so.")
    wait_checked(qtbot, editor, 1, ["governmnet"])
    cursor = QTextCursor(editor.document())
    cursor.setPosition(7)
    menu = editor.build_context_menu(editor.cursorRect(cursor).center())
    # the menu opens at once; the suggestions (found in the pool) join it a moment later
    qtbot.waitUntil(lambda: any(a.objectName() == "spellSuggestion" for a in menu.actions()),
                    timeout=5000)
    assert not any(a.objectName() == "spellWaiting" for a in menu.actions())
    suggestions = [a for a in menu.actions() if a.objectName() == "spellSuggestion"]
    assert "government" in [a.text() for a in suggestions]
    next(a for a in suggestions if a.text() == "government").trigger()
    assert editor.toPlainText() == "The government said so."
    wait_checked(qtbot, editor, 1, [])
    editor.undo()
    assert editor.toPlainText() == "The governmnet said so."


@needs_dictionary
def test_the_menu_opens_while_the_dictionary_is_busy_and_the_suggestions_follow(
        qtbot, editor, checker):
    checker.attach(editor)
    editor.set_markdown("The councel met.")
    wait_checked(qtbot, editor, 1, ["councel"])
    cursor = QTextCursor(editor.document())
    cursor.setPosition(6)
    backend = checker._backend
    backend.lock.acquire()  # a long check holds the dictionary
    try:
        menu = editor.build_context_menu(editor.cursorRect(cursor).center())  # no waiting
        names = [a.objectName() for a in menu.actions()]
        assert names[:3] == ["spellWaiting", "spellAdd", "spellIgnore"]
    finally:
        backend.lock.release()
    qtbot.waitUntil(lambda: any(a.objectName() == "spellSuggestion" for a in menu.actions()),
                    timeout=5000)
    assert "council" in [a.text() for a in menu.actions()]


@needs_dictionary
def test_add_to_dictionary_keeps_the_word_in_the_personal_list(qtbot, editor, checker,
                                                               tmp_path: Path):
    checker.attach(editor)
    editor.set_markdown("Ask Pseudesk now.\n\nPseudesk again.")
    wait_checked(qtbot, editor, 1, ["Pseudesk"])
    cursor = QTextCursor(editor.document())
    cursor.setPosition(6)
    menu = editor.build_context_menu(editor.cursorRect(cursor).center())
    add = next(a for a in menu.actions() if a.objectName() == "spellAdd")
    assert add.text() == "Add “Pseudesk” to dictionary"
    add.trigger()
    assert underlined(editor, 1) == [] and underlined(editor, 3) == []
    assert "Pseudesk" in (tmp_path / "words.txt").read_text()


@needs_dictionary
def test_a_real_right_click_on_a_misspelt_word_opens_the_spelling_menu(qtbot, editor, checker):
    checker.attach(editor)
    editor.set_markdown("The governmnet said so.")
    wait_checked(qtbot, editor, 1, ["governmnet"])
    cursor = QTextCursor(editor.document())
    cursor.setPosition(7)
    seen: list[list[str]] = []

    def look_then_close(menu: QMenu) -> None:
        def look() -> None:  # exec() waits for the menu: look, then close it
            names = [a.objectName() or a.text() for a in menu.actions()]
            if "spellWaiting" in names:
                QTimer.singleShot(20, look)  # the suggestions are on their way
                return
            seen.append(names)
            menu.close()

        QTimer.singleShot(0, look)

    editor.context_menu_shown.connect(look_then_close)
    # a right click on the word, given to the window as the window system gives a mouse's
    # (a click sent to the widget itself never becomes a context-menu event)
    where = editor.viewport().mapTo(editor.window(), editor.cursorRect(cursor).center())
    QTest.mouseClick(editor.window().windowHandle(), Qt.MouseButton.RightButton,
                     Qt.KeyboardModifier.NoModifier, where)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    (names,) = seen
    assert "spellSuggestion" in names and "spellAdd" in names and "spellIgnore" in names
    assert names.index("spellSuggestion") < names.index("spellAdd")


@needs_dictionary
def test_only_lines_in_view_are_checked(qtbot, editor, checker):
    checker.attach(editor)
    lines = [f"Line {i} has a wrogn word." for i in range(2000)]
    editor.set_markdown("\n".join(lines))
    wait_checked(qtbot, editor, 1, ["wrogn"])
    assert underlined(editor, 1500) == []  # far below the view: not checked yet
    editor.scroll_to_line(1500)
    wait_checked(qtbot, editor, 1500, ["wrogn"])


def test_without_a_dictionary_it_says_so_once_and_the_editor_works_on(qtbot, tmp_path: Path):
    spell = SpellChecker(personal_path=tmp_path / "words.txt", language="xx_XX")
    said: list[str] = []
    spell.unavailable.connect(said.append)
    editors = [MarkdownEditor(), MarkdownEditor()]
    qtbot.addWidget(editors[0])
    qtbot.addWidget(editors[1])
    with qtbot.waitSignal(spell.ready, timeout=15000):
        spell.attach(editors[0])
    spell.attach(editors[1])
    qtbot.waitUntil(lambda: len(said) == 1, timeout=15000)
    editors[0].set_markdown("Speling goes unchecked.")
    qtbot.keyClicks(editors[0], "x")
    assert said[0].endswith(".") and len(said) == 1
    assert underlined(editors[0], 1) == []
    spell.wait()


@needs_dictionary
def test_a_closed_editor_is_forgotten_by_the_checker(qtbot, checker):
    first, second = MarkdownEditor(), MarkdownEditor()
    qtbot.addWidget(second)
    checker.attach(first)
    checker.attach(second)
    second.set_markdown("A wrogn word.")
    wait_checked(qtbot, second, 1, ["wrogn"])
    first.deleteLater()
    qtbot.waitUntil(lambda: checker.editors == (second,), timeout=5000)
    checker.add_to_dictionary("wrogn")  # reaches only the editor still open
    assert underlined(second, 1) == []


def test_defusing_keeps_positions_and_blanks_code_and_footnote_marks():
    from pse_desk.ui.write.spell import defused

    line = "A `code wrod` and [^note] then spelt wrod`"
    out = defused(line)
    assert len(out) == len(line)
    assert "code" not in out and "note" not in out and "`" not in out
    assert out.index("then spelt wrod") == line.index("then spelt wrod")


@needs_dictionary
@pytest.mark.parametrize("hostile, left", [
    ("`" * 9999, ""), ("[^" * 4999, ""), ("`a` " * 2400, ""),
    ("`a` wrod " * 1200, "wrod " * 1200),
], ids=["backticks", "footnote-marks", "code-spans", "code-and-words"])
def test_hostile_lines_reach_the_checker_with_their_marks_blanked(hostile, left):
    # the masking regular expressions take seconds on such lines (1.7-7 s): defusing leaves
    # them nothing to mask, only the words; the time it takes is
    # editor.hostile_line_spell_ms in benchmarks/editor.py
    from pse_desk.ui.write.spell import defused

    out = defused(hostile)
    assert len(out) == len(hostile)
    assert "`" not in out and "[^" not in out
    assert out.split() == left.split()
    found = spelling.SpellChecker().check_line(out)
    assert [m.word for m in found] == left.split()
