"""The selected panel's settings, its items and what the page makes of them: its warnings and
the articles it skipped because a panel higher on the page already shows them.

The form edits a copy; "Apply" (or Enter in a field) hands the new settings to the workspace,
which saves them as one undoable change. Sections and tags are comma-separated names.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.values import (
    LATEST,
    MAX_ITEMS,
    MIN_ITEMS,
    Item,
    Panel,
    ResolvedPanel,
    Source,
)
from pse_desk.layout.wording import item_name, moment
from pse_desk.services.layout.edit import PanelFields
from pse_desk.ui.layout.dialogs import SOURCE_NAMES
from pse_desk.ui.workspace import configure_table, plain_label, stretch_column

ITEM_ID = Qt.ItemDataRole.UserRole + 1


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in (" ".join(part.split()) for part in text.split(",")) if n)


def pin_text(item: Item) -> str:
    if not item.pinned:
        return ""
    start = moment(item.pinned_from) if item.pinned_from else "now"
    end = moment(item.pinned_until) if item.pinned_until else "…"
    return f"pinned {start} → {end}"


class PanelEditor(QWidget):
    apply_requested = Signal(object)  # PanelFields
    item_activated = Signal(str)  # item id (double-click: edit its pin)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel: Panel | None = None
        self._build_form()
        self._build_items()
        self.warnings = QListWidget()
        self.warnings.setObjectName("panelWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setMaximumHeight(72)
        self.skipped = QListWidget()
        self.skipped.setObjectName("panelSkipped")
        self.skipped.setMaximumHeight(64)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 0, 4, 0)
        box.addWidget(self.settings)
        box.addWidget(self.items_box, 1)
        warnings_title = plain_label("warningsTitle")
        warnings_title.setText("Warnings")
        box.addWidget(warnings_title)
        box.addWidget(self.warnings)
        skipped_title = plain_label("skippedTitle")
        skipped_title.setText("Left out (already higher on the page)")
        box.addWidget(skipped_title)
        box.addWidget(self.skipped)
        self.set_panel(None, None, {})

    def _build_form(self) -> None:
        self.settings = QGroupBox("Panel")
        form = self.form = QFormLayout(self.settings)
        form.setVerticalSpacing(4)
        self.title = QLineEdit()
        self.title.setObjectName("panelTitle")
        self.count = QSpinBox()
        self.count.setObjectName("panelCount")
        self.count.setRange(MIN_ITEMS, MAX_ITEMS)
        self.source = QComboBox()
        self.source.setObjectName("panelSource")
        for kind, name in SOURCE_NAMES:
            self.source.addItem(name, kind)
        self.sections = QLineEdit()
        self.sections.setPlaceholderText("every section (or: Health, Housing)")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("any tag")
        self.author = QLineEdit()
        self.author.setPlaceholderText("any author")
        self.more_label = QLineEdit()
        self.more_label.setPlaceholderText("text (or none)")
        self.more_url = QLineEdit()
        self.more_url.setPlaceholderText("/news or https://…")
        self.enabled = QCheckBox("Shown")
        self.enabled.setToolTip("Shown on the page (a disabled panel keeps its settings)")
        self.dedupe = QCheckBox("Skip what is higher on the page")
        self.dedupe.setToolTip("Leave out articles a panel higher on the page already shows")
        self.apply = QPushButton("Apply")
        self.apply.setObjectName("panelApply")
        self.apply.clicked.connect(self._apply)
        for edit in (self.title, self.sections, self.tags, self.author, self.more_label,
                     self.more_url):
            edit.returnPressed.connect(self._apply)
        self.source.currentIndexChanged.connect(self._source_changed)
        form.addRow("&Title", self.title)
        form.addRow("&Items shown", self.count)
        form.addRow("&Source", self.source)
        form.addRow("Se&ctions", self.sections)
        form.addRow("Ta&gs", self.tags)
        form.addRow("Aut&hor", self.author)
        more = QHBoxLayout()
        more.addWidget(self.more_label, 1)
        more.addWidget(self.more_url, 1)
        form.addRow("More link", more)
        flags = QHBoxLayout()
        flags.addWidget(self.enabled)
        flags.addWidget(self.dedupe, 1)
        flags.addWidget(self.apply)
        form.addRow(flags)

    def _build_items(self) -> None:
        self.items_box = QGroupBox("Items (pins first, then in order)")
        self.item_model = QStandardItemModel(0, 3, self)
        self.item_model.setHorizontalHeaderLabels(["Item", "Date", "Pin"])
        self.item_view = QTableView()
        self.item_view.setObjectName("panelItems")
        self.item_view.setModel(self.item_model)
        configure_table(self.item_view)
        stretch_column(self.item_view, 0)
        self.item_view.doubleClicked.connect(self._activated)
        self.item_view.setMinimumHeight(130)
        self.item_buttons = QHBoxLayout()
        box = QVBoxLayout(self.items_box)
        box.addWidget(self.item_view, 1)
        box.addLayout(self.item_buttons)

    def add_item_button(self, button: QWidget) -> None:
        self.item_buttons.addWidget(button)

    def _source_changed(self) -> None:
        latest = self.source.currentData() == LATEST
        for edit in (self.sections, self.tags, self.author):
            self.form.setRowVisible(edit, latest)

    def _activated(self, index: QModelIndex) -> None:
        ident = self.item_model.index(index.row(), 0).data(ITEM_ID)
        if ident:
            self.item_activated.emit(str(ident))

    # --- showing ---------------------------------------------------------------------------
    def set_panel(self, panel: Panel | None, resolved: ResolvedPanel | None,
                  titles: dict[str, str]) -> None:
        editing = panel is not None and self.panel is not None and panel.id == self.panel.id
        self.panel = panel
        for w in (self.settings, self.items_box):
            w.setEnabled(panel is not None)
        if panel is None:
            self.settings.setTitle("Panel (select one on the left)")
            self.item_model.removeRows(0, self.item_model.rowCount())
            self.warnings.clear()
            self.skipped.clear()
            return
        self.settings.setTitle("Panel")
        if not editing or not self.title.isModified():
            self._fill_form(panel)
        self._fill_items(panel, titles, resolved)
        self.warnings.clear()
        self.skipped.clear()
        if resolved is not None:
            self.warnings.addItems([w.message for w in resolved.warnings] or ["None."])
            self.skipped.addItems([f"{s.title} — {s.reason}" for s in resolved.skipped]
                                  or ["Nothing."])

    def _fill_form(self, panel: Panel) -> None:
        self.title.setText(panel.title)
        self.title.setModified(False)
        self.count.setValue(max(MIN_ITEMS, min(MAX_ITEMS, panel.item_count)))
        index = self.source.findData(panel.source.kind)
        self.source.setCurrentIndex(max(index, 0))
        self.sections.setText(", ".join(panel.source.sections))
        self.tags.setText(", ".join(panel.source.tags))
        self.author.setText(panel.source.author)
        self.more_label.setText(panel.more_label)
        self.more_url.setText(panel.more_url)
        self.enabled.setChecked(panel.enabled)
        self.dedupe.setChecked(panel.dedupe)
        self._source_changed()

    def _fill_items(self, panel: Panel, titles: dict[str, str],
                    resolved: ResolvedPanel | None) -> None:
        selected = self.selected_item_id()
        self.item_model.removeRows(0, self.item_model.rowCount())
        ordered = sorted(panel.items, key=lambda i: (not i.pinned, i.rank, i.id))
        for item in ordered:
            kind = "article" if item.article_id else "link"
            name = item_name(item, titles.get(item.article_id or ""))
            cells = [QStandardItem(f"{name[:200]}  ({kind})"),
                     QStandardItem(item.item_date.strftime("%d/%m/%Y") if item.item_date
                                   else ""),
                     QStandardItem(pin_text(item))]
            cells[0].setData(item.id, ITEM_ID)
            cells[0].setToolTip(name[:1000])
            self.item_model.appendRow(cells)
        for shown in (resolved.items if resolved is not None else ()):
            if shown.item_id is not None:
                continue  # a stored item, listed above
            cells = [QStandardItem(f"{shown.title[:200]}  (from the source, now)"),
                     QStandardItem(shown.item_date.strftime("%d/%m/%Y") if shown.item_date
                                   else ""), QStandardItem("")]
            for cell in cells:
                cell.setForeground(QBrush(QColor(128, 128, 128)))
                cell.setSelectable(False)
            self.item_model.appendRow(cells)
        if selected:
            self.select_item(selected)

    def selected_item_id(self) -> str | None:
        rows = self.item_view.selectionModel().selectedRows()
        if not rows:
            return None
        ident = self.item_model.index(rows[0].row(), 0).data(ITEM_ID)
        return str(ident) if ident else None

    def select_item(self, item_id: str) -> None:
        for r in range(self.item_model.rowCount()):
            if self.item_model.index(r, 0).data(ITEM_ID) == item_id:
                self.item_view.selectRow(r)
                return

    # --- applying --------------------------------------------------------------------------
    def fields(self) -> PanelFields:
        kind = self.source.currentData()
        source = Source(kind=kind, sections=_names(self.sections.text()),
                        tags=_names(self.tags.text()), author=" ".join(self.author.text().split()))
        return PanelFields(title=self.title.text(), item_count=self.count.value(),
                           source=source, more_label=self.more_label.text(),
                           more_url=self.more_url.text(), dedupe=self.dedupe.isChecked(),
                           enabled=self.enabled.isChecked())

    def _apply(self) -> None:
        if self.panel is not None:
            self.title.setModified(False)
            self.apply_requested.emit(self.fields())
