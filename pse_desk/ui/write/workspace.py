"""The Write workspace: the searchable, filterable article list beside the open articles' tabs.

Choosing an article in the list opens it (in the current tab when that one was not typed in,
else in a new tab). The workspace runs the commands of the Write menu entries: new, duplicate,
delete (undoable on the workspace's undo stack), save a named revision, the revisions dialog,
insert an image, export as HTML, the preview's width and remote images. Reads go through the
window's ``ReadRunner``; writes through one ``WriteQueue`` (off the GUI thread, in order). At
the first load it recovers the text of articles whose editing ended in a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services import articles, recovery, revisions
from pse_desk.services.article_export import export_article_html, suggested_file_name
from pse_desk.services.articles import ArticleDetail, ArticleRow
from pse_desk.services.assets import InsertedImage, insert_image
from pse_desk.services.page import PageData, page_data
from pse_desk.services.revisions import ArticleText
from pse_desk.store.model import RevisionKind
from pse_desk.ui.preferences import Preferences
from pse_desk.ui.workers import OrderedJobs, ReadRunner
from pse_desk.ui.workspace import Workspace, configure_table, stretch_column
from pse_desk.ui.write.article_model import ArticleListModel
from pse_desk.ui.write.article_tabs import ArticleTab, ArticleTabs, TabContext
from pse_desk.ui.write.autosave import WriteQueue, failure_sentence
from pse_desk.ui.write.commands import AddedArticleCommand, DeleteArticleCommand
from pse_desk.writing.worker import AnalysisWorker

if TYPE_CHECKING:
    from pse_desk.render.page import PageLayout
    from pse_desk.services.recovery import PendingRecovery, Recovered
    from pse_desk.store import Store
    from pse_desk.ui.actions import ActionRegistry
    from pse_desk.ui.write.render_bridge import RenderBridge
    from pse_desk.ui.write.spell import SpellChecker
    from pse_desk.writing.stats import TextStats

STATUS_FILTERS = (("All statuses", None), ("Draft", "draft"), ("Ready", "ready"),
                  ("Published", "published"))
SEARCH_DELAY_MS = 250
NEW_TITLE = "Untitled article"
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg);;All files (*)"


def recovery_sentence(found: list[tuple[PendingRecovery, Recovered]]) -> str:
    """What the status bar says after recovering texts at launch (a note over each text
    tells the rest)."""
    names = ", ".join(f"“{p.title or 'untitled'}”" for p, _r in found)
    n = len(found)
    return f"Recovered the unsaved text of {n} article{'s' if n != 1 else ''}: {names}."


def recovered_article_sentence(pending: PendingRecovery) -> str:
    """The banner over one recovered article's text."""
    return (f"PSE Desk stopped before this text was saved. It has been recovered as it stood at "
            f"{pending.written_at:%H:%M:%S} UTC ({pending.recovered_chars:,} characters; the "
            f"last saved text had {pending.saved_chars:,}) and saved as an autosave revision. "
            "Compare the two, or restore the saved one, in File > Revisions….")


