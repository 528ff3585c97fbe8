"""An article whose body is one 10 MB line, in the Write workspace: the tab opens with the
heavy work elsewhere (rendered and analysed off the GUI thread, the editor given only the cut
text), shows it cut and read-only under a banner that says why, never saves the cut text, and
"Split long lines" saves a split revision and opens it for editing, a slice per turn of the
event loop. A paste with an over-long line is split before it reaches the editor, and goes in
a slice per turn too.

The GUI's responsiveness is checked in turns of its event loop (gui_turns); the longest stalls
are measured by benchmarks/editor.py (``editor.long_line_*_stall_ms``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_turns import CallsElsewhere, Turns, slices_seen
from PySide6.QtCore import QMimeData, Qt
from write_fixture import open_tab, saved_body, store_of, timeline, write_workspace

from pse_desk.render.process import RenderProcess
from pse_desk.services import articles
from pse_desk.services.revisions import ArticleText
from pse_desk.store import open_store
from pse_desk.store.model import RevisionKind
from pse_desk.ui.write.article_tabs import ArticleTab
from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.long_lines import OPENING_SENTENCE, SPLIT_LABEL
from pse_desk.writing.long_lines import LINE_LIMIT, LOAD_STEP_CHARS, line_slices
from pse_desk.writing.worker import AnalysisWorker

BODY = "w" * 10_000_000  # one line, no spaces: the worst case for Qt's text layout
# a slice per turn: 10 MB in 50,000-character slices is some 200 turns; at once it is none
FEW_SLICES = 20


@pytest.fixture
def quiet_collector() -> Iterator[None]:
    """As the application does after start-up (gc.freeze): a full collection of a test
    process full of Qt wrappers would be measured as a GUI stall of its own."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture
def long_line_newsroom(tmp_path: Path) -> tuple[Path, str]:
    """A database with a short article (listed first: opened at start) and the 10 MB one."""
    path = tmp_path / "long.sqlite"
    store = open_store(path)
    try:
        long_ref = articles.create_article(store, "One enormous line", section="News")
        articles.save_body(store, long_ref.id, BODY)
        short = articles.create_article(store, "A short note", section="News")
        articles.save_body(store, short.id, "A short note.\n")
    finally:
        store.close()
    return path, long_ref.id


def open_long_tab(qtbot, window, article_id: str) -> ArticleTab:  # type: ignore[no-untyped-def]
    ws = write_workspace(window)
    ws.open_article(article_id)
    qtbot.waitUntil(lambda: ws.tabs.tab_of(article_id) is not None, timeout=30000)
    tab = ws.tabs.tab_of(article_id)
    assert tab is not None
    qtbot.waitUntil(lambda: bool(tab.line_guard.banner.sentence), timeout=5000)
    qtbot.waitUntil(lambda: tab.preview.shown_revision >= 0, timeout=60000)
    return tab


