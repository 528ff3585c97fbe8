"""A 100,000-word article in the editor: it loads styled screen by screen, a keystroke styles
only the lines around it (the whole-text analysis and the spelling run elsewhere: the analysis
in its worker process, fed from a pool thread, the spelling on pool threads), and the analysis
still arrives for the last revision.

What is checked is the work each step does, not how long it takes: the keystroke times are
``editor.keystroke_ms.*`` in benchmarks/editor.py.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool

from pse_desk.ui.write import highlighter
from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.spell import SpellChecker
from pse_desk.writing import spelling
from pse_desk.writing.worker import AnalysisWorker

WORDS = ("council", "budget", "housing", "residents", "services", "the", "of", "and", "to",
         "in", "a", "for", "plan", "care", "local", "schools", "transport", "devolution",
         "health", "review", "funding", "officers", "community", "report")


def article(words: int, seed: int = 4) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    while count < words:
        if rng.random() < 0.05:
            parts.append("## " + " ".join(rng.choice(WORDS) for _ in range(4)).capitalize())
            count += 4
            continue
        sentences = []
        for _ in range(rng.randint(2, 6)):
            n = rng.randint(8, 24)
            sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
            count += n
        parts.append(" ".join(sentences))
    return "\n\n".join(parts)


class Work:
    """What the GUI thread and the others do: lines styled, and the threads that analysed and
    spell-checked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.lines_styled = 0
        self.analysed_on: list[int] = []
        self.spelt_on: set[int] = set()
        spans, analyse, check_line = (highlighter.inline_spans, AnalysisWorker.analyse,
                                      spelling.SpellChecker.check_line)

        def counted_spans(text: str) -> Any:
            self.lines_styled += 1
            return spans(text)

        def recorded_analyse(worker: AnalysisWorker, *args: Any, **kwargs: Any) -> Any:
            self.analysed_on.append(threading.get_ident())
            return analyse(worker, *args, **kwargs)

        def recorded_check(checker: spelling.SpellChecker, *args: Any, **kwargs: Any) -> Any:
            self.spelt_on.add(threading.get_ident())
            return check_line(checker, *args, **kwargs)

        monkeypatch.setattr(highlighter, "inline_spans", counted_spans)
        monkeypatch.setattr(AnalysisWorker, "analyse", recorded_analyse)
        monkeypatch.setattr(spelling.SpellChecker, "check_line", recorded_check)

    def styled_by(self, step: Any) -> int:
        """Lines styled while ``step()`` runs and the event loop then turns once."""
        before = self.lines_styled
        step()
        QCoreApplication.processEvents()
        return self.lines_styled - before


@pytest.mark.slow
def test_a_100000_word_article_loads_in_slices_and_a_keystroke_styles_only_its_lines(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = article(100_000)
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    editor.show()
    qtbot.waitExposed(editor)
    spell = SpellChecker(personal_path=tmp_path / "words.txt")
    spell.attach(editor)
    work = Work(monkeypatch)
    screen = editor._lines_on_screen()
    gui = threading.get_ident()

    with qtbot.waitSignal(editor.analysis_ready, timeout=120000) as analysed:
        at_load = work.styled_by(lambda: editor.set_markdown(text))
        lines = editor.document().blockCount()
        assert lines > 1000
        # its first screens now, the rest a slice per later turn of the event loop
        assert at_load <= 3 * screen + highlighter.LAZY_SLICE_LINES, (at_load, lines)
        assert not editor.highlighter.fully_styled
        # far ahead of the slices: the lines that come into view are styled, not all before
        at_jump = work.styled_by(lambda: editor.go_to_line(lines // 2))
        assert at_jump <= 3 * screen + highlighter.LAZY_SLICE_LINES, (at_jump, lines)
        editor.moveCursor(editor.textCursor().MoveOperation.EndOfBlock)
        per_key = [work.styled_by(lambda: qtbot.keyClicks(editor, "x")) for _ in range(10)]
        editor.analyse_now()  # and type on while the worker reads the whole text
        per_key += [work.styled_by(lambda: qtbot.keyClicks(editor, "y")) for _ in range(20)]
    # a keystroke styles its own line and at most a screen or two ahead, plus one slice of
    # the lazy styling per turn: never the thousands of lines of the whole text
    bound = 3 * screen + highlighter.LAZY_SLICE_LINES
    assert max(per_key) <= bound, (per_key, bound, lines)
    result = analysed.args[0]
    assert result.revision == editor.revision()
    assert result.complete  # finished by the worker process, not the rough fallback
    assert result.stats.words > 99_000
    assert len(result.outline) > 50
    assert work.analysed_on and gui not in work.analysed_on
    assert editor.toPlainText().count("x" * 10 + "y" * 20) == 1
    spell.wait()
    assert work.spelt_on and gui not in work.spelt_on
    qtbot.waitUntil(lambda: editor.highlighter.fully_styled, timeout=60000)
    QThreadPool.globalInstance().waitForDone()
