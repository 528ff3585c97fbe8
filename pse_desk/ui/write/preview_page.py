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

Those scripts live here too, as text: ``plan_patch`` writes the one that turns the blocks the
page holds into the blocks of a new render (the unchanged start and end stay, the middle is
swapped), ``PAGE_SWAP_JS`` swaps everything but the body, and the others scroll to a block or
find the block at the top of the view or under the mouse. Results that are lists come back as
JSON text (``json_list``): PySide hands JavaScript arrays back as empty strings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

from pse_desk.render.markdown import RenderedBlock, block_container
from pse_desk.render.page import PageArticle, PageLayout, render_page
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


# --- our scripts ------------------------------------------------------------------------------

BlockState = tuple[str, int, str]  # block id, first source line, html — as the page holds it

_BODY = "var b=document.getElementById('pse-body');if(!b)return null;"
PATCH_JS = ("(function(){" + _BODY +
            "var P=%d,R=%d,D=%d,S=%d,H=%s,F=%s,c=b.children,i;"
            "for(i=0;i<R;i++){b.removeChild(c[P]);}"
            "if(H){var t=document.createElement('template');t.innerHTML=H;"
            "b.insertBefore(t.content,c[P]||null);}"
            "if(D){for(i=S;i<c.length;i++){var e=c[i];"
            "e.setAttribute('data-line',String(+e.getAttribute('data-line')+D));}}"
            "for(i=0;i<F.length;i+=2){c[F[i]].setAttribute('data-line',String(F[i+1]));}"
            "return c.length;})()")
# everything of the page but the body: parsed from the new page and swapped in place
PAGE_SWAP_JS = ("(function(){var d=new DOMParser().parseFromString(%s,'text/html');"
                "var b=document.getElementById('pse-body'),nb=d.getElementById('pse-body');"
                "if(!b||!nb)return -1;"
                "function take(n){return document.importNode(n,true);}"
                "var a=b.parentNode,na=nb.parentNode,n;"
                "while(a.firstChild&&a.firstChild!==b){a.removeChild(a.firstChild);}"
                "for(n=na.firstChild;n&&n!==nb;n=n.nextSibling){a.insertBefore(take(n),b);}"
                "var m=a.parentNode,nm=na.parentNode;"
                "Array.from(m.childNodes).forEach(function(c){if(c!==a)m.removeChild(c);});"
                "Array.from(nm.childNodes).forEach(function(c){if(c!==na)m.appendChild(take(c));});"
                "['.pse-masthead','.pse-sidebar','.pse-footer'].forEach(function(q){"
                "var o=document.querySelector(q),x=d.querySelector(q);"
                "if(o&&x)o.replaceWith(take(x));});"
                "document.title=d.title;return 1;})()")
SCROLL_TO_JS = ("(function(){" + _BODY +
                "var e=b.children[%d];if(!e)return null;var r=e.getBoundingClientRect();"
                "window.scrollTo(0,Math.max(0,Math.round(window.scrollY+r.top+r.height*%f)));"
                "return window.scrollY;})()")
TOP_BLOCK_JS = ("(function(){" + _BODY +
                "var c=b.children,lo=0,hi=c.length-1;if(hi<0)return null;"
                "while(lo<hi){var m=(lo+hi)>>1;"
                "if(c[m].getBoundingClientRect().bottom<=0)lo=m+1;else hi=m;}"
                "var r=c[lo].getBoundingClientRect();"
                "return JSON.stringify([lo,r.height>0?Math.max(0,-r.top)/r.height:0]);})()")
POINT_JS = ("(function(){" + _BODY +
            "var e=document.elementFromPoint(%f,%f);"
            "while(e&&e.parentElement!==b){e=e.parentElement;}if(!e)return null;"
            "var r=e.getBoundingClientRect();"
            "return JSON.stringify([Array.prototype.indexOf.call(b.children,e),"
            "r.height>0?(%f-r.top)/r.height:0]);})()")


def json_list(value: object) -> list[Any]:
    """A list our script returned as JSON (runJavaScript hands arrays back as empty strings)."""
    if not isinstance(value, str) or not value.startswith("["):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


def preview_html(article: PageArticle, layout: PageLayout) -> str:
    """The site page with an empty body and a Content-Security-Policy for the preview: nothing
    runs and nothing loads but our scheme (and https images when the article allows them)."""
    page = render_page(article, layout, body_html="", mode="screen")
    images = "pse-asset:" + (" https:" if article.allow_remote_images else "")
    policy = (f"default-src 'none'; img-src {images}; style-src pse-asset: 'unsafe-inline'; "
              "font-src pse-asset:; form-action 'none'; base-uri pse-asset:")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + meta, 1)


def plan_patch(old: Sequence[BlockState], new: Sequence[BlockState],
               revision: int) -> str | None:
    """The script that turns the page's blocks ``old`` into ``new``; ``None`` when equal.

    Unchanged blocks at the start and the end (same id, same HTML) are kept; the middle is
    replaced. Kept blocks whose line moved get their ``data-line`` fixed: those after the
    change by one common shift, any others one by one.
    """
    n_old, n_new = len(old), len(new)
    limit = min(n_old, n_new)
    p = 0
    while p < limit and old[p][0] == new[p][0] and old[p][2] == new[p][2]:
        p += 1
    s = 0
    while s < limit - p and old[n_old - 1 - s][0] == new[n_new - 1 - s][0] \
            and old[n_old - 1 - s][2] == new[n_new - 1 - s][2]:
        s += 1
    suffix_new = n_new - s
    shift = new[suffix_new][1] - old[n_old - s][1] if s else 0
    fixes: list[int] = []
    for i in range(p):
        if old[i][1] != new[i][1]:
            fixes += (i, new[i][1])
    for k in range(s):
        if new[suffix_new + k][1] != old[n_old - s + k][1] + shift:
            fixes += (suffix_new + k, new[suffix_new + k][1])
    removed = n_old - p - s
    inserted = new[p:suffix_new]
    if not removed and not inserted and not shift and not fixes:
        return None
    body = "".join(block_container(b if isinstance(b, RenderedBlock) else RenderedBlock(*b))
                   for b in inserted)
    return PATCH_JS % (p, removed, shift, suffix_new, json.dumps(body), json.dumps(fixes))
