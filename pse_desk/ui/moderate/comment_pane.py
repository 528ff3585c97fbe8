"""One comment in full, as PLAIN TEXT: its body is untrusted HTML and is never rendered here.

Every field goes through ``setPlainText`` or a plain-text label, so ``<script>`` or
``<img onerror>`` shows literally.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from pse_desk.services.overview import CommentDetail
from pse_desk.ui.table_model import display_text
from pse_desk.ui.workspace import plain_label


class CommentPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commenter = plain_label("paneTitle")
        self.article = plain_label("commentArticle")
        self.meta = plain_label("paneMeta")
        self.held = plain_label("commentHeld")
        self.body = QPlainTextEdit()
        self.body.setObjectName("commentBody")
        self.body.setReadOnly(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 8, 8)
        for w in (self.commenter, self.article, self.meta, self.held):
            lay.addWidget(w)
        lay.addWidget(self.body, 1)
        self.comment_id: str | None = None
        self.clear()

    def show_comment(self, c: CommentDetail) -> None:
        self.comment_id = c.id
        self.commenter.setText(c.commenter)
        self.article.setText(f"on “{c.article_title}”")
        plural = "s" if c.commenter_comments != 1 else ""
        parts = [c.status, f"posted {display_text(c.posted_at)}",
                 f"{c.commenter_trust} commenter, {c.commenter_comments:,} comment{plural}"]
        if c.reports:
            parts.append(f"{c.reports} report{'s' if c.reports != 1 else ''}")
        self.meta.setText(" · ".join(parts))
        self.held.setText("\n".join(c.held_explanations))
        self.held.setVisible(bool(c.held_explanations))
        self.body.setPlainText(c.body)

    def clear(self, message: str = "Choose a comment.") -> None:
        self.comment_id = None
        self.commenter.setText("")
        self.article.setText("")
        self.meta.setText(message)
        self.held.setText("")
        self.held.hide()
        self.body.setPlainText("")
