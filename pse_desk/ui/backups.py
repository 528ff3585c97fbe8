"""Backups while the desk is open: Back up now, the daily backup, the one on quit, the check.

The window owns one ``BackupController``. Backups run in a thread of their own (SQLite's
online backup API reads a snapshot while the desk keeps writing), never on the GUI thread
except the one on quit, which runs after the window has closed. Once a database is open, a
full ``quick_check`` runs in the same thread; if it finds damage the window is told
(``damage_found``) and offers the salvage dialog. Restoring a chosen backup closes the
database first (``release``) and opens the restored file when done (``reopen``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from pse_desk.store import backup as backups
from pse_desk.store.salvage import Diagnosis, diagnose, restore_backup
from pse_desk.ui import settings as keys
from pse_desk.ui.workers import OrderedJobs

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000  # whether the daily backup is due: hourly


class BackupController(QObject):
    message = Signal(str)  # a sentence for the status bar
    damage_found = Signal(object)  # Diagnosis of the open database

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.jobs = OrderedJobs(parent=self)
        self.path: Path | None = None
        self.running = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.back_up_if_due)

    @property
    def automatic(self) -> bool:
        return keys.read_bool(self.settings, keys.AUTO_BACKUP, True)

    def attach(self, path: Path, *, check: bool = True) -> None:
        """A database was opened: check it in the background; daily backups from now on."""
        self.path = path
        if self.automatic:
            self.timer.start()
            self.back_up_if_due()
        if check:
            self.jobs.submit(lambda: diagnose(path), self._checked, self._check_failed,
                             owner=self)

    def set_automatic(self, on: bool) -> None:
        """The preference changed (already saved): follow it now, not at the next start."""
        if not on:
            self.timer.stop()
        elif self.path is not None and not self.timer.isActive():
            self.timer.start()
            self.back_up_if_due()

    def _checked(self, found: object) -> None:
        if isinstance(found, Diagnosis) and found.path == self.path:
            self.damage_found.emit(found)

    def _check_failed(self, sentence: str) -> None:
        log.warning("the integrity check did not run: %s", sentence)

    def back_up_if_due(self) -> None:
        path = self.path
        if path is None or self.running or not self.automatic:
            return
        if backups.due(path):
            self._back_up(path, quiet=True)

    def back_up_now(self) -> None:
        if self.path is None:
            self.message.emit("No newsroom database is open.")
            return
        if self.running:
            self.message.emit("A backup is being made already.")
            return
        self.message.emit("Backing up…")
        self._back_up(self.path, quiet=False)

    def _back_up(self, path: Path, *, quiet: bool) -> None:
        self.running = True

        def done(made: object) -> None:
            self.running = False
            assert isinstance(made, backups.Backup)
            log.info("backed up %s to %s", path, made.path)
            if not quiet:
                self.message.emit(f"Backed up to {made.path.name} "
                                  f"({made.size / 1e6:.1f} MB), checked.")

        def failed(sentence: str) -> None:
            self.running = False
            log.warning("backup failed: %s", sentence)
            self.message.emit(sentence)

        self.jobs.submit(lambda: backups.back_up(path), done, failed, owner=self)

    def restore(self, chosen: Path, release: Callable[[], Path | None],
                reopen: Callable[[Path], None]) -> None:
        """Put ``chosen`` in place of the open database: ``release`` closes it (and returns
        its path), ``reopen`` opens the result (the old file when restoring failed)."""
        path = release()
        if path is None:
            return
        self.path = None
        self.timer.stop()

        def done(aside: object) -> None:
            kept = f" The file it replaced was kept as {Path(str(aside)).name}." if aside else ""
            self.message.emit(f"Restored the backup {chosen.name}.{kept}")
            reopen(path)

        def failed(sentence: str) -> None:
            self.message.emit(sentence)
            reopen(path)

        self.jobs.submit(lambda: restore_backup(chosen, path), done, failed, owner=self)

    def finish(self) -> None:
        """On quit, after the database closed: a last backup if anything changed since one."""
        self.timer.stop()
        self.jobs.wait()
        path = self.path
        if path is None or not self.automatic or not path.exists():
            return
        try:
            if backups.changed_since_backup(path):
                backups.back_up(path)
        except Exception:  # a failed last backup must not stop the desk from closing
            log.exception("the backup on quit failed")
