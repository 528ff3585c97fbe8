"""One comment in context: who wrote it on which article, why it was held, its body, its thread,
its commenter's history and its audit trail.

The body is untrusted. It arrives already sanitised by ``render.sanitise_comment`` (in the
worker, ``services.moderation.detail.comment_view``) and is shown in a ``SafeBrowser``: links are
not followed and ``loadResource`` returns nothing for any URL, so nothing remote is ever
fetched. When the sanitiser removed markup a line above the body says so, and when nothing
readable was left the body stays empty (no quotes and brackets left over from the attack).
The words that tripped a rule are marked with a character format after the HTML is set, so the
highlighting can never add markup. Everything else is plain text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pse_desk.moderation.queue import QueueRow
from pse_desk.services.moderation.body import defuse_bidi
from pse_desk.services.moderation.detail import BODY_CHARS, CommentView
from pse_desk.ui.table_model import display_text
from pse_desk.ui.workspace import plain_label

HIGHLIGHT = QColor(255, 226, 122)
MAX_MARKS = 500
NOTHING_LEFT = ("This comment held only markup that was removed for safety (scripts, styles, "
                "images, frames or the like): nothing readable is left to show.")
SOME_REMOVED = ("Markup was removed from this comment for safety (scripts, styles, images, "
                "frames or the like); the rest is shown.")


class SafeBrowser(QTextBrowser):
    """A QTextBrowser that follows no link and loads no resource (images, style sheets)."""

    link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self.link_clicked)
        self.refused: list[str] = []

    def loadResource(self, kind: int, name: QUrl | str) -> Any:
        self.refused.append((name.toString() if isinstance(name, QUrl) else str(name))[:200])
        return None


def _row_line(row: QueueRow) -> str:
    text = " ".join(defuse_bidi(row.excerpt).split())
    return f"{display_text(row.posted_at)} · {row.commenter} · {row.status}: {text}"


class CommentPane(QWidget):
    only_commenter = Signal(str, str)  # commenter id, display name
    only_article = Signal(str, str)    # article id, title

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.commenter = plain_label("paneTitle")
        self._make_narrowing_buttons()
        self.article = plain_label("commentArticle")
        self.meta = plain_label("paneMeta")
        self.why_title = QLabel("Why was this held?")
        self.why_title.setObjectName("whyHeldTitle")
        self.held = plain_label("commentHeld")
        self.sanitised_note = plain_label("commentSanitised")
        self.body = SafeBrowser()
        self.body.setObjectName("commentBody")
        self.cut_note = plain_label("commentCut")
        self.context = self._text("commentContext")
        self.history = self._text("commentHistory")
        self.commenter_history = self._text("commenterHistory")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.context, "Thread")
        self.tabs.addTab(self.commenter_history, "Commenter")
        self.tabs.addTab(self.history, "Audit trail")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 8, 8)
        head = QHBoxLayout()
        head.addWidget(self.commenter, 1)
        head.addWidget(self.only_commenter_button)
        head.addWidget(self.only_article_button)
        lay.addLayout(head)
        for w in (self.article, self.meta, self.why_title, self.held, self.sanitised_note):
            lay.addWidget(w)
        lay.addWidget(self.body, 3)
        lay.addWidget(self.cut_note)
        lay.addWidget(self.tabs, 2)
        self.comment_id: str | None = None
        self.view: CommentView | None = None
        self.clear()

    def _make_narrowing_buttons(self) -> None:
        self.only_commenter_button = QPushButton("Only this commenter")
        self.only_commenter_button.setObjectName("onlyCommenter")
        self.only_commenter_button.setToolTip("Narrow the queue to this commenter's comments")
        self.only_commenter_button.clicked.connect(self._only_commenter)
        self.only_article_button = QPushButton("Only this article")
        self.only_article_button.setObjectName("onlyArticle")
        self.only_article_button.setToolTip("Narrow the queue to the comments on this article")
        self.only_article_button.clicked.connect(self._only_article)

    def _only_commenter(self) -> None:
        if self.view is not None:
            who = self.view.detail.commenter
            self.only_commenter.emit(who.id, who.display_name)

    def _only_article(self) -> None:
        if self.view is not None:
            self.only_article.emit(self.view.detail.article_id, self.view.detail.article_title)

    @staticmethod
    def _text(name: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setReadOnly(True)
        return box

    def show_comment(self, v: CommentView) -> None:
        c, who = v.detail, v.detail.commenter
        self.comment_id, self.view = c.id, v
        self.commenter.setText(defuse_bidi(who.display_name))
        self.article.setText(f"on “{defuse_bidi(c.article_title)}”")
        parts = [c.status, f"posted {display_text(c.posted_at)}",
                 f"{who.trust} commenter"]
        if c.reports:
            parts.append(f"{c.reports} report{'s' if c.reports != 1 else ''}")
        self.meta.setText(" · ".join(parts))
        for button in (self.only_commenter_button, self.only_article_button):
            button.setEnabled(True)
        self.held.setText("\n".join(f"• {r.text}" for r in v.reasons))
        self.why_title.setVisible(bool(v.reasons))
        self.held.setVisible(bool(v.reasons))
        self.body.setHtml(v.html)  # empty when nothing readable was left
        self.sanitised_note.setText(NOTHING_LEFT if v.nothing_left
                                    else SOME_REMOVED if v.markup_removed else "")
        self.sanitised_note.setVisible(v.markup_removed)
        self.marks = self._mark(v.highlights)
        self.cut_note.setText(f"A long comment: the first {BODY_CHARS:,} of "
                              f"{v.body_chars:,} characters are shown." if v.cut else "")
        self.cut_note.setVisible(v.cut)
        self.context.setPlainText(self._thread_text(v))
        self.commenter_history.setPlainText(self._commenter_text(v))
        self.history.setPlainText("\n".join(
            f"{display_text(e.at)} · {e.actor} · {e.action}: {e.from_status} → {e.to_status}"
            + (f" ({e.reason})" if e.reason else "") for e in v.history)
            or "No decisions yet.")

    def _mark(self, words: tuple[str, ...]) -> int:
        """Mark every occurrence of ``words`` in the shown body; returns how many."""
        doc = self.body.document()
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT)
        fmt.setForeground(QColor(0, 0, 0))
        marks = 0
        for word in words:
            cursor = QTextCursor(doc)
            while marks < MAX_MARKS:
                cursor = doc.find(word, cursor, QTextDocument.FindFlag(0))
                if cursor.isNull():
                    break
                cursor.mergeCharFormat(fmt)
                marks += 1
        return marks

    @staticmethod
    def _thread_text(v: CommentView) -> str:
        c = v.detail
        lines = ["In reply to:", "  " + _row_line(c.parent)] if c.parent else [
            "Not a reply."]
        if c.replies:
            lines.append(f"Replies ({len(c.replies)}):")
            lines += ["  " + _row_line(r) for r in c.replies]
        else:
            lines.append("No replies.")
        return "\n".join(lines)

    @staticmethod
    def _commenter_text(v: CommentView) -> str:
        who = v.detail.commenter
        lines = [f"{defuse_bidi(who.display_name)} — {who.trust}, first seen "
                 f"{display_text(who.first_seen)}",
                 f"{who.comment_count:,} comments: {who.approved_count:,} approved, "
                 f"{who.rejected_count:,} rejected, {who.spam_count:,} spam"]
        if v.detail.recent_by_commenter:
            lines.append("Other recent comments:")
            lines += ["  " + _row_line(r) for r in v.detail.recent_by_commenter]
        return "\n".join(lines)

    def clear(self, message: str = "Choose a comment.") -> None:
        self.comment_id, self.view = None, None
        self.marks = 0
        self.commenter.setText("")
        self.article.setText("")
        self.meta.setText(message)
        self.held.setText("")
        self.held.hide()
        self.why_title.hide()
        self.cut_note.hide()
        self.sanitised_note.hide()
        for button in (self.only_commenter_button, self.only_article_button):
            button.setEnabled(False)
        self.body.clear()
        for box in (self.context, self.history, self.commenter_history):
            box.setPlainText("")
