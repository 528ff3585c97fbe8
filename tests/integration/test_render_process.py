"""The killable render worker: results tagged with their revision, hostile input survived.

Every input from PITFALLS.md and issue 4 "Bad input" goes through a real worker process; each
comes back either by the deadline path (the hung worker killed and replaced, a failure sentence
naming the line where the trouble starts) or rendered whole without a kill (the block shown as
plain text where it cannot be formatted), and the next render works. How long each takes is
measured by benchmarks/render.py (``render.worker.*``), not here.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from pse_desk.render.process import RenderProcess

DEADLINE = 1.0
INTRO = "A normal opening paragraph.\n\n"  # the hostile text starts at line 3


@pytest.fixture(scope="module")
def worker() -> Iterator[RenderProcess]:
    process = RenderProcess()
    process.start()
    yield process
    process.close()


def test_a_render_returns_a_result_tagged_with_its_revision(worker: RenderProcess) -> None:
    outcome = worker.render("# Hello\n\nWorld", revision=41)
    assert outcome.ok and outcome.failure is None
    assert outcome.revision == 41
    assert outcome.result is not None
    assert [b.html for b in outcome.result.blocks] == ['<h1 id="hello">Hello</h1>',
                                                      "<p>World</p>"]


def test_a_keystroke_re_renders_one_block_and_the_result_is_still_complete(
        worker: RenderProcess) -> None:
    md = "\n\n".join(f"Paragraph number {i} of the article." for i in range(300))
    first = worker.render(md, 1)
    edited = md.replace("number 150 of", "number 150 (edited) of")
    second = worker.render(edited, 2)
    assert first.result is not None and second.result is not None
    assert len(second.result.changed) == 1
    assert len(second.result.blocks) == 300
    assert "(edited)" in second.result.blocks[150].html
    assert second.result.blocks[0].html == "<p>Paragraph number 0 of the article.</p>"


HANGS = {
    "brackets": "[" * 20000 + "a" + "]" * 20000,
    "unclosed links": "[a](" * 10000,
    "unclosed anchors": "<a " * 20000,
}


@pytest.mark.parametrize("name", list(HANGS))
def test_text_that_hangs_the_parser_fails_in_time_naming_its_line(
        worker: RenderProcess, name: str) -> None:
    md = INTRO + HANGS[name]
    restarts = worker.restarts
    outcome = worker.render(md, 7, DEADLINE)
    assert not outcome.ok
    assert outcome.revision == 7
    assert outcome.failed_line == 3
    failure = outcome.failure
    assert failure is not None
    # the deadline path, not a crash ("The renderer stopped while rendering ...")
    assert failure.startswith("This text could not be rendered within 1 second; "
                              "the trouble starts at line 3")
    assert failure.count(".") >= 1 and "\n" not in failure
    assert worker.restarts == restarts + 1  # the hung worker was killed and replaced

    normal = worker.render("Back to *normal*.", revision=8)
    assert normal.ok and normal.result is not None
    assert normal.result.blocks[0].html == "<p>Back to <em>normal</em>.</p>"


def test_the_same_hostile_text_again_renders_with_that_block_as_plain_text(
        worker: RenderProcess) -> None:
    md = INTRO + HANGS["brackets"]
    worker.render(md, 1, DEADLINE)
    restarts = worker.restarts
    outcome = worker.render(md + "\n\nA paragraph typed after it.", 2, DEADLINE)
    assert worker.restarts == restarts  # no block ran past the deadline this time
    result = outcome.result
    assert result is not None
    assert result.blocks[0].html == "<p>A normal opening paragraph.</p>"
    assert 'class="pse-unrendered' in result.blocks[1].html
    assert result.blocks[2].html == "<p>A paragraph typed after it.</p>"
    assert result.problems == ("The block at line 3 could not be rendered in time and is shown "
                               "as plain text.",)


@pytest.mark.parametrize("name, md", [
    ("nested list", "\n".join("    " * i + "- item" for i in range(1000))),
    ("nested quotes", "> " * 1000 + "deep"),
    ("10 MB single line", "word " * 2_000_000),
    ("NUL characters", "a\x00b\n\n\x00\x00# \x00"),
    ("lone surrogates", "broken \ud800 text\n\n\udfff"),
])
def test_other_bad_input_renders_in_time_without_crashing(worker: RenderProcess, name: str,
                                                          md: str) -> None:
    restarts = worker.restarts
    outcome = worker.render(INTRO + md, 1, DEADLINE)
    assert outcome.ok, outcome.failure
    assert worker.restarts == restarts, name  # rendered whole, no block past the deadline
    assert worker.render("fine", 2).ok


def test_a_worker_that_died_between_renders_is_replaced(worker: RenderProcess) -> None:
    pid = worker.worker_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    outcome = worker.render("Still *working*.", 3)
    assert outcome.ok
    assert worker.worker_pid != pid


def test_cancel_from_another_thread_stops_a_long_render(worker: RenderProcess) -> None:
    timer = threading.Timer(0.3, worker.cancel)
    timer.start()
    restarts = worker.restarts
    # with a 30 s deadline only the cancel can end this render early: a cancelled outcome
    # (not the deadline's failure sentence) is the proof that it did
    outcome = worker.render(INTRO + HANGS["unclosed anchors"] + "\n\nx", 1, 30)
    timer.join()
    assert outcome.cancelled
    assert outcome.failure == "The render was cancelled."
    assert not outcome.ok
    assert worker.restarts == restarts + 1  # the busy worker was stopped and replaced
    assert worker.render("after cancel", 4).ok


def test_render_works_from_a_worker_thread() -> None:
    outcomes = []
    with RenderProcess() as process:
        thread = threading.Thread(target=lambda: outcomes.append(process.render("*t*", 9)))
        thread.start()
        thread.join(60)
    assert outcomes and outcomes[0].ok and outcomes[0].revision == 9
