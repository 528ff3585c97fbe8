"""A 100,000-word article in the editor: it loads, keystrokes are handled at once (the
whole-text analysis and the spelling run elsewhere), and the analysis still arrives."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThreadPool

from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.spell import SpellChecker

WORDS = ("council", "budget", "housing", "residents", "services", "the", "of", "and", "to",
         "in", "a", "for", "plan", "care", "local", "schools", "transport", "devolution",
         "health", "review", "funding", "officers", "community", "report")
KEYSTROKE_MEDIAN_MS = 30.0  # the brief's stall budget; measured here: about 1-3 ms
KEYSTROKE_WORST_MS = 250.0  # generous: the test machine is shared with other work


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


def _keystroke_ms(qtbot, editor: MarkdownEditor, key: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    qtbot.keyClicks(editor, key)
    QCoreApplication.processEvents()
    return (time.perf_counter() - started) * 1000


@pytest.mark.slow
def test_a_100000_word_article_loads_and_keystrokes_stay_fast(qtbot, tmp_path: Path) -> None:
    text = article(100_000)
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(900, 700)
    editor.show()
    qtbot.waitExposed(editor)
    spell = SpellChecker(personal_path=tmp_path / "words.txt")
    spell.attach(editor)

    started = time.perf_counter()
    with qtbot.waitSignal(editor.analysis_ready, timeout=120000) as analysed:
        editor.set_markdown(text)
        load_s = time.perf_counter() - started
        editor.go_to_line(editor.document().blockCount() // 2)
        editor.moveCursor(editor.textCursor().MoveOperation.EndOfBlock)
        timings = [_keystroke_ms(qtbot, editor, "x") for _ in range(10)]
        editor.analyse_now()  # and type on while the worker reads the whole text
        timings += [_keystroke_ms(qtbot, editor, "y") for _ in range(20)]
    result = analysed.args[0]
    print(f"\nload {load_s:.2f} s; keystroke median {statistics.median(timings):.1f} ms, "
          f"worst {max(timings):.1f} ms; analysis {result.seconds:.2f} s in the worker")
    assert editor.document().blockCount() > 1000
    assert statistics.median(timings) <= KEYSTROKE_MEDIAN_MS
    assert max(timings) <= KEYSTROKE_WORST_MS
    assert result.revision == editor.revision()
    assert result.stats.words > 99_000
    assert len(result.outline) > 50
    assert editor.toPlainText().count("x" * 10 + "y" * 20) == 1
    spell.wait()
    QThreadPool.globalInstance().waitForDone()
