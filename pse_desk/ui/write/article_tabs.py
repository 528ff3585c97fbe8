"""Open articles, one tab each: the metadata form, outline and checks, the Markdown editor with
its find bar, and the live preview side by side.

Every tab has its own editor and so its own undo history. Closing a tab asks nothing: its text
is autosaved first (nothing is ever lost). The tab wires the editor to the preview (text
patches, scroll sync both ways, click-to-source) and to its ``Autosaver``; whatever it cannot
do itself (the status bar, the article list) it reports by signal. Texts reach the editor
through a ``LongLineGuard``: a text with a line too long to edit is shown cut and read-only,
and ``body_text`` (what is saved, previewed and exported) stays the original.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from pse_desk.render.page import PageArticle, PageLayout
from pse_desk.services import articles, conflicts
from pse_desk.services.articles import ArticleDetail, ArticleMetadata
from pse_desk.services.assets import fetch_asset
from pse_desk.services.page import PageData
from pse_desk.services.revisions import ArticleText
from pse_desk.ui.write.analysis import TextAnalysis
from pse_desk.ui.write.autosave import Autosaver, WriteQueue
from pse_desk.ui.write.banner import NoticeBanner
from pse_desk.ui.write.checks_panel import ChecksPanel
from pse_desk.ui.write.editor import MarkdownEditor
from pse_desk.ui.write.find_bar import FindBar
from pse_desk.ui.write.long_lines import LongLineGuard
from pse_desk.ui.write.metadata_form import MetadataForm
from pse_desk.ui.write.outline_panel import OutlinePanel
from pse_desk.ui.write.preview import PreviewPane
from pse_desk.writing.long_lines import long_lines
from pse_desk.writing.worker import AnalysisWorker

CONFLICT_SENTENCE = ("This article was changed on two desks at once. Both texts are kept: "
                     "this one is the newer; compare it with the other and merge them.")

if TYPE_CHECKING:
    from pse_desk.store import Store
    from pse_desk.ui.write.render_bridge import RenderBridge
    from pse_desk.ui.write.spell import SpellChecker


@dataclass
class TabContext:
    """What every tab shares: the store, the write queue, the render worker, spelling."""

    store: Store
    queue: WriteQueue
    bridge: RenderBridge | None
    spell: SpellChecker | None = None
    sections: Callable[[], list[str]] = list
    analysis: AnalysisWorker | None = None  # one analysis process for every tab


class ArticleTab(QWidget):
    """One open article; see the module docstring."""

    stats_changed = Signal(object)  # TextStats of the current text
    message = Signal(str)  # one sentence for the status bar
    metadata_saved = Signal(str)  # article id: the list shows the new title, status …
    title_changed = Signal(str)

    def __init__(self, context: TabContext, detail: ArticleDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTab")
        self.context = context
        self.detail = detail
        self.article_id = detail.id
        self.page: PageData | None = None
        self.closed = False
        self.kept = False  # see ``edited``
        self.merge_dialog: QWidget | None = None  # the merge view, while it is open

        self.editor = MarkdownEditor(analysis_worker=context.analysis)
        self.find_bar = FindBar()
        self.find_bar.attach(self.editor)
        self.form = MetadataForm()
        self.outline = OutlinePanel()
        self.checks = ChecksPanel()
        self.preview = PreviewPane(bridge=context.bridge,
                                   asset_fetch=partial(fetch_asset, context.store))
        self._lay_out(context, detail)

        self.form.show_article(detail, context.sections())
        self.line_guard.load(detail.body_md)
        self.autosaver = Autosaver(context.queue, context.store, detail.id, self.article_text,
                                   self.editor.revision, self.editor.textCursor().position,
                                   self)
        self.autosaver.failed.connect(self.message)
        self.line_guard.opened.connect(self.autosaver.mark_saved)
        self.line_guard.message.connect(self.message)
        self._wire()
        if context.spell is not None:
            context.spell.attach(self.editor)
        self.editor.analyse_text_of(self.body_text)
        self.editor.analyse_now()

    def _lay_out(self, context: TabContext, detail: ArticleDetail) -> None:
        """Details, outline and checks | the editor | the preview; banners and the find bar."""
        self.side = QTabWidget()
        self.side.setObjectName("articleSide")
        self.side.setDocumentMode(True)
        self.side.setUsesScrollButtons(False)
        self.side.setMinimumWidth(200)
        self.side.addTab(self.form, "Details")
        self.side.addTab(self.outline, "Outline")
        self.side.addTab(self.checks, "Checks")

        column = QWidget()
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        self.line_guard = LongLineGuard(self.editor, context.queue, context.store, detail.id,
                                        self.article_text, self)
        column_layout.addWidget(self.line_guard.banner)
        # news about this text that must not scroll away with the status bar (a recovery),
        # across the top of the tab: a sentence needs the width, not the editor's column
        self.notice_banner = NoticeBanner("articleNotice", "Compare with the saved text",
                                          closable=True)
        # changed on two desks at once (sync kept both texts): stays until it is merged
        self.conflict_banner = NoticeBanner("articleConflict", "Compare and merge…")
        self.conflict_banner.action_requested.connect(self.open_merge_view)
        if detail.has_conflict:
            self.conflict_banner.show_sentence(CONFLICT_SENTENCE)
        column_layout.addWidget(self.editor, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("articleSplitter")
        self.splitter.addWidget(self.side)
        self.splitter.addWidget(column)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([235, 370, 455])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.notice_banner)
        lay.addWidget(self.conflict_banner)
        lay.addWidget(self.splitter, 1)
        # under the whole tab, not the editor's column: the bar never moves the splitter
        lay.addWidget(self.find_bar)

    def _wire(self) -> None:
        ed, pv = self.editor, self.preview
        ed.text_changed_rev.connect(self._text_changed)
        ed.paste_split.connect(self.message)
        ed.top_line_changed.connect(pv.scroll_to_line)
        pv.top_line_changed.connect(ed.scroll_to_line)
        pv.source_line_clicked.connect(ed.go_to_line)
        pv.render_failed.connect(self.message)
        ed.analysis_ready.connect(self._analysed)
        ed.cursor_line_changed.connect(self.outline.set_current_line)
        self.outline.jump_requested.connect(ed.go_to_line)
        self.checks.jump_requested.connect(ed.go_to_line)
        self.form.text_fields_edited.connect(self.autosaver.note_change)
        self.form.text_fields_edited.connect(self.keep)
        self.form.metadata_edited.connect(self._save_metadata)
        self.form.metadata_edited.connect(lambda _meta: self.keep())

    # --- text -------------------------------------------------------------------------------

    def body_text(self) -> str:
        """The Markdown body: the editor's text, or the original of a protected text."""
        return self.line_guard.body()

    def article_text(self) -> ArticleText:
        return ArticleText(" ".join(self.form.title.text().split()),
                           self.form.standfirst.toPlainText().strip(),
                           self.body_text())

    def _text_changed(self, revision: int) -> None:
        if self.closed:
            return
        self.preview.set_markdown(self.body_text(), revision)
        self.autosaver.note_change()

    def _analysed(self, analysis: TextAnalysis) -> None:
        self.outline.set_outline(analysis.outline)
        self.checks.set_findings(analysis.findings)
        self.stats_changed.emit(analysis.stats)

    def replace_text(self, text: ArticleText) -> None:
        """Show a restored text; the editor can still undo back to what it held (unless
        the old or the new text has lines too long to edit: then it is loaded afresh)."""
        if self.line_guard.protected or long_lines(text.body_md):
            self.line_guard.load(text.body_md)
            self.form.show_text_fields(text.title, text.standfirst)
            self.autosaver.mark_saved()
            self._refresh_page_heading()
            return
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text.body_md)
        cursor.endEditBlock()
        self.form.show_text_fields(text.title, text.standfirst)
        self.autosaver.mark_saved()
        self._refresh_page_heading()

    # --- page and metadata ------------------------------------------------------------------

    def set_page_data(self, data: PageData) -> None:
        """The site page around the article arrived: load the preview once."""
        if self.closed:
            return
        self.page = data
        self.preview.set_page(self._page_article(data.article), data.layout, reload=True)

    def set_site_layout(self, layout: PageLayout) -> None:
        """The site's panels changed: swap them in the preview (no reload, scroll kept)."""
        if self.page is not None and not self.closed:
            self.page = replace(self.page, layout=layout)
            self._refresh_page_heading()

    def _page_article(self, base: PageArticle) -> PageArticle:
        meta = self.form.metadata()
        return replace(base, title=meta.title, standfirst=meta.standfirst,
                       section=meta.section, author=meta.author,
                       body_md=self.body_text())

    def _refresh_page_heading(self) -> None:
        if self.page is not None and not self.closed:
            layout: PageLayout = self.page.layout
            self.preview.set_page(self._page_article(self.page.article), layout)

    def _save_metadata(self, meta: ArticleMetadata) -> None:
        if self.closed:
            return
        self._refresh_page_heading()
        store, article_id = self.context.store, self.article_id
        self.context.queue.submit(lambda: articles.save_metadata(store, article_id, meta),
                                  self._metadata_saved, self.form.show_problem, self)

    def _metadata_saved(self, ref: object) -> None:
        self.form.show_problem("")
        if isinstance(ref, articles.ArticleRef):
            self.title_changed.emit(ref.title)
        self.metadata_saved.emit(self.article_id)

    # --- a sync conflict ----------------------------------------------------------------------

    def open_merge_view(self) -> None:
        """Both texts side by side (read off the GUI thread), then the merge view."""
        if self.closed:
            return
        self.flush()
        store, article_id = self.context.store, self.article_id
        self.context.queue.submit(lambda: conflicts.conflict(store, article_id),
                                  self._show_merge_view, self.message.emit, self)

    def _show_merge_view(self, found: object) -> None:
        from pse_desk.ui.write.merge_dialog import MergeDialog

        if not isinstance(found, conflicts.ArticleConflict):
            self.conflict_banner.hide()  # resolved meanwhile (on this desk or another)
            return
        dialog = MergeDialog(found, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_merge(dialog.merged()))
        self.merge_dialog = dialog
        dialog.open()

    def _save_merge(self, text: ArticleText) -> None:
        store, article_id = self.context.store, self.article_id
        self.context.queue.submit(lambda: conflicts.resolve(store, article_id, text),
                                  lambda _summary: self._merged(text), self.message.emit,
                                  self)

    def _merged(self, text: ArticleText) -> None:
        self.replace_text(text)
        self.conflict_banner.hide()
        self.message.emit("The merged text is saved as a new revision; the conflict is "
                          "resolved on every desk at the next sync.")

    # --- lifecycle --------------------------------------------------------------------------

    @property
    def edited(self) -> bool:
        """Typed in, its details changed, or kept on purpose since it was opened: a browsing
        click in the article list replaces only a tab that is none of these."""
        return self.kept or self.autosaver.saves > 0 or self.autosaver.dirty \
            or self.editor.document().isUndoAvailable()

    def keep(self) -> None:
        """Keep this tab open when another article is picked in the list."""
        self.kept = True

    def flush(self) -> None:
        """Save what is pending now (switching tab or article)."""
        if not self.closed:
            self.form.commit()
            self.autosaver.flush()

    def close_article(self) -> None:
        """Save, then let go of the preview and the spelling; safe twice."""
        if self.closed:
            return
        self.form.commit()
        self.line_guard.stop()
        self.autosaver.close()
        self.closed = True
        if self.context.spell is not None:
            self.context.spell.detach(self.editor)
        self.preview.shutdown()


