"""The windowed queue model without a view: the whole queue's length, pages found from either
end or the nearest cached page, a bounded cache, decisions and marks shown in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from pse_desk.services.moderation.queue import Listing, Queue
from pse_desk.store import Store, open_store
from pse_desk.ui.moderate.queue_model import QueueModel
from pse_desk.ui.workers import ReadRunner

PENDING = 450  # the shared newsroom's pending queue (tests/ui/conftest.py)


@pytest.fixture
def runner(qapp, newsroom_db: Path) -> Iterator[ReadRunner]:  # type: ignore[no-untyped-def]
    store: Store = open_store(newsroom_db)
    runner = ReadRunner(QThreadPool())
    runner.store = store
    yield runner
    runner.wait()
    store.close()


def _open(qtbot, runner: ReadRunner, **kw) -> QueueModel:  # type: ignore[no-untyped-def]
    model = QueueModel(runner, **kw)
    with qtbot.waitSignals([model.count_known, model.page_loaded], timeout=10000):
        model.set_listing(Listing(Queue.PENDING))
    return model


def _load(qtbot, model: QueueModel, row: int) -> None:  # type: ignore[no-untyped-def]
    if model.ensure_row(row) is None:
        qtbot.waitUntil(lambda: model.row_at(row) is not None, timeout=10000)


def test_the_table_is_as_long_as_the_queue_from_the_start(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    model = _open(qtbot, runner, page_size=100)
    # only the first page was read
    assert (model.rowCount(), model.total, model.cached_rows) == (PENDING, PENDING, 100)


def test_a_far_row_is_read_from_the_nearest_end_and_pages_join_without_gaps(  # type: ignore[no-untyped-def]
        qtbot, runner) -> None:
    model = _open(qtbot, runner, page_size=100)
    _load(qtbot, model, PENDING - 1)  # the last page: read from the oldest end
    assert model._plan(3) == (False, model.row_at(400).key, 0, 100)  # type: ignore[union-attr]
    for row in (150, 250, 350):
        _load(qtbot, model, row)
    rows = [model.row_at(i) for i in range(PENDING)]
    assert all(r is not None for r in rows)
    times = [r.posted_at for r in rows]  # type: ignore[union-attr]
    assert times == sorted(times, reverse=True)
    assert len({r.id for r in rows}) == PENDING  # type: ignore[union-attr]


def test_the_cache_keeps_only_the_pages_looked_at_last(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    model = _open(qtbot, runner, page_size=50, max_pages=3)
    for row in (60, 160, 260, 360):
        _load(qtbot, model, row)
    assert model.cached_rows == 150
    assert model.row_at(0) is None and model.row_at(360) is not None


def test_decisions_and_marks_show_in_place(qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    model = _open(qtbot, runner, page_size=100)
    first = model.row_at(0)
    assert first is not None
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        model.set_decided({first.id: "approved"})
    assert model.data(model.index(0, 7)) == "Approved"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None
    model.set_marked([first.id])
    assert model.data(model.index(0, 0), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.set_decided({first.id: None})
    assert model.data(model.index(0, 7)) == ""
