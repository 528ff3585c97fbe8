"""The comment queue model without a view: keyset pages on demand, a cap on what it holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from pse_desk.services.moderation import Queue
from pse_desk.store import Store, open_store
from pse_desk.ui.moderate.queue_model import QueueModel
from pse_desk.ui.workers import ReadRunner


@pytest.fixture
def runner(qapp, newsroom_db: Path) -> Iterator[ReadRunner]:  # type: ignore[no-untyped-def]
    store: Store = open_store(newsroom_db)
    runner = ReadRunner(QThreadPool())
    runner.store = store
    yield runner
    runner.wait()
    store.close()


def _fetch_all(qtbot, model: QueueModel) -> None:  # type: ignore[no-untyped-def]
    while model.canFetchMore():
        with qtbot.waitSignal(model.page_loaded, timeout=10000):
            model.fetchMore()


def test_pages_arrive_one_at_a_time_until_the_queue_ends(qtbot, runner: ReadRunner) -> None:
    model = QueueModel(runner, page_size=100)
    with qtbot.waitSignal(model.page_loaded, timeout=10000):
        model.set_queue(Queue.PENDING)
    assert model.rowCount() == 100
    _fetch_all(qtbot, model)
    assert model.rowCount() == 450 and model.exhausted and not model.capped


def test_the_model_stops_at_its_cap_and_says_so(qtbot, runner: ReadRunner) -> None:
    model = QueueModel(runner, page_size=100, max_rows=250)
    with qtbot.waitSignal(model.page_loaded, timeout=10000):
        model.set_queue(Queue.PENDING)
    _fetch_all(qtbot, model)
    assert model.rowCount() == 250
    assert model.capped and not model.canFetchMore()


def test_switching_queue_starts_again_from_the_newest(qtbot, runner: ReadRunner) -> None:
    model = QueueModel(runner, page_size=100)
    with qtbot.waitSignal(model.page_loaded, timeout=10000):
        model.set_queue(Queue.PENDING)
    with qtbot.waitSignal(model.page_loaded, timeout=10000):
        model.set_queue(Queue.APPROVED)
    assert model.rowCount() == 2 and model.exhausted
    assert {model.row_at(i).status for i in range(2)} == {"approved"}  # type: ignore[union-attr]