class ArticleTabs(QTabWidget):
    """The open articles; closing a tab saves it and asks nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleTabs")
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setDocumentMode(True)
        self.tabCloseRequested.connect(self.close_at)

    def tabs(self) -> list[ArticleTab]:
        found = [self.widget(i) for i in range(self.count())]
        return [t for t in found if isinstance(t, ArticleTab)]

    def current(self) -> ArticleTab | None:
        tab = self.currentWidget()
        return tab if isinstance(tab, ArticleTab) else None

    def tab_of(self, article_id: str) -> ArticleTab | None:
        for tab in self.tabs():
            if tab.article_id == article_id:
                return tab
        return None

    def add(self, tab: ArticleTab, index: int = -1) -> None:
        label = tab.detail.title or "(untitled)"
        at = self.insertTab(index, tab, label) if index >= 0 else self.addTab(tab, label)
        self.setTabToolTip(at, label)
        tab.title_changed.connect(lambda title, t=tab: self._retitle(t, title))
        self.setCurrentIndex(at)

    def _retitle(self, tab: ArticleTab, title: str) -> None:
        at = self.indexOf(tab)
        if at >= 0:
            self.setTabText(at, title or "(untitled)")
            self.setTabToolTip(at, title)

    def close_at(self, index: int) -> None:
        tab = self.widget(index)
        if isinstance(tab, ArticleTab):
            tab.close_article()
        self.removeTab(index)
        if tab is not None:
            tab.deleteLater()

    def close_article(self, article_id: str) -> None:
        tab = self.tab_of(article_id)
        if tab is not None:
            self.close_at(self.indexOf(tab))

    def close_all(self) -> None:
        while self.count():
            self.close_at(self.count() - 1)
