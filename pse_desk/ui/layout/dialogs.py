"""The Layout workspace's small dialogs: a new panel, a link, a pin's window, the moment to
preview, and a name. Each checks its input with the layout logic's own refusals
(``pse_desk.layout.validate``) and says what is wrong in one sentence before it closes, so a
refused value never reaches the store.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.validate import item_refusal, panel_refusal, pin_refusal
from pse_desk.layout.values import LATEST, LINKS, PICKED, Source
from pse_desk.render.page import region_label
from pse_desk.ui.workspace import plain_label

SOURCE_NAMES = ((LATEST, "Latest published articles"), (PICKED, "Articles picked by hand"),
                (LINKS, "External links (videos, reports)"))


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day),
                     QTime(value.hour, value.minute), QTimeZone.utc())


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class _Checked(QDialog):
    """A form with OK/Cancel and an error line; ``refusal()`` says why OK may not close it."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = plain_label("dialogError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(self.form)
        box.addWidget(self.error)
        box.addWidget(buttons)

    def refusal(self) -> str | None:
        return None

    def _try_accept(self) -> None:
        why = self.refusal()
        if why is not None:
            self.error.setText(why)
            self.error.show()
            return
        self.accept()


class NewPanelDialog(_Checked):
    def __init__(self, regions: tuple[str, ...], region: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__("Add a panel", parent)
        self.title = QLineEdit()
        self.title.setObjectName("newPanelTitle")
        self.source = QComboBox()
        for kind, name in SOURCE_NAMES:
            self.source.addItem(name, kind)
        self.region = QComboBox()
        for name in regions:
            self.region.addItem(region_label(name), name)
        self.region.setCurrentIndex(max(0, regions.index(region) if region in regions else 0))
        self.form.addRow("&Title", self.title)
        self.form.addRow("&Shows", self.source)
        self.form.addRow("&Region", self.region)

    def refusal(self) -> str | None:
        return panel_refusal(self.title.text(), 3, Source(kind=self.source.currentData()))


class LinkDialog(_Checked):
    """An external link: title, address, date, summary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add a link", parent)
        self.title = QLineEdit()
        self.title.setObjectName("linkTitle")
        self.url = QLineEdit()
        self.url.setObjectName("linkUrl")
        self.url.setPlaceholderText("https://…")
        self.dated = QCheckBox("Show a date")
        self.dated.setChecked(True)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.dated.toggled.connect(self.day.setEnabled)
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("linkSummary")
        self.summary.setFixedHeight(70)
        self.form.addRow("&Title", self.title)
        self.form.addRow("&Address", self.url)
        self.form.addRow(self.dated, self.day)
        self.form.addRow("&Summary", self.summary)

    def item_date(self) -> date | None:
        if not self.dated.isChecked():
            return None
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def refusal(self) -> str | None:
        return item_refusal(self.title.text(), self.url.text(), self.summary.toPlainText(),
                            False, None, None, True)


class _Moment(QWidget):
    """A date and time that can be left open ("no start", "no end")."""

    def __init__(self, label: str, value: datetime | None, default: datetime) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.edit = QDateTimeEdit(to_qdatetime(value or default))
        self.edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.edit.setCalendarPopup(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.toggled.connect(self.edit.setEnabled)

    def value(self) -> datetime | None:
        return from_qdatetime(self.edit.dateTime()) if self.check.isChecked() else None


class PinDialog(_Checked):
    """Whether an item is pinned on top of its panel, and from and until when (UTC)."""

    def __init__(self, name: str, start: datetime | None, end: datetime | None,
                 now: datetime, parent: QWidget | None = None) -> None:
        super().__init__("Pin an item", parent)
        what = plain_label("pinName")
        what.setText(name)
        self.form.addRow(what)
        self.pinned = QCheckBox("Keep it on top of the panel")
        self.pinned.setObjectName("pinnedCheck")
        self.pinned.setChecked(True)  # the dialog is for pinning; untick to unpin
        self.start = _Moment("From", start, now)
        self.end = _Moment("Until", end, now.replace(second=0, microsecond=0)
                           + timedelta(days=7))
        self.form.addRow(self.pinned)
        self.form.addRow(self.start.check, self.start.edit)
        self.form.addRow(self.end.check, self.end.edit)
        self.form.addRow(QLabel("Times are UTC, as the site shows them."))

    def refusal(self) -> str | None:
        if not self.pinned.isChecked():
            return None
        return pin_refusal(self.start.value(), self.end.value())


class MomentDialog(_Checked):
    """The moment "Preview at…" shows the page at."""

    def __init__(self, value: datetime, parent: QWidget | None = None) -> None:
        super().__init__("Preview at…", parent)
        self.edit = QDateTimeEdit(to_qdatetime(value))
        self.edit.setObjectName("previewAtEdit")
        self.edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.edit.setCalendarPopup(True)
        self.form.addRow("Show the page as at (UTC)", self.edit)

    def value(self) -> datetime:
        return from_qdatetime(self.edit.dateTime())


class NameDialog(_Checked):
    def __init__(self, title: str, label: str, value: str, parent: QWidget | None = None,
                 limit: int = 300) -> None:
        super().__init__(title, parent)
        self.limit = limit
        self.name = QLineEdit(value)
        self.name.setObjectName("nameEdit")
        self.name.selectAll()
        self.form.addRow(label, self.name)

    def refusal(self) -> str | None:
        text = " ".join(self.name.text().split())
        if not text:
            return "A name cannot be empty."
        if len(text) > self.limit:
            return f"A name can be at most {self.limit:,} characters; this one has {len(text):,}."
        return None

    def value(self) -> str:
        return " ".join(self.name.text().split())
