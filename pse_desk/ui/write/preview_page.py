"""The locked-down web page behind the preview: no page JavaScript, nothing remote, no leaving.

``LocalOnlyInterceptor`` blocks every request that is not ours: the ``pse-asset:`` scheme (the
page's stylesheet and images stored in the database) and the ``data:`` URL Qt uses to load the
page from ``setHtml``. When the user allows remote images for the article, ``https:`` images
(only images) pass too. Every decision is logged, newest last, so tests can see what was asked.

``PreviewPage`` turns page JavaScript, plugins, window opening and the like off and accepts
exactly one navigation per ``load_html`` call: a click on a link in the preview goes nowhere
(the preview is the article, not a browser). Our own scripts run in
``QWebEngineScript.ApplicationWorld`` through ``runJavaScript``, which works with page
JavaScript off.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from pse_desk.ui.write.asset_scheme import SCHEME

_LOCAL_SCHEMES = frozenset({SCHEME})
_LOG_LIMIT = 500

Attribute = QWebEngineSettings.WebAttribute
_OFF = (
    Attribute.JavascriptEnabled, Attribute.JavascriptCanOpenWindows,
    Attribute.JavascriptCanAccessClipboard, Attribute.JavascriptCanPaste,
    Attribute.LocalContentCanAccessRemoteUrls, Attribute.PluginsEnabled,
    Attribute.AutoLoadIconsForPage, Attribute.TouchIconsEnabled, Attribute.PdfViewerEnabled,
    Attribute.NavigateOnDropEnabled, Attribute.ErrorPageEnabled, Attribute.DnsPrefetchEnabled,
    Attribute.ScreenCaptureEnabled, Attribute.WebGLEnabled, Attribute.Accelerated2dCanvasEnabled,
    Attribute.FullScreenSupportEnabled, Attribute.AllowWindowActivationFromJavaScript,
    Attribute.PlaybackRequiresUserGesture,
)


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request except our scheme, the page itself and (if allowed) https images."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.remote_images_allowed = False
        self.blocked: list[str] = []
        self.allowed: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        scheme = url.scheme().lower()
        kind = info.resourceType()
        types = QWebEngineUrlRequestInfo.ResourceType
        ok = scheme in _LOCAL_SCHEMES or (scheme == "data" and kind == types.ResourceTypeMainFrame)
        if not ok and self.remote_images_allowed and scheme == "https":
            ok = kind == types.ResourceTypeImage
        log = self.allowed if ok else self.blocked
        log.append(url.toString()[:300])
        del log[:-_LOG_LIMIT]
        if not ok:
            info.block(True)


def new_preview_profile(parent: QObject) -> QWebEngineProfile:
    """An off-the-record profile: no disk cache, no cookies, nothing kept between runs."""
    profile = QWebEngineProfile(parent)
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    profile.setSpellCheckEnabled(False)
    return profile


class PreviewPage(QWebEnginePage):
    """A page that runs no page JavaScript and only navigates when we load it."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        settings = self.settings()
        for attribute in _OFF:
            settings.setAttribute(attribute, False)
        settings.setAttribute(Attribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(Attribute.FocusOnNavigationEnabled, False)
        settings.setUnknownUrlSchemePolicy(
            QWebEngineSettings.UnknownUrlSchemePolicy.DisallowUnknownUrlSchemes)
        self._loads_expected = 0
        self.refused: list[str] = []  # navigations refused (link clicks and the like)

    def load_html(self, html: str, base_url: QUrl) -> None:
        """Load ``html`` as the page; its relative URLs resolve against ``base_url``."""
        self._loads_expected += 1
        self.setHtml(html, base_url)

    def acceptNavigationRequest(self, url: QUrl | str, kind: QWebEnginePage.NavigationType,
                                is_main_frame: bool) -> bool:
        if is_main_frame and self._loads_expected > 0 \
                and kind != QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            self._loads_expected -= 1
            return True
        self.refused.append(QUrl(url).toString()[:300])
        del self.refused[:-_LOG_LIMIT]
        return False

    def javaScriptConsoleMessage(self, level: QWebEnginePage.JavaScriptConsoleMessageLevel,
                                 message: str, line: int, source: str) -> None:
        """Console output of our own scripts is not the user's business."""
