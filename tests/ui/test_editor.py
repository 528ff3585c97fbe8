"""The Markdown editor driven by real key presses: formatting shortcuts, list and quote
continuation, Tab / Shift+Tab, revisions, navigation by line, highlighting and themes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool
from PySide6.QtGui import QKeyEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication

from pse_desk.ui.theme import palette_for
from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.highlighter import DARK, LIGHT

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def editor(qtbot) -> Iterator[MarkdownEditor]:  # type: ignore[no-untyped-def]
    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    widget.resize(640, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.setFocus()
    yield widget
    QThreadPool.globalInstance().waitForDone()


def load(editor: MarkdownEditor, text: str, cursor_at: str | None = None) -> None:
    """Load ``text``; ``cursor_at`` is a marker "|" in it where the cursor goes."""
    position = text.index("|") if cursor_at is None and "|" in text else -1
    editor.set_markdown(text.replace("|", "") if position >= 0 else text)
    cursor = editor.textCursor()
    cursor.setPosition(position if position >= 0 else len(text))
    editor.setTextCursor(cursor)


def select(editor: MarkdownEditor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def type_text(qtbot, editor: MarkdownEditor, text: str) -> None:  # type: ignore[no-untyped-def]
    """ASCII with keyClicks; anything else as QKeyEvents (keyClicks aborts on it)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(editor, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                         ch))


# --- Ctrl+B, Ctrl+I, Ctrl+K --------------------------------------------------------------------

def test_ctrl_b_wraps_the_selection_in_double_stars_and_keeps_it_selected(qtbot, editor):
    load(editor, "Budget rises")
    select(editor, 0, 6)
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert editor.toPlainText() == "**Budget** rises"
    assert editor.textCursor().selectedText() == "Budget"


def test_ctrl_b_again_unwraps_the_selection(qtbot, editor):
    load(editor, "Budget rises")
    select(editor, 0, 6)
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    assert editor.toPlainText() == "Budget rises"
    assert editor.textCursor().selectedText() == "Budget"


def test_ctrl_i_unwraps_a_selection_that_includes_its_stars(qtbot, editor):
    load(editor, "a *plain* word")
    select(editor, 2, 9)
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert editor.toPlainText() == "a plain word"


def test_ctrl_i_inside_bold_adds_italic_rather_than_removing_a_bold_star(qtbot, editor):
    load(editor, "**word**")
    select(editor, 2, 6)
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert editor.toPlainText() == "***word***"
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    assert editor.toPlainText() == "**word**"


def test_ctrl_i_without_a_selection_puts_the_cursor_between_new_markers(qtbot, editor):
    load(editor, "Say |now")
    qtbot.keyClick(editor, Qt.Key.Key_I, CTRL)
    qtbot.keyClicks(editor, "this")
    assert editor.toPlainText() == "Say *this*now"


def test_ctrl_k_makes_a_link_with_the_address_selected_for_typing(qtbot, editor):
    load(editor, "Read the report today")
    select(editor, 9, 15)
    qtbot.keyClick(editor, Qt.Key.Key_K, CTRL)
    assert editor.textCursor().selectedText() == "url"
    qtbot.keyClicks(editor, "https://example.org/r")
    assert editor.toPlainText() == "Read the [report](https://example.org/r) today"


def test_ctrl_k_on_a_selected_address_waits_for_the_link_text(qtbot, editor):
    load(editor, "https://example.org")
    select(editor, 0, 19)
    qtbot.keyClick(editor, Qt.Key.Key_K, CTRL)
    qtbot.keyClicks(editor, "Example")
    assert editor.toPlainText() == "[Example](https://example.org)"


def test_formatting_is_one_undo_step(qtbot, editor):
    load(editor, "Budget rises")
    select(editor, 0, 6)
    qtbot.keyClick(editor, Qt.Key.Key_B, CTRL)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == "Budget rises"


# --- Enter continues lists and quotes ----------------------------------------------------------

