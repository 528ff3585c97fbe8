"""The thread-pool reader: results come back on the GUI thread and stale ones are dropped."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QThread, QThreadPool

from pse_desk.store import Store
from pse_desk.ui.workers import ReadRunner


def test_an_older_answer_on_the_same_channel_is_dropped(qtbot, store: Store) -> None:
    runner = ReadRunner(QThreadPool())
    runner.store = store
    release = threading.Event()
    got: list[Any] = []

    def slow(_s: Any) -> str:
        release.wait(10)
        return "old"

    runner.submit("list", slow, got.append)
    with qtbot.waitSignal(runner.delivered, timeout=10000):
        runner.submit("list", lambda _s: "new", got.append)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10000)
    assert got == ["new"]
    runner.wait()


def test_results_arrive_on_the_gui_thread_and_errors_as_sentences(qtbot, store: Store) -> None:
    runner = ReadRunner(QThreadPool())
    runner.store = store
    threads: list[bool] = []
    errors: list[str] = []

    def fails(_s: Any) -> None:
        raise RuntimeError("disk on fire")

    runner.submit("a", lambda s: QThread.currentThread(),
                  lambda worker: threads.append(worker is not QThread.currentThread()))
    runner.submit("b", fails, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=10000)
    assert threads == [True]
    assert errors == ["Reading the database failed (RuntimeError: disk on fire)."]
    runner.wait()


def test_nothing_is_submitted_before_a_database_is_open() -> None:
    runner = ReadRunner(QThreadPool())
    assert runner.submit("a", lambda s: 1, lambda r: None) == 0
    assert runner.pending == 0
