"""The selected article shown read-only: metadata above, the Markdown source below.

Issue 4 replaces this pane with the editor; it only needs ``show_article`` and ``clear``.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from pse_desk.services.editorial import ArticleDetail
from pse_desk.ui.table_model import display_text
from pse_desk.ui.workspace import plain_label


class ArticlePane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label("paneTitle")
        self.meta = plain_label("paneMeta")
        self.standfirst = plain_label("paneStandfirst")
        font = self.standfirst.font()
        font.setItalic(True)
        self.standfirst.setFont(font)
        self.body = QPlainTextEdit()
        self.body.setObjectName("articleBody")
        self.body.setReadOnly(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.body.setFont(mono)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 8, 8)
        for w in (self.title, self.meta, self.standfirst):
            lay.addWidget(w)
        lay.addWidget(self.body, 1)
        self.article_id: str | None = None
        self.clear()

    def show_article(self, article: ArticleDetail) -> None:
        self.article_id = article.id
        self.title.setText(article.title or "(untitled)")
        parts = [article.section, article.status, article.author and f"by {article.author}",
                 f"updated {display_text(article.updated_at)}", article.source_line]
        if article.has_conflict:
            parts.append("has a sync conflict")
        self.meta.setText(" · ".join(p for p in parts if p))
        self.standfirst.setText(article.standfirst)
        self.standfirst.setVisible(bool(article.standfirst))
        self.body.setPlainText(article.body_md)

    def clear(self, message: str = "Choose an article on the left.") -> None:
        self.article_id = None
        self.title.setText("")
        self.meta.setText(message)
        self.standfirst.setText("")
        self.standfirst.hide()
        self.body.setPlainText("")
