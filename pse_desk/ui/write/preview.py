"""The live preview: the article as the site shows it, loaded once and then patched block by block.

``set_page`` loads the site page (render.page: masthead, article column, comments, sidebar
panels) with an empty ``#pse-body`` through ``setHtml`` on the ``pse-asset:`` base URL.
``set_markdown`` asks the ``RenderBridge`` for the blocks of the new text (rendered in a
killable worker process, off the GUI thread); each answer is compared with what the page holds
— the unchanged blocks at the start and at the end are kept — and only the middle is swapped,
with one script run in ``QWebEngineScript.ApplicationWorld`` (page JavaScript stays off). So the
page never reloads: no flicker, the scroll position stays.

Source lines: every block container carries ``data-line``; this pane also keeps the block
lines of the latest render, so ``scroll_to_line`` puts the block holding a source line at the
top (interpolated inside the block), a scroll of the preview reports the source line at its top
(``top_line_changed``), and a click reports the line under the mouse
(``source_line_clicked``, read with ``document.elementFromPoint``, which needs no listener in
the page).

A render that fails (a hostile text that runs past the deadline, a crash of the worker) shows a
one-sentence banner above the page; the page keeps its last good state and is rendered again
with the offending block shown as plain text. The editor's text is never touched from here.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWebEngineCore import QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pse_desk.render.page import PageArticle, PageLayout
from pse_desk.ui.write.asset_scheme import (
    PAGE_BASE_URL,
    SCHEME_NAME,
    AssetFetch,
    AssetSchemeHandler,
)
from pse_desk.ui.write.preview_page import (
    PAGE_SWAP_JS,
    POINT_JS,
    SCROLL_TO_JS,
    TOP_BLOCK_JS,
    BlockState,
    LocalOnlyInterceptor,
    PreviewPage,
    json_list,
    new_preview_profile,
    plan_patch,
    preview_html,
)
from pse_desk.ui.write.render_bridge import RenderBridge, RenderReply, RenderRequest

WIDTH_MODES = ("desktop", "mobile")
MOBILE_WIDTH = 390
# The desktop view lays the page out at (at least) this width and zooms it to fit the pane, so
# the sidebar stands beside the article as on the site even in a narrow pane; below half size
# it stops shrinking and the page scrolls sideways instead.
DESKTOP_WIDTH = 1000
MIN_DESKTOP_ZOOM = 0.5
SCROLL_SETTLE_MS = 40
USER_SCROLL_S = 1.5  # a scroll this soon after a wheel, click or key in the view is the user's
_USER_SCROLL_EVENTS = frozenset({QEvent.Type.Wheel, QEvent.Type.MouseButtonPress,
                                 QEvent.Type.MouseMove, QEvent.Type.KeyPress})
CLICK_SLOP_PX = 4
_WORLD = QWebEngineScript.ScriptWorldId.ApplicationWorld
_generations = itertools.count(1)  # page loads, unique across panes sharing one bridge


@dataclass(frozen=True)
class _Web:
    """The web half of the pane, made once (``PreviewPane._make_web``)."""

    view: QWebEngineView
    page: PreviewPage
    profile: QWebEngineProfile
    interceptor: LocalOnlyInterceptor
    scheme_handler: AssetSchemeHandler


class PreviewPane(QWidget):
    """The live site preview of one article; see the module docstring."""

    source_line_clicked = Signal(int)  # a click in the preview: 1-based source line
    top_line_changed = Signal(int)  # the preview scrolled: top visible source line
    render_failed = Signal(str)  # one sentence, shown in the pane too
    patched = Signal(int)  # text revision now shown in the page
    page_loaded = Signal()  # the page (masthead, panels; body not yet) finished loading

    def __init__(self, parent: QWidget | None = None, *, asset_fetch: AssetFetch | None = None,
                 bridge: RenderBridge | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self._asset_fetch = asset_fetch
        self._web: _Web | None = None  # made just after the pane's first paint (_make_web)
        self._owns_bridge = bridge is None
        self.bridge = bridge or RenderBridge(self)
        self.bridge.rendered.connect(self._on_rendered)
        self._connected = True
        self._page_alive = True

        self._build_frame()
        self._init_state()

    def _build_frame(self) -> None:
        """The banner above the page and the frame that will hold the web view."""
        self.banner = QLabel(self)
        self.banner.setObjectName("previewBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet("QLabel#previewBanner { background: #fff4d6; color: #4a3500;"
                                  " border-bottom: 1px solid #e0c27a; padding: 6px 10px; }")
        self.banner.hide()
        self._frame = QWidget(self)
        self._frame.setObjectName("previewFrame")
        self._row = QHBoxLayout(self._frame)
        self._row.setContentsMargins(0, 0, 0, 0)
        # Until the web view exists, a plain widget of the page's colour holds its place: the
        # first web view costs 0.2-0.5 s of the GUI thread (Chromium starting), which must not
        # come before the editor's text is on screen.
        self._placeholder = QWidget(self._frame)
        self._placeholder.setObjectName("previewPlaceholder")
        self._placeholder.setAutoFillBackground(True)
        self._placeholder.setBackgroundRole(QPalette.ColorRole.Base)
        self._placeholder.installEventFilter(self)
        self._row.addWidget(self._placeholder)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self._frame, 1)

    def _init_state(self) -> None:
        """What the pane knows of the page it shows and of the render on its way."""
        self.width_mode = "desktop"
        self._article: PageArticle | None = None
        self._layout: PageLayout | None = None
        self._markdown = ""
        self._revision = 0
        self._generation = 0
        self._serial = 0
        self._shown_serial = 0
        self._confirmed_revision = -1
        self._loaded = False
        self._held: RenderReply | None = None
        self._in_flight: RenderRequest | None = None  # asked for, not answered yet
        self._blocks: Sequence[BlockState] = ()
        self._line_cache: list[int] | None = []
        self._retries: set[int] = set()
        self._pending_scroll_line: int | None = None
        self._expected_scroll_y: float | None = None
        self._last_top_line = 0
        self._press_pos: QPoint | None = None
        self._user_acted_at = -1e9  # when a person last wheeled, clicked or typed in the view
        self._filtered: QObject | None = None

        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(SCROLL_SETTLE_MS)
        self._scroll_timer.timeout.connect(self._report_top_line)
        self._remote_allowed = False
        self._load_wanted = False  # a page load waits for the web view

    # --- the web view, made after the first paint ---------------------------------------------

    def _make_web(self) -> _Web:
        if self._web is not None:
            return self._web
        # the view (and its page) are children created before the profile, so Qt deletes them
        # first: a profile must outlive its pages
        view = QWebEngineView(self._frame)
        view.setObjectName("previewView")
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        profile = new_preview_profile(self)
        interceptor = LocalOnlyInterceptor(profile)
        interceptor.remote_images_allowed = self._remote_allowed
        profile.setUrlRequestInterceptor(interceptor)
        scheme_handler = AssetSchemeHandler(self._asset_fetch, profile)
        profile.installUrlSchemeHandler(SCHEME_NAME, scheme_handler)
        page = PreviewPage(profile, view)
        view.setPage(page)
        self._web = _Web(view, page, profile, interceptor, scheme_handler)
        page.scrollPositionChanged.connect(lambda _pos: self._scroll_timer.start())
        page.loadFinished.connect(self._on_load_finished)
        self._row.replaceWidget(self._placeholder, view)
        self._placeholder.removeEventFilter(self)
        self._placeholder.hide()
        self._placeholder.deleteLater()
        self.set_width_mode(self.width_mode)
        if self._load_wanted and self._article is not None and self._layout is not None:
            self._load_page(self._article, self._layout)
        return self._web

    @property
    def view(self) -> QWebEngineView:
        return self._make_web().view

    @property
    def page(self) -> PreviewPage:
        return self._make_web().page

    @property
    def profile(self) -> QWebEngineProfile:
        return self._make_web().profile

    @property
    def interceptor(self) -> LocalOnlyInterceptor:
        return self._make_web().interceptor

    @property
    def scheme_handler(self) -> AssetSchemeHandler:
        return self._make_web().scheme_handler

    @property
    def remote_images_allowed(self) -> bool:
        """Whether this article's preview may load https images (its saved choice)."""
        return self._remote_allowed

    # --- public API -------------------------------------------------------------------------

    @property
    def shown_revision(self) -> int:
        """The text revision the page shows (-1 before the first patch of this page)."""
        return self._confirmed_revision

    @property
    def block_lines(self) -> list[int]:
        """First source line of every block the page holds, in order."""
        return list(self._lines)

    @property
    def _lines(self) -> list[int]:
        # made when scroll sync or a click needs it, not on every keystroke
        if self._line_cache is None:
            self._line_cache = [b[1] for b in self._blocks]
        return self._line_cache

    def set_asset_fetch(self, fetch: AssetFetch | None) -> None:
        """Where ``pse-asset:`` images come from (``services.assets.fetch_asset`` bound to the
        open store)."""
        self._asset_fetch = fetch
        if self._web is not None:
            self._web.scheme_handler.fetch = fetch

    def set_page(self, article: PageArticle, layout: PageLayout, *,
                 reload: bool = False) -> None:
        """Show ``article`` (its ``body_md`` included: pass the editor's current text) in
        ``layout``.

        The first call loads the page; later calls swap the masthead, the article's heading,
        the comments and the panels in place (no reload, the scroll position stays), unless
        the remote-image permission changed, which needs a new page. ``reload=True`` loads a
        fresh page anyway (another article: it starts at the top).
        """
        previous = self._article
        if not reload and self._loaded and previous is not None \
                and previous.allow_remote_images == article.allow_remote_images:
            self._article, self._layout = article, layout
            self._run(PAGE_SWAP_JS % json.dumps(preview_html(article, layout)))
            self._markdown = article.body_md
            self._request()
            return
        self._load_page(article, layout)

    def _load_page(self, article: PageArticle, layout: PageLayout) -> None:
        self._article, self._layout = article, layout
        self._generation = next(_generations)
        self._loaded = False
        self._held = None
        self._blocks, self._line_cache = (), []
        self._shown_serial = 0
        self._confirmed_revision = -1
        self._retries.clear()
        self._hide_banner()
        self._remote_allowed = article.allow_remote_images
        self._markdown = article.body_md
        if self._web is None:  # loaded as soon as the view exists; rendering starts now
            self._load_wanted = True
        else:
            self._load_wanted = False
            self._web.interceptor.remote_images_allowed = article.allow_remote_images
            self._web.page.load_html(preview_html(article, layout), QUrl(PAGE_BASE_URL))
        self._request()

    def set_markdown(self, text: str, revision: int) -> None:
        """Show ``text`` (the editor's text at ``revision``): only changed blocks are patched."""
        self._markdown, self._revision = text, revision
        if self._article is None:
            self.set_page(PageArticle(title="", body_md=text), PageLayout())
            return
        self._request()

    def scroll_to_line(self, line: int) -> None:
        """Scroll so the block holding source ``line`` is at the top of the view."""
        if not self._loaded or not self._lines:
            self._pending_scroll_line = line
            return
        self._pending_scroll_line = None
        index = max(0, bisect_right(self._lines, line) - 1)
        start = self._lines[index]
        end = self._lines[index + 1] if index + 1 < len(self._lines) else start
        fraction = min(max((line - start) / (end - start), 0.0), 0.99) if end > start else 0.0
        self._run(SCROLL_TO_JS % (index, fraction), self._scrolled_by_us)

    def set_width_mode(self, mode: str) -> None:
        """``"desktop"``: the page fills the pane; ``"mobile"``: a 390 px page, centred."""
        if mode not in WIDTH_MODES:
            raise ValueError(f"width mode must be one of {WIDTH_MODES}, not {mode!r}")
        self.width_mode = mode
        if self._web is None:
            return  # applied when the view is made
        view = self._web.view
        if mode == "mobile":
            view.setFixedWidth(MOBILE_WIDTH)
            self._row.setAlignment(view, Qt.AlignmentFlag.AlignHCenter)
        else:
            view.setMinimumWidth(0)
            view.setMaximumWidth(16777215)
            self._row.setAlignment(view, Qt.AlignmentFlag(0))
        self._fit_zoom()

    def _fit_zoom(self) -> None:
        if self._web is None:
            return
        if self.width_mode == "mobile":
            zoom = 1.0
        else:
            zoom = min(1.0, max(MIN_DESKTOP_ZOOM, self.width() / DESKTOP_WIDTH))
        if abs(self._web.view.zoomFactor() - zoom) > 0.005:
            self._web.view.setZoomFactor(zoom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_zoom()

    def set_remote_images_allowed(self, allowed: bool) -> None:
        """Let ``https:`` images load for this article (everything else stays blocked)."""
        if self._article is None or self._layout is None:
            self._remote_allowed = allowed
            if self._web is not None:
                self._web.interceptor.remote_images_allowed = allowed
            return
        if allowed == self._article.allow_remote_images:
            return
        keep_line = self._last_top_line
        revision = self._revision
        self._load_page(replace(self._article, allow_remote_images=allowed,
                                body_md=self._markdown), self._layout)
        self._revision = revision
        if keep_line > 1:
            self._pending_scroll_line = keep_line

    @property
    def banner_text(self) -> str:
        """The sentence the banner shows ("" when it is hidden)."""
        return "" if self.banner.isHidden() else self.banner.text()

    def run_in_page(self, script: str, callback: Any = None) -> None:
        """Run one of our scripts in the isolated world (tests and the benchmark use it)."""
        self._run(script, callback)

    def shutdown(self) -> None:
        """Stop the render worker (when this pane owns it) and release the page before its
        profile (Chromium warns, and may crash, when a profile goes first). Safe twice."""
        if self._connected:
            self._connected = False
            with contextlib.suppress(RuntimeError, TypeError):
                self.bridge.rendered.disconnect(self._on_rendered)
        if self._owns_bridge:
            self.bridge.close()
        if self._page_alive:
            self._page_alive = False
            self._scroll_timer.stop()
            if self._web is not None:
                shiboken6.delete(self._web.page)

    # --- rendering --------------------------------------------------------------------------

    def _request(self, *, retry: bool = False) -> int:
        if not retry and self._in_flight is not None and self._same_text(self._in_flight):
            return self._in_flight.serial  # the render on its way fits this page as well
        self._serial += 1
        if retry:
            self._retries.add(self._serial)
        remote = self._article.allow_remote_images if self._article is not None else False
        self._in_flight = RenderRequest(self._markdown, self._revision, self._serial,
                                        self._generation, remote)
        self.bridge.request(self._in_flight)
        return self._serial

    def _same_text(self, request: RenderRequest) -> bool:
        remote = self._article.allow_remote_images if self._article is not None else False
        return (request.revision == self._revision and request.allow_remote_images == remote
                and request.md == self._markdown)

    def _serves_this_page(self, request: RenderRequest) -> bool:
        """Whether a render is for the page now shown, or was asked for another page of this
        pane (a reload: the page around the text arrived, say) and fits this one: the same
        text and image rule. Blocks do not depend on the page, and rendering a long text
        twice costs seconds."""
        return request.token == self._generation or self._same_text(request)

    def _on_rendered(self, reply: RenderReply) -> None:
        request = reply.request
        if self._in_flight is not None and request.serial == self._in_flight.serial:
            self._in_flight = None
        if request.serial <= self._shown_serial or not self._serves_this_page(request):
            return  # for another text, or older than what is shown
        outcome = reply.outcome
        if outcome.cancelled:
            return
        if outcome.result is None:
            sentence = outcome.failure or "This text could not be rendered."
            self._show_banner(sentence)
            self.render_failed.emit(sentence)
            if outcome.failed_line is not None and request.serial not in self._retries \
                    and not self.bridge.busy:
                self._request(retry=True)  # the block is now shown as plain text
            return
        if not self._loaded:
            self._held = reply
            return
        self._apply(reply)

    def _apply(self, reply: RenderReply) -> None:
        request, result = reply.request, reply.outcome.result
        assert result is not None
        new = result.blocks  # RenderedBlock is a (id, line, html) tuple already
        script = plan_patch(self._blocks, new, request.revision)
        self._blocks = new
        self._line_cache = None
        self._shown_serial = request.serial
        if request.serial not in self._retries:
            if result.problems:
                self._show_banner(result.problems[0])
            else:
                self._hide_banner()
        generation = self._generation
        revision = request.revision

        def done(_value: object) -> None:
            if generation == self._generation:
                self._confirmed_revision = revision
                self.patched.emit(revision)
                if self._pending_scroll_line is not None:
                    self.scroll_to_line(self._pending_scroll_line)

        if script is None:
            done(None)
        else:
            self._run(script, done)

    def _on_load_finished(self, ok: bool) -> None:
        self._loaded = True
        self._install_click_filter()
        self.page_loaded.emit()
        held, self._held = self._held, None
        if held is not None and self._serves_this_page(held.request):
            self._apply(held)

    def _show_banner(self, sentence: str) -> None:
        self.banner.setText(sentence)
        self.banner.show()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.banner.setText("")

    def _run(self, script: str, callback: Any = None) -> None:
        if not self._page_alive or self._web is None:
            return  # no page yet: what a script would change is set up when it loads
        if callback is None:
            self._web.page.runJavaScript(script, _WORLD)
        else:
            self._web.page.runJavaScript(script, _WORLD, callback)

    # --- scroll sync and click-to-source ----------------------------------------------------

    def _line_at(self, index: int, fraction: float) -> int:
        if not 0 <= index < len(self._lines):
            return 1
        start = self._lines[index]
        end = self._lines[index + 1] if index + 1 < len(self._lines) else start
        return start + int(max(0.0, min(fraction, 1.0)) * max(end - start - 1, 0) + 0.5) \
            if end > start else start

    def _scrolled_by_us(self, y: object) -> None:
        if isinstance(y, (int, float)):
            self._expected_scroll_y = float(y)

    def _report_top_line(self) -> None:
        if not self._loaded or not self._lines or not self.isVisible() or self._web is None:
            return
        if time.monotonic() - self._user_acted_at > USER_SCROLL_S:
            # the page scrolled by itself (a load, a reflow, our own scroll_to_line): the
            # editor keeps its place; only a person scrolling the preview moves the editor
            self._expected_scroll_y = None
            return
        y = self._web.page.scrollPosition().y()
        expected, self._expected_scroll_y = self._expected_scroll_y, None
        if expected is not None and abs(expected - y) < 2:
            return  # our own scroll_to_line: the editor already shows that line

        def found(value: object) -> None:
            value = json_list(value)
            if len(value) >= 2:
                line = self._line_at(int(value[0]), float(value[1]))
                if line != self._last_top_line:
                    self._last_top_line = line
                    self.top_line_changed.emit(line)

        self._run(TOP_BLOCK_JS, found)

    def _install_click_filter(self) -> None:
        proxy = self.view.focusProxy()
        if proxy is not None and proxy is not self._filtered:
            proxy.installEventFilter(self)
            self._filtered = proxy

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._placeholder and event.type() == QEvent.Type.Paint \
                and self._web is None:
            # the frame holding the editor's text is being painted: make the view next
            QTimer.singleShot(0, self._make_web)
            return False
        if watched is self._filtered and event.type() in _USER_SCROLL_EVENTS and not (
                isinstance(event, QMouseEvent) and event.type() == QEvent.Type.MouseMove
                and not event.buttons()):  # hovering is not scrolling; dragging the bar is
            self._user_acted_at = time.monotonic()
        if watched is self._filtered and isinstance(event, QMouseEvent) \
                and event.button() == Qt.MouseButton.LeftButton:
            pos = event.position().toPoint()
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press_pos = pos
            elif event.type() == QEvent.Type.MouseButtonRelease and self._press_pos is not None:
                moved = (pos - self._press_pos).manhattanLength()
                self._press_pos = None
                if moved <= CLICK_SLOP_PX:  # a click, not a text selection
                    self._source_line_at(pos)
        return False

    def _source_line_at(self, pos: QPoint) -> None:
        zoom = self.view.zoomFactor() or 1.0
        x, y = pos.x() / zoom, pos.y() / zoom

        def found(value: object) -> None:
            value = json_list(value)
            if len(value) >= 2 and self._lines:
                self.source_line_clicked.emit(self._line_at(int(value[0]), float(value[1])))

        self._run(POINT_JS % (x, y, y), found)
