"""The analysis process body: answers each text, reports a failing check, ends with its pipe."""

from __future__ import annotations

import multiprocessing

from pse_desk.writing.worker import serve


def test_the_worker_analyses_each_text_and_ends_when_the_pipe_closes() -> None:
    context = multiprocessing.get_context("spawn")
    conn, child = context.Pipe()
    process = context.Process(target=serve, args=(child,), daemon=True)
    process.start()
    child.close()
    try:
        conn.send("# Title\n\nOne short sentence here.\n\n## Part two\n")
        assert conn.poll(60)
        kind, (headings, _findings, stats) = conn.recv()
        assert kind == "ok"
        assert [h.text for h in headings] == ["Title", "Part two"]
        assert stats.words >= 6
    finally:
        conn.close()
    process.join(10)
    assert process.exitcode == 0  # the closed pipe ended it; nothing left behind
