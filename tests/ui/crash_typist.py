"""A typist for the crash test: opens the main window offscreen on a database, waits until the
Write workspace shows an article, then types into its editor with QTest key clicks on a timer,
printing ``typed <count> <unix time>`` after every key, until it is killed.

Usage: python crash_typist.py DB_PATH   (run by tests/ui/test_write_crash_recovery.py)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from desk_child import open_desk
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

TEXT = "Every word typed survives a kill. "
KEY_INTERVAL_MS = 25


def main() -> int:
    app, window = open_desk(Path(sys.argv[1]))
    typed = [0]
    timer = QTimer()
    timer.setInterval(KEY_INTERVAL_MS)

    def editor():  # type: ignore[no-untyped-def]
        ws = window.workspaces.get("write")
        tab = ws.tabs.current() if ws is not None else None  # type: ignore[attr-defined]
        return tab.editor if tab is not None else None

    def start_when_open() -> None:
        if timer.isActive():
            return
        ed = editor()
        if ed is None:
            QTimer.singleShot(50, start_when_open)
            return
        ed.setFocus()
        QTest.keyClick(ed, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        print("ready", flush=True)
        timer.start()

    def type_one() -> None:
        ed = editor()
        if ed is None:
            return
        ch = TEXT[typed[0] % len(TEXT)]
        QTest.keyClicks(ed, ch)
        typed[0] += 1
        print(f"typed {typed[0]} {time.time():.3f}", flush=True)

    timer.timeout.connect(type_one)
    window.settled.connect(start_when_open)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