class WriteWorkspace(Workspace):
    key = "write"
    title = "Write"
    notice = Signal(str)  # a sentence that should stay in the status bar (recovery)
    remote_images_shown = Signal(bool)  # the current tab's preview loads remote images or not

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.queue = WriteQueue(lambda: self.runner.store, self)
        self.queue.failed.connect(self._on_error)
        # exports render in a process for up to seconds: never ahead of a snapshot or autosave
        self.export_queue = OrderedJobs(failure=failure_sentence, parent=self)
        self._bridge: RenderBridge | None = None
        self._spell: SpellChecker | None = None
        self._analysis: AnalysisWorker | None = None
        self._sections: list[str] = []
        self._recovery_checked = False
        self._recovering = False  # the launch's recovery runs: the list waits for it
        self._opening: dict[str, list[object]] = {}  # article id -> what to do once it opens
        self._editor_keys: dict[int, str] | None = None  # the registry's, once adopted
        self.prefs = Preferences()  # the window hands over the user's (apply_preferences)
        self.last_notice = ""
        self._build_toolbar()
        self._build_list()
        self.tabs = ArticleTabs()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.placeholder = QLabel("Choose an article on the left, or press Ctrl+N to start one.")
        self.placeholder.setObjectName("paneMeta")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.placeholder)
        self.right.addWidget(self.tabs)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list_panel)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([240, 1040])
        self.remember_splitter("main", splitter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)
        self.stats_label = QLabel("")
        self.stats_label.setObjectName("statusWords")
        self._current_tab: ArticleTab | None = None
        self._mobile = False
        self._syncing_selection = False

    # --- construction -------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
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
        # the search and filters sit above the list they filter (built in _build_list); the
        # toolbar keeps the commands, labelled beside their icons
        self.status_filter.setToolTip("Show only articles of this status")
        self.section_filter.setToolTip("Show only articles of this section")
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.section_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.returnPressed.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.section_filter.currentIndexChanged.connect(lambda _i: self.refresh())

    def _build_list(self) -> None:
        self.model = ArticleListModel(self)
        self.table = QTableView()
        self.table.setObjectName("articleTable")
        self.table.setModel(self.model)
        configure_table(self.table)
        for col, width in enumerate((200, 110, 70, 110, 120)):
            self.table.setColumnWidth(col, width)
        stretch_column(self.table, 0)
        self.count_label = QLabel()
        self.count_label.setObjectName("paneMeta")
        self.count_label.setIndent(6)
        self.list_panel = QWidget()
        left_layout = QVBoxLayout(self.list_panel)
        left_layout.setContentsMargins(0, 0, 0, 4)
        left_layout.setSpacing(3)
        filters = QHBoxLayout()
        filters.setContentsMargins(4, 4, 4, 0)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.section_filter, 1)
        left_layout.addWidget(self.search_box)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._keep_open)  # a double-click keeps the tab
        self.table.activated.connect(self._keep_open)  # so does Enter

    def adopt_actions(self, registry: ActionRegistry) -> None:
        """The window's editor commands: their keys (as the user chose them) go to every
        editor, and their menu entries work on the open article's editor."""
        for act in registry.scoped("editor"):
            command = act.objectName()
            act.triggered.connect(lambda _c=False, c=command: self.run_editor_command(c))
        registry.shortcuts_changed.connect(lambda: self._set_editor_keys(registry.editor_keys()))
        self._set_editor_keys(registry.editor_keys())

    def _set_editor_keys(self, keys: dict[int, str]) -> None:
        self._editor_keys = keys
        for tab in self.tabs.tabs():
            tab.editor.set_keys(keys)

    def run_editor_command(self, command: str) -> None:
        """A menu's editor command (Format > Bold, Edit > Find in article …) on the open tab."""
        tab = self.tabs.current()
        if tab is None:
            return
        tab.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        tab.editor.run_command(command)

    def add_toolbar_actions(self, actions: list[object]) -> None:
        """Put the window's Write actions (QActions) at the front of this toolbar."""
        from PySide6.QtGui import QAction

        first = self.toolbar.actions()[0] if self.toolbar.actions() else None
        for act in actions:
            if isinstance(act, QAction):
                self.toolbar.insertAction(first, act)  # type: ignore[arg-type]
        if first is not None:
            self.toolbar.insertSeparator(first)

    # --- shared parts, made when first needed -------------------------------------------------
    @property
    def store(self) -> Store:
        store = self.runner.store
        assert store is not None, "the Write workspace is used before a database is open"
        return store

    def start_helpers(self) -> None:
        """Start the render worker process and load the dictionary now, in the background, so
        the first article's preview does not wait for them (the window calls this as soon as
        the workspace exists; opening a tab does if nobody did)."""
        if self._bridge is None:
            from pse_desk.ui.write.render_bridge import RenderBridge
            from pse_desk.ui.write.spell import SpellChecker

            self._bridge = RenderBridge(self)  # one render worker for all tabs
            self._spell = SpellChecker(parent=self)
            self._spell.unavailable.connect(self._on_error)
            self._analysis = AnalysisWorker()  # and one analysis worker

    def render_bridge(self) -> RenderBridge:
        """The render worker the previews share (started if it is not yet)."""
        self.start_helpers()
        assert self._bridge is not None
        return self._bridge

    def set_site_layout(self, layout: PageLayout) -> None:
        """The active layout changed (in the Layout workspace): every open preview shows it."""
        for tab in self.tabs.tabs():
            tab.set_site_layout(layout)

    def _context(self) -> TabContext:
        self.start_helpers()
        return TabContext(self.store, self.queue, self._bridge,
                          self._spell if self.prefs.spelling else None,
                          lambda: list(self._sections), self._analysis)

    def apply_preferences(self, prefs: Preferences) -> None:
        """Edit > Preferences changed: every open tab follows, and so will new ones."""
        spelling_changed = prefs.spelling != self.prefs.spelling
        self.prefs = prefs
        for tab in self.tabs.tabs():
            self._prepare_tab(tab)
            if spelling_changed and self._spell is not None:
                if prefs.spelling:
                    self._spell.attach(tab.editor)
                else:
                    self._spell.detach(tab.editor)
                tab.editor.highlighter.rehighlight()
        self.set_mobile_width(prefs.preview_width == "mobile")

    def _prepare_tab(self, tab: ArticleTab) -> None:
        tab.editor.setFont(self.prefs.editor_qfont())
        tab.autosaver.set_pause_ms(self.prefs.autosave_pause_s * 1000)
        if self._editor_keys is not None:
            tab.editor.set_keys(self._editor_keys)

    # --- the list -----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._search_timer.stop()
        if not self._recovery_checked and self.runner.store is not None:
            # recovered texts first: the list must not open an article's older saved text
            self._recovery_checked = True
            self._recovering = True
            self._recover()
            return
        if self._recovering:
            return  # the recovery refreshes the list when it is done
        query = partial(articles.list_articles, status=self.status_filter.currentData(),
                        section=self.section_filter.currentData(),
                        search=self.search_box.text().strip() or None)
        self.runner.submit("write.sections", articles.list_sections, self._sections_arrived,
                           self._on_error)
        self.runner.submit("write.list", lambda s: query(s), self._list_arrived, self._on_error)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _sections_arrived(self, sections: list[str]) -> None:
        self._sections = sections
        chosen = self.section_filter.currentData()
        self.section_filter.blockSignals(True)  # refilling is not a new choice
        self.section_filter.clear()
        self.section_filter.addItem("All sections", None)
        for name in sections:
            self.section_filter.addItem(name, name)
        self.section_filter.setCurrentIndex(max(0, self.section_filter.findData(chosen)))
        self.section_filter.blockSignals(False)

    def _list_arrived(self, rows: list[ArticleRow]) -> None:
        current = self.tabs.current()
        keep = current.article_id if current is not None else None
        self._syncing_selection = True
        try:
            self.model.set_rows(rows)
            row = self.model.row_of(keep) if keep else -1
            if row >= 0:
                self.table.selectRow(row)
        finally:
            self._syncing_selection = False
        n = len(rows)
        self.count_label.setText(f"{n:,} article{'s' if n != 1 else ''}")
        if rows and self.model.row_of(keep or "") < 0 and (current is None
                                                         or not current.edited):
            self.table.selectRow(0)  # a search or filter shows its first match (an untouched
            # tab is reused; a typed-in one stays open beside it)
        self._show_right()
        self._mark_loaded()

    def _selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        if self._syncing_selection:
            return
        rows = selected.indexes()
        article = self.model.row_at(rows[0].row()) if rows else None
        if article is not None:
            self.open_article(article.id, replace_unedited=True)

    def _keep_open(self, index: QModelIndex) -> None:
        article = self.model.row_at(index.row())
        if article is None:
            return
        tab = self.tabs.tab_of(article.id)
        if tab is not None:
            tab.keep()
        else:
            self.open_article(article.id, then=lambda t: t.keep())

    def _show_right(self) -> None:
        self.right.setCurrentWidget(self.tabs if self.tabs.count() else self.placeholder)

    # --- opening articles ---------------------------------------------------------------------
    def open_article(self, article_id: str, *, replace_unedited: bool = False,
                     then: object = None) -> None:
        """Show the article in its tab, opening one (read off the GUI thread) if needed."""
        tab = self.tabs.tab_of(article_id)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
            if callable(then):
                then(tab)
            return
        waiting = self._opening.get(article_id)
        if waiting is not None:  # already on its way (the list and a recovery, say): one read
            waiting.append(then)
            return
        self._opening[article_id] = [then]
        # the page around the text (site panels, comments) comes in the same read, so the
        # preview can load its page as soon as its view exists
        self.runner.submit(f"write.open.{article_id}",
                           lambda s: (articles.get_article(s, article_id),
                                      page_data(s, article_id)),
                           lambda found: self._article_arrived(found[0], found[1],
                                                               replace_unedited),
                           lambda sentence: self._open_failed(article_id, sentence))

    def _open_failed(self, article_id: str, sentence: str) -> None:
        self._opening.pop(article_id, None)
        self._on_error(sentence)

    def _article_arrived(self, detail: ArticleDetail, page: PageData,
                         replace_unedited: bool) -> None:
        thens = self._opening.pop(detail.id, [])
        if self.tabs.tab_of(detail.id) is None:
            index = -1
            current = self.tabs.current()
            if replace_unedited and current is not None and not current.edited:
                index = self.tabs.indexOf(current)
                self.tabs.close_at(index)
            tab = ArticleTab(self._context(), detail)
            self._prepare_tab(tab)
            tab.stats_changed.connect(lambda stats, t=tab: self._stats_changed(t, stats))
            tab.message.connect(self._on_error)
            tab.metadata_saved.connect(lambda _id: self.refresh())
            if self._mobile:
                tab.preview.set_width_mode("mobile")
            self.tabs.add(tab, index)
            tab.set_page_data(page)
        self._show_right()
        tab_now = self.tabs.tab_of(detail.id)
        if tab_now is not None:
            self.tabs.setCurrentWidget(tab_now)
            for then in thens:
                if callable(then):
                    then(tab_now)

    def _tab_changed(self, _index: int) -> None:
        previous, self._current_tab = self._current_tab, self.tabs.current()
        if previous is not None and previous is not self._current_tab and not previous.closed:
            previous.flush()  # switching article autosaves the one left
        tab = self._current_tab
        self._show_right()
        if tab is None:
            self.stats_label.setText("")
            return
        self.remote_images_shown.emit(tab.preview.remote_images_allowed)
        analysis = tab.editor.last_analysis
        if analysis is not None:
            self._stats_changed(tab, analysis.stats)
        row = self.model.row_of(tab.article_id)
        if row >= 0:
            self._syncing_selection = True
            try:
                self.table.selectRow(row)
            finally:
                self._syncing_selection = False

    def _stats_changed(self, tab: ArticleTab, stats: TextStats) -> None:
        if tab is self.tabs.current():
            self.stats_label.setText(f"{stats.words:,} word{'s' if stats.words != 1 else ''}"
                                     f" · {stats.reading_time}")

    def current_tab(self) -> ArticleTab | None:
        return self.tabs.current()

    # --- crash recovery -----------------------------------------------------------------------
    def _recover(self) -> None:
        store = self.store

        def job() -> list[tuple[PendingRecovery, Recovered]]:
            return [(p, recovery.recover(store, p.article_id))
                    for p in recovery.pending_recoveries(store)]

        self.queue.submit(job, self._recovered, self._recovery_failed)

    def _recovery_failed(self, sentence: str) -> None:
        self._recovering = False
        self._on_error(sentence)
        self.refresh()

    def _recovered(self, found: object) -> None:
        assert isinstance(found, list)
        self._recovering = False
        if not found:
            self.refresh()
            return
        for pending, done in found:
            self.open_article(done.article_id,
                              then=lambda t, p=pending, d=done: self._show_recovered(t, p, d))
        self.last_notice = recovery_sentence(found)
        self.notice.emit(self.last_notice)
        self.refresh()
        self.data_changed.emit()  # a recovery can bring a deleted article back

    def _show_recovered(self, tab: ArticleTab, pending: PendingRecovery,
                        done: Recovered) -> None:
        tab.keep()  # recovered words are not replaced by a browsing click in the list
        tab.notice_banner.show_sentence(recovered_article_sentence(pending))
        tab.notice_banner.action_requested.connect(self.show_revisions)  # once: at launch
        self._place_cursor(tab, done.cursor)
        # and again once the note has taken its room, so the last words stay in view
        QTimer.singleShot(0, lambda: self._keep_cursor_in_view(tab))

    @staticmethod
    def _keep_cursor_in_view(tab: ArticleTab) -> None:
        if not tab.closed:
            tab.editor.ensureCursorVisible()

    @staticmethod
    def _place_cursor(tab: ArticleTab, position: int) -> None:
        cursor = tab.editor.textCursor()
        cursor.setPosition(min(max(position, 0), tab.editor.document().characterCount() - 1))
        tab.editor.setTextCursor(cursor)
        tab.editor.ensureCursorVisible()
        tab.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- commands -----------------------------------------------------------------------------
    def _article_changed(self, article_id: str, live: bool) -> None:
        self.refresh()
        self.data_changed.emit()  # an article came back or went: the window's counts
        if live and self.tabs.tab_of(article_id) is None:
            self.open_article(article_id)

    def new_article(self) -> None:
        store = self.store
        self.queue.submit(lambda: articles.create_article(store, NEW_TITLE),
                          lambda ref: self._added(ref, "New article"), self._on_error)

    def duplicate_article(self) -> None:
        tab = self.tabs.current()
        if tab is None:
            return
        tab.flush()  # the copy has the text as it stands
        store, article_id = self.store, tab.article_id
        self.queue.submit(lambda: articles.duplicate_article(store, article_id),
                          lambda ref: self._added(ref, "Duplicate article"), self._on_error)

    def _added(self, ref: object, what: str) -> None:
        assert isinstance(ref, articles.ArticleRef)
        self.undo_stack.push(AddedArticleCommand(self.queue, self.store, ref.id,
                                                 f"{what} “{ref.title}”",
                                                 self._article_changed, self._on_error,
                                                 self.tabs.close_article))
        self.open_article(ref.id, then=self._focus_title)
        self.refresh()
        self.data_changed.emit()

    @staticmethod
    def _focus_title(tab: ArticleTab) -> None:
        tab.side.setCurrentWidget(tab.form)
        tab.form.title.setFocus(Qt.FocusReason.OtherFocusReason)
        tab.form.title.selectAll()

    def delete_article(self) -> None:
        """Tombstone the current article (its text is autosaved first); Ctrl+Z brings it back."""
        tab = self.tabs.current()
        if tab is None:
            return
        article_id, title = tab.article_id, tab.form.title.text() or tab.detail.title
        # the command closes the tab (saving it first: the queue keeps the order), then deletes
        self.undo_stack.push(DeleteArticleCommand(self.queue, self.store, article_id, title,
                                                  self._article_changed, self._on_error,
                                                  self.tabs.close_article))
        self._show_right()
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.notice.emit(f"Deleted “{title}”. Press {undo} (Edit > Undo) to bring it back.")

    def close_current_tab(self) -> None:
        tab = self.tabs.current()
        if tab is not None:
            self.tabs.close_at(self.tabs.indexOf(tab))
            self._show_right()

    def save_revision(self) -> None:
        """Ctrl+S: a named revision; the label is asked for in a small dialog (optional)."""
        tab = self.tabs.current()
        if tab is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("revisionLabelDialog")
        dialog.setWindowTitle("Save a revision")
        dialog.setLabelText("Label for this revision (optional):")
        dialog.setTextValue("")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(lambda label, t=tab: self._save_named(t, label))
        dialog.open()

    def _save_named(self, tab: ArticleTab, label: str) -> None:
        if tab.closed:
            return
        text = tab.article_text()
        tab.autosaver.mark_saved()
        store, article_id = self.store, tab.article_id

        def job() -> object:  # the save settles the crash journal too
            return revisions.save_revision(store, article_id, text,
                                           kind=RevisionKind.MANUAL, label=label)

        self.queue.submit(job, lambda _s: self.notice.emit(
            f"Saved a revision{f' “{label.strip()}”' if label.strip() else ''}."),
            lambda sentence: self._save_failed(tab, sentence))

    def _save_failed(self, tab: ArticleTab, sentence: str) -> None:
        tab.autosaver.saved_revision = -1
        self._on_error(sentence)

    def show_revisions(self) -> None:
        from pse_desk.ui.write.revisions_dialog import RevisionsDialog

        tab = self.tabs.current()
        if tab is None:
            return
        tab.flush()
        dialog = RevisionsDialog(self.store, self.queue, tab.article_id,
                                 tab.form.title.text(), tab.article_text, tab.flush, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(lambda text, t=tab: self._restored(t, text))
        dialog.open()

    def _restored(self, tab: ArticleTab, text: object) -> None:
        if isinstance(text, ArticleText) and not tab.closed:
            tab.replace_text(text)
            self.refresh()

    def insert_image(self) -> None:
        tab = self.tabs.current()
        if tab is None:
            return
        path, _filter = QFileDialog.getOpenFileName(self, "Insert an image", "", IMAGE_FILTER)
        if path:
            self.insert_image_file(tab, path)

    def insert_image_file(self, tab: ArticleTab, path: str) -> None:
        store, article_id = self.store, tab.article_id
        self.queue.submit(lambda: insert_image(store, path, article_id=article_id),
                          partial(self._image_inserted, tab), self._image_refused)

    def _image_inserted(self, tab: ArticleTab, result: object) -> None:
        if isinstance(result, InsertedImage) and not tab.closed:
            tab.editor.insert_markdown(result.markdown)

    def _image_refused(self, sentence: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot insert this image", sentence,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("imageRefused")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def export_html(self) -> None:
        tab = self.tabs.current()
        if tab is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export article as HTML", suggested_file_name(tab.form.title.text()),
            "HTML pages (*.html *.htm)")
        if path:
            self.export_to(tab, path)

    def export_to(self, tab: ArticleTab, path: str) -> None:
        store, article_id, text = self.store, tab.article_id, tab.article_text()
        self.notice.emit("Exporting the article as HTML…")
        self.export_queue.submit(lambda: export_article_html(store, article_id, text, path),
                          lambda done: self.notice.emit(done.sentence),
                          self._on_error)

    def set_mobile_width(self, on: bool) -> None:
        self._mobile = on
        for tab in self.tabs.tabs():
            tab.preview.set_width_mode("mobile" if on else "desktop")

    def set_remote_images(self, on: bool) -> None:
        """The user's choice for this article, shown at once and kept in the database."""
        tab = self.tabs.current()
        if tab is not None:
            tab.preview.set_remote_images_allowed(on)
            store, article_id = self.store, tab.article_id
            self.queue.submit(lambda: articles.set_remote_images(store, article_id, on),
                              lambda _none: None, self._on_error)

    def flush(self) -> None:
        """Autosave the open article now (the window switches to another workspace)."""
        tab = self.tabs.current()
        if tab is not None:
            tab.flush()

    def when_ready_for_screenshot(self, callback: Callable[[], None],
                                  timeout_ms: int = 20_000) -> None:
        """Call ``callback`` once the open article's preview shows its text (or at timeout)."""
        tab = self.tabs.current()
        if tab is None or tab.preview.shown_revision >= 0:
            callback()
            return
        done = [False]

        def once(*_args: object) -> None:
            if not done[0]:
                done[0] = True
                callback()

        tab.preview.patched.connect(once)
        tab.preview.render_failed.connect(once)
        QTimer.singleShot(timeout_ms, once)

    # --- quitting -----------------------------------------------------------------------------
    def prepare_to_close(self) -> None:
        """Autosave every open article and wait for the writes; stop the render worker.

        Also before the window switches to another database (its crash snapshots are then
        looked for at the next load)."""
        self.tabs.close_all()
        self.queue.wait()
        self.export_queue.wait()
        self._recovery_checked = False
        self._show_right()
        if self._bridge is not None:
            self._bridge.close()
            self._bridge = None
        if self._analysis is not None:
            self._analysis.stop()  # started again by the next text analysed
