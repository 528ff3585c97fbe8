"""The Editions workspace's print side: preflight findings a click from their cause, the paged
print preview (QtPdf's QPdfView over a proof exported to a temporary file) and the export to a
PDF a printer takes — each run off the GUI thread (the PDF itself is made in a child process by
``services.edition_export``), with progress and Cancel.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pse_desk.edition.values import Finding
from pse_desk.services import edition_export
from pse_desk.store.db import Store
from pse_desk.ui.workers import OrderedJobs
from pse_desk.ui.workspace import plain_label

FINDING = Qt.ItemDataRole.UserRole + 1
PAGE = Qt.ItemDataRole.UserRole + 2
THUMB_W = 72
THUMBS_AFTER_MS = 150  # thumbnails start this long after a proof is shown
THUMB_EVERY_MS = 5  # and come one at a time, with room for input and paint between
ICONS = {"error": ("mdi6.close-octagon-outline", "#b00020"),
         "warning": ("mdi6.alert-outline", "#b26a00"),
         "note": ("mdi6.information-outline", "#1565c0")}


class _Progress(QObject):
    moved = Signal(int, int, str)  # done, total, what (from the worker thread)


class PrintPanel(QWidget):
    finding_chosen = Signal(object)  # Finding: the workspace selects what it refers to
    page_chosen = Signal(str)  # the title of the article a clicked page belongs to
    preview_updated = Signal()  # a new proof is shown
    notice = Signal(str)

    AFTER_CHANGE_MS = 500  # a preview follows the contents this long after the last change

    def __init__(self, store: Callable[[], Store | None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._store = store
        self.jobs = OrderedJobs(parent=self)  # a lane of its own: writes never wait on it
        self._progress = _Progress(self)
        self._progress.moved.connect(self._moved)
        self._cancel = threading.Event()
        self._preview_dir = tempfile.TemporaryDirectory(prefix="pse-desk-proof-")
        self.preview_path: Path | None = None
        self.edition_id: str | None = None
        self.findings: list[Finding] = []
        self.titles: list[str] = []  # the articles' titles, in print order (page to article)
        self.page_titles: dict[int, str] = {}  # page index -> the article running on it
        self._again = False  # a change came while a preview was being made
        self._warmed = False
        self._follow = QTimer(self, singleShot=True, interval=self.AFTER_CHANGE_MS)
        self._follow.timeout.connect(self._follow_change)
        self._thumbs_next = 0
        self._current = ""
        self._pending: list[str] = []
        self._originals: dict[str, str] = {}
        self._thumbs = QTimer(self, interval=THUMB_EVERY_MS)
        self._thumbs.timeout.connect(self._next_thumbnail)
        self._build()

    def _build(self) -> None:
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("preflightList")
        self.findings_list.setWordWrap(True)
        self.findings_list.itemActivated.connect(self._activated)
        self.findings_list.itemClicked.connect(self._activated)
        self.bar = QProgressBar()
        self.bar.setObjectName("printProgress")
        self.bar.setTextVisible(True)
        self.bar.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("printCancel")
        self.cancel_button.clicked.connect(self._cancel.set)
        self.cancel_button.hide()
        self.status = plain_label("printStatus")
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setObjectName("printPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages = QListWidget()
        self.pages.setObjectName("printPages")
        self.pages.setIconSize(QSize(THUMB_W, int(THUMB_W * 1.42)))
        self.pages.setSpacing(3)
        self.pages.setUniformItemSizes(True)
        self.pages.setFixedWidth(THUMB_W + 60)
        self.pages.itemClicked.connect(self._page_clicked)
        self.pages.itemActivated.connect(self._page_clicked)
        running = QHBoxLayout()
        running.addWidget(self.bar, 1)
        running.addWidget(self.cancel_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        title = plain_label("preflightTitle")
        title.setText("Preflight (click a finding to go to its cause)")
        box.addWidget(title)
        box.addWidget(self.findings_list, 1)
        box.addLayout(running)
        box.addWidget(self.status)
        paged = QHBoxLayout()
        paged.addWidget(self.pages)
        paged.addWidget(self.view, 1)
        box.addLayout(paged, 3)

    @property
    def busy(self) -> bool:
        return self.jobs.pending > 0

    def warm_up(self) -> None:
        """Start the export and render processes in the background (the workspace is shown):
        the first preview then waits for neither."""
        from pse_desk.edition.export_process import warm_up
        from pse_desk.services.edition_read import renderer

        def start_both() -> None:
            warm_up()
            renderer().start()

        if not self._warmed:
            self._warmed = True
            self.jobs.submit(start_both, None, lambda _sentence: None, self)

    def _start(self, what: str) -> Store | None:
        store = self._store()
        if store is None or self.edition_id is None:
            self.notice.emit("Select an edition first.")
            return None
        if self.busy:
            self.notice.emit("The desk is still working on the last print job.")
            return None
        self._cancel.clear()
        self.bar.setRange(0, 0)
        self.bar.setFormat(what)
        self.bar.show()
        self.cancel_button.show()
        return store

    def _finish(self) -> None:
        self.bar.hide()
        self.cancel_button.hide()

    def _moved(self, done: int, total: int, what: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.bar.setFormat(f"{what} %p%")

    def _report(self, done: int, total: int, what: str) -> None:
        self._progress.moved.emit(done, total, what)  # queued to the GUI thread

    # --- preflight ---------------------------------------------------------------------------
    def run_preflight(self) -> None:
        store = self._start("Preflight…")
        if store is None:
            return
        ident = self.edition_id
        assert ident is not None
        self.jobs.submit(lambda: edition_export.preflight(store, ident), self._show_findings,
                         self._failed, self)

    def _show_findings(self, findings: list[Finding]) -> None:
        import qtawesome as qta  # (loaded by now: the window's icons came after first paint)

        self._finish()
        self.findings = list(findings)
        self.findings_list.clear()
        for finding in self.findings:
            icon, colour = ICONS.get(finding.severity, ICONS["note"])
            item = QListWidgetItem(qta.icon(icon, color=colour), finding.message)
            item.setData(FINDING, finding)
            self.findings_list.addItem(item)
        if not self.findings:
            self.findings_list.addItem(QListWidgetItem(
                qta.icon("mdi6.check-circle-outline", color="#2e7d32"),
                "Nothing a printer would refuse."))
        errors = sum(f.severity == "error" for f in self.findings)
        self.status.setText("Preflight found nothing to fix." if not self.findings else
                            f"Preflight: {errors} error(s), {len(self.findings) - errors} "
                            "warning(s) and note(s).")

    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(FINDING)
        if isinstance(finding, Finding):
            self.finding_chosen.emit(finding)
            if finding.page is not None and self.document.pageCount() > finding.page - 1:
                self.view.pageNavigator().jump(finding.page - 1, self.view.pos())

    # --- preview and export ------------------------------------------------------------------
    def run_preview(self) -> None:
        store = self._start("Making the print preview…")
        if store is None:
            return
        ident = self.edition_id
        assert ident is not None
        target = Path(self._preview_dir.name) / f"{ident}.pdf"
        # PDF/A-2b: the same pages without the print colour pass; no proof is recorded for a
        # preview, which is made again after every change
        self.jobs.submit(lambda: edition_export.export_edition(
            store, ident, target, "pdf/a-2b", progress=self._report,
            cancelled=self._cancel.is_set, record=False),
            self._show_preview, self._failed, self)

    def _show_preview(self, proof: Any) -> None:
        self._finish()
        page = self.view.pageNavigator().currentPage() if self.preview_path else 0
        self.preview_path = Path(proof.path)
        self.document.close()
        self.document.load(str(self.preview_path))
        if 0 < page < self.document.pageCount():  # an update keeps the reader's place
            self.view.pageNavigator().jump(page, QPointF())
        self.status.setText(f"Print preview: {proof.pages} pages.")
        if proof.findings:
            self._show_findings(list(proof.findings))
        self._start_thumbnails()
        if self._again:
            self._again = False
            self._follow.start()

    def set_edition(self, edition_id: str | None) -> None:
        """Another edition was selected: its own proof, findings and pages, none yet."""
        if edition_id == self.edition_id:
            return
        self.edition_id = edition_id
        self._follow.stop()
        self._thumbs.stop()
        self.document.close()
        self.preview_path = None
        self.pages.clear()
        self.findings_list.clear()
        self.findings = []
        self.status.setText("")

    # --- following changes -------------------------------------------------------------------
    def contents_changed(self) -> None:
        """The edition changed: a preview on screen is made again shortly after."""
        if self.preview_path is not None:
            self._follow.start()

    def _follow_change(self) -> None:
        if self.busy:
            self._again = True
        else:
            self.run_preview()

    # --- pages -------------------------------------------------------------------------------
    def _map_page(self, page: int) -> None:
        """Which article a page belongs to: the last whose headline opened a page on or
        before it (a headline near the top of a page, not the contents' list of them all).
        Called for the pages in order."""
        if page == 0:
            self.page_titles.clear()
            self._current = ""
            self._pending = [" ".join(t.split()) for t in self.titles]
            self._originals = dict(zip(self._pending, self.titles, strict=True))
        text = " ".join(self.document.getAllText(page).text().split())
        if sum(t[:60] in text for t in self._pending) <= 2:  # more: the contents, front matter
            opening = [t for t in self._pending if t[:60] in text[:300]]
            if opening:
                self._current = self._originals[opening[0]]
                self._pending.remove(opening[0])
        if self._current:
            self.page_titles[page] = self._current
            self.pages.item(page).setToolTip(self._current)

    def _start_thumbnails(self) -> None:
        self.pages.clear()
        for page in range(self.document.pageCount()):
            item = QListWidgetItem(str(page + 1))
            item.setData(PAGE, page)
            item.setToolTip("front matter")
            self.pages.addItem(item)
        self._thumbs_next = 0
        # after the view has painted the new pages: one heavy thing per turn of the loop
        QTimer.singleShot(THUMBS_AFTER_MS, self._thumbs.start)

    def _next_thumbnail(self) -> None:
        """One page's picture per turn of the event loop, so the window never stalls."""
        if self._thumbs_next >= self.pages.count():
            self._thumbs.stop()
            self.preview_updated.emit()  # every page drawn and mapped to its article
            return
        page = self._thumbs_next
        self._thumbs_next += 1
        self._map_page(page)
        size = QSize(THUMB_W, int(THUMB_W * 1.42))
        image = self.document.render(page, size)  # transparent where the page is blank
        paper = QPixmap(size)
        paper.fill(QColor("white"))
        painter = QPainter(paper)
        painter.drawImage(0, 0, image)
        painter.setPen(QColor(160, 160, 160))
        painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
        painter.end()
        self.pages.item(page).setIcon(QIcon(paper))

    def _page_clicked(self, item: QListWidgetItem) -> None:
        page = item.data(PAGE)
        if isinstance(page, int):
            self.view.pageNavigator().jump(page, QPointF())
            title = self.page_titles.get(page)
            if title:
                self.page_chosen.emit(title)

    def run_export(self, target: Path, variant: str) -> None:
        store = self._start(f"Exporting {target.name}…")
        if store is None:
            return
        ident = self.edition_id
        assert ident is not None

        def job() -> Any:
            if variant == "html":
                return edition_export.export_edition_html(store, ident, target)
            return edition_export.export_edition(store, ident, target, variant,
                                                 progress=self._report,
                                                 cancelled=self._cancel.is_set)
        self.jobs.submit(job, lambda proof: self._exported(target, proof), self._failed, self)

    def _exported(self, target: Path, proof: Any) -> None:
        self._finish()
        pages = getattr(proof, "pages", 0)
        self.status.setText(f"Exported {target}" + (f" ({pages} pages)." if pages else "."))
        self.notice.emit(self.status.text())

    def _failed(self, sentence: str) -> None:
        self._finish()
        self.status.setText(sentence)
        self.notice.emit(sentence)

    def shutdown(self) -> None:
        self._follow.stop()
        self._thumbs.stop()
        self._cancel.set()
        self.jobs.wait()
        self.document.close()
        self._preview_dir.cleanup()
