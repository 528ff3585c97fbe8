"""Find and replace in the editor, by keyboard: Ctrl+F / Ctrl+H, next and previous, regex and
match case, replace all as one undo step, and a sentence (not an exception) for bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.find_bar import FindBar, FindError, compile_pattern
from pse_desk.writing.utf16 import Positions

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = "Council tax rises.\nThe council met.\nCOUNCIL minutes 2026-01-05 and 2026-02-09."


@pytest.fixture
def bar_and_editor(qtbot) -> Iterator[tuple[FindBar, MarkdownEditor]]:  # type: ignore[no-untyped-def]
    host = QWidget()
    editor = MarkdownEditor()
    bar = FindBar()
    lay = QVBoxLayout(host)
    lay.addWidget(editor)
    lay.addWidget(bar)
    bar.attach(editor)
    qtbot.addWidget(host)
    host.resize(700, 400)
    host.show()
    qtbot.waitExposed(host)
    editor.set_markdown(TEXT)
    editor.setFocus()
    yield bar, editor


def test_ctrl_f_in_the_editor_opens_the_find_bar_with_focus(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    assert bar.isVisible() and not bar.replace_edit.isVisible()
    qtbot.waitUntil(bar.find_edit.hasFocus)


def test_ctrl_h_opens_the_bar_with_the_replace_row(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    assert bar.replace_edit.isVisible()


def test_enter_finds_the_next_match_ignoring_case_and_wraps_round(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(bar.find_edit, "council")
    found = []
    for _ in range(4):
        qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
        found.append(editor.textCursor().selectionStart())
    assert found == [0, 23, 36, 0]  # from the cursor at the start, then round again
    assert "Wrapped" in bar.status.text() or bar.status.text().startswith("Match")


def test_shift_enter_finds_the_previous_match(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar.find_edit.setText("council")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # 0
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # 23
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return, SHIFT)
    assert editor.textCursor().selectionStart() == 0
    assert bar.status.text().startswith("Match 1 of 3")


def test_match_case_finds_only_the_exact_spelling(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar.case_box.setChecked(True)
    bar.find_edit.setText("COUNCIL")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert editor.textCursor().selectedText() == "COUNCIL"
    assert bar.status.text().startswith("Match 1 of 1")


def test_an_invalid_regex_gives_a_sentence_not_an_exception(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    bar.regex_box.setChecked(True)
    bar.find_edit.setText("(unclosed")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    assert bar.status.text().startswith("This is not a valid regular expression")
    assert bar.status.text().endswith(".")
    assert editor.toPlainText() == TEXT


def test_regex_replace_all_uses_groups_and_is_one_undo_step(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar.regex_box.setChecked(True)
    bar.find_edit.setText(r"(\d{4})-(\d{2})-(\d{2})")
    bar.replace_edit.setText(r"\3/\2/\1")
    qtbot.keyClick(bar.replace_all_button, Qt.Key.Key_Space)
    assert editor.toPlainText().endswith("05/01/2026 and 09/02/2026.")
    assert bar.status.text() == "Replaced 2 matches."
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == TEXT


def test_replace_all_of_many_matches_is_still_one_undo_step(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    editor.set_markdown("ab " * 3000)
    bar.show_replace()
    bar.find_edit.setText("ab")
    bar.replace_edit.setText("xyz")
    assert bar.replace_all() == 3000
    assert editor.toPlainText() == "xyz " * 3000
    editor.undo()
    assert editor.toPlainText() == "ab " * 3000


def test_replace_changes_the_selected_match_and_moves_to_the_next(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)
    bar.find_edit.setText("council")
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Return)  # the second: "council" on line 2
    bar.replace_edit.setText("board")
    qtbot.keyClick(bar.replace_edit, Qt.Key.Key_Return)
    assert editor.toPlainText().splitlines()[1] == "The board met."
    assert editor.textCursor().selectedText() == "COUNCIL"


def test_a_bad_group_reference_in_the_replacement_gives_a_sentence(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    bar.show_replace()
    bar.regex_box.setChecked(True)
    bar.find_edit.setText("tax")
    bar.replace_edit.setText(r"\9")
    assert bar.replace_all() == 0
    assert bar.status.text().startswith("The replacement cannot be used")
    assert editor.toPlainText() == TEXT


def test_escape_closes_the_bar_and_returns_to_the_editor(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(bar.find_edit.hasFocus)
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    qtbot.waitUntil(editor.hasFocus)


def test_matches_after_an_emoji_are_selected_exactly(qtbot, bar_and_editor):
    bar, editor = bar_and_editor
    editor.set_markdown("😀 one 😀 two")
    bar.show_find()
    bar.find_edit.setText("two")
    assert bar.find_next()
    assert editor.textCursor().selectedText() == "two"


def test_positions_convert_between_python_and_qt_around_wide_characters():
    where = Positions("a😀b😀c")
    assert [where.to_qt(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [where.to_python(p) for p in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]


def test_plain_text_patterns_are_not_regular_expressions():
    assert compile_pattern("a.b", regex=False, match_case=True).search("axb") is None
    with pytest.raises(FindError):
        compile_pattern("[", regex=True, match_case=True)


def test_ctrl_f_in_the_editor_beats_a_window_wide_find_action(qtbot):
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    fired: list[bool] = []
    action = QAction("Find in the list", window)
    action.setShortcut(QKeySequence("Ctrl+F"))
    action.triggered.connect(lambda: fired.append(True))
    window.addAction(action)
    host = QWidget()
    editor, bar = MarkdownEditor(), FindBar()
    lay = QVBoxLayout(host)
    lay.addWidget(editor)
    lay.addWidget(bar)
    bar.attach(editor)
    window.setCentralWidget(host)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    assert bar.isVisible() and fired == []
    qtbot.waitUntil(bar.find_edit.hasFocus)
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_F, CTRL)  # again, from the bar itself
    assert fired == [] and bar.find_edit.hasFocus()


def test_the_bar_in_a_real_tab_keeps_the_split_the_cursor_and_both_scrolls(
        qtbot, open_window, tmp_path):  # type: ignore[no-untyped-def]
    from write_fixture import open_tab, writable_newsroom, write_workspace

    window = open_window(writable_newsroom(tmp_path), workspace="write")
    window.resize(1280, 800)
    tab = open_tab(qtbot, write_workspace(window))
    editor, preview = tab.editor, tab.preview
    tab.editor.set_markdown("\n\n".join(f"Paragraph {n} of the council's report." for n in
                                        range(200)))
    qtbot.waitUntil(lambda: preview.shown_revision == editor.revision(), timeout=20000)
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(len(editor.toPlainText()) // 2)
    editor.setTextCursor(cursor)
    editor.centerCursor()
    qtbot.waitUntil(lambda: preview.page.scrollPosition().y() > 100, timeout=10000)
    sizes = tab.splitter.sizes()

    qtbot.keyClick(editor, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(tab.find_bar.find_edit.hasFocus)
    assert tab.splitter.sizes() == sizes
    qtbot.keyClicks(tab.find_bar.find_edit, "council")
    qtbot.keyClick(tab.find_bar.find_edit, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_H, CTRL)  # the replace row too
    assert tab.splitter.sizes() == sizes
    assert tab.find_bar.width() == tab.width()  # under the whole tab, not one column
    selection = (editor.textCursor().selectionStart(), editor.textCursor().selectionEnd())
    assert selection[1] > selection[0] > 0
    qtbot.wait(400)  # let any scroll that is coming land: nothing may move after this
    editor_top, preview_y = editor.verticalScrollBar().value(), preview.page.scrollPosition().y()
    assert editor_top > 0

    qtbot.keyClick(tab.find_bar.find_edit, Qt.Key.Key_Escape)
    assert not tab.find_bar.isVisible() and editor.hasFocus()
    qtbot.wait(600)  # past the preview's scroll report (it would have moved the editor)
    assert tab.splitter.sizes() == sizes
    assert (editor.textCursor().selectionStart(), editor.textCursor().selectionEnd()) == selection
    assert editor.verticalScrollBar().value() == editor_top
    assert preview.page.scrollPosition().y() == preview_y
