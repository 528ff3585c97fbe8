"""The dialog for a damaged database: what is wrong, and the two ways back (or quit).

It offers to restore the newest good backup (named by its date) or to recover what can be read
into a new file; either moves the damaged file aside first and never writes to it
(``pse_desk.store.salvage``). The work runs in a worker thread with a busy bar; the dialog then
says what was done, and is accepted with the database ready to open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.store.salvage import Diagnosis, newest_good_backup, recover, restore_backup
from pse_desk.ui.workers import OrderedJobs


class SalvageDialog(QDialog):
    def __init__(self, diagnosis: Diagnosis, parent: QWidget | None = None,
                 quit_text: str = "Quit") -> None:
        super().__init__(parent)
        self.setObjectName("salvageDialog")
        self.setWindowTitle("The newsroom database is damaged")
        self.db_path: Path = diagnosis.path
        self.outcome = ""  # what was done, in a sentence, once it is
        self.jobs = OrderedJobs(parent=self)
        self.backup = newest_good_backup(diagnosis.path)

        self.message = QLabel(self._explain(diagnosis))
        self.message.setObjectName("salvageMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        buttons = QDialogButtonBox()
        label = (f"Restore the backup of {self.backup.label}" if self.backup
                 else "No backup to restore")
        self.restore_button = QPushButton(label)
        self.restore_button.setObjectName("salvageRestore")
        self.restore_button.setEnabled(self.backup is not None)
        self.recover_button = QPushButton("Recover what can be read")
        self.recover_button.setObjectName("salvageRecover")
        self.recover_button.setEnabled(diagnosis.readable)
        self.quit_button = QPushButton(quit_text)
        self.quit_button.setObjectName("salvageQuit")
        self.open_button = QPushButton("Open the newsroom")
        self.open_button.setObjectName("salvageOpen")
        for b in (self.restore_button, self.recover_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
            b.setAutoDefault(False)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.hide()  # after addButton, which shows it
        self.restore_button.clicked.connect(self.restore)
        self.recover_button.clicked.connect(self.recover)
        self.quit_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.resize(560, 220)

    def _explain(self, diagnosis: Diagnosis) -> str:
        ways = []
        if self.backup is not None:
            ways.append(f"restore the newest good backup ({self.backup.label})")
        if diagnosis.readable:
            ways.append("recover what can still be read into a new file")
        choice = (" You can " + " or ".join(ways) + "." if ways
                  else " There is no backup, and nothing in it can be read.")
        return (f"{diagnosis.sentence}{choice} Either way the damaged file is kept, moved "
                "aside under a name with today's date; nothing is written to it.")

    def restore(self) -> None:
        assert self.backup is not None
        chosen = self.backup.path
        self._run(lambda: restore_backup(chosen, self.db_path),
                  lambda aside: f"The backup of {self.backup.label if self.backup else ''} "
                  f"is in place. The damaged file was kept as "
                  f"{Path(str(aside)).name if aside else 'nothing'}.")

    def recover(self) -> None:
        self._run(lambda: recover(self.db_path), lambda done: str(done.sentence))

    def _run(self, work: object, describe: object) -> None:
        for b in (self.restore_button, self.recover_button, self.quit_button):
            b.setEnabled(False)
        self.busy.show()
        self.message.setText("Working… the damaged file is being kept aside.")

        def done(result: object) -> None:
            self.busy.hide()
            self.outcome = describe(result)  # type: ignore[operator]
            self.message.setText(self.outcome)
            self.quit_button.hide()  # the file in place is sound now: open it
            self.open_button.show()
            self.open_button.setDefault(True)
            self.open_button.setFocus()

        def failed(sentence: str) -> None:
            self.busy.hide()
            self.message.setText(sentence)
            self.quit_button.setEnabled(True)
            self.restore_button.setEnabled(self.backup is not None)
            self.recover_button.setEnabled(True)

        self.jobs.submit(work, done, failed, owner=self)  # type: ignore[arg-type]
