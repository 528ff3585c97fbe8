"""File > Import…: a WordPress or Disqus export, first as a dry run, then for real.

The dialog is a thin face on ``services.importing.import_file``: step one runs it with
``dry_run=True`` (everything is read and checked, nothing is written) and shows what would be
imported, left out and why; "Import" then runs it for real. Both run in a worker thread with a
progress bar and Cancel, which stops the import with the database as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.errors import DeskError
from pse_desk.store import Store

FORMATS = {"wxr": "WordPress export", "disqus": "Disqus export"}


class _Bridge(QObject):
    progress = Signal(int, int, str)
    finished = Signal(bool, object)  # ok, summary or sentence


class _ImportJob(QRunnable):
    def __init__(self, work: Callable[..., Any], bridge: _Bridge) -> None:
        super().__init__()
        self.work, self.bridge = work, bridge

    def run(self) -> None:
        def progress(done: int, total: int, what: str) -> None:
            # byte counts of a big file exceed a 32-bit int: in thousandths
            self.bridge.progress.emit(int(1000 * done / total) if total else 0, 1000, what)

        try:
            result = self.work(progress)
        except DeskError as exc:
            self.bridge.finished.emit(False, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 -- a failure is a sentence, never a crash
            self.bridge.finished.emit(False, f"The import failed ({type(exc).__name__}: {exc}); "
                                             "nothing was imported.")
            return
        self.bridge.finished.emit(True, result)


class ImportDialog(QDialog):
    imported = Signal()  # rows were written: the window refreshes its lists

    def __init__(self, store: Store, path: Path, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(f"Import {FORMATS.get(kind, kind)}: {path.name}")
        self.store, self.path, self.kind = store, path, kind
        self.cancel_event = threading.Event()
        self.running = False
        self.imported_all = False
        self.bridge = _Bridge(self)
        self.bridge.progress.connect(self._progress)
        self.bridge.finished.connect(self._finished)

        self.heading = QLabel(f"Checking {path.name} — nothing is written yet…")
        self.heading.setObjectName("importHeading")
        self.heading.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.report = QPlainTextEdit()
        self.report.setObjectName("importReport")
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox()
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("importRun")
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("importCancel")
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.bar)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        self.resize(620, 360)
        self._start(dry_run=True)

    def _start(self, *, dry_run: bool) -> None:
        from pse_desk.services.importing import import_file

        self.running = True
        self.dry_run = dry_run
        self.cancel_event.clear()
        self.bar.setValue(0)
        store, path, kind, cancel = self.store, self.path, self.kind, self.cancel_event
        QThreadPool.globalInstance().start(_ImportJob(
            lambda progress: import_file(store, path, kind, dry_run=dry_run, progress=progress,
                                         cancel=cancel), self.bridge))

    def run_import(self) -> None:
        if self.imported_all:
            self.accept()
            return
        self.import_button.setEnabled(False)
        self.heading.setText(f"Importing {self.path.name}…")
        self._start(dry_run=False)

    def cancel(self) -> None:
        if self.running:
            self.cancel_event.set()
            self.heading.setText("Cancelling… nothing is kept.")
            return
        self.reject()

    def _progress(self, done: int, total: int, what: str) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)
        self.bar.setFormat(f"{what} %p%")

    def _finished(self, ok: bool, payload: object) -> None:
        self.running = False
        if not ok:
            self.heading.setText(str(payload))
            self.import_button.setEnabled(False)
            self.cancel_button.setText("Close")
            return
        self.report.setPlainText(str(payload))
        self.bar.setValue(self.bar.maximum())
        if self.dry_run:
            self.heading.setText("This is what the import would do. Nothing has been written "
                                 "yet.")
            self.import_button.setEnabled(True)
            self.import_button.setDefault(True)
        else:
            self.imported_all = True
            self.heading.setText("Imported.")
            self.import_button.setText("Done")
            self.import_button.setEnabled(True)
            self.cancel_button.hide()
            self.imported.emit()

    def reject(self) -> None:
        if self.running:  # Esc while working: cancel first, close when it has stopped
            self.cancel()
            self.bridge.finished.connect(lambda *_: super(ImportDialog, self).reject(),
                                         Qt.ConnectionType.SingleShotConnection)
            return
        super().reject()
