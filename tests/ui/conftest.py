"""Fixtures for the window tests: private QSettings per test, a small newsroom database shared
by the session (the tests only read it), and a shown main window whose data has arrived."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from pse_desk.store import open_store
from pse_desk.ui import guard_singleton_refcounts
from pse_desk.ui.write.asset_scheme import register_asset_scheme

sys.path.insert(0, str(Path(__file__).parent))
from newsroom_fixture import build_newsroom

# before pytest-qt makes the QApplication: the preview's URL scheme must be registered first,
# and PySide 6.12 on Python 3.11 drops references to True / None (see the guard's docstring)
guard_singleton_refcounts()
register_asset_scheme()

PENDING = 450  # more than two pages of 200


@pytest.fixture(scope="session")
def newsroom_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("newsroom") / "newsroom.sqlite"
    store = open_store(path)
    try:
        build_newsroom(store, pending=PENDING)
    finally:
        store.close()
    return path


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A writable demo newsroom of this test's own (both layouts, the edition)."""
    from pse_desk.demo.build import build_demo

    path = tmp_path / "demo.sqlite"
    store = open_store(path)
    try:
        build_demo(store, articles=24, comments=30)
    finally:
        store.close()
    return path


@pytest.fixture
def desk_settings(qapp, tmp_path: Path) -> Iterator[QSettings]:  # type: ignore[no-untyped-def]
    """The desk's settings, in a folder of this test's own."""
    from pse_desk.ui.settings import desk_settings as make

    folder = tmp_path / "settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    settings = make()
    settings.clear()
    settings.setValue("backup/automatic", False)  # tests that want backups turn them on
    yield settings
    settings.sync()


@pytest.fixture
def open_window(qtbot, desk_settings: QSettings):  # type: ignore[no-untyped-def]
    """A factory: ``open_window(db, workspace=None)`` shows a window and waits for its data."""
    from pse_desk.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def factory(db: Path, workspace: str | None = None, wait: bool = True) -> MainWindow:
        window = MainWindow(desk_settings, db, workspace=workspace)
        qtbot.addWidget(window)
        window.resize(1100, 700)
        windows.append(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        window.start()
        if wait:
            qtbot.waitUntil(window.is_settled, timeout=15000)
        return window

    yield factory
    for w in windows:
        w.shutdown()
