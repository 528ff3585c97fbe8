"""Fixtures and environment shared by every test: offscreen Qt, private settings, a database.

The environment is set at import time, before pytest-qt or any test imports Qt: Qt runs
offscreen, QtWebEngine may start as root (CI runs as root), and QSettings, platformdirs and
``$PSE_DESK_DB`` point into a temporary folder for the whole session, so no test reads or
writes the user's own preferences or newsroom.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pse_desk.store import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

SESSION_HOME = Path(tempfile.mkdtemp(prefix="pse-desk-tests-"))
# QSettings (user scope) lives under XDG_CONFIG_HOME on Linux; platformdirs honours both.
os.environ["XDG_CONFIG_HOME"] = str(SESSION_HOME / "config")
os.environ["XDG_DATA_HOME"] = str(SESSION_HOME / "data")
os.environ["XDG_CACHE_HOME"] = str(SESSION_HOME / "cache")
os.environ.pop("PSE_DESK_DB", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def settings_dir() -> Path:
    """The folder that holds this session's QSettings files (``$XDG_CONFIG_HOME``)."""
    return SESSION_HOME / "config"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database goes; the file does not exist yet."""
    return tmp_path / "newsroom.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """A freshly created and migrated database, closed afterwards."""
    opened = open_store(db_path)
    try:
        yield opened
    finally:
        opened.close()
