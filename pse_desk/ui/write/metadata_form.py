"""The metadata beside the text: title, standfirst, section, author, status and tags.

The form only translates: it shows an ``ArticleDetail`` and reports edits as an
``ArticleMetadata`` (``metadata_edited``, debounced); the tab saves it through
``services.articles.save_metadata`` in a worker and shows a refusal with ``show_problem``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services.articles import ArticleDetail, ArticleMetadata

STATUSES = (("Draft", "draft"), ("Ready", "ready"), ("Published", "published"))
EDIT_DELAY_MS = 600


def parse_tags(text: str) -> list[str]:
    """Tags as typed: separated by commas."""
    return [t.strip() for t in text.split(",") if t.strip()]


class MetadataForm(QWidget):
    metadata_edited = Signal(object)  # ArticleMetadata, after a pause in editing
    text_fields_edited = Signal()  # title or standfirst changed (they go into revisions)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataForm")
        self.title = QLineEdit()
        self.title.setObjectName("metaTitle")
        self.title.setPlaceholderText("Headline")
        self.standfirst = QPlainTextEdit()
        self.standfirst.setObjectName("metaStandfirst")
        self.standfirst.setPlaceholderText("One or two sentences under the headline")
        self.standfirst.setTabChangesFocus(True)
        self.standfirst.setMaximumHeight(96)
        self.section = QComboBox()
        self.section.setObjectName("metaSection")
        self.section.setEditable(True)
        self.section.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.author = QLineEdit()
        self.author.setObjectName("metaAuthor")
        self.status = QComboBox()
        self.status.setObjectName("metaStatus")
        for label, value in STATUSES:
            self.status.addItem(label, value)
        self.tags = QLineEdit()
        self.tags.setObjectName("metaTags")
        self.tags.setPlaceholderText("comma, separated, tags")
        self.problem = QLabel()
        self.problem.setObjectName("metaProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow("&Title", self.title)
        form.addRow("Stand&first", self.standfirst)
        form.addRow("Se&ction", self.section)
        form.addRow("A&uthor", self.author)
        form.addRow("Stat&us", self.status)
        form.addRow("Ta&gs", self.tags)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addStretch(1)

        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(EDIT_DELAY_MS)
        self._timer.timeout.connect(self._emit)
        self.title.textEdited.connect(self._text_edited)
        self.standfirst.textChanged.connect(self._text_edited)
        self.author.textEdited.connect(self._edited)
        self.tags.textEdited.connect(self._edited)
        self.section.currentTextChanged.connect(self._edited)
        self.status.currentIndexChanged.connect(self._edited)
        for line in (self.title, self.author, self.tags):
            line.editingFinished.connect(self.commit)

    def show_article(self, article: ArticleDetail, sections: list[str] | None = None) -> None:
        self._loading = True
        try:
            self.title.setText(article.title)
            self.title.setCursorPosition(0)  # a long headline shows its start
            self.standfirst.setPlainText(article.standfirst)
            self.section.clear()
            for name in sorted(set(sections or []) | ({article.section} - {""})):
                self.section.addItem(name)
            self.section.setEditText(article.section)
            self.author.setText(article.author)
            self.author.setCursorPosition(0)
            self.status.setCurrentIndex(max(0, self.status.findData(article.status)))
            self.tags.setText(", ".join(article.tags))
            self.tags.setCursorPosition(0)
        finally:
            self._loading = False
        self.show_problem("")

    def show_text_fields(self, title: str, standfirst: str) -> None:
        """Show a restored title and standfirst (not reported as an edit: they are saved)."""
        self._loading = True
        try:
            self.title.setText(title)
            self.title.setCursorPosition(0)
            self.standfirst.setPlainText(standfirst)
        finally:
            self._loading = False

    def metadata(self) -> ArticleMetadata:
        return ArticleMetadata(title=self.title.text(),
                               standfirst=self.standfirst.toPlainText(),
                               section=self.section.currentText(), author=self.author.text(),
                               status=str(self.status.currentData()),
                               tags=tuple(parse_tags(self.tags.text())))

    def show_problem(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.setVisible(bool(sentence))

    def commit(self) -> None:
        """Report pending edits now (leaving a field, switching away)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    def _text_edited(self, *_args: object) -> None:
        if not self._loading:
            self.text_fields_edited.emit()
            self._edited()

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self._timer.start()

    def _emit(self) -> None:
        self.metadata_edited.emit(self.metadata())
