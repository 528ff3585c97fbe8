"""What a desk started as a child process by a test does before Qt starts: offscreen, as root
without Chromium's sandbox, the refcount guard, the preview's URL scheme; then a main window on
the database given, shown, its database opening."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")

from pse_desk.ui import guard_singleton_refcounts
from pse_desk.ui.write.asset_scheme import register_asset_scheme

guard_singleton_refcounts()
register_asset_scheme()


def open_desk(db: Path) -> tuple[Any, Any]:
    """The QApplication and a shown Write window on ``db`` (settings not kept)."""
    from PySide6.QtWidgets import QApplication

    from pse_desk.ui.main_window import MainWindow
    from pse_desk.ui.settings import desk_settings

    app = QApplication(["pse-desk-test-child"])
    window = MainWindow(desk_settings(), db, workspace="write", persist=False)
    window.resize(1100, 700)
    window.show()
    window.first_painted.connect(window.start)
    return app, window
