"""The global audit log: every moderation decision, newest first, filtered by actor, action and
date, paged on demand, and exported to CSV (``services.moderation.audit``) in a worker."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services.moderation.audit import (
    AuditEntry,
    AuditFilter,
    audit_log,
    export_audit_csv,
)
from pse_desk.ui.moderate.decisions import DecisionRunner
from pse_desk.ui.table_model import display_text
from pse_desk.ui.workers import ReadRunner

PAGE = 200
ACTIONS = ("", "approve", "reject", "spam", "restore", "ban", "undo")
COLUMNS = ("When", "Actor", "Action", "From", "To", "Reason", "Commenter", "Article", "Comment")


def _day(edit: QDateEdit) -> date:
    day = edit.date().toPython()
    assert isinstance(day, date)
    return day


def _cells(e: AuditEntry) -> tuple[str, ...]:
    return (display_text(e.at), e.actor, e.action, e.from_status, e.to_status, e.reason,
            e.commenter, e.article, e.excerpt)


class AuditDialog(QDialog):
    page_loaded = Signal(int)
    exported = Signal(int)

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self.setWindowTitle("Moderation audit log")
        self.runner = runner
        self.writer = DecisionRunner(parent=self)  # the CSV export: a thread of its own
        self.entries: list[AuditEntry] = []
        self.exhausted = False
        filters = self._build_filters()
        self._build_table()
        bottom = self._build_bottom()
        lay = QVBoxLayout(self)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.resize(1100, 600)
        self.reload()

    def _build_filters(self) -> QHBoxLayout:
        """Actor, action and dates, applied with Apply (or Enter in the actor box)."""
        self.actor = QLineEdit()
        self.actor.setObjectName("auditActor")
        self.actor.setPlaceholderText("actor (exact)")
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        for a in ACTIONS:
            self.action.addItem(a or "any action", a)
        self.use_dates = QCheckBox("From")
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for d in (self.since, self.until):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        apply = QPushButton("Apply")
        apply.clicked.connect(self.reload)
        self.actor.returnPressed.connect(self.reload)
        filters = QHBoxLayout()
        for w in (QLabel("Actor"), self.actor, QLabel("Action"), self.action, self.use_dates,
                  self.since, QLabel("to"), self.until, apply):
            filters.addWidget(w)
        return filters

    def _build_table(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _build_bottom(self) -> QHBoxLayout:
        """How many decisions are shown; More, Export CSV… and Close."""
        self.status = QLabel()
        self.status.setObjectName("auditStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        more = QPushButton("More")
        more.clicked.connect(self.load_more)
        export = QPushButton("Export CSV…")
        export.setObjectName("auditExport")
        export.clicked.connect(self.choose_export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        for b in (more, export, close):
            bottom.addWidget(b)
        return bottom

    def filters(self) -> AuditFilter:
        since = until = None
        if self.use_dates.isChecked():
            since = datetime.combine(_day(self.since), time())
            until = datetime.combine(_day(self.until), time()) + timedelta(days=1)
        return AuditFilter(actor=self.actor.text().strip() or None,
                           action=self.action.currentData() or None, since=since, until=until)

    def reload(self) -> None:
        self.entries = []
        self.exhausted = False
        self.table.setRowCount(0)
        self.load_more()

    def load_more(self) -> None:
        if self.exhausted:
            return
        filters = self.filters()
        after = self.entries[-1].key if self.entries else None
        self.runner.submit("moderate.audit", lambda s: audit_log(s, filters, after=after,
                                                                   limit=PAGE),
                           self._arrived, self.status.setText)

    def _arrived(self, found: list[AuditEntry]) -> None:
        start = len(self.entries)
        self.entries += found
        self.exhausted = len(found) < PAGE
        self.table.setRowCount(len(self.entries))
        for i, e in enumerate(found, start):
            for col, text in enumerate(_cells(e)):
                self.table.setItem(i, col, QTableWidgetItem(text))
        more = "" if self.exhausted else " (scroll or press More for older ones)"
        self.status.setText(f"{len(self.entries):,} decisions shown{more}.")
        self.page_loaded.emit(len(found))

    def _scrolled(self, value: int) -> None:
        bar = self.table.verticalScrollBar()
        if value >= bar.maximum() - 5 and not self.exhausted and self.runner.pending == 0:
            self.load_more()

    def choose_export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Export the audit log", "audit.csv",
                                               "CSV files (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        store, filters = self.runner.store, self.filters()
        if store is None:
            return
        self.status.setText("Exporting…")
        self.writer.run(lambda _p: export_audit_csv(store, path, filters), self._exported,
                        self.status.setText)

    def _exported(self, rows: int) -> None:
        self.status.setText(f"{rows:,} decisions written to the CSV file.")
        self.exported.emit(rows)
