"""Edit > Preferences > Hub: the hub's URL, the role this desk syncs as, the password (kept in
the system keyring, never in the settings file), Test connection, and background sync."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from pse_desk.ui.workers import OrderedJobs

MIN_INTERVAL_S, MAX_INTERVAL_S = 10, 3600


class HubPage(QWidget):
    def __init__(self, url: str, role: str, background: bool, interval_s: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hubPage")
        self.jobs = OrderedJobs(parent=self)
        self.url_edit = QLineEdit(url)
        self.url_edit.setObjectName("hubUrl")
        self.url_edit.setPlaceholderText("postgresql://you@hub.newsroom:5432/newsroom")
        self.role_box = QComboBox()
        self.role_box.setObjectName("hubRole")
        self.role_box.addItem("Editor (articles, layouts, editions)", "editor")
        self.role_box.addItem("Moderator (comments, rules)", "moderator")
        self.role_box.setCurrentIndex(max(0, self.role_box.findData(role or "editor")))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("hubPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("kept in the system keyring, or use ~/.pgpass")
        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("hubTest")
        self.test_button.setAutoDefault(False)  # Enter is OK for the dialog, not a test
        self.test_button.clicked.connect(self.test)
        self.result = QLabel("")
        self.result.setObjectName("hubTestResult")
        self.result.setWordWrap(True)
        self.background_box = QCheckBox("Sync in the background while the hub is reachable")
        self.background_box.setObjectName("hubBackground")
        self.background_box.setChecked(background)
        self.interval_box = QSpinBox()
        self.interval_box.setObjectName("hubInterval")
        self.interval_box.setRange(MIN_INTERVAL_S, MAX_INTERVAL_S)
        self.interval_box.setSuffix(" s")
        self.interval_box.setValue(interval_s)
        note = QLabel("The URL is kept in the newsroom database without its password. Sync "
                      "now is F9; the status bar shows what is waiting and when this desk last "
                      "synced.")
        note.setWordWrap(True)
        note.setObjectName("paneMeta")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)
        form = QFormLayout(self)
        form.addRow("Hub URL", self.url_edit)
        form.addRow("This desk syncs as", self.role_box)
        form.addRow("Password", self.password_edit)
        form.addRow(test_row)
        form.addRow(self.background_box)
        form.addRow("Every", self.interval_box)
        form.addRow(note)

    @property
    def url(self) -> str:
        return self.url_edit.text().strip()

    @property
    def role(self) -> str:
        return str(self.role_box.currentData())

    @property
    def password(self) -> str:
        return self.password_edit.text()

    def test(self) -> None:
        """Connect, check the schema and the role, off the GUI thread; one sentence back."""
        from pse_desk.services.sync import test_connection

        url, role, password = self.url, self.role, self.password or None
        if not url:
            self.result.setText("Give the hub's URL first.")
            return
        self.test_button.setEnabled(False)
        self.result.setText("Connecting…")
        self.jobs.submit(lambda: test_connection(url, role, password), self._tested,
                         self._tested, self)

    def _tested(self, sentence: object) -> None:
        self.test_button.setEnabled(True)
        self.result.setText(str(sentence))
