"""A desk that saves and is then killed, for the crash tests: opens the main window offscreen on a
database, adds a line to the article it opens with real key presses, saves in one of three ways
and prints ``done`` once the save and every snapshot after it have been written; the test then
kills it with SIGKILL.

Usage: python crash_saver.py DB_PATH autosave|save|restore
- ``autosave``: type the line and wait for the autosave;
- ``save``: type the line, press Ctrl+S and give the revision a label;
- ``restore``: press Ctrl+S first (a named revision of the text as loaded), type the line, wait
  for its autosave, then restore the named revision in File > Revisions….
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from desk_child import open_desk
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from pse_desk.ui.main_window import MainWindow
from pse_desk.ui.write.revisions_dialog import RevisionsDialog

LINE = "A line that is saved before the kill."
SETTLE_MS = 1500  # past the snapshot delay (0.4 s): a late snapshot would be written by now
CTRL = Qt.KeyboardModifier.ControlModifier


class Scenario:
    def __init__(self, window: MainWindow, kind: str) -> None:
        self.window, self.kind = window, kind
        self.steps: list[Callable[[], bool]] = []
        self.timer = QTimer()
        self.timer.setInterval(50)
        self.timer.timeout.connect(self._step)

    @property
    def workspace(self):  # type: ignore[no-untyped-def]
        return self.window.workspaces.get("write")

    @property
    def tab(self):  # type: ignore[no-untyped-def]
        ws = self.workspace
        return ws.tabs.current() if ws is not None else None  # type: ignore[attr-defined]

    def _step(self) -> None:
        """Run the next step once the one before it says it is done (True)."""
        while self.steps and self.steps[0]():
            self.steps.pop(0)
            print(f"step {self.kind} {len(self.steps)} left", flush=True)
        if not self.steps:
            self.timer.stop()
            QTimer.singleShot(SETTLE_MS, lambda: print("done", flush=True))

    # --- steps: each returns True when it is done ---------------------------------------------
    def tab_open(self) -> bool:
        tab = self.tab
        return tab is not None and tab.preview.shown_revision >= 0

    def type_line(self) -> bool:
        editor = self.tab.editor
        editor.setFocus()
        QTest.keyClick(editor, Qt.Key.Key_End, CTRL)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QTest.keyClicks(editor, LINE)
        self.saves_before = self.tab.autosaver.saves
        return True

    def autosaved(self) -> bool:
        return bool(self.tab.autosaver.saves > self.saves_before
                    and self.workspace.queue.pending == 0)

    def press_ctrl_s(self) -> bool:
        QTest.keyClick(self.tab.editor, Qt.Key.Key_S, CTRL)
        return True

    def label_dialog_answered(self) -> bool:
        dialog = self.window.findChild(QInputDialog, "revisionLabelDialog")
        if dialog is None or not dialog.isVisible():
            return False
        QTest.keyClicks(dialog.focusWidget(), f"Before the {self.kind} test")
        QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
        self.notice_seen = False
        self.workspace.notice.connect(self._noticed)
        return True

    def _noticed(self, sentence: str) -> None:
        self.notice_seen = self.notice_seen or sentence.startswith("Saved a revision")

    def named_saved(self) -> bool:
        if self.notice_seen and self.workspace.queue.pending == 0:
            self.workspace.notice.disconnect(self._noticed)
            return True
        return False

    def open_revisions(self) -> bool:
        self.window.registry["write.revisions"].trigger()
        return True

    def restored(self) -> bool:
        dialog = self.window.findChild(RevisionsDialog)
        if dialog is None or dialog.list.count() < 2:
            return False
        if not hasattr(self, "restore_clicked"):
            for row in range(dialog.list.count()):
                if "Before the restore test" in dialog.list.item(row).text():
                    dialog.list.setCurrentRow(row)
                    break
            else:
                raise SystemExit("the named revision is not in the timeline")
            QTest.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
            self.restore_clicked = True
            return False
        return bool(dialog.status.text().startswith("Restored")
                    and self.workspace.queue.pending == 0)

    def close_revisions(self) -> bool:
        dialog = self.window.findChild(RevisionsDialog)
        if dialog is not None:
            dialog.close()
        return True


def main() -> int:
    app, window = open_desk(Path(sys.argv[1]))
    kind = sys.argv[2]
    s = Scenario(window, kind)
    plans = {
        "autosave": [s.tab_open, s.type_line, s.autosaved],
        "save": [s.tab_open, s.type_line, s.press_ctrl_s, s.label_dialog_answered,
                 s.named_saved],
        "restore": [s.tab_open, s.press_ctrl_s, s.label_dialog_answered, s.named_saved,
                    s.type_line, s.autosaved, s.open_revisions, s.restored, s.close_revisions],
    }
    s.steps = list(plans[kind])
    window.settled.connect(s.timer.start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