def test_a_ten_megabyte_line_opens_cut_and_read_only_with_the_heavy_work_elsewhere(
        qtbot, open_window, long_line_newsroom, quiet_collector, monkeypatch) -> None:
    path, article_id = long_line_newsroom
    window = open_window(path, workspace="write")
    open_tab(qtbot, write_workspace(window))  # the short article, opened at start
    turns = Turns()
    renders = CallsElsewhere(monkeypatch, RenderProcess, "render", turns)
    analyses = CallsElsewhere(monkeypatch, AnalysisWorker, "analyse", turns)
    with turns:
        tab = open_long_tab(qtbot, window, article_id)
        qtbot.waitUntil(lambda: tab.editor.last_analysis is not None, timeout=30000)
    # the whole 10 MB text was rendered and analysed, off the GUI thread, the GUI turning
    assert any(len(args[0]) == len(BODY) for args in renders.args)
    assert renders.off_the_gui_thread and renders.turns_during >= 1
    assert any(len(args[0]) == len(BODY) for args in analyses.args)
    assert analyses.off_the_gui_thread
    assert tab.line_guard.banner.sentence == (
        "Line 1 is 10,000,000 characters long, too long to edit here; it is shown cut and the "
        "saved text is untouched.")
    shown = tab.editor.toPlainText()
    assert len(shown) < 3 * LINE_LIMIT
    assert shown.endswith("… [line 1 continues for 9,998,000 more characters — not shown]")
    assert tab.editor.isReadOnly()
    assert tab.article_text().body_md == BODY  # what is saved, previewed and exported
    assert tab.editor.last_analysis.stats.characters == len(BODY)  # the whole text, not the cut

    # typing does nothing, and neither an autosave nor closing the tab writes the cut text
    tab.editor.setFocus()
    qtbot.keyClicks(tab.editor, "typed")
    qtbot.keyClick(tab.editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.toPlainText() == shown
    tab.autosaver.flush()  # what the 2 s pause would do
    store = store_of(window)
    ws = write_workspace(window)
    ws.tabs.close_article(article_id)
    ws.queue.wait()
    qtbot.waitUntil(lambda: ws.queue.pending == 0, timeout=10000)
    assert saved_body(store, article_id) == BODY
    assert not any(r.kind is RevisionKind.AUTOSAVE for r in timeline(store, article_id))


def test_split_long_lines_saves_a_revision_of_the_same_characters_and_opens_it_for_editing(
        qtbot, open_window, long_line_newsroom, quiet_collector) -> None:
    path, article_id = long_line_newsroom
    window = open_window(path, workspace="write")
    open_tab(qtbot, write_workspace(window))
    tab = open_long_tab(qtbot, window, article_id)
    store = store_of(window)
    messages: list[str] = []
    tab.message.connect(messages.append)
    with Turns() as turns:
        lengths = turns.sample(lambda: tab.editor.document().characterCount())
        qtbot.mouseClick(tab.line_guard.banner.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: tab.line_guard.banner.sentence == OPENING_SENTENCE
                        or not tab.line_guard.protected, timeout=60000)
        assert tab.article_text().body_md.replace("\n", "") == BODY  # whole while it fills
        qtbot.waitUntil(lambda: not tab.line_guard.protected, timeout=60000)
    # filled a slice per turn of the event loop, the GUI turning between them
    assert slices_seen(lengths, 3 * LINE_LIMIT, len(BODY)) >= FEW_SLICES
    assert len(BODY) // LOAD_STEP_CHARS > FEW_SLICES

    named = [r for r in timeline(store, article_id) if r.kind is RevisionKind.MANUAL]
    assert [r.label for r in named] == [SPLIT_LABEL]
    saved = saved_body(store, article_id)
    assert saved.replace("\n", "") == BODY
    assert max(map(len, saved.split("\n"))) <= LINE_LIMIT
    assert tab.line_guard.banner.isHidden()
    assert not tab.editor.isReadOnly()
    assert tab.editor.toPlainText() == saved
    assert any("Split the long lines" in m for m in messages)
    # the preview is told once the editor holds the whole split text
    qtbot.waitUntil(lambda: tab.preview.shown_revision == tab.editor.revision(), timeout=60000)

    type_at_start = "Lede. "
    tab.editor.setFocus()
    qtbot.keyClick(tab.editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.editor, type_at_start)
    assert tab.editor.toPlainText().startswith(type_at_start + "www")
    assert tab.article_text().body_md.startswith(type_at_start)


def test_pasting_an_over_long_line_splits_it_and_keeps_every_character(qtbot) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    said: list[str] = []
    editor.paste_split.connect(said.append)
    pasted = "Start. " + "x" * 50_000 + " end"
    mime = QMimeData()
    mime.setText(pasted)
    editor.insertFromMimeData(mime)
    qtbot.waitUntil(lambda: not editor.isReadOnly(), timeout=10000)
    text = editor.toPlainText()
    assert text.replace("\n", "") == pasted
    assert max(map(len, text.split("\n"))) <= LINE_LIMIT
    assert said and "50,011 characters" in said[0] and "split" in said[0]
    editor.undo()  # the paste is one undo step
    assert editor.toPlainText() == ""


def test_pasting_ordinary_text_is_left_to_the_editor(qtbot) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    said: list[str] = []
    editor.paste_split.connect(said.append)
    mime = QMimeData()
    mime.setText("Two short\nlines.")
    editor.insertFromMimeData(mime)
    assert editor.toPlainText() == "Two short\nlines."
    assert said == []


def test_restoring_a_text_with_a_long_line_protects_the_tab_and_a_short_one_frees_it(
        qtbot, open_window, long_line_newsroom, quiet_collector) -> None:
    path, _long_id = long_line_newsroom
    window = open_window(path, workspace="write")
    ws = write_workspace(window)
    tab = open_tab(qtbot, ws)  # the short note: editable
    assert not tab.line_guard.protected and not tab.editor.isReadOnly()
    long_text = ArticleText("A short note", "", "Intro.\n\n" + "z" * 30_000)
    tab.replace_text(long_text)
    assert tab.line_guard.protected and tab.editor.isReadOnly()
    assert tab.line_guard.banner.sentence.startswith("Line 3 is 30,000 characters long")
    assert tab.article_text().body_md == long_text.body_md
    tab.replace_text(ArticleText("A short note", "", "Back to short."))
    assert not tab.line_guard.protected and not tab.editor.isReadOnly()
    assert tab.line_guard.banner.isHidden()
    assert tab.editor.toPlainText() == "Back to short."


def test_the_editor_is_filled_in_slices_of_whole_lines_that_give_the_text_back() -> None:
    text = "\n".join(f"line {n} " + "x" * (n % 70) for n in range(2_000))
    slices = list(line_slices(text, 1_000))
    assert "".join(slices) == text
    assert all(s.endswith("\n") for s in slices[:-1])
    assert 50 < len(slices) < 200


def test_pasting_a_ten_megabyte_line_fills_the_editor_without_stalling_and_undoes_at_once(
        qtbot, quiet_collector) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(700, 500)
    editor.show()
    qtbot.waitExposed(editor)
    editor.set_markdown("Before. After.")
    cursor = editor.textCursor()
    cursor.setPosition(len("Before. "))
    editor.setTextCursor(cursor)
    said: list[str] = []
    editor.paste_split.connect(said.append)
    changed: list[int] = []
    editor.text_changed_rev.connect(changed.append)
    mime = QMimeData()
    mime.setText(BODY)
    with Turns() as turns:
        lengths = turns.sample(lambda: editor.document().characterCount())
        editor.insertFromMimeData(mime)
        qtbot.waitUntil(lambda: not editor.isReadOnly(), timeout=60000)
    # pasted a slice per turn of the event loop, the GUI turning between them
    assert slices_seen(lengths, len("Before. After."), len(BODY)) >= FEW_SLICES
    text = editor.toPlainText()
    assert text.replace("\n", "") == "Before. " + BODY + "After."
    assert max(map(len, text.split("\n"))) <= LINE_LIMIT
    assert said and "10,000,000 characters" in said[0]
    # told once, when the whole paste is in (the signal may come a turn of the loop later)
    qtbot.waitUntil(lambda: changed == [editor.revision()], timeout=5000)
    editor.undo()
    assert editor.toPlainText() == "Before. After."
