"""The ``pse-asset:`` URL scheme: images stored in the database, and the preview's stylesheet.

Articles refer to a stored image as ``pse-asset:<id>`` (services/assets.py), never a path on
disk. The preview page itself is loaded with the base URL ``pse-asset:/page/``, so the
template's ``<link href="site.css">`` resolves to ``pse-asset:/page/site.css``, which this
handler serves from ``render.page.stylesheet_text``. Everything else is an asset id looked up
through a fetch function (``services.assets.fetch_asset`` bound to the open store).

Chromium must know the scheme before it starts: ``register_asset_scheme()`` runs before the
``QApplication`` exists: launch.py must call it, and so must any test module that shows a
preview, at import time (pytest-qt creates the application later).

(The PySide 6.12 reference-count guard the preview relies on lives in ``pse_desk.ui`` and runs
when any UI module is imported.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, Qt
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from pse_desk.errors import DeskError

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pse_desk.services.assets import AssetData

# services.assets.SCHEME (a test checks they agree); not imported, so that registering the
# scheme before the first paint imports neither SQLAlchemy nor the Markdown stack
SCHEME = "pse-asset"
SCHEME_NAME = SCHEME.encode("ascii")
PAGE_BASE_URL = f"{SCHEME}:/page/"
_PAGE_PATH = "/page/"

AssetFetch = Callable[[str], "AssetData"]


def register_asset_scheme() -> None:
    """Tell Chromium about ``pse-asset:``; must run before the QApplication is created.

    Safe to call more than once (a second registration is skipped).
    """
    # QtWebEngine shares OpenGL contexts with the widgets; this too must precede the app
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if QWebEngineUrlScheme.schemeByName(SCHEME_NAME).name() == SCHEME_NAME:
        return
    scheme = QWebEngineUrlScheme(SCHEME_NAME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
    # secure, so https images are not "mixed content"; not a LocalScheme, which would stop the
    # page from loading https images even when the user allows them (the request interceptor
    # and the page's Content-Security-Policy decide what loads)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


class AssetSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers ``pse-asset:`` requests: the page stylesheet, or an image from the database.

    ``fetch`` raises a ``DeskError`` (``NotFoundError``) for a missing or unsafe image; the
    request then fails and the page shows the image's alt text. Requests arrive on the GUI
    thread; one fetch is a primary-key read of one row.
    """

    def __init__(self, fetch: AssetFetch | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fetch = fetch
        self.served: list[str] = []  # URLs answered, newest last (tests read it)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        from pse_desk.render.page import SITE_CSS, stylesheet_text
        from pse_desk.render.standalone import asset_id_from_url

        url = job.requestUrl()
        text = url.toString()
        path = url.path()
        if path.startswith(_PAGE_PATH):
            if path[len(_PAGE_PATH):] == SITE_CSS:
                self._reply(job, "text/css", stylesheet_text(SITE_CSS).encode("utf-8"), text)
            else:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        asset_id = asset_id_from_url(text)
        if asset_id is None or self.fetch is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        try:
            asset = self.fetch(asset_id)
        except DeskError:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        except Exception:  # a broken database must not take the preview down
            log.exception("the image %s could not be read", asset_id)
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        self._reply(job, asset.mime, asset.data, text)

    def _reply(self, job: QWebEngineUrlRequestJob, mime: str, data: bytes, url: str) -> None:
        buffer = QBuffer(job)  # owned by the job: lives exactly as long as the reply
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(mime.encode("ascii"), buffer)
        self.served.append(url)


