"""The Write workspace: a filterable, searchable article list beside the selected article."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services import editorial
from pse_desk.services.editorial import ArticleDetail, ArticleRow
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column
from pse_desk.ui.write.article_model import ArticleListModel
from pse_desk.ui.write.article_pane import ArticlePane

STATUS_FILTERS = (("All statuses", None), ("Draft", "draft"), ("Ready", "ready"),
                  ("Published", "published"))
SEARCH_DELAY_MS = 250


class WriteWorkspace(Workspace):
    key = "write"
    title = "Write"

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        for label, value in STATUS_FILTERS:
            self.status_filter.addItem(label, value)
        self.section_filter = QComboBox()
        self.section_filter.setObjectName("sectionFilter")
        self.section_filter.addItem("All sections", None)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("articleSearch")
        self.search_box.setPlaceholderText("Search titles and text")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMaximumWidth(320)
        self.toolbar.addWidget(QLabel(" Status "))
        self.toolbar.addWidget(self.status_filter)
        self.toolbar.addWidget(QLabel(" Section "))
        self.toolbar.addWidget(self.section_filter)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.search_box)

        self.model = ArticleListModel(self)
        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.model)
        configure_table(self.table)
        for col, width in enumerate((300, 140, 75, 120, 120)):
            self.table.setColumnWidth(col, width)
        stretch_column(self.table, 0)
        self.count_label = QLabel()
        self.count_label.setObjectName("paneMeta")
        self.count_label.setIndent(6)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 4)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        self.pane = ArticlePane()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([790, 490])
        self.remember_splitter("main", splitter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.section_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

    def refresh(self) -> None:
        self._search_timer.stop()
        query = partial(editorial.list_articles, status=self.status_filter.currentData(),
                        section=self.section_filter.currentData(),
                        search=self.search_box.text().strip() or None)
        self.runner.submit("write.sections", editorial.list_sections, self._sections_arrived,
                           self._on_error)
        self.runner.submit("write.list", lambda s: query(s), self._list_arrived, self._on_error)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _sections_arrived(self, sections: list[str]) -> None:
        chosen = self.section_filter.currentData()
        self.section_filter.blockSignals(True)  # refilling is not a new choice
        self.section_filter.clear()
        self.section_filter.addItem("All sections", None)
        for name in sections:
            self.section_filter.addItem(name, name)
        self.section_filter.setCurrentIndex(max(0, self.section_filter.findData(chosen)))
        self.section_filter.blockSignals(False)

    def _list_arrived(self, rows: list[ArticleRow]) -> None:
        keep = self.pane.article_id
        self.model.set_rows(rows)
        n = len(rows)
        self.count_label.setText(f"{n:,} article{'s' if n != 1 else ''}")
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and n:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        else:
            self.pane.clear("No article matches." if self.search_box.text() else
                            "No articles yet.")
        self._mark_loaded()

    def _selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = selected.indexes()
        article = self.model.row_at(rows[0].row()) if rows else None
        if article is None:
            return
        article_id = article.id
        self.runner.submit("write.article", lambda s: editorial.get_article(s, article_id),
                           self._article_arrived, self._on_error)

    def _article_arrived(self, article: ArticleDetail) -> None:
        self.pane.show_article(article)
