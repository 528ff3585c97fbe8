"""Helpers the workspace tests share: answering a dialog when it opens, and giving the window
back its focus after one closed (so scoped keys reach the workspace again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def answer_dialog(kind: type, fill: Callable[[Any], object]) -> None:
    """When a dialog of ``kind`` opens (even inside ``exec``), ``fill`` it."""
    def poll() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible():
                fill(w)
                return
        QTimer.singleShot(20, poll)
    QTimer.singleShot(20, poll)


def back_to(qtbot, window: QWidget, focus: QWidget) -> None:  # type: ignore[no-untyped-def]
    """After a dialog closed: the window active again, the focus on ``focus``."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    focus.setFocus()