def test_enter_continues_a_bullet_list(qtbot, editor):
    load(editor, "- first|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "second")
    assert editor.toPlainText() == "- first\n- second"


def test_enter_continues_a_numbered_list_with_the_next_number(qtbot, editor):
    load(editor, "  9) ninth|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "tenth")
    assert editor.toPlainText() == "  9) ninth\n  10) tenth"


def test_enter_continues_a_task_list_with_an_open_box(qtbot, editor):
    load(editor, "- [x] done|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "- [x] done\n- [ ] "


def test_enter_continues_a_quote(qtbot, editor):
    load(editor, "> Words said|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "more")
    assert editor.toPlainText() == "> Words said\n> more"


def test_enter_on_an_empty_item_ends_the_list(qtbot, editor):
    load(editor, "- first|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "After")
    assert editor.toPlainText() == "- first\nAfter"


def test_enter_on_an_empty_quote_line_ends_the_quote(qtbot, editor):
    load(editor, "> said|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "> said\n"


def test_enter_in_the_middle_of_an_item_carries_the_rest_into_the_next_item(qtbot, editor):
    load(editor, "1. one |two")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "1. one \n2. two"


def test_enter_on_plain_text_and_on_a_rule_just_breaks_the_line(qtbot, editor):
    load(editor, "plain|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "plain\n"
    load(editor, "- - -|")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText() == "- - -\n"


# --- Tab and Shift+Tab ------------------------------------------------------------------------

def test_tab_indents_a_list_item_wherever_the_cursor_is(qtbot, editor):
    load(editor, "- one\n- tw|o")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "- one\n    - two"
    qtbot.keyClicks(editor, "!")
    assert editor.toPlainText() == "- one\n    - tw!o"


def test_tab_and_shift_tab_indent_and_outdent_every_selected_line(qtbot, editor):
    load(editor, "a\nb\nc")
    select(editor, 0, 3)  # "a\nb"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    a\n    b\nc"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert editor.toPlainText() == "a\nb\nc"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab, SHIFT)
    assert editor.toPlainText() == "a\nb\nc"


def test_indenting_several_lines_is_one_undo_step(qtbot, editor):
    load(editor, "- a\n- b")
    select(editor, 0, 7)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == "- a\n- b"


def test_tab_in_plain_text_inserts_spaces_to_the_next_stop(qtbot, editor):
    load(editor, "ab|")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "ab  "


# --- revisions, lines, insertion ----------------------------------------------------------------

def test_every_change_raises_the_revision_and_reports_it(qtbot, editor):
    load(editor, "x")
    start = editor.revision()
    with qtbot.waitSignal(editor.text_changed_rev, timeout=2000) as signal:
        qtbot.keyClicks(editor, "y")
    assert signal.args == [start + 1]
    assert editor.revision() == start + 1


def test_typing_non_ascii_characters_reaches_the_text(qtbot, editor):
    load(editor, "")
    type_text(qtbot, editor, "Café – “quoted” 😀 ok")
    assert editor.toPlainText() == "Café – “quoted” 😀 ok"


def test_insert_markdown_is_one_undo_step_at_the_cursor(qtbot, editor):
    load(editor, "Before |after")
    editor.insert_markdown("![A chart](pse-asset://1)\n")
    assert editor.toPlainText() == "Before ![A chart](pse-asset://1)\nafter"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    assert editor.toPlainText() == "Before after"


def test_go_to_line_puts_the_cursor_there_and_reports_the_line(qtbot, editor):
    load(editor, "\n".join(f"line {i}" for i in range(1, 301)))
    with qtbot.waitSignal(editor.cursor_line_changed, timeout=2000) as signal:
        editor.go_to_line(250, 5)
    assert signal.args == [250]
    cursor = editor.textCursor()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (249, 5)
    assert editor.firstVisibleBlock().blockNumber() < 249 < editor.firstVisibleBlock()\
        .blockNumber() + 60


def test_scroll_to_line_shows_it_at_the_top_without_moving_the_cursor(qtbot, editor):
    load(editor, "\n".join(f"line {i} " * 12 for i in range(1, 301)))
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    reported: list[int] = []
    editor.top_line_changed.connect(reported.append)
    editor.scroll_to_line(120)
    assert editor.top_line() == 120
    assert editor.textCursor().blockNumber() == 0
    assert reported == []  # the caller scrolled: no echo
    editor.verticalScrollBar().setValue(editor.verticalScrollBar().value() + 3)
    assert reported and reported[-1] == editor.top_line() > 120


# --- highlighting and themes ------------------------------------------------------------------

def _formats(editor: MarkdownEditor, line: int) -> list[tuple[int, int, object]]:
    block = editor.document().findBlockByNumber(line - 1)
    ranges = block.layout().formats()
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in ranges]


def _format_at(editor: MarkdownEditor, line: int, column: int):  # type: ignore[no-untyped-def]
    for start, length, fmt in _formats(editor, line):
        if start <= column < start + length:
            return fmt
    return None


def test_headings_emphasis_links_and_code_are_styled(qtbot, editor):
    load(editor, "## Title\n\nSome **bold** and [link](https://x.org) and `code`.\n"
                 "```\n# not a heading\n```\n> quoted")
    heading = _format_at(editor, 1, 4)
    assert heading is not None and heading.fontWeight() > 400
    assert _format_at(editor, 3, 8).fontWeight() > 400  # bold
    link = _format_at(editor, 3, 19)
    assert link.fontUnderline()
    code = _format_at(editor, 3, 45)
    assert code.background().color().name() == LIGHT.code_back
    fenced = _format_at(editor, 5, 3)
    assert fenced.background().color().name() == LIGHT.code_back
    assert fenced.fontWeight() <= 400  # "# not a heading" inside a fence is code
    assert _format_at(editor, 7, 3).foreground().color().name() == LIGHT.quote


def test_closing_a_fence_restyles_the_lines_after_it(qtbot, editor):
    load(editor, "```\ncode\n## After|")
    assert _format_at(editor, 3, 4).background().color().name() == LIGHT.code_back
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    editor.moveCursor(QTextCursor.MoveOperation.Down)
    editor.moveCursor(QTextCursor.MoveOperation.EndOfBlock)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "```")
    assert _format_at(editor, 4, 4).foreground().color().name() == LIGHT.heading


def test_a_long_text_is_styled_screen_by_screen_and_comes_out_as_styled_at_once(
        qtbot, editor):
    paragraph = "Councils **plan** ahead, with [links](https://x.org) and `code`.\n\n"
    head = paragraph * 400
    text = head + "```\n# inside a fence\n```\n\n## A heading far down\n\n" + paragraph * 400
    assert len(text) > 50_000
    fence_line = head.count("\n") + 2  # 1-based: the "# inside a fence" line
    editor.set_markdown(text)
    assert not editor.highlighter.fully_styled
    assert _format_at(editor, fence_line + 3, 4) is None  # not yet: the first screens only
    assert _format_at(editor, 1, 10).fontWeight() > 400  # the top is styled at once
    qtbot.waitUntil(lambda: editor.highlighter.fully_styled, timeout=10000)
    heading = _format_at(editor, fence_line + 3, 4)
    assert heading is not None and heading.fontWeight() > 400
    fenced = _format_at(editor, fence_line, 3)  # the fence's state crossed the lazy boundary
    assert fenced.background().color().name() == LIGHT.code_back and fenced.fontWeight() <= 400
    last = editor.document().blockCount() - 2  # 1-based: the last paragraph (then a blank)
    assert _format_at(editor, last, 10).fontWeight() > 400  # "**plan**" on the last paragraph


def test_jumping_to_the_end_of_a_long_text_styles_what_comes_into_view(qtbot, editor):
    editor.set_markdown("Some **bold** words here.\n\n" * 3000)
    assert not editor.highlighter.fully_styled
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.ensureCursorVisible()
    last = editor.document().blockCount() - 2  # 1-based: the last paragraph (then a blank)
    assert _format_at(editor, last, 6).fontWeight() > 400  # styled as soon as it is shown


def test_the_dark_palette_switches_the_highlighting_colours(qtbot, editor):
    load(editor, "## Title")
    assert _format_at(editor, 1, 4).foreground().color().name() == LIGHT.heading
    editor.setPalette(palette_for("dark"))
    assert editor.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5
    assert _format_at(editor, 1, 4).foreground().color().name() == DARK.heading


def test_a_very_long_line_is_not_styled_inline_and_typing_in_it_works(qtbot, editor):
    line = "**word** " * 2000  # 18,000 characters
    load(editor, line)
    assert _formats(editor, 1) == []
    qtbot.keyClicks(editor, "z")
    assert editor.toPlainText().endswith(" z")


@pytest.mark.parametrize("hostile", ["[" * 20000 + "a" + "]" * 2000, "[a](" * 3000,
                                     "<a " * 5000, "  " * 400 + "- deep", "\x00 nul \x00"])
def test_hostile_lines_are_highlighted_without_trouble(qtbot, editor, hostile):
    load(editor, hostile)
    qtbot.keyClicks(editor, "q")
    assert editor.toPlainText() == hostile + "q"


def test_switching_the_application_theme_restyles_the_editor(qtbot, editor):
    from pse_desk.ui.theme import apply_theme, current_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = current_theme(app)
    load(editor, "## Title")
    try:
        apply_theme(app, "dark")
        qtbot.waitUntil(lambda: _format_at(editor, 1, 4).foreground().color().name()
                        == DARK.heading)
        apply_theme(app, "light")
        qtbot.waitUntil(lambda: _format_at(editor, 1, 4).foreground().color().name()
                        == LIGHT.heading)
    finally:
        apply_theme(app, before)


# --- the line grammar, without a widget -----------------------------------------------------

def _styles(text: str) -> dict[str, list[str]]:
    from pse_desk.writing.markdown_spans import inline_spans

    found: dict[str, list[str]] = {}
    for start, end, style in inline_spans(text):
        found.setdefault(style, []).append(text[start:end])
    return found


def test_emphasis_pairs_the_nearest_delimiters_and_leaves_snake_case_and_sums_alone():
    styles = _styles("*a **b** c* and snake_case_name, 2 * 3 * 4, \\*not\\* ~~old~~")
    assert styles["strong"] == ["**b**"]
    assert styles["emphasis"] == ["*a **b** c*"]
    assert styles["strike"] == ["~~old~~"]


def test_code_spans_hide_emphasis_and_close_on_a_run_of_the_same_length():
    styles = _styles("``a ` *b* `` then `c`")
    assert styles["code"] == ["``a ` *b* ``", "`c`"]
    assert "emphasis" not in styles


@pytest.mark.parametrize("hostile, styles", [
    ("`" * 19999, {}), ("**a " * 2500, {}), ("*a " * 3300, {}), ("~~" * 4999, {}),
    ("[^" * 5000, {}), ("**a" * 3300, {"strong": 1650}),
    ("[a](b) " * 1400, {"link_text": 1400, "url": 1400}),
    ("`a` *b* " * 1250, {"code": 1250, "emphasis": 1250}),
], ids=["backticks", "open-strong", "open-emphasis", "tildes", "footnote-marks", "strong-run",
        "links", "code-and-emphasis"])
def test_a_hostile_line_is_styled_as_its_openers_and_closers_pair(hostile, styles):
    # openers without closers style nothing, however many; pairs style what they enclose. The
    # time it takes (the quadratic versions took 2-8 s a line) is
    # editor.hostile_line_style_ms in benchmarks/editor.py
    import itertools
    from collections import Counter

    from pse_desk.writing.markdown_spans import inline_spans, resolve

    runs = resolve(inline_spans(hostile))
    assert Counter(style for _start, _end, run in runs for style in run) == styles
    assert all(0 <= start < end <= len(hostile) for start, end, _run in runs)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(runs))  # no overlaps


def test_a_setext_underline_styles_the_line_above_as_a_heading(qtbot, editor):
    load(editor, "Budget day\n|")
    assert _format_at(editor, 1, 2) is None
    qtbot.keyClicks(editor, "===")
    qtbot.waitUntil(lambda: _format_at(editor, 1, 2) is not None
                    and _format_at(editor, 1, 2).fontWeight() > 400)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: _format_at(editor, 1, 2) is None)


def test_enter_inside_a_numbered_list_renumbers_the_items_below_in_the_same_undo_step(qtbot,
                                                                                      editor):
    original = "1. one|\n2. two\n    - nested\n\n3. three\n\nAfter 4. text"
    load(editor, original)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "new")
    assert editor.toPlainText() == ("1. one\n2. new\n3. two\n    - nested\n\n4. three\n\n"
                                    "After 4. text")
    load(editor, original)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.toPlainText().startswith("1. one\n2. \n3. two")
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # Enter and the renumbering: one step
    assert editor.toPlainText() == original.replace("|", "")
