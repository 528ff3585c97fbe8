"""The outline and checks panels beside the editor: fed by the editor's analysis (done off
the GUI thread), and each row a click or an Enter away from its line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QHBoxLayout, QWidget

from pse_desk.ui.write.checks_panel import ChecksPanel
from pse_desk.ui.write.editor import MarkdownEditor, TextAnalysis
from pse_desk.ui.write.outline_panel import OutlinePanel

ARTICLE = """Intro paragraph of the piece.

## Money

The budget grows this year.

#### Too deep

Read the plan [click here](https://example.org/plan).

![](chart.png)

## Housing

Homes are needed.
"""


@pytest.fixture
def desk(qtbot) -> Iterator[tuple[MarkdownEditor, OutlinePanel, ChecksPanel]]:  # type: ignore[no-untyped-def]
    host = QWidget()
    editor, outline, checks = MarkdownEditor(), OutlinePanel(), ChecksPanel()
    lay = QHBoxLayout(host)
    for w in (outline, editor, checks):
        lay.addWidget(w)
    editor.analysis_ready.connect(lambda a: outline.set_outline(a.outline))
    editor.analysis_ready.connect(lambda a: checks.set_findings(a.findings))
    outline.jump_requested.connect(editor.go_to_line)
    checks.jump_requested.connect(editor.go_to_line)
    editor.cursor_line_changed.connect(outline.set_current_line)
    qtbot.addWidget(host)
    host.resize(1000, 400)
    host.show()
    qtbot.waitExposed(host)
    yield editor, outline, checks
    QThreadPool.globalInstance().waitForDone()


def _analysed(qtbot, editor: MarkdownEditor, text: str) -> TextAnalysis:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(editor.analysis_ready, timeout=30000) as signal:
        editor.set_markdown(text)
    result = signal.args[0]
    assert isinstance(result, TextAnalysis)
    return result


def test_the_analysis_arrives_for_the_current_revision(qtbot, desk):
    editor, _outline, _checks = desk
    result = _analysed(qtbot, editor, ARTICLE)
    assert result.revision == editor.revision()
    assert [h.text for h in result.outline] == ["Money", "Too deep", "Housing"]
    assert result.stats.words > 20


def test_a_stale_analysis_is_dropped_and_done_again(qtbot, desk):
    editor, _outline, _checks = desk
    editor.set_markdown(ARTICLE)
    editor.analyse_now()
    qtbot.keyClicks(editor, "x")  # the text moves on while the worker is busy
    with qtbot.waitSignal(editor.analysis_ready, timeout=30000) as signal:
        pass
    assert signal.args[0].revision == editor.revision()


def test_clicking_a_heading_in_the_outline_jumps_to_it(qtbot, desk):
    editor, outline, _checks = desk
    _analysed(qtbot, editor, ARTICLE)
    assert outline.list.count() == 3
    assert outline.list.item(1).text().strip() == "Too deep"
    item = outline.list.item(2)
    rect = outline.list.visualItemRect(item)
    with qtbot.waitSignal(outline.jump_requested) as signal:
        qtbot.mouseClick(outline.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [13]
    assert editor.textCursor().blockNumber() == 12


def test_enter_on_a_heading_in_the_outline_jumps_to_it(qtbot, desk):
    editor, outline, _checks = desk
    _analysed(qtbot, editor, ARTICLE)
    outline.list.setFocus()
    outline.list.setCurrentRow(0)
    qtbot.keyClick(outline.list, Qt.Key.Key_Return)
    assert editor.textCursor().blockNumber() == 2


def test_the_outline_follows_the_cursor_into_a_section(qtbot, desk):
    editor, outline, _checks = desk
    _analysed(qtbot, editor, ARTICLE)
    editor.go_to_line(15)
    assert outline.list.currentRow() == 2


def test_the_checks_list_a_click_from_their_line(qtbot, desk):
    editor, _outline, checks = desk
    _analysed(qtbot, editor, ARTICLE)
    kinds = [checks.list.item(i).text() for i in range(checks.list.count())]
    assert any("Line 7" in k and "level-4" in k for k in kinds)
    assert any("Line 9" in k and "click here" in k for k in kinds)
    assert any("Line 11" in k and "alt text" in k for k in kinds)
    row = next(i for i, k in enumerate(kinds) if "click here" in k)
    rect = checks.list.visualItemRect(checks.list.item(row))
    with qtbot.waitSignal(checks.jump_requested) as signal:
        qtbot.mouseClick(checks.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [9, 14]
    cursor = editor.textCursor()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (8, 14)
    assert checks.summary.text().endswith("to look at.")


def test_an_empty_article_shows_no_headings_and_no_problems(qtbot, desk):
    editor, outline, checks = desk
    _analysed(qtbot, editor, "Just one line.")
    assert outline.list.count() == 0 and outline.empty.isVisible()
    assert checks.summary.text() == "No problems found."


def test_a_text_that_outlasts_the_deadline_gets_a_rough_count_and_the_next_one_works(
        qtbot, desk, monkeypatch):
    from pse_desk.ui.write import analysis as analysis_module

    editor, outline, _checks = desk
    monkeypatch.setattr(analysis_module, "ANALYSIS_DEADLINE_S", 0.3)
    # 400,000 words: the checks take seconds, far past the shortened deadline
    hostile = "## Heading\n\n" + "word " * 400_000 + "\n"
    result = _analysed(qtbot, editor, hostile)
    assert not result.complete
    assert result.outline == [] and result.findings == []
    assert result.stats.words == 400_002
    monkeypatch.setattr(analysis_module, "ANALYSIS_DEADLINE_S", 30.0)
    result = _analysed(qtbot, editor, ARTICLE)  # a fresh worker process takes over
    assert result.complete and len(result.outline) == 3
    assert outline.list.count() == 3
